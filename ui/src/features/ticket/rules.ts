// What each step asks for, as plain functions over the draft: which steps a topic has, what is
// missing or wrong when the user continues, and where a field Rust refused lives. Problems are
// keyed by Rust's field names (`person.email`, `summary`, `fields.versao`), so one refused by
// `submit_ticket` and one found here are shown the same way.
import type { Module, Person, TicketDraft, Topic, WizardStep } from '../../lib/bindings';
import { isEmail, isPhone } from './contact';
import { hasChecks } from './checks';

/** At most this many characters in the one-line summary. */
export const SUMMARY_MAX = 120;

/** `rejected`: Rust refused the field (`invalid`) where these rules saw nothing wrong. */
export type ProblemKind = 'required' | 'email' | 'phone' | 'too_long' | 'rejected';
export type Problem = { field: string; kind: ProblemKind };

/**
 * The steps of a ticket on this topic: no guides to read, no such step. "Mostre para nós" is
 * always there (files and screenshots help every ticket); the topic says whether it suggests them.
 */
export type PageStep = Exclude<WizardStep, 'send'>;

export function stepsFor(topic: Topic | null): PageStep[] {
  const steps: PageStep[] = ['person', 'topic'];
  if (!topic || topic.guides.length > 0) steps.push('guides');
  if (topic && hasChecks(topic)) steps.push('checks');
  steps.push('details');
  steps.push('evidence');
  steps.push('review');
  return steps;
}

/** The step after `step` on this topic ("Continuar"); the review leads to sending. */
export function nextStep(step: WizardStep, topic: Topic | null): WizardStep {
  const steps: WizardStep[] = stepsFor(topic);
  const at = steps.indexOf(step);
  if (at < 0) return step === 'send' ? 'send' : 'review';
  return steps[at + 1] ?? 'send';
}

/** Where a draft is taken up again: sending is never started by itself. */
export function resumeStep(draft: TicketDraft): WizardStep {
  return draft.step === 'send' ? 'review' : draft.step;
}

/** The step holding a field Rust names (`person.phone`, `fields.versao`); null for one it does not. */
export function stepOfField(field: string): WizardStep | null {
  if (field.startsWith('person.')) return 'person';
  if (field === 'topic') return 'topic';
  if (field === 'summary' || field === 'description' || field === 'module' || field.startsWith('fields.')) {
    return 'details';
  }
  return null;
}

/** The id of a field's input (for a group of radios, of its first one): error links focus it. */
export function inputId(field: string): string {
  return field.replace(/[^a-z0-9_-]+/gi, '-');
}

export function emptyPerson(): Person {
  return { name: '', email: '', phone: '', company: '', keep_informed: null };
}

export function emptyDraft(): TicketDraft {
  return {
    step: 'person',
    topic: null,
    guides_opened: [],
    module: null,
    summary: '',
    description: '',
    fields: {},
    urgency: { affected: null, work_stopped: null, workaround: null, frequency: null },
    attachments: [],
    remote_access: null,
  };
}

/** "Quem é você": name, e-mail and phone needed; the other person's e-mail, when given, well formed. */
export function checkPerson(p: Person): Problem[] {
  const problems: Problem[] = [];
  if (!p.name.trim()) problems.push({ field: 'person.name', kind: 'required' });
  if (!p.email.trim()) problems.push({ field: 'person.email', kind: 'required' });
  else if (!isEmail(p.email)) problems.push({ field: 'person.email', kind: 'email' });
  if (!p.phone.trim()) problems.push({ field: 'person.phone', kind: 'required' });
  else if (!isPhone(p.phone)) problems.push({ field: 'person.phone', kind: 'phone' });
  const other = p.keep_informed?.trim() ?? '';
  if (other && !isEmail(other)) problems.push({ field: 'person.keep_informed', kind: 'email' });
  return problems;
}

/**
 * "Conte o que aconteceu", in the page's order: the topic's required fields (a choice must be
 * one of its options), the module when the profile has modules, the summary (at most
 * `SUMMARY_MAX` characters) and the description. The urgency questions are optional.
 */
export function checkDetails(draft: TicketDraft, topic: Topic, modules: Module[]): Problem[] {
  const problems: Problem[] = [];
  for (const field of topic.fields) {
    const value = draft.fields[field.name]?.trim() ?? '';
    const chosen = field.kind !== 'choice' || field.options.some((o) => o.value === value);
    if (field.required && (!value || !chosen)) problems.push({ field: `fields.${field.name}`, kind: 'required' });
  }
  if (modules.length > 0 && !modules.some((m) => m.id === draft.module)) {
    problems.push({ field: 'module', kind: 'required' });
  }
  if (!draft.summary.trim()) problems.push({ field: 'summary', kind: 'required' });
  else if (draft.summary.trim().length > SUMMARY_MAX) problems.push({ field: 'summary', kind: 'too_long' });
  if (!draft.description.trim()) problems.push({ field: 'description', kind: 'required' });
  return problems;
}

/** The topic's fields' values only (another topic's answers would be refused), empty ones left out. */
export function fieldsOf(draft: TicketDraft, topic: Topic): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const field of topic.fields) {
    const value = draft.fields[field.name];
    if (value !== undefined && value.trim() !== '') kept[field.name] = value;
  }
  return kept;
}

/** The problems found here, and the field Rust refused when none of them is about it. */
export function withRefused(problems: Problem[], refused: string | null, onStep: WizardStep): Problem[] {
  if (refused === null || stepOfField(refused) !== onStep || problems.some((p) => p.field === refused)) return problems;
  return [...problems, { field: refused, kind: 'rejected' }];
}
