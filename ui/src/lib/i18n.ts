// The strings every feature shares (loading, Back, the language switch, what a command's error
// code means...) and the language helpers. Each feature keeps its own strings beside it, in its
// `strings.ts`: a `Record<Lang, …Strings>`, so a missing language or string is a type error.
// (Texts that come from the vendor profile arrive as `Text` and are shown with `tr`.)
import type { ErrorCode, Lang, ProfileView, Text } from './bindings';

export interface CommonStrings {
  loading: string;
  languageGroup: string;
  back: string;
  opensInBrowser: string;
  topicLabel: string;
  confirmNo: string;
  errors: Record<ErrorCode | 'unknown', string>;
}

export const COMMON: Record<Lang, CommonStrings> = {
  'pt-BR': {
    loading: 'Carregando…',
    languageGroup: 'Idioma',
    back: 'Voltar',
    opensInBrowser: 'abre no navegador',
    topicLabel: 'Tipo',
    confirmNo: 'Cancelar',
    errors: {
      no_profile: 'O perfil do fornecedor não pôde ser usado.',
      no_such_guide: 'Este guia não existe mais.',
      browser_unavailable: 'Não foi possível abrir o navegador.',
      storage: 'Não foi possível ler ou gravar a pasta de dados do Chamado (disco cheio ou sem permissão?).',
      not_queued: 'Este chamado não está mais na fila (já foi enviado ou excluído).',
      damaged_entry: 'Este item da fila está danificado e não pôde ser lido; ele foi posto de lado.',
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
      invalid: 'Uma das informações não foi aceita. Confira e corrija.',
      over_budget: 'O chamado ficou grande demais para enviar. Retire algumas capturas de tela e tente de novo.',
      no_review: 'O pacote de diagnóstico não está mais preparado. Prepare-o de novo.',
      internal: 'Algo deu errado. Tente de novo.',
      unknown: 'Algo deu errado. Tente de novo.',
    },
  },
  en: {
    loading: 'Loading…',
    languageGroup: 'Language',
    back: 'Back',
    opensInBrowser: 'opens in your browser',
    topicLabel: 'Kind',
    confirmNo: 'Cancel',
    errors: {
      no_profile: 'The vendor profile could not be used.',
      no_such_guide: 'This guide no longer exists.',
      browser_unavailable: 'The browser could not be opened.',
      storage: 'Chamado’s data folder could not be read or written (disk full or no permission?).',
      not_queued: 'This ticket is no longer queued (already sent or deleted).',
      damaged_entry: 'This queued item is damaged and could not be read; it was set aside.',
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
      invalid: 'One of the answers was not accepted. Please check and correct it.',
      over_budget: 'The ticket is too large to send. Remove some screenshots and try again.',
      no_review: 'The diagnostics bundle is no longer prepared. Prepare it again.',
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
