// What Meus chamados (tickets delivered) and Acrescentar informação say.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang, TicketStatus } from '../../lib/bindings';

export interface HistoryStrings {
  historyTitle: string;
  historyIntro: string;
  historyEmpty: string;
  refresh: string;
  refreshing: string;
  numberLabel: string;
  referenceLabel: string;
  sentLabel: string;
  statusLabel: string;
  /** A status a newer central has and this version does not know. */
  statusOther: string;
  updatedLabel: string;
  follow: string;
  repliesTitle: string;
  /** Who wrote a reply. */
  support: string;
  newReply: string;
  olderReplies: (count: number) => string;
  replyFiles: (names: string[]) => string;
  /** Said to screen readers when replies arrive while Meus chamados is open. */
  repliesArrived: (tickets: string[]) => string;
  addInfo: {
    open: string;
    label: (number: string) => string;
    hint: string;
    send: string;
    queued: string;
    delivered: (number: string) => string;
    close: string;
    withBundle: string;
    withBundleHint: string;
    collecting: (done: number, total: number) => string;
    collectFailed: string;
    overBudget: string;
  };
  statuses: Record<TicketStatus, string>;
}

export const STRINGS: Record<Lang, HistoryStrings> = {
  'pt-BR': {
    historyTitle: 'Meus chamados',
    historyIntro: 'Chamados já entregues ao suporte e a situação de cada um.',
    historyEmpty: 'Nenhum chamado enviado ainda.',
    refresh: 'Atualizar',
    refreshing: 'Atualizando…',
    numberLabel: 'Número',
    referenceLabel: 'Referência',
    sentLabel: 'Enviado em',
    statusLabel: 'Situação',
    statusOther: 'Em andamento',
    updatedLabel: 'Última atualização',
    follow: 'Acompanhar',
    repliesTitle: 'Respostas do suporte',
    support: 'Suporte',
    newReply: 'Nova resposta',
    olderReplies: (count) => (count === 1 ? 'Ver 1 resposta anterior' : `Ver ${count} respostas anteriores`),
    replyFiles: (names) => `Arquivos: ${names.join(', ')}`,
    repliesArrived: (tickets) =>
      tickets.length === 1
        ? `Nova resposta do suporte no chamado nº ${tickets[0]}.`
        : `Novas respostas do suporte nos chamados nº ${tickets.join(', ')}.`,
    addInfo: {
      open: 'Acrescentar informação',
      label: (number) => `O que você quer acrescentar ao chamado nº ${number}?`,
      hint: 'Por exemplo: o que mudou, uma nova mensagem de erro, quando o problema voltou. O texto fica guardado neste computador até ser enviado.',
      send: 'Enviar ao suporte',
      queued: 'Informação guardada: vai para o suporte assim que houver conexão (veja a Fila de envio).',
      delivered: (number) => `Informação entregue ao suporte no chamado nº ${number}.`,
      close: 'Fechar',
      withBundle: 'Incluir um novo diagnóstico',
      withBundleHint: 'Coleta de novo o diagnóstico deste computador e envia junto, depois de você conferir.',
      collecting: (done, total) => `Coletando o diagnóstico: ${done} de ${total} partes`,
      collectFailed: 'Não foi possível coletar o diagnóstico.',
      overBudget: 'Retire itens até o pacote caber no limite, ou marque “Enviar mesmo assim”.',
    },
    statuses: {
      open: 'Aberto: aguardando o suporte',
      answered: 'Respondido: aguardando você',
      closed: 'Encerrado',
    },
  },
  en: {
    historyTitle: 'My tickets',
    historyIntro: 'Tickets delivered to support and where each one stands.',
    historyEmpty: 'No ticket sent yet.',
    refresh: 'Refresh',
    refreshing: 'Refreshing…',
    numberLabel: 'Number',
    referenceLabel: 'Reference',
    sentLabel: 'Sent',
    statusLabel: 'Status',
    statusOther: 'In progress',
    updatedLabel: 'Last update',
    follow: 'Follow',
    repliesTitle: 'Replies from support',
    support: 'Support',
    newReply: 'New reply',
    olderReplies: (count) => (count === 1 ? 'Show 1 earlier reply' : `Show ${count} earlier replies`),
    replyFiles: (names) => `Files: ${names.join(', ')}`,
    repliesArrived: (tickets) =>
      tickets.length === 1
        ? `New reply from support on ticket no. ${tickets[0]}.`
        : `New replies from support on tickets no. ${tickets.join(', ')}.`,
    addInfo: {
      open: 'Add information',
      label: (number) => `What do you want to add to ticket no. ${number}?`,
      hint: 'For example: what changed, a new error message, when the problem came back. The text is kept on this computer until it is sent.',
      send: 'Send to support',
      queued: 'Information kept: it goes to support as soon as there is a connection (see the Outbox).',
      delivered: (number) => `Information delivered to support on ticket no. ${number}.`,
      close: 'Close',
      withBundle: 'Include a new diagnosis',
      withBundleHint: 'Collects this computer’s diagnosis again and sends it along, once you have checked it.',
      collecting: (done, total) => `Collecting the diagnosis: ${done} of ${total} parts`,
      collectFailed: 'The diagnosis could not be collected.',
      overBudget: 'Leave out items until the bundle fits the limit, or tick “Send anyway”.',
    },
    statuses: {
      open: 'Open: waiting for support',
      answered: 'Answered: waiting for you',
      closed: 'Closed',
    },
  },
};
