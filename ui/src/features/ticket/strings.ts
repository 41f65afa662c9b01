// What "Abrir um chamado" says: its steps, questions, problems and the confirmation.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Affected, Frequency, Lang, WizardStep } from '../../lib/bindings';

export interface TicketStrings {
  /** `document.title` of a step. */
  pageTitle: (step: string) => string;
  optional: string;
  continue: string;
  save: string;
  yes: string;
  no: string;
  notAnswered: string;
  stepsLabel: string;
  stepOf: (n: number, total: number) => string;
  /** Short names for the step indicator. */
  stepNames: Record<Exclude<WizardStep, 'send'>, string>;
  /** Each step's heading (and its `document.title`). */
  titles: Record<WizardStep, string>;
  errorSummary: string;
  warningLabel: string;
  start: {
    newTicket: string;
    yourDetails: string;
    resumeTitle: string;
    resumeText: (topic: string | null, summary: string) => string;
    resume: string;
    startOver: string;
  };
  person: {
    intro: string;
    introChange: string;
    name: string;
    email: string;
    emailHint: string;
    phone: string;
    phoneHint: string;
    company: string;
    keepInformed: string;
    keepInformedHint: string;
    sharedEmail: string;
  };
  topic: {
    intro: string;
    topicsLabel: string;
  };
  guides: {
    intro: string;
    more: (n: number) => string;
    searchLabel: string;
    searchHint: string;
    found: (n: number) => string;
    opensInBrowser: string;
    read: string;
    hide: string;
    opened: string;
    openFailed: (url: string) => string;
    question: string;
    resolvedYes: string;
    resolvedNo: string;
  };
  resolved: {
    title: string;
    text: string;
    home: string;
  };
  details: {
    intro: string;
    module: string;
    moduleHint: string;
    moduleChoose: string;
    summary: string;
    summaryHint: string;
    charsLeft: (n: number) => string;
    charsOver: (n: number) => string;
    description: string;
    descriptionHint: string;
    descriptionItems: { doing: string; message: string; since: string };
    urgency: string;
    urgencyHint: string;
    affected: string;
    affectedOptions: Record<Affected, string>;
    workStopped: string;
    workaround: string;
    frequency: string;
    frequencyOptions: Record<Frequency, string>;
  };
  evidence: {
    intro: string;
    /** For a topic that does not suggest screenshots. */
    introOptional: string;
  };
  review: {
    sections: { person: string; topic: string; details: string; urgency: string; shots: string };
    change: string;
    guidesOpened: string;
    shotCount: (n: number) => string;
    diagnostics: string;
    send: string;
    preparing: string;
    prepareFailed: string;
    retry: string;
    overBudget: string;
  };
  send: {
    working: string;
    workingHint: string;
    progress: (percent: number) => string;
    sentTitle: string;
    numberLabel: string;
    followLabel: string;
    copy: string;
    copied: string;
    copyFailed: string;
    open: string;
    nextTitle: string;
    nextEmail: (email: string) => string;
    nextOthers: (email: string) => string;
    nextHours: (hours: string, phone: string) => string;
    another: string;
    home: string;
    receiptTitle: string;
    receiptHint: string;
    saveReceipt: string;
    receiptSaved: (path: string) => string;
    openReceipt: string;
    keptTitle: string;
    kept: string;
    keptLater: string;
    toQueue: string;
    refused: string;
    failedTitle: string;
    retry: string;
    toEvidence: string;
  };
  problems: {
    'person.name': string;
    'person.email': Record<'required' | 'email', string>;
    'person.phone': Record<'required' | 'phone', string>;
    'person.keep_informed': string;
    topic: string;
    module: string;
    summary: Record<'required' | 'too_long', string>;
    description: string;
    field: (label: string) => string;
    choice: (label: string) => string;
    /** A field Rust refused where the UI saw nothing wrong. */
    rejected: (label: string) => string;
  };
}

export const STRINGS: Record<Lang, TicketStrings> = {
  'pt-BR': {
    pageTitle: (step) => `${step} — Chamado`,
    optional: '(opcional)',
    continue: 'Continuar',
    save: 'Salvar',
    yes: 'Sim',
    no: 'Não',
    notAnswered: 'Não respondido',
    stepsLabel: 'Etapas do chamado',
    stepOf: (n, total) => `Etapa ${n} de ${total}`,
    stepNames: {
      person: 'Seus dados',
      topic: 'Tipo de ajuda',
      guides: 'Antes de abrir',
      checks: 'Verificações',
      details: 'O que aconteceu',
      evidence: 'Capturas',
      review: 'Conferir',
    },
    titles: {
      person: 'Quem é você',
      topic: 'Tipo de ajuda',
      guides: 'Antes de abrir o chamado',
      checks: 'Vamos verificar as causas mais comuns',
      details: 'Conte o que aconteceu',
      evidence: 'Mostre para nós',
      review: 'Confira antes de enviar',
      send: 'Enviar',
    },
    errorSummary: 'Há um problema',
    warningLabel: 'Atenção:',
    start: {
      newTicket: 'Abrir um chamado',
      yourDetails: 'Seus dados',
      resumeTitle: 'Continuar o chamado que você começou',
      resumeText: (topic, summary) =>
        topic === null ? 'Você começou um chamado e não enviou.' : summary ? `${topic}: “${summary}”` : `${topic} (ainda sem resumo)`,
      resume: 'Continuar o chamado',
      startOver: 'Começar de novo',
    },
    person: {
      intro: 'Precisamos saber quem pede ajuda para responder a você. Guardamos estes dados neste computador para os próximos chamados.',
      introChange: 'Estes dados vão em cada chamado aberto neste computador.',
      name: 'Nome',
      email: 'E-mail',
      emailHint: 'O seu e-mail: é nele que chegam as respostas do suporte.',
      phone: 'Telefone',
      phoneHint: 'Com DDD. Por exemplo: (11) 4002-8922.',
      company: 'Empresa',
      keepInformed: 'Outra pessoa para acompanhar o chamado',
      keepInformedHint: 'O e-mail de alguém que também deve receber as respostas, como quem cuida do sistema na empresa.',
      sharedEmail:
        'Este parece ser o e-mail de um setor. O e-mail identifica uma pessoa: é nele que chegam as respostas e o histórico do chamado. Se puder, use o seu.',
    },
    topic: {
      intro: 'Escolha o que mais parece com o seu caso.',
      topicsLabel: 'Tipos de ajuda',
    },
    guides: {
      intro: 'Muitos casos se resolvem com estas orientações, sem esperar pelo suporte.',
      more: (n) => (n === 1 ? 'Ver mais 1 orientação' : `Ver todas as outras ${n} orientações`),
      searchLabel: 'Procurar outras orientações',
      searchHint: 'Escreva palavras do problema, por exemplo: impressora, certificado, backup.',
      found: (n) => (n === 0 ? 'Nenhuma outra orientação com essas palavras.' : n === 1 ? '1 orientação encontrada.' : `${n} orientações encontradas.`),
      opensInBrowser: 'abre no navegador',
      read: 'Ler aqui',
      hide: 'Esconder',
      opened: 'Consultado',
      openFailed: (url) => `Não foi possível abrir o navegador. Endereço: ${url}`,
      question: 'Isso resolveu?',
      resolvedYes: 'Sim, resolveu',
      resolvedNo: 'Não, quero abrir um chamado',
    },
    resolved: {
      title: 'Que bom que resolveu!',
      text: 'Nenhum chamado foi aberto. Se o problema voltar, é só abrir o Chamado de novo.',
      home: 'Voltar ao início',
    },
    details: {
      intro: 'Quanto mais claro, mais rápido o suporte consegue ajudar.',
      module: 'Em que parte do sistema?',
      moduleHint: 'A parte do sistema em que você estava.',
      moduleChoose: 'Escolha',
      summary: 'Resumo em uma linha',
      summaryHint: 'Por exemplo: A nota fiscal não é emitida.',
      charsLeft: (n) => (n === 1 ? 'Você pode digitar mais 1 caractere' : `Você pode digitar mais ${n} caracteres`),
      charsOver: (n) => (n === 1 ? '1 caractere a mais que o permitido' : `${n} caracteres a mais que o permitido`),
      description: 'Descreva o que aconteceu',
      descriptionHint: 'Conte com suas palavras:',
      descriptionItems: {
        doing: 'o que você estava fazendo',
        message: 'a mensagem que apareceu na tela, exatamente como está escrita',
        since: 'desde quando acontece',
      },
      urgency: 'Urgência',
      urgencyHint: 'Estas respostas ajudam o suporte a decidir o que atender primeiro.',
      affected: 'Quem está sendo afetado?',
      affectedOptions: { only_me: 'Só eu', some_people: 'Algumas pessoas', whole_company: 'A empresa toda' },
      workStopped: 'O trabalho parou?',
      workaround: 'Dá para continuar trabalhando de outro jeito enquanto isso?',
      frequency: 'Com que frequência acontece?',
      frequencyOptions: { first_time: 'Foi a primeira vez', sometimes: 'Às vezes', always: 'Sempre' },
    },
    evidence: {
      intro: 'Uma captura da tela com a mensagem ajuda muito o suporte. Este passo é opcional: você pode continuar sem capturas.',
      introOptional: 'Se ajudar a explicar, mostre a tela ou anexe um arquivo. Este passo é opcional.',
    },
    review: {
      sections: {
        person: 'Seus dados',
        topic: 'Tipo de ajuda',
        details: 'O que aconteceu',
        urgency: 'Urgência',
        shots: 'Capturas de tela',
      },
      change: 'Alterar',
      guidesOpened: 'Orientações consultadas',
      shotCount: (n) => (n === 0 ? 'Nenhuma' : n === 1 ? '1 captura' : `${n} capturas`),
      diagnostics:
        'Junto com o chamado vai um diagnóstico deste computador (sistema, rede, programas), com os dados pessoais trocados por marcadores.',
      send: 'Enviar chamado',
      preparing: 'Preparando o diagnóstico deste computador…',
      prepareFailed: 'Não foi possível preparar o diagnóstico.',
      retry: 'Tentar de novo',
      overBudget: 'Retire itens até o pacote caber no limite, ou marque “Enviar mesmo assim”',
    },
    send: {
      working: 'Coletando o diagnóstico e enviando…',
      workingHint: 'Isso leva alguns segundos. Não é preciso fazer nada.',
      progress: (percent) => `${percent}% enviado`,
      sentTitle: 'Chamado enviado',
      numberLabel: 'Número do chamado',
      followLabel: 'Endereço para acompanhar',
      copy: 'Copiar endereço',
      copied: 'Endereço copiado.',
      copyFailed: 'Não foi possível copiar. Selecione o endereço e copie.',
      open: 'Abrir no navegador',
      nextTitle: 'O que acontece agora',
      nextEmail: (email) => `Você vai receber um e-mail em ${email} com o número e o endereço do chamado.`,
      nextOthers: (email) => `${email} também recebe as respostas.`,
      nextHours: (hours, phone) => `O suporte atende ${hours}, por ordem de abertura. Telefone: ${phone}.`,
      another: 'Abrir outro chamado',
      receiptTitle: 'Comprovante',
      receiptHint: 'Guarde um comprovante com o número, a data e o endereço para acompanhar.',
      saveReceipt: 'Salvar comprovante',
      receiptSaved: (path) => `Comprovante salvo em ${path}`,
      openReceipt: 'Abrir comprovante',
      home: 'Voltar ao início',
      keptTitle: 'Chamado guardado',
      kept: 'Seu chamado está guardado e será enviado assim que a conexão voltar.',
      keptLater: 'Seu chamado está guardado na Fila de envio. Ainda não foi possível enviá-lo; o Chamado tenta de novo sozinho.',
      toQueue: 'Ver a Fila de envio',
      refused: 'O suporte não aceitou o chamado. Ele ficou na Fila de envio, onde você vê o motivo e pode enviar de novo.',
      failedTitle: 'O chamado não foi enviado',
      retry: 'Tentar de novo',
      toEvidence: 'Rever as capturas de tela',
    },
    problems: {
      'person.name': 'Digite seu nome',
      'person.email': { required: 'Digite seu e-mail', email: 'Digite o e-mail no formato nome@empresa.com.br' },
      'person.phone': {
        required: 'Digite seu telefone com DDD',
        phone: 'O telefone precisa ter pelo menos 10 números, contando o DDD',
      },
      'person.keep_informed': 'Digite o e-mail da outra pessoa no formato nome@empresa.com.br',
      topic: 'Escolha o tipo de ajuda',
      module: 'Escolha em que parte do sistema',
      summary: { required: 'Escreva um resumo em uma linha', too_long: 'O resumo deve ter no máximo 120 caracteres' },
      description: 'Descreva o que aconteceu',
      field: (label) => `Preencha “${label}”`,
      choice: (label) => `Escolha uma opção em “${label}”`,
      rejected: (label) => `O suporte não aceitou “${label}”. Confira e corrija`,
    },
  },
  en: {
    pageTitle: (step) => `${step} — Chamado`,
    optional: '(optional)',
    continue: 'Continue',
    save: 'Save',
    yes: 'Yes',
    no: 'No',
    notAnswered: 'Not answered',
    stepsLabel: 'Ticket steps',
    stepOf: (n, total) => `Step ${n} of ${total}`,
    stepNames: {
      person: 'Your details',
      topic: 'Kind of help',
      guides: 'Before opening',
      checks: 'Checks',
      details: 'What happened',
      evidence: 'Screenshots',
      review: 'Check',
    },
    titles: {
      person: 'Who you are',
      topic: 'Kind of help',
      guides: 'Before opening the ticket',
      checks: "Let's check the usual causes",
      details: 'Tell us what happened',
      evidence: 'Show us',
      review: 'Check before sending',
      send: 'Send',
    },
    errorSummary: 'There is a problem',
    warningLabel: 'Warning:',
    start: {
      newTicket: 'Open a ticket',
      yourDetails: 'Your details',
      resumeTitle: 'Continue the ticket you started',
      resumeText: (topic, summary) =>
        topic === null ? 'You started a ticket and did not send it.' : summary ? `${topic}: “${summary}”` : `${topic} (no summary yet)`,
      resume: 'Continue the ticket',
      startOver: 'Start again',
    },
    person: {
      intro: 'We need to know who is asking for help to answer you. These details are kept on this computer for the next tickets.',
      introChange: 'These details go with every ticket opened on this computer.',
      name: 'Name',
      email: 'E-mail',
      emailHint: 'Your own e-mail: support’s answers arrive there.',
      phone: 'Phone',
      phoneHint: 'With the area code. For example: (11) 4002-8922.',
      company: 'Company',
      keepInformed: 'Someone else to follow the ticket',
      keepInformedHint: 'The e-mail of someone who should also get the answers, such as whoever looks after the system at your company.',
      sharedEmail:
        'This looks like a department’s e-mail. The e-mail identifies one person: the answers and the ticket’s history go to it. If you can, use your own.',
    },
    topic: {
      intro: 'Choose what looks most like your case.',
      topicsLabel: 'Kinds of help',
    },
    guides: {
      intro: 'Many cases are solved with these guides, without waiting for support.',
      more: (n) => (n === 1 ? 'Show 1 more guide' : `Show all ${n} other guides`),
      searchLabel: 'Search the other guides',
      searchHint: 'Type words of the problem, for example: printer, certificate, backup.',
      found: (n) => (n === 0 ? 'No other guide has these words.' : n === 1 ? '1 guide found.' : `${n} guides found.`),
      opensInBrowser: 'opens in your browser',
      read: 'Read here',
      hide: 'Hide',
      opened: 'Read',
      openFailed: (url) => `The browser could not be opened. Address: ${url}`,
      question: 'Did this solve it?',
      resolvedYes: 'Yes, it is solved',
      resolvedNo: 'No, I want to open a ticket',
    },
    resolved: {
      title: 'Glad it is solved!',
      text: 'No ticket was opened. If the problem comes back, just open Chamado again.',
      home: 'Back to the start',
    },
    details: {
      intro: 'The clearer it is, the sooner support can help.',
      module: 'Which part of the system?',
      moduleHint: 'The part of the system you were using.',
      moduleChoose: 'Choose',
      summary: 'One-line summary',
      summaryHint: 'For example: The invoice is not issued.',
      charsLeft: (n) => (n === 1 ? 'You have 1 character remaining' : `You have ${n} characters remaining`),
      charsOver: (n) => (n === 1 ? 'You have 1 character too many' : `You have ${n} characters too many`),
      description: 'Describe what happened',
      descriptionHint: 'In your own words:',
      descriptionItems: {
        doing: 'what you were doing',
        message: 'the message on the screen, exactly as it is written',
        since: 'since when it happens',
      },
      urgency: 'Urgency',
      urgencyHint: 'These answers help support decide what to handle first.',
      affected: 'Who is affected?',
      affectedOptions: { only_me: 'Only me', some_people: 'Some people', whole_company: 'The whole company' },
      workStopped: 'Has work stopped?',
      workaround: 'Can work go on another way meanwhile?',
      frequency: 'How often does it happen?',
      frequencyOptions: { first_time: 'It was the first time', sometimes: 'Sometimes', always: 'Always' },
    },
    evidence: {
      intro: 'A screenshot of the message helps support a lot. This step is optional: you can continue without screenshots.',
      introOptional: 'If it helps to explain, show your screen or attach a file. This step is optional.',
    },
    review: {
      sections: {
        person: 'Your details',
        topic: 'Kind of help',
        details: 'What happened',
        urgency: 'Urgency',
        shots: 'Screenshots',
      },
      change: 'Change',
      guidesOpened: 'Guides read',
      shotCount: (n) => (n === 0 ? 'None' : n === 1 ? '1 screenshot' : `${n} screenshots`),
      diagnostics:
        'A diagnosis of this computer (system, network, programs) goes with the ticket, with personal data replaced by placeholders.',
      send: 'Send ticket',
      preparing: 'Preparing this computer’s diagnosis…',
      prepareFailed: 'The diagnosis could not be prepared.',
      retry: 'Try again',
      overBudget: 'Leave out items until the bundle fits the limit, or tick “Send anyway”',
    },
    send: {
      working: 'Collecting the diagnosis and sending…',
      workingHint: 'This takes a few seconds. There is nothing you need to do.',
      progress: (percent) => `${percent}% sent`,
      sentTitle: 'Ticket sent',
      numberLabel: 'Ticket number',
      followLabel: 'Address to follow it',
      copy: 'Copy address',
      copied: 'Address copied.',
      copyFailed: 'Could not copy. Select the address and copy it.',
      open: 'Open in the browser',
      nextTitle: 'What happens now',
      nextEmail: (email) => `You will get an e-mail at ${email} with the ticket’s number and address.`,
      nextOthers: (email) => `${email} also gets the answers.`,
      nextHours: (hours, phone) => `Support works ${hours}, in the order tickets arrive. Phone: ${phone}.`,
      another: 'Open another ticket',
      receiptTitle: 'Receipt',
      receiptHint: 'Keep a receipt with the number, the date and the address to follow the ticket.',
      saveReceipt: 'Save receipt',
      receiptSaved: (path) => `Receipt saved in ${path}`,
      openReceipt: 'Open receipt',
      home: 'Back to the start',
      keptTitle: 'Ticket kept',
      kept: 'Your ticket is kept and will be sent as soon as the connection is back.',
      keptLater: 'Your ticket is kept in the Outbox. It could not be sent yet; Chamado tries again by itself.',
      toQueue: 'See the Outbox',
      refused: 'Support did not accept the ticket. It stays in the Outbox, where you can see why and send it again.',
      failedTitle: 'The ticket was not sent',
      retry: 'Try again',
      toEvidence: 'Review the screenshots',
    },
    problems: {
      'person.name': 'Enter your name',
      'person.email': { required: 'Enter your e-mail', email: 'Enter the e-mail in the format name@company.com' },
      'person.phone': {
        required: 'Enter your phone with the area code',
        phone: 'The phone needs at least 10 digits, counting the area code',
      },
      'person.keep_informed': 'Enter the other person’s e-mail in the format name@company.com',
      topic: 'Choose the kind of help',
      module: 'Choose which part of the system',
      summary: { required: 'Write a one-line summary', too_long: 'The summary must be 120 characters or fewer' },
      description: 'Describe what happened',
      field: (label) => `Fill in “${label}”`,
      choice: (label) => `Choose an option in “${label}”`,
      rejected: (label) => `Support did not accept “${label}”. Please check and correct it`,
    },
  },
};

