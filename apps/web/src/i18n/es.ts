import { catalogue } from './build';
export const es = catalogue('es', [
  'Calendario de Outlook', 'Saltar al contenido', 'Iniciar sesión', 'Cerrar sesión', 'Inicie sesión con su cuenta profesional para ver y programar sus reuniones.',
  'Próximos eventos', 'Crear evento', 'Mi horario de atención', 'Crear horario de atención', 'Editar horario de atención', 'Recordatorios', '{n} recordatorios sin leer', 'No hay recordatorios.',
  'Buscar', 'Actualizar', 'Actualizado por última vez: {when}', 'No hay próximos eventos.', 'Más eventos',
  'Título', 'Inicio', 'Fin', 'Zona horaria', 'Periodicidad', 'Una vez', 'Diaria', 'Semanal', 'Mensual', 'Cada (intervalo)', 'Días de la semana', 'Termina el', 'Número de repeticiones',
  'Ubicación', 'Descripción', 'Asistentes', 'Correo del asistente', 'Añadir asistente', 'Quitar', 'Reunión en línea', 'Guardar', 'Organizador',
  'Unirse a la reunión', 'Abrir en Outlook', 'Editar', 'Cancelar evento', '¿Cancelar este evento? Se avisará a los asistentes.', 'Sí, cancelarlo',
  'Aplicar a', 'Esta repetición', 'Todas las repeticiones', 'Conectar Outlook', 'Antes de cambiar su calendario, permita que esta aplicación escriba en Outlook por usted.', 'Conectar Outlook',
  'Algo salió mal', 'Un servicio que necesita esta página no responde. Inténtelo de nuevo en un momento.', 'Su sesión ha terminado. Vuelva a iniciar sesión.', 'Esa página o evento no existe.',
  'Corrija los campos marcados.', 'Guardado.', 'El evento se canceló.', 'Idioma', 'Cambiar', 'Próximas repeticiones', 'Aún no tiene horario de atención.', 'Ocupado a esa hora: {who}', 'Volver', 'Este campo es obligatorio.',
  'Editar evento', 'Esta y las siguientes repeticiones', 'Elija a qué repeticiones se aplica el cambio.', 'Solo el organizador de este evento puede cambiarlo o cancelarlo.', 'Este evento forma parte de sus horas de atención: cámbielo en la página de horas de atención.', 'Horas de atención', 'Guardado. Estas horas de atención se solapan con sus propios eventos: {list}', 'Las horas de atención se guardaron.', 'Las horas de atención se cancelaron.', 'Cancelar horas de atención', '¿Cancelar estas horas de atención y todas sus repeticiones? Se avisará a quien tenga reserva.', 'No hay repeticiones próximas.', 'Las horas de atención se repiten: elija diaria, semanal o mensual.', '¿Cancelar las repeticiones elegidas? Se avisará a los asistentes.',
]);
