// The ticket being written, shared by the wizard's steps and Home. Rust owns the draft: it is
// handed to `save_ticket_draft` as it is typed (after a pause) and at each step, so a crash, a
// closed window or Back loses nothing; the person is kept by `save_person` once it is valid.
// The values live here, not in the steps, so going back and forth keeps everything typed.
import type { AppError, Delivery, DeliveryEvent, Person, TicketDraft, Topic, WizardStep } from '../../lib/bindings';
import {
  appError,
  discardTicketDraft,
  person as readPerson,
  savePerson,
  saveTicketDraft,
  submitTicket,
  ticketDraft,
} from '../../lib/ipc';
import { subscribe } from '../../app/delivery-events';
import { emptyDraft, emptyPerson, fieldsOf, resumeStep, stepOfField } from './rules';

/** The draft is saved once typing pauses this long. */
export const SAVE_AFTER_MS = 300;

export type Submission =
  | { kind: 'idle' }
  /** `submit_ticket` runs: Rust collects the diagnosis and composes the bundle. */
  | { kind: 'submitting' }
  /** In the Fila as `id`; `delivery`: the sender's last word on it. */
  | { kind: 'queued'; id: string; delivery: Delivery | null; person: Person | null }
  | { kind: 'failed'; error: AppError };

/** What became of "Enviar chamado". */
export type Outcome = { kind: 'queued' } | { kind: 'refused'; step: WizardStep } | { kind: 'failed' };

let loading: Promise<void> | null = null;
/** The person as Rust keeps it (null: never given). */
let known = $state<Person | null>(null);
/** The person as typed on "Quem é você". */
let form = $state<Person>(emptyPerson());
let draft = $state<TicketDraft>(emptyDraft());
/** The draft found when the app started, until it is taken up or discarded (Home offers it). */
let offered = $state<TicketDraft | null>(null);
/** The field `submit_ticket` or `save_person` refused (Rust's name for it). */
let refused = $state<string | null>(null);
let submission = $state<Submission>({ kind: 'idle' });
let pending: ReturnType<typeof setTimeout> | null = null;
/** The save Rust is working on: submitting or discarding waits for it, so it cannot come after. */
let inflight: Promise<void> = Promise.resolve();
let unsubscribe: (() => void) | null = null;
/** Events for entries not known yet: the sender may speak before `submit_ticket` answers. */
const early = new Map<string, Delivery>();
/** Bumped by `reset`: answers to an older session are dropped. */
let session = 0;

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A draft worth keeping: one with a topic (an empty wizard is no draft). */
function worthKeeping(d: TicketDraft): boolean {
  return d.topic !== null;
}

function cancelPending() {
  if (pending !== null) clearTimeout(pending);
  pending = null;
}

function saveNow(): Promise<void> {
  cancelPending();
  if (!worthKeeping(draft)) return inflight;
  const snapshot = copy(draft);
  inflight = inflight.then(() =>
    saveTicketDraft(snapshot).catch((e: unknown) => {
      // What was typed stays on screen; the next save tries again.
      console.error('save_ticket_draft failed', e);
    }),
  );
  return inflight;
}

function onEvent(e: DeliveryEvent) {
  if (submission.kind === 'queued' && submission.id === e.id) {
    submission.delivery = e.delivery;
    if (e.delivery.state === 'delivered') stopListening();
  } else {
    early.set(e.id, e.delivery);
  }
}

function typed() {
  cancelPending();
  pending = setTimeout(() => void saveNow(), SAVE_AFTER_MS);
}

function stopListening() {
  unsubscribe?.();
  unsubscribe = null;
  early.clear();
}

export const wizard = {
  /** The person being typed (bind to its fields). */
  get person(): Person {
    return form;
  },
  /** The person Rust keeps; null until one is saved. */
  get known(): Person | null {
    return known;
  },
  /** The ticket being written (bind to its fields, then call `typed`). */
  get draft(): TicketDraft {
    return draft;
  },
  get offered(): TicketDraft | null {
    return offered;
  },
  get refused(): string | null {
    return refused;
  },
  get submission(): Submission {
    return submission;
  },

  /** Reads the person and any draft from Rust, once per session (Home asks as it shows). */
  load(): Promise<void> {
    if (loading) return loading;
    const mine = session;
    loading = Promise.all([
      readPerson().catch((e: unknown) => {
        console.error('person failed', e);
        return null;
      }),
      ticketDraft().catch((e: unknown) => {
        console.error('ticket_draft failed', e);
        return null;
      }),
    ]).then(([p, d]) => {
      if (mine !== session) return;
      known = p;
      if (p) form = copy(p);
      if (d) {
        offered = d;
        draft = copy(d);
      }
    });
    return loading;
  },

  /** Forgets everything in memory (App does this as it starts; Rust keeps what was saved). */
  reset(): void {
    session++;
    cancelPending();
    stopListening();
    loading = null;
    inflight = Promise.resolve();
    known = null;
    form = emptyPerson();
    draft = emptyDraft();
    offered = null;
    refused = null;
    submission = { kind: 'idle' };
  },

  /** Something was typed or chosen: saved once typing pauses. */
  typed,

  /** A step is on show: the draft remembers it and is saved now (not while sending). */
  arrive(step: WizardStep): Promise<void> {
    if (step === 'send') {
      cancelPending();
      return Promise.resolve();
    }
    draft.step = step;
    return saveNow();
  },

  /** "Abrir um chamado": its first step; a draft found at start is kept, answers and all. */
  begin(): WizardStep {
    offered = null;
    if (submission.kind !== 'submitting') submission = { kind: 'idle' };
    return known ? 'topic' : 'person';
  },

  /** "Continuar o chamado que você começou": the step it was left at. */
  resume(): WizardStep {
    offered = null;
    submission = { kind: 'idle' };
    return known ? resumeStep(draft) : 'person';
  },

  /** "Começar de novo", or "Sim, resolveu": the draft goes, here and in Rust. */
  async discard(): Promise<void> {
    cancelPending();
    offered = null;
    refused = null;
    draft = emptyDraft();
    await inflight;
    try {
      await discardTicketDraft();
    } catch (e) {
      console.error('discard_ticket_draft failed', e);
    }
  },

  /** The ticket is on `topic`: the answers to another topic's own questions go. */
  chooseTopic(topic: Topic): void {
    if (refused === 'topic') refused = null;
    if (draft.topic === topic.id) return;
    draft.topic = topic.id;
    draft.guides_opened = [];
    draft.fields = fieldsOf(draft, topic);
  },

  guideOpened(index: number): void {
    if (!draft.guides_opened.includes(index)) draft.guides_opened.push(index);
    typed();
  },

  /** Hands the person typed to Rust (the other person's e-mail null when empty); rejects with an `AppError`. */
  async savePerson(): Promise<void> {
    const other = form.keep_informed?.trim() ?? '';
    const p: Person = {
      name: form.name.trim(),
      email: form.email.trim(),
      phone: form.phone.trim(),
      company: form.company.trim(),
      keep_informed: other === '' ? null : other,
    };
    try {
      await savePerson(p);
    } catch (e) {
      const error = appError(e);
      if (error.code === 'invalid' && error.field !== null) refused = error.field;
      throw error;
    }
    known = p;
    if (refused?.startsWith('person.')) refused = null;
  },

  /** The refused field was corrected where the user could see it. */
  clearRefused(): void {
    refused = null;
  },

  /**
   * "Enviar chamado": Rust validates, collects the diagnosis, queues the ticket and drops the
   * draft. A field it refuses is remembered (`refused`) and its step answered.
   */
  async submit(topic: Topic): Promise<Outcome> {
    if (submission.kind === 'submitting') return { kind: 'failed' };
    cancelPending();
    stopListening();
    unsubscribe = subscribe(onEvent);
    submission = { kind: 'submitting' };
    refused = null;
    const mine = session;
    const sent: TicketDraft = { ...copy(draft), step: 'send', fields: fieldsOf(draft, topic) };
    try {
      await inflight;
      const id = await submitTicket(sent);
      if (mine !== session) return { kind: 'queued' };
      submission = { kind: 'queued', id, delivery: early.get(id) ?? null, person: known };
      early.clear();
      if (submission.delivery?.state === 'delivered') stopListening();
      draft = emptyDraft();
      offered = null;
      return { kind: 'queued' };
    } catch (e) {
      if (mine !== session) return { kind: 'failed' };
      stopListening();
      const error = appError(e);
      const step = error.code === 'invalid' && error.field !== null ? stepOfField(error.field) : null;
      if (error.field !== null && step !== null) {
        refused = error.field;
        submission = { kind: 'idle' };
        return { kind: 'refused', step };
      }
      submission = { kind: 'failed', error };
      return { kind: 'failed' };
    }
  },

  /** Leaving the confirmation: the next ticket starts afresh. */
  finish(): void {
    stopListening();
    submission = { kind: 'idle' };
  },
};
