// What the Fila (tickets queued on this computer) and its enrolment form say.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang } from '../../lib/bindings';

export interface EnrolStrings {
  heading: string;
  intro: string;
  label: string;
  button: string;
  working: string;
  done: string;
  /** Said for `offline` here: the history's wording is about refreshing. */
  offline: string;
}

export interface QueueStrings {
  queueTitle: string;
  queueIntro: string;
  queueEmpty: string;
  notEnrolled: string;
  /** The Fila's form for an enrolment code the user types. */
  enrol: EnrolStrings;
  createdLabel: string;
  stateLabel: string;
  stateQueued: string;
  stateSending: string;
  stateWaiting: (when: string | null) => string;
  stateRefused: string;
  stateNotEnrolled: string;
  stateDelivered: (number: string) => string;
  reasonOffline: string;
  reasonBundle: string;
  progress: (sent: string, total: string) => string;
  sendNow: string;
  deleteTicket: string;
  confirmDelete: (summary: string) => string;
  /** A queued addition to a ticket, or a technician's bundle for one, by its number. */
  addedTo: (number: string, text: string) => string;
  bundleFor: (number: string) => string;
  confirmYes: string;
  /** An entry that could not be read, kept aside on disk: its row. */
  damagedTitle: string;
  damagedAt: string;
  damagedText: string;
  damagedReason: (reason: string) => string;
  damagedWhere: (path: string) => string;
}

export const STRINGS: Record<Lang, QueueStrings> = {
  'pt-BR': {
    queueTitle: 'Fila de envio',
    queueIntro:
      'Chamados guardados neste computador que ainda não chegaram ao suporte. Eles são enviados sozinhos assim que a conexão voltar.',
    queueEmpty: 'Nenhum chamado na fila: tudo foi entregue.',
    notEnrolled:
      'Este computador ainda não está inscrito no suporte. Os chamados ficam guardados até a inscrição.',
    enrol: {
      heading: 'Inscrever este computador',
      intro:
        'Digite o código de inscrição que o fornecedor passou à sua empresa. Sem o código, avise quem instalou o Chamado.',
      label: 'Código de inscrição',
      button: 'Inscrever',
      working: 'Inscrevendo…',
      done: 'Computador inscrito no suporte. Os chamados da fila serão enviados agora.',
      offline: 'Sem conexão com o suporte agora. Confira a internet e tente de novo; o código digitado foi mantido.',
    },
    createdLabel: 'Aberto em',
    stateLabel: 'Situação',
    stateQueued: 'Na fila',
    stateSending: 'Enviando…',
    stateWaiting: (when) => (when ? `Aguardando: nova tentativa às ${when}` : 'Aguardando nova tentativa'),
    stateRefused: 'Recusado pelo suporte',
    stateNotEnrolled: 'Computador não inscrito no suporte',
    stateDelivered: (number) => `Entregue: chamado nº ${number}`,
    reasonOffline: 'Sem conexão com o suporte.',
    reasonBundle: 'O pacote de diagnóstico não pôde ser lido.',
    progress: (sent, total) => `${sent} de ${total} enviados`,
    sendNow: 'Enviar agora',
    deleteTicket: 'Excluir',
    confirmDelete: (summary) => `Excluir o chamado “${summary}”? Ele não será enviado.`,
    addedTo: (number, text) => `Informação para o chamado ${number}: ${text}`,
    bundleFor: (number) => `Pacote de diagnóstico para o chamado ${number}`,
    confirmYes: 'Sim, excluir',
    damagedTitle: 'Um item da fila não pôde ser lido',
    damagedAt: 'Posto de lado em',
    damagedText:
      'O arquivo deste item está danificado, por isso ele não será enviado. Ele foi guardado à parte, sem ser apagado; os outros chamados seguem normalmente. Se precisar dele, avise o suporte.',
    damagedReason: (reason) => `Motivo: ${reason}`,
    damagedWhere: (path) => `Guardado em: ${path}`,
  },
  en: {
    queueTitle: 'Outbox',
    queueIntro:
      'Tickets kept on this computer that have not reached support yet. They are sent by themselves as soon as the connection is back.',
    queueEmpty: 'No ticket waiting: everything was delivered.',
    notEnrolled: 'This computer is not enrolled with support yet. Tickets are kept until it is.',
    enrol: {
      heading: 'Enrol this computer',
      intro:
        'Type the enrolment code the vendor gave your company. If you have none, please tell whoever installed Chamado.',
      label: 'Enrolment code',
      button: 'Enrol',
      working: 'Enrolling…',
      done: 'This computer is enrolled with support. The queued tickets are being sent now.',
      offline: 'No connection to support right now. Check the internet and try again; the code you typed was kept.',
    },
    createdLabel: 'Opened',
    stateLabel: 'State',
    stateQueued: 'Queued',
    stateSending: 'Sending…',
    stateWaiting: (when) => (when ? `Waiting: next attempt at ${when}` : 'Waiting for the next attempt'),
    stateRefused: 'Refused by support',
    stateNotEnrolled: 'Computer not enrolled with support',
    stateDelivered: (number) => `Delivered: ticket #${number}`,
    reasonOffline: 'No connection to support.',
    reasonBundle: 'The diagnostics bundle could not be read.',
    progress: (sent, total) => `${sent} of ${total} sent`,
    sendNow: 'Send now',
    deleteTicket: 'Delete',
    confirmDelete: (summary) => `Delete the ticket “${summary}”? It will not be sent.`,
    addedTo: (number, text) => `Information for ticket ${number}: ${text}`,
    bundleFor: (number) => `Diagnostics bundle for ticket ${number}`,
    confirmYes: 'Yes, delete',
    damagedTitle: 'A queued item could not be read',
    damagedAt: 'Set aside',
    damagedText:
      'This item’s file is damaged, so it will not be sent. It was kept aside, not deleted; the other tickets go on as usual. If you need it, tell support.',
    damagedReason: (reason) => `Reason: ${reason}`,
    damagedWhere: (path) => `Kept at: ${path}`,
  },
};
