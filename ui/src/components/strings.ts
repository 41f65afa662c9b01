// What the shared components say (BundleReview: every item that goes with a ticket).
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { ItemKind, Lang } from '../lib/bindings';

export interface ComponentStrings {
  bundle: {
    title: string;
    intro: string;
    total: (total: string, budget: string) => string;
    meterLabel: string;
    overBudget: (budget: string) => string;
    overBudgetHint: string;
    leaveOut: (label: string, size: string) => string;
    leaveOutAll: string;
    sendAnyway: string;
    sendAnywayHint: string;
    redactedTitle: string;
    /** "3 nomes de usuário, 1 e-mail substituídos" from the parts already counted. */
    redacted: (parts: string[]) => string;
    redactedNone: string;
    /** Each kind of personal data redaction replaces, singular and plural. */
    kinds: Record<string, [string, string]>;
    groups: { files: string; diagnosis: string; fields: string };
    /** Said before each switch's label to screen readers. */
    include: string;
    required: string;
    attachmentAsIs: string;
    preview: string;
    previewNone: string;
    truncated: string;
    left: string;
    /** A size under 1 KB. */
    bytes: (n: string) => string;
    kindNames: Record<ItemKind, string>;
  };
}

export const STRINGS: Record<Lang, ComponentStrings> = {
  'pt-BR': {
    bundle: {
      title: 'O que vai junto',
      intro: 'Estes são os itens que o suporte vai receber. Abra cada um para ver o conteúdo; desligue os que não quiser enviar.',
      total: (total, budget) => `${total} de ${budget}`,
      meterLabel: 'Tamanho do pacote',
      overBudget: (budget) => `O pacote passou do limite de ${budget}`,
      overBudgetHint: 'Acima do limite, o suporte pode não receber o pacote. Retire um destes itens:',
      leaveOut: (label, size) => `Retirar ${label} (${size})`,
      leaveOutAll: 'Retirar todos os sugeridos',
      sendAnyway: 'Enviar mesmo assim, acima do limite',
      sendAnywayHint: 'Use só se o suporte pediu tudo: anexos acima do limite podem se perder.',
      redactedTitle: 'Dados pessoais protegidos',
      redacted: (parts) => `${parts.join(', ')} substituídos por marcadores antes do envio.`,
      redactedNone: 'Nenhum dado pessoal foi encontrado para substituir.',
      kinds: {
        user_name: ['nome de usuário', 'nomes de usuário'],
        machine_name: ['nome de computador', 'nomes de computador'],
        domain_name: ['nome de domínio', 'nomes de domínio'],
        email: ['e-mail', 'e-mails'],
        cpf: ['CPF', 'CPFs'],
        cnpj: ['CNPJ', 'CNPJs'],
        mac: ['endereço MAC', 'endereços MAC'],
        serial: ['número de série', 'números de série'],
        wifi_name: ['nome de rede Wi-Fi', 'nomes de rede Wi-Fi'],
        public_ip: ['IP público', 'IPs públicos'],
        sid: ['identificador do Windows', 'identificadores do Windows'],
      },
      groups: { files: 'Arquivos', diagnosis: 'Partes do diagnóstico', fields: 'Respostas do chamado' },
      include: 'Enviar:',
      required: 'Obrigatório: sem ele o suporte não consegue analisar o chamado.',
      attachmentAsIs: 'Enviado como está, sem alterações.',
      preview: 'Ver conteúdo',
      previewNone: 'Sem prévia para este tipo de arquivo.',
      truncated: '… (continua no arquivo)',
      left: 'Não será enviado',
      bytes: (n) => `${n} bytes`,
      kindNames: {
        report: 'Relatório',
        diagnostics: 'Dados',
        screenshot: 'Captura de tela',
        log: 'Registro (log)',
        attachment: 'Anexo',
        field: 'Resposta',
        finding: 'Achado',
        probe: 'Verificação',
      },
    },
  },
  en: {
    bundle: {
      title: 'What goes with it',
      intro: 'These are the items support will receive. Open each one to see its content; switch off those you do not want to send.',
      total: (total, budget) => `${total} of ${budget}`,
      meterLabel: 'Bundle size',
      overBudget: (budget) => `The bundle is over the ${budget} limit`,
      overBudgetHint: 'Over the limit, support may not receive the bundle. Leave out one of these:',
      leaveOut: (label, size) => `Leave out ${label} (${size})`,
      leaveOutAll: 'Leave out all suggested',
      sendAnyway: 'Send anyway, over the limit',
      sendAnywayHint: 'Only if support asked for everything: attachments over the limit may be lost.',
      redactedTitle: 'Personal data protected',
      redacted: (parts) => `${parts.join(', ')} replaced by markers before sending.`,
      redactedNone: 'No personal data was found to replace.',
      kinds: {
        user_name: ['user name', 'user names'],
        machine_name: ['computer name', 'computer names'],
        domain_name: ['domain name', 'domain names'],
        email: ['e-mail', 'e-mails'],
        cpf: ['CPF', 'CPFs'],
        cnpj: ['CNPJ', 'CNPJs'],
        mac: ['MAC address', 'MAC addresses'],
        serial: ['serial number', 'serial numbers'],
        wifi_name: ['Wi-Fi network name', 'Wi-Fi network names'],
        public_ip: ['public IP', 'public IPs'],
        sid: ['Windows identifier', 'Windows identifiers'],
      },
      groups: { files: 'Files', diagnosis: 'Parts of the diagnosis', fields: 'Ticket answers' },
      include: 'Send:',
      required: 'Required: support cannot analyse the ticket without it.',
      attachmentAsIs: 'Sent as it is, unchanged.',
      preview: 'Show content',
      previewNone: 'No preview for this kind of file.',
      truncated: '… (continues in the file)',
      left: 'Will not be sent',
      bytes: (n) => `${n} bytes`,
      kindNames: {
        report: 'Report',
        diagnostics: 'Data',
        screenshot: 'Screenshot',
        log: 'Log',
        attachment: 'Attachment',
        field: 'Answer',
        finding: 'Finding',
        probe: 'Check',
      },
    },
  },
};
