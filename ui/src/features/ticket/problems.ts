// A problem (rules.ts) in the user's words, for the error summary and beside its field.
import type { Topic } from '../../lib/bindings';
import { tr } from '../../lib/i18n';
import type { Lang } from '../../lib/bindings';
import type { Problem } from './rules';
import { STRINGS } from './strings';

/** What the field is called on its page (for "O suporte não aceitou “…”"). */
export function fieldLabel(field: string, topic: Topic | null, lang: Lang): string {
  const t = STRINGS[lang];
  switch (field) {
    case 'person.name':
      return t.person.name;
    case 'person.email':
      return t.person.email;
    case 'person.phone':
      return t.person.phone;
    case 'person.company':
      return t.person.company;
    case 'person.keep_informed':
      return t.person.keepInformed;
    case 'topic':
      return t.titles.topic;
    case 'module':
      return t.details.module;
    case 'summary':
      return t.details.summary;
    case 'description':
      return t.details.description;
  }
  const own = topic?.fields.find((f) => `fields.${f.name}` === field);
  return own ? tr(own.label, lang) : field;
}

export function problemText(p: Problem, topic: Topic | null, lang: Lang): string {
  const t = STRINGS[lang].problems;
  const label = fieldLabel(p.field, topic, lang);
  if (p.kind === 'rejected') return t.rejected(label);
  switch (p.field) {
    case 'person.name':
      return t['person.name'];
    case 'person.email':
      return t['person.email'][p.kind === 'email' ? 'email' : 'required'];
    case 'person.phone':
      return t['person.phone'][p.kind === 'phone' ? 'phone' : 'required'];
    case 'person.keep_informed':
      return t['person.keep_informed'];
    case 'topic':
      return t.topic;
    case 'module':
      return t.module;
    case 'summary':
      return t.summary[p.kind === 'too_long' ? 'too_long' : 'required'];
    case 'description':
      return t.description;
  }
  const own = topic?.fields.find((f) => `fields.${f.name}` === p.field);
  return own?.kind === 'choice' ? t.choice(label) : t.field(label);
}

/** The text of the problem with `field`, if any (shown beside it). */
export function errorOf(problems: Problem[], field: string, topic: Topic | null, lang: Lang): string | null {
  const p = problems.find((x) => x.field === field);
  return p ? problemText(p, topic, lang) : null;
}
