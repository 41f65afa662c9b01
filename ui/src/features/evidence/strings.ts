// What "Mostre para nós" says about files and the remote-access ID (Attachments.svelte,
// RemoteAccess.svelte). Typed as a record over every `Lang`: a missing string is a type error.
import type { AttachmentProblem, Lang } from '../../lib/bindings';

/** A refusal's words: the file's name, and for sizes the sizes already written in the user's units. */
export type RefusalText = (name: string, size: string, limit: string) => string;

export interface EvidenceStrings {
  heading: string;
  intro: (limit: string, total: string) => string;
  choose: string;
  choosing: string;
  dropHere: string;
  dropHint: string;
  listLabel: string;
  remove: string;
  removeLabel: (name: string) => string;
  added: (n: number) => string;
  problemTitle: string;
  refusals: Record<AttachmentProblem, RefusalText>;
  failed: string;
  remoteHeading: string;
  /** The checkbox: the program and its ID as the program shows it. */
  remoteSend: (program: string, id: string) => string;
  /** Under it: the software vendor (the profile's) never asks for it unprompted. */
  remoteNote: (vendor: string) => string;
}

export const STRINGS: Record<Lang, EvidenceStrings> = {
  'pt-BR': {
    heading: 'Arquivos',
    intro: (limit, total) =>
      `Anexe arquivos que ajudem o suporte (opcional): uma nota, um XML, um relatório. Até ${limit} por arquivo e ${total} no total.`,
    choose: 'Anexar arquivos',
    choosing: 'Escolhendo os arquivos…',
    dropHere: 'Solte os arquivos para anexá-los',
    dropHint: 'Você também pode arrastar os arquivos para esta janela.',
    listLabel: 'Arquivos anexados',
    remove: 'Remover',
    removeLabel: (name) => `Remover ${name}`,
    added: (n) => (n === 1 ? '1 arquivo anexado.' : `${n} arquivos anexados.`),
    problemTitle: 'Há um problema',
    refusals: {
      unreadable: (name) =>
        `Não foi possível ler “${name}”: ele foi movido, apagado ou está aberto em outro programa.`,
      not_a_file: (name) => `“${name}” é uma pasta. Anexe os arquivos que estão dentro dela.`,
      too_large: (name, size, limit) => `O arquivo “${name}” tem ${size}, acima do limite de ${limit} por arquivo.`,
      total_too_large: (name, size, limit) =>
        `Com “${name}”, os anexos somariam ${size}, acima do limite de ${limit} no total. Remova algum arquivo ou anexe um menor.`,
      duplicate: (name) => `“${name}” já está anexado.`,
    },
    failed: 'Não foi possível anexar os arquivos agora. Tente de novo.',
    remoteHeading: 'Acesso remoto',
    remoteSend: (program, id) => `Enviar o ID do ${program} (${id}) para o técnico poder acessar este computador`,
    remoteNote: (vendor) => `A ${vendor} nunca pede esse número sem você ter aberto um chamado.`,
  },
  en: {
    heading: 'Files',
    intro: (limit, total) =>
      `Attach files that help support (optional): an invoice, an XML file, a report. Up to ${limit} per file and ${total} in total.`,
    choose: 'Attach files',
    choosing: 'Choosing the files…',
    dropHere: 'Drop the files to attach them',
    dropHint: 'You can also drag the files onto this window.',
    listLabel: 'Attached files',
    remove: 'Remove',
    removeLabel: (name) => `Remove ${name}`,
    added: (n) => (n === 1 ? '1 file attached.' : `${n} files attached.`),
    problemTitle: 'There is a problem',
    refusals: {
      unreadable: (name) => `Could not read “${name}”: it was moved, deleted or is open in another program.`,
      not_a_file: (name) => `“${name}” is a folder. Attach the files inside it.`,
      too_large: (name, size, limit) => `The file “${name}” is ${size}, over the limit of ${limit} per file.`,
      total_too_large: (name, size, limit) =>
        `With “${name}”, the attachments would add up to ${size}, over the limit of ${limit} in total. Remove a file or attach a smaller one.`,
      duplicate: (name) => `“${name}” is already attached.`,
    },
    failed: 'The files could not be attached now. Try again.',
    remoteHeading: 'Remote access',
    remoteSend: (program, id) => `Send the ${program} ID (${id}) so the technician can reach this computer`,
    remoteNote: (vendor) => `${vendor} never asks for this number unless you opened a ticket.`,
  },
};
