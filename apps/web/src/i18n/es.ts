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
  'Buscar zonas horarias', 'Zonas horarias que coinciden: {n}', 'Escriba un nombre o una dirección: se muestran las personas de su directorio que coinciden.', 'Todos los asistentes están libres a esa hora.', 'Duración', '{n} minutos', 'Sugerir horarios', 'Horarios sugeridos', 'No se encontró ningún horario en que todos estén libres en los próximos 7 días.', 'Inicio y fin fijados en {when}.', 'No se pudo comprobar la disponibilidad en este momento.', 'Creado. Ocupado a esa hora: {who}', 'Aún no se ha actualizado.',
]);
