// The rules for the person opening a ticket, as plain functions (no Svelte, no strings): the
// components turn their answers into words. The vendor's support page says the e-mail
// identifies ONE person: department addresses cannot be registered, since replies and the
// ticket history would reach whoever reads that box.

/** Local parts that name a department or a shared box, not a person (written without accents). */
export const SHARED_LOCAL_PARTS: readonly string[] = [
  'suporte', 'financeiro', 'contato', 'fiscal', 'comercial', 'vendas', 'atendimento', 'administrativo',
  'adm', 'rh', 'compras', 'contabilidade', 'faturamento', 'cobranca', 'ti', 'info', 'geral', 'sac',
  'recepcao', 'diretoria', 'secretaria', 'escritorio', 'empresa', 'nfe', 'nota', 'notas',
];

/** Lower case, accents gone (`Cobrança` → `cobranca`). */
function plain(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Something shaped like an e-mail: one `@`, no spaces, a dot in the domain. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value.trim());
}

/**
 * Whether the e-mail is a department's or a shared box (`suporte@`, `financeiro2@`,
 * `nfe.fiscal@`, `Recepção@`): every word of its local part (split on `.`, `-`, `_` and digits,
 * a `+tag` left out) is a shared name. `joao.financeiro@` is a person's.
 */
export function isSharedEmail(value: string): boolean {
  const at = value.trim().lastIndexOf('@');
  if (at <= 0) return false;
  const local = plain(value.trim().slice(0, at)).split('+')[0] ?? '';
  const words = local.split(/[.\-_0-9]+/).filter(Boolean);
  return words.length > 0 && words.every((w) => SHARED_LOCAL_PARTS.includes(w));
}

/** The digits of a phone number as typed (`(11) 4002-8922` → `1140028922`). */
export function phoneDigits(value: string): string {
  return value.replace(/\D/g, '');
}

/** With the area code: at least 10 digits once everything else is removed. */
export const PHONE_MIN_DIGITS = 10;

export function isPhone(value: string): boolean {
  return phoneDigits(value).length >= PHONE_MIN_DIGITS;
}
