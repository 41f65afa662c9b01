// Every string the UI itself shows, in every language it speaks.
// `UiStrings` lists each string once; `STRINGS` is typed as a record over
// every `Lang`, so a missing language or a missing string is a type error.
// (Texts that come from the vendor profile arrive as `Text` and are shown
// with `tr`.)
import type {
  BuiltinCheck,
  CaptureErrorCode,
  ErrorCode,
  Lang,
  ProfileView,
  RectProblem,
  Text,
  TicketStatus,
} from './bindings';

export interface UiStrings {
  loading: string;
  startupFailed: string;
  languageGroup: string;
  // error screen
  errorTitle: string;
  errorFile: string;
  errorAdvice: string;
  problemCount: (n: number) => string;
  lineColumn: (line: number, column: number | null) => string;
  // home
  greeting: string;
  chooseHelp: string;
  topicsLabel: string;
  supportPhone: string;
  supportHours: string;
  // topic view
  back: string;
  beforeTicket: string;
  usualCauses: string;
  opensInBrowser: string;
  guideOpenFailed: (url: string) => string;
  chamadoChecks: string;
  capture: CaptureStrings;
  builtinChecks: Record<Exclude<BuiltinCheck, 'program'>, string>;
  // delivery: the Fila (queued tickets) and Meus chamados (sent ones)
  ticketsNav: string;
  queueTitle: string;
  queueIntro: string;
  queueEmpty: string;
  notEnrolled: string;
  /** The Fila's form for an enrolment code the user types. */
  enrol: EnrolStrings;
  historyTitle: string;
  historyIntro: string;
  historyEmpty: string;
  topicLabel: string;
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
  confirmNo: string;
  refresh: string;
  refreshing: string;
  numberLabel: string;
  referenceLabel: string;
  sentLabel: string;
  statusLabel: string;
  updatedLabel: string;
  follow: string;
  addInfo: {
    open: string;
    label: (number: string) => string;
    hint: string;
    send: string;
    queued: string;
    delivered: (number: string) => string;
    close: string;
  };
  statuses: Record<TicketStatus, string>;
  errors: Record<ErrorCode | 'unknown', string>;
}

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

/** The screenshot step (Capture.svelte, ScreenEditor.svelte). */
export interface CaptureStrings {
  heading: string;
  intro: string;
  button: string;
  again: string;
  countdown: (n: number) => string;
  countdownHint: string;
  cancel: string;
  capturing: string;
  captured: (n: number) => string;
  errors: Record<CaptureErrorCode, string>;
  monitorFailed: (monitor: string, message: string) => string;
  busy: string;
  storage: string;
  gone: string;
  detail: string;
  blank: string;
  shotLabel: (n: number, monitor: string) => string;
  size: (w: number, h: number, bytes: number) => string;
  edited: string;
  edit: string;
  remove: string;
  // editor
  editorTitle: (n: number) => string;
  editorHelp: string;
  modeGroup: string;
  modeHide: string;
  modeCrop: string;
  addBox: string;
  addCrop: string;
  boxLabel: (n: number) => string;
  boxKeys: string;
  removeBox: (n: number) => string;
  cropLabel: string;
  removeCrop: string;
  clearAll: string;
  apply: string;
  applying: string;
  close: string;
  resultTitle: string;
  resultHelp: string;
  editAgain: string;
  done: string;
  loadingImage: string;
  rectProblems: Record<RectProblem, string>;
  rejected: (field: string, problem: string) => string;
}

function kib(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export const STRINGS: Record<Lang, UiStrings> = {
  'pt-BR': {
    loading: 'Carregando…',
    startupFailed: 'O Chamado não conseguiu iniciar.',
    languageGroup: 'Idioma',
    errorTitle: 'O perfil do fornecedor tem problemas',
    errorFile: 'Arquivo:',
    errorAdvice:
      'O Chamado não pode abrir chamados com este perfil. Avise quem instalou o Chamado ou o suporte do fornecedor.',
    problemCount: (n) => (n === 1 ? '1 problema encontrado' : `${n} problemas encontrados`),
    lineColumn: (line, column) => (column === null ? `linha ${line}` : `linha ${line}, coluna ${column}`),
    greeting: 'Olá! Como podemos ajudar?',
    chooseHelp: 'Escolha o tipo de ajuda de que você precisa.',
    topicsLabel: 'Tipos de ajuda',
    supportPhone: 'Suporte:',
    supportHours: 'Atendimento:',
    back: 'Voltar',
    beforeTicket: 'Antes de abrir um chamado',
    usualCauses: 'Causas mais comuns',
    opensInBrowser: 'abre no navegador',
    guideOpenFailed: (url) => `Não foi possível abrir o navegador. Endereço: ${url}`,
    chamadoChecks: 'O Chamado verifica:',
    capture: {
      heading: 'Captura de tela',
      intro:
        'Deixe aberta a tela do sistema com o erro. O Chamado se esconde por um instante, fotografa a tela e volta.',
      button: 'Capturar a tela',
      again: 'Capturar de novo',
      countdown: (n) => `Capturando em ${n}…`,
      countdownHint: 'Mostre agora a janela com o erro. O Chamado vai se esconder durante a captura.',
      cancel: 'Cancelar',
      capturing: 'Capturando a tela…',
      captured: (n) => (n === 1 ? '1 tela capturada.' : `${n} telas capturadas.`),
      errors: {
        no_display:
          'Não há tela para capturar (o Chamado não está numa sessão gráfica). O chamado segue sem a captura de tela.',
        permission_denied:
          'O sistema não permitiu capturar a tela (tela protegida, bloqueada ou permissão negada). O chamado segue sem a captura de tela.',
        failed: 'Não foi possível capturar a tela. O chamado segue sem a captura de tela.',
      },
      monitorFailed: (monitor, message) => `Monitor ${monitor}: ${message}`,
      busy: 'Uma captura já está em andamento.',
      storage: 'Não foi possível guardar as capturas de tela no computador.',
      gone: 'Esta captura de tela não existe mais.',
      detail: 'Detalhe técnico:',
      blank:
        'Esta imagem saiu toda de uma cor: a tela pode estar bloqueada ou protegida. Confira antes de enviar.',
      shotLabel: (n, monitor) => `Tela ${n}${monitor ? ` (${monitor})` : ''}`,
      size: (w, h, bytes) => `${w}×${h} · ${kib(bytes)}`,
      edited: 'editada',
      edit: 'Ocultar áreas / recortar',
      remove: 'Remover',
      editorTitle: (n) => `Editar a tela ${n}`,
      editorHelp:
        'Arraste sobre a imagem para cobrir com uma tarja preta o que não deve ser enviado (dados de clientes, senhas), ou escolha “Recortar” e arraste para manter só uma parte.',
      modeGroup: 'O que fazer ao arrastar',
      modeHide: 'Ocultar área',
      modeCrop: 'Recortar',
      addBox: 'Adicionar tarja',
      addCrop: 'Adicionar recorte',
      boxLabel: (n) => `Tarja ${n}`,
      boxKeys: 'Setas movem; Shift + setas mudam o tamanho; Delete remove.',
      removeBox: (n) => `Remover a tarja ${n}`,
      cropLabel: 'Recorte',
      removeCrop: 'Desfazer o recorte',
      clearAll: 'Limpar tudo',
      apply: 'Aplicar',
      applying: 'Aplicando…',
      close: 'Fechar',
      resultTitle: 'Assim a imagem será enviada',
      resultHelp: 'As tarjas e o recorte foram aplicados na própria imagem: o que ficou coberto não pode ser recuperado.',
      editAgain: 'Editar de novo',
      done: 'Concluir',
      loadingImage: 'Carregando a imagem…',
      rectProblems: {
        empty: 'a área selecionada está vazia',
        outside_image: 'a área selecionada está fora da imagem',
      },
      rejected: (field, problem) => `Não foi possível aplicar (${field}): ${problem}.`,
    },
    builtinChecks: {
      network: 'Rede e cabos',
      proxy: 'Proxy',
      antivirus: 'Antivírus',
      firewall: 'Firewall',
      'recent-software': 'Programas instalados recentemente',
    },
    ticketsNav: 'Seus chamados',
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
    historyTitle: 'Meus chamados',
    historyIntro: 'Chamados já entregues ao suporte e a situação de cada um.',
    historyEmpty: 'Nenhum chamado enviado ainda.',
    topicLabel: 'Tipo',
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
    confirmNo: 'Cancelar',
    refresh: 'Atualizar',
    refreshing: 'Atualizando…',
    numberLabel: 'Número',
    referenceLabel: 'Referência',
    sentLabel: 'Enviado em',
    statusLabel: 'Situação',
    updatedLabel: 'Última atualização',
    follow: 'Acompanhar',
    addInfo: {
      open: 'Acrescentar informação',
      label: (number) => `O que você quer acrescentar ao chamado nº ${number}?`,
      hint: 'Por exemplo: o que mudou, uma nova mensagem de erro, quando o problema voltou. O texto fica guardado neste computador até ser enviado.',
      send: 'Enviar ao suporte',
      queued: 'Informação guardada: vai para o suporte assim que houver conexão (veja a Fila de envio).',
      delivered: (number) => `Informação entregue ao suporte no chamado nº ${number}.`,
      close: 'Fechar',
    },
    statuses: {
      open: 'Aberto: aguardando o suporte',
      answered: 'Respondido: aguardando você',
      closed: 'Encerrado',
    },
    errors: {
      no_profile: 'O perfil do fornecedor não pôde ser usado.',
      no_such_guide: 'Este guia não existe mais.',
      browser_unavailable: 'Não foi possível abrir o navegador.',
      storage: 'Não foi possível ler ou gravar a pasta de dados do Chamado (disco cheio ou sem permissão?).',
      not_queued: 'Este chamado não está mais na fila (já foi enviado ou excluído).',
      busy: 'Um envio está em andamento. Tente de novo em instantes.',
      not_enrolled: 'Este computador não está inscrito no suporte.',
      offline: 'Sem conexão com o suporte: mostrando a última situação conhecida.',
      no_link: 'Este chamado ainda não tem endereço de acompanhamento.',
      code_refused:
        'O suporte não aceitou este código: confira se foi digitado como recebido (maiúsculas e traços não importam) ou peça um novo ao fornecedor.',
      no_central: 'O perfil do fornecedor não tem o endereço do suporte. Avise quem instalou o Chamado.',
      empty_message: 'Escreva o que quer acrescentar.',
      no_such_ticket: 'Este chamado não está mais no histórico deste computador.',
      no_such_shot: 'Esta captura de tela não existe mais.',
      edit_rejected: 'Não foi possível aplicar a edição da imagem.',
      internal: 'Algo deu errado. Tente de novo.',
      unknown: 'Algo deu errado. Tente de novo.',
    },
  },
  en: {
    loading: 'Loading…',
    startupFailed: 'Chamado could not start.',
    languageGroup: 'Language',
    errorTitle: 'The vendor profile has problems',
    errorFile: 'File:',
    errorAdvice:
      'Chamado cannot open tickets with this profile. Please tell whoever installed Chamado or the vendor’s support.',
    problemCount: (n) => (n === 1 ? '1 problem found' : `${n} problems found`),
    lineColumn: (line, column) => (column === null ? `line ${line}` : `line ${line}, column ${column}`),
    greeting: 'Hello! How can we help?',
    chooseHelp: 'Choose the kind of help you need.',
    topicsLabel: 'Kinds of help',
    supportPhone: 'Support:',
    supportHours: 'Hours:',
    back: 'Back',
    beforeTicket: 'Before opening a ticket',
    usualCauses: 'Usual causes',
    opensInBrowser: 'opens in your browser',
    guideOpenFailed: (url) => `The browser could not be opened. Address: ${url}`,
    chamadoChecks: 'Chamado checks:',
    capture: {
      heading: 'Screenshot',
      intro:
        'Leave the system’s screen with the error open. Chamado hides for a moment, takes a picture of the screen and comes back.',
      button: 'Capture the screen',
      again: 'Capture again',
      countdown: (n) => `Capturing in ${n}…`,
      countdownHint: 'Show the window with the error now. Chamado will hide during the capture.',
      cancel: 'Cancel',
      capturing: 'Capturing the screen…',
      captured: (n) => (n === 1 ? '1 screen captured.' : `${n} screens captured.`),
      errors: {
        no_display:
          'There is no screen to capture (Chamado is not running in a graphical session). The ticket goes on without the screenshot.',
        permission_denied:
          'The system did not allow the screen to be captured (a protected or locked screen, or permission denied). The ticket goes on without the screenshot.',
        failed: 'The screen could not be captured. The ticket goes on without the screenshot.',
      },
      monitorFailed: (monitor, message) => `Monitor ${monitor}: ${message}`,
      busy: 'A capture is already under way.',
      storage: 'The screenshots could not be saved on this computer.',
      gone: 'This screenshot no longer exists.',
      detail: 'Technical detail:',
      blank: 'This image came out all one colour: the screen may be locked or protected. Check it before sending.',
      shotLabel: (n, monitor) => `Screen ${n}${monitor ? ` (${monitor})` : ''}`,
      size: (w, h, bytes) => `${w}×${h} · ${kib(bytes)}`,
      edited: 'edited',
      edit: 'Hide areas / crop',
      remove: 'Remove',
      editorTitle: (n) => `Edit screen ${n}`,
      editorHelp:
        'Drag over the image to cover with a black box what must not be sent (customers’ data, passwords), or choose “Crop” and drag to keep only a part.',
      modeGroup: 'What dragging does',
      modeHide: 'Hide area',
      modeCrop: 'Crop',
      addBox: 'Add a box',
      addCrop: 'Add a crop',
      boxLabel: (n) => `Box ${n}`,
      boxKeys: 'Arrows move; Shift + arrows resize; Delete removes.',
      removeBox: (n) => `Remove box ${n}`,
      cropLabel: 'Crop',
      removeCrop: 'Undo the crop',
      clearAll: 'Clear all',
      apply: 'Apply',
      applying: 'Applying…',
      close: 'Close',
      resultTitle: 'This is the image that will be sent',
      resultHelp: 'The boxes and the crop were applied to the image itself: what was covered cannot be recovered.',
      editAgain: 'Edit again',
      done: 'Done',
      loadingImage: 'Loading the image…',
      rectProblems: {
        empty: 'the selected area is empty',
        outside_image: 'the selected area is outside the image',
      },
      rejected: (field, problem) => `Could not apply (${field}): ${problem}.`,
    },
    builtinChecks: {
      network: 'Network and cables',
      proxy: 'Proxy',
      antivirus: 'Antivirus',
      firewall: 'Firewall',
      'recent-software': 'Recently installed programs',
    },
    ticketsNav: 'Your tickets',
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
    historyTitle: 'My tickets',
    historyIntro: 'Tickets delivered to support and where each one stands.',
    historyEmpty: 'No ticket sent yet.',
    topicLabel: 'Kind',
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
    confirmNo: 'Cancel',
    refresh: 'Refresh',
    refreshing: 'Refreshing…',
    numberLabel: 'Number',
    referenceLabel: 'Reference',
    sentLabel: 'Sent',
    statusLabel: 'Status',
    updatedLabel: 'Last update',
    follow: 'Follow',
    addInfo: {
      open: 'Add information',
      label: (number) => `What do you want to add to ticket no. ${number}?`,
      hint: 'For example: what changed, a new error message, when the problem came back. The text is kept on this computer until it is sent.',
      send: 'Send to support',
      queued: 'Information kept: it goes to support as soon as there is a connection (see the Outbox).',
      delivered: (number) => `Information delivered to support on ticket no. ${number}.`,
      close: 'Close',
    },
    statuses: {
      open: 'Open: waiting for support',
      answered: 'Answered: waiting for you',
      closed: 'Closed',
    },
    errors: {
      no_profile: 'The vendor profile could not be used.',
      no_such_guide: 'This guide no longer exists.',
      browser_unavailable: 'The browser could not be opened.',
      storage: 'Chamado’s data folder could not be read or written (disk full or no permission?).',
      not_queued: 'This ticket is no longer queued (already sent or deleted).',
      busy: 'A delivery is in progress. Try again in a moment.',
      not_enrolled: 'This computer is not enrolled with support.',
      offline: 'No connection to support: showing the last known status.',
      no_link: 'This ticket has no follow address yet.',
      code_refused:
        'Support did not accept this code: check that it was typed as received (case and dashes do not matter) or ask the vendor for a new one.',
      no_central: 'The vendor profile has no address for support. Please tell whoever installed Chamado.',
      empty_message: 'Write what you want to add.',
      no_such_ticket: 'This ticket is no longer in this computer’s history.',
      no_such_shot: 'This screenshot no longer exists.',
      edit_rejected: 'The image edit could not be applied.',
      internal: 'Something went wrong. Please try again.',
      unknown: 'Something went wrong. Please try again.',
    },
  },
};

/** Names shown on the language buttons, each in its own language. */
export const LANG_NAMES: Record<Lang, string> = { 'pt-BR': 'Português', en: 'English' };

export const LANGS: readonly Lang[] = ['pt-BR', 'en'];
export const DEFAULT_LANG: Lang = 'pt-BR';
export const LANG_KEY = 'chamado.lang';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** A profile text in the chosen language (Rust guarantees both are filled). */
export function tr(text: Text, lang: Lang): string {
  return text[lang];
}

/** A topic's label by its id; the id itself for a topic the profile no longer has. */
export function topicName(profile: ProfileView, id: string, lang: Lang): string {
  const topic = profile.topics.find((x) => x.id === id);
  return topic ? tr(topic.label, lang) : id;
}

/** The saved language, or pt-BR. Storage may be unavailable: never throws. */
export function loadLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    return isLang(saved) ? saved : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

export function saveLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(LANG_KEY, lang);
  } catch {
    // Storage full or disabled: the choice just lasts for this session.
  }
}

/** A date and time (RFC 3339 from Rust) as people read it in `lang`; the text itself if unreadable. */
export function dateTime(rfc3339: string, lang: Lang): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' });
}

/** Only the time, for "next attempt at". */
export function timeOnly(rfc3339: string, lang: Lang): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** A size in bytes, in KB or MB as the user's language writes numbers. */
export function size(bytes: number, lang: Lang): string {
  const mb = bytes >= 1024 * 1024;
  const value = mb ? bytes / (1024 * 1024) : bytes / 1024;
  return `${value.toLocaleString(lang, { maximumFractionDigits: mb ? 1 : 0 })} ${mb ? 'MB' : 'KB'}`;
}
