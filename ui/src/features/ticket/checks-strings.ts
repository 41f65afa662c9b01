// What "Vamos verificar as causas mais comuns" says: each result's state, the requirements with
// what this computer has, what changed. The findings' own texts come from Rust's rules.
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang, Requirement } from '../../lib/bindings';
import type { Mark } from './checks';

export interface ChecksStrings {
  intro: string;
  listLabel: string;
  marks: Record<Mark, string>;
  timedOut: string;
  whatToDo: string;
  allDone: string;
  announce: (label: string, mark: string) => string;
  requirementsTitle: string;
  requirement: (r: Requirement, checkLabel: (id: string) => string) => string;
  measured: (value: string) => string;
  /** For a server requirement: the address tried. */
  tried: (address: string) => string;
  changesTitle: string;
  changesNone: string;
  changesFirst: string;
  changesSince: (date: string, good: boolean) => string;
  again: string;
  works: string;
  worksHint: string;
  failed: string;
}

function list(values: string[], or: string): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} ${or} ${values[values.length - 1]}`;
}

/** A date Rust wrote (RFC 3339) in the user's locale; as it came when it is not one. */
export function shortDate(rfc3339: string, lang: Lang): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : d.toLocaleDateString(lang, { day: 'numeric', month: 'long', year: 'numeric' });
}

export const CHECKS_STRINGS: Record<Lang, ChecksStrings> = {
  'pt-BR': {
    intro: 'O Chamado está verificando as causas mais comuns neste computador. Cada resultado aparece assim que fica pronto.',
    listLabel: 'Verificações',
    marks: {
      running: 'Verificando…',
      ok: 'Tudo certo',
      problem: 'Problema encontrado',
      unknown: 'Não foi possível verificar',
    },
    timedOut: 'Não respondeu dentro do tempo limite.',
    whatToDo: 'O que fazer:',
    allDone: 'Verificação concluída.',
    announce: (label, mark) => `${label}: ${mark}`,
    requirementsTitle: 'Este computador atende aos requisitos do sistema?',
    requirement: (r, checkLabel) => {
      switch (r.kind) {
        case 'windows':
          return r.min_build >= 22000 ? 'Windows 11 ou mais novo' : r.min_build <= 10240 ? 'Windows 10 ou mais novo' : `Windows 10 compilação ${r.min_build} ou mais novo`;
        case 'edition':
          return `Edição do Windows: ${list(r.accepted, 'ou')}`;
        case 'architecture':
          return `Processador ${list(r.accepted, 'ou')}`;
        case 'memory':
          return `Memória de pelo menos ${r.min_mib.toLocaleString('pt-BR')} MiB`;
        case 'free_disk':
          return `Pelo menos ${r.min_mib.toLocaleString('pt-BR')} MiB livres no disco do sistema`;
        case 'port':
          return `${checkLabel(r.check)} respondendo`;
      }
    },
    measured: (value) => `Neste computador: ${value}`,
    tried: (address) => `Endereço testado: ${address}`,
    changesTitle: 'O que mudou desde que funcionou',
    changesNone: 'Nada mudou que o Chamado consiga ver.',
    changesFirst: 'Esta é a primeira verificação neste computador: ainda não há com o que comparar.',
    changesSince: (date, good) => (good ? `Desde ${date}, quando estava funcionando:` : `Desde a primeira verificação, em ${date}:`),
    again: 'Verificar de novo',
    works: 'Agora está funcionando',
    worksHint: 'Corrigiu algo e o sistema voltou a funcionar? Não é preciso abrir o chamado.',
    failed: 'Não foi possível fazer as verificações. Você pode continuar: o diagnóstico vai junto com o chamado.',
  },
  en: {
    intro: 'Chamado is checking the usual causes on this computer. Each result shows as soon as it is ready.',
    listLabel: 'Checks',
    marks: {
      running: 'Checking…',
      ok: 'All good',
      problem: 'Problem found',
      unknown: 'Could not check',
    },
    timedOut: 'It did not answer within its time limit.',
    whatToDo: 'What to do:',
    allDone: 'Checking finished.',
    announce: (label, mark) => `${label}: ${mark}`,
    requirementsTitle: 'Does this computer meet the system requirements?',
    requirement: (r, checkLabel) => {
      switch (r.kind) {
        case 'windows':
          return r.min_build >= 22000 ? 'Windows 11 or newer' : r.min_build <= 10240 ? 'Windows 10 or newer' : `Windows 10 build ${r.min_build} or newer`;
        case 'edition':
          return `Windows edition: ${list(r.accepted, 'or')}`;
        case 'architecture':
          return `${list(r.accepted, 'or')} processor`;
        case 'memory':
          return `At least ${r.min_mib.toLocaleString('en')} MiB of memory`;
        case 'free_disk':
          return `At least ${r.min_mib.toLocaleString('en')} MiB free on the system drive`;
        case 'port':
          return `${checkLabel(r.check)} answering`;
      }
    },
    measured: (value) => `This computer: ${value}`,
    tried: (address) => `Address tried: ${address}`,
    changesTitle: 'What changed since it last worked',
    changesNone: 'Nothing changed that Chamado can see.',
    changesFirst: 'This is the first check on this computer: there is nothing to compare with yet.',
    changesSince: (date, good) => (good ? `Since ${date}, when it was working:` : `Since the first check, on ${date}:`),
    again: 'Check again',
    works: 'It works now',
    worksHint: 'Fixed something and the system works again? No need to open the ticket.',
    failed: 'The checks could not be run. You can continue: the diagnostics go with the ticket.',
  },
};
