import { catalogue } from './build';
export const ptBR = catalogue('pt-BR', [
  'Calendário do Outlook', 'Pular para o conteúdo', 'Entrar', 'Sair', 'Entre com sua conta corporativa para ver e agendar suas reuniões.',
  'Próximos eventos', 'Criar evento', 'Meu horário de atendimento', 'Criar horário de atendimento', 'Editar horário de atendimento', 'Lembretes', '{n} lembretes não lidos', 'Nenhum lembrete.',
  'Pesquisar', 'Atualizar', 'Última atualização: {when}', 'Nenhum evento próximo.', 'Mais eventos',
  'Título', 'Início', 'Término', 'Fuso horário', 'Recorrência', 'Uma vez', 'Diária', 'Semanal', 'Mensal', 'A cada (intervalo)', 'Dias da semana', 'Termina em', 'Número de ocorrências',
  'Local', 'Descrição', 'Participantes', 'E-mail do participante', 'Adicionar participante', 'Remover', 'Reunião online', 'Salvar', 'Organizador',
  'Entrar na reunião', 'Abrir no Outlook', 'Editar', 'Cancelar evento', 'Cancelar este evento? Os participantes serão avisados.', 'Sim, cancelar',
  'Aplicar a', 'Esta ocorrência', 'Todas as ocorrências', 'Conectar o Outlook', 'Antes de alterar seu calendário, permita que este aplicativo escreva no Outlook por você.', 'Conectar o Outlook',
  'Algo deu errado', 'Um serviço necessário a esta página não está respondendo. Tente novamente em instantes.', 'Sua sessão expirou. Entre novamente.', 'Essa página ou evento não existe.',
  'Corrija os campos indicados.', 'Salvo.', 'O evento foi cancelado.', 'Idioma', 'Alterar', 'Próximas ocorrências', 'Você ainda não tem horário de atendimento.', 'Ocupado nesse horário: {who}', 'Voltar', 'Este campo é obrigatório.',
  'Pesquisar fusos horários', 'Fusos horários correspondentes: {n}', 'Digite um nome ou endereço: as pessoas correspondentes do seu diretório são listadas.', 'Todos os participantes estão livres nesse horário.', 'Duração', '{n} minutos', 'Sugerir horários', 'Horários sugeridos', 'Nenhum horário em que todos estejam livres foi encontrado nos próximos 7 dias.', 'Início e fim definidos para {when}.', 'Não foi possível verificar a disponibilidade agora.', 'Criado. Ocupado nesse horário: {who}', 'Ainda não atualizado.',
]);
