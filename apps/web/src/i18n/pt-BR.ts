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
  'Editar evento', 'Esta e as próximas ocorrências', 'Escolha a quais ocorrências a alteração se aplica.', 'Somente o organizador deste evento pode alterá-lo ou cancelá-lo.', 'Este evento faz parte do seu horário de atendimento: altere-o na página de horário de atendimento.', 'Horário de atendimento', 'Salvo. Este horário de atendimento se sobrepõe aos seus próprios eventos: {list}', 'O horário de atendimento foi salvo.', 'O horário de atendimento foi cancelado.', 'Cancelar horário de atendimento', 'Cancelar este horário de atendimento e todas as ocorrências? Quem reservou será avisado.', 'Nenhuma ocorrência futura.', 'O horário de atendimento se repete: escolha diário, semanal ou mensal.', 'Cancelar as ocorrências escolhidas? Os participantes serão avisados.',
]);
