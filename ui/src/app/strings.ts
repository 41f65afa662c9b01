// What App and its error screens say (a broken profile, a failed start).
// Typed as a record over every `Lang`: a missing language or a missing string is a type error.
import type { Lang } from '../lib/bindings';

export interface AppStrings {
  startupFailed: string;
  errorTitle: string;
  errorFile: string;
  errorAdvice: string;
  problemCount: (n: number) => string;
  lineColumn: (line: number, column: number | null) => string;
}

export const STRINGS: Record<Lang, AppStrings> = {
  'pt-BR': {
    startupFailed: 'O Chamado não conseguiu iniciar.',
    errorTitle: 'O perfil do fornecedor tem problemas',
    errorFile: 'Arquivo:',
    errorAdvice:
      'O Chamado não pode abrir chamados com este perfil. Avise quem instalou o Chamado ou o suporte do fornecedor.',
    problemCount: (n) => (n === 1 ? '1 problema encontrado' : `${n} problemas encontrados`),
    lineColumn: (line, column) => (column === null ? `linha ${line}` : `linha ${line}, coluna ${column}`),
  },
  en: {
    startupFailed: 'Chamado could not start.',
    errorTitle: 'The vendor profile has problems',
    errorFile: 'File:',
    errorAdvice:
      'Chamado cannot open tickets with this profile. Please tell whoever installed Chamado or the vendor’s support.',
    problemCount: (n) => (n === 1 ? '1 problem found' : `${n} problems found`),
    lineColumn: (line, column) => (column === null ? `line ${line}` : `line ${line}, column ${column}`),
  },
};
