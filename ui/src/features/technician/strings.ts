// What technician mode says.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang } from '../../lib/bindings';

export interface TechnicianStrings {
  title: string;
  intro: string;
  collecting: string;
  progress: (done: number, total: number) => string;
  failed: string;
  retry: string;
  errorSummary: string;
  what: string;
  save: { option: string; hint: string; path: string; pathHint: string; button: string; done: (path: string) => string; empty: string; folder: string };
  attach: {
    option: string;
    hint: string;
    number: string;
    numberHint: string;
    email: string;
    emailHint: string;
    note: string;
    button: string;
    queued: (number: string) => string;
    delivered: (number: string) => string;
    refused: (number: string) => string;
    noNumber: string;
    badEmail: string;
  };
  overBudget: string;
  again: string;
}

export const STRINGS: Record<Lang, TechnicianStrings> = {
  'pt-BR': {
    title: 'Modo técnico',
    intro: 'Coleta o diagnóstico deste computador sem perguntas ao cliente. Confira o pacote e salve-o em um arquivo ou anexe-o a um chamado aberto por telefone.',
    collecting: 'Coletando o diagnóstico…',
    progress: (done, total) => `${done} de ${total} partes coletadas`,
    failed: 'Não foi possível coletar o diagnóstico.',
    retry: 'Tentar de novo',
    errorSummary: 'Há um problema',
    what: 'O que fazer com o pacote?',
    save: {
      option: 'Salvar em arquivo',
      hint: 'Um arquivo .zip para enviar depois ou guardar.',
      path: 'Onde salvar',
      pathHint: 'O caminho completo do arquivo. Se for uma pasta, o nome é criado.',
      button: 'Salvar em arquivo',
      done: (path) => `Pacote salvo em ${path}`,
      empty: 'Informe onde salvar o arquivo',
      folder: 'A pasta informada não existe: confira o caminho',
    },
    attach: {
      option: 'Anexar a um chamado aberto por telefone',
      hint: 'O pacote vai para o chamado que o suporte abriu.',
      number: 'Número do chamado',
      numberHint: 'Como o suporte informou, por exemplo 000123.',
      email: 'E-mail do chamado',
      emailHint: 'O e-mail do cliente que está no chamado: o suporte confere.',
      note: 'Observação para o analista (opcional)',
      button: 'Anexar ao chamado',
      queued: (n) => `Pacote guardado na fila para o chamado nº ${n}: vai para o suporte assim que houver conexão.`,
      delivered: (n) => `Pacote anexado ao chamado nº ${n}.`,
      refused: (n) => `O suporte recusou o pacote para o chamado nº ${n}: confira o número e o e-mail na Fila de envio.`,
      noNumber: 'Informe o número do chamado',
      badEmail: 'Informe o e-mail no formato nome@empresa.com.br',
    },
    overBudget: 'Retire itens até o pacote caber no limite, ou marque “Enviar mesmo assim”',
    again: 'Coletar de novo',
  },
  en: {
    title: 'Technician mode',
    intro: 'Collects this computer’s diagnosis with no questions for the customer. Check the bundle, then save it to a file or attach it to a ticket opened by phone.',
    collecting: 'Collecting the diagnosis…',
    progress: (done, total) => `${done} of ${total} parts collected`,
    failed: 'The diagnosis could not be collected.',
    retry: 'Try again',
    errorSummary: 'There is a problem',
    what: 'What to do with the bundle?',
    save: {
      option: 'Save to a file',
      hint: 'A .zip file to send later or keep.',
      path: 'Where to save',
      pathHint: 'The file’s full path. For a folder, the name is made up.',
      button: 'Save to a file',
      done: (path) => `Bundle saved to ${path}`,
      empty: 'Enter where to save the file',
      folder: 'That folder does not exist: check the path',
    },
    attach: {
      option: 'Attach to a ticket opened by phone',
      hint: 'The bundle goes to the ticket support opened.',
      number: 'Ticket number',
      numberHint: 'As support gave it, for example 000123.',
      email: 'The ticket’s e-mail',
      emailHint: 'The customer’s e-mail on the ticket: support checks it.',
      note: 'Note for the analyst (optional)',
      button: 'Attach to the ticket',
      queued: (n) => `Bundle queued for ticket no. ${n}: it goes to support as soon as there is a connection.`,
      delivered: (n) => `Bundle attached to ticket no. ${n}.`,
      refused: (n) => `Support refused the bundle for ticket no. ${n}: check the number and e-mail in the Outbox.`,
      noNumber: 'Enter the ticket number',
      badEmail: 'Enter the e-mail as name@company.com',
    },
    overBudget: 'Leave out items until the bundle fits the limit, or tick “Send anyway”',
    again: 'Collect again',
  },
};
