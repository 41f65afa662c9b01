// Every string the UI itself shows, in every language it speaks.
// `UiStrings` lists each string once; `STRINGS` is typed as a record over
// every `Lang`, so a missing language or a missing string is a type error.
// (Texts that come from the vendor profile arrive as `Text` and are shown
// with `tr`.)
import type { BuiltinCheck, Lang, Text } from './bindings';

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
  builtinChecks: Record<Exclude<BuiltinCheck, 'program'>, string>;
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
    builtinChecks: {
      network: 'Rede e cabos',
      proxy: 'Proxy',
      antivirus: 'Antivírus',
      firewall: 'Firewall',
      'recent-software': 'Programas instalados recentemente',
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
    builtinChecks: {
      network: 'Network and cables',
      proxy: 'Proxy',
      antivirus: 'Antivirus',
      firewall: 'Firewall',
      'recent-software': 'Recently installed programs',
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
