// The ticket wizard's Rust side, faked: the person and the draft it keeps, `submit_ticket`
// (queued as an entry id) and the sender's events. Tests and `npm run dev` answer with it.
import type { AppError, CheckEvent, Delivery, DeliveryEvent, Person, TicketDraft } from '../lib/bindings';
import { channelOf } from './delivery';

export function person(over: Partial<Person> = {}): Person {
  return {
    name: 'Ana Souza',
    email: 'ana@cliente.com.br',
    phone: '(11) 98765-4321',
    company: 'Padaria Pão Quente',
    keep_informed: null,
    ...over,
  };
}

export function draft(over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    step: 'details',
    topic: 'erro',
    guides_opened: [],
    module: null,
    summary: 'A nota fiscal não sai',
    description: '',
    fields: {},
    urgency: { affected: null, work_stopped: null, workaround: null, frequency: null },
    ...over,
  };
}

type Args = Record<string, unknown>;

export type TicketSide = {
  person: Person | null;
  draft: TicketDraft | null;
  /** Every draft handed to `save_ticket_draft`, in order. */
  saved: TicketDraft[];
  submitted: TicketDraft[];
  /** What `submit_ticket` does: answer an id (default `entry-1`) or reject with an `AppError`. */
  submit: (draft: TicketDraft) => string | Promise<string>;
  /** Sends a delivery event for `id` down the window's channel. */
  push: (id: string, delivery: Delivery) => void;
  /** What `run_checks` does for `topic`: `tell` sends an event down its channel (default: nothing, answered at once). */
  runChecks: (topic: string, tell: (e: CheckEvent) => void) => void | Promise<void>;
  /** The topics "Agora está funcionando" was said for. */
  worked: string[];
  handlers: Record<string, (args: Args) => unknown>;
};

/** A rejection as Rust sends it. */
export function rejection(code: AppError['code'], field: string | null = null): AppError {
  return { code, message: `${code}${field ? ` at ${field}` : ''}`, field, problem: null };
}

export function ticketSide(initial: { person?: Person | null; draft?: TicketDraft | null } = {}): TicketSide {
  let send: ((e: DeliveryEvent) => void) | null = null;
  const side: TicketSide = {
    person: initial.person ?? null,
    draft: initial.draft ?? null,
    saved: [],
    submitted: [],
    submit: () => 'entry-1',
    runChecks: () => undefined,
    worked: [],
    push: (id, delivery) => {
      if (!send) throw new Error('nobody listens to delivery events');
      send({ id, kind: 'ticket', delivery });
    },
    handlers: {},
  };
  side.handlers = {
    person: () => side.person,
    save_person: (a) => {
      side.person = a.person as Person;
      return null;
    },
    ticket_draft: () => side.draft,
    save_ticket_draft: (a) => {
      side.draft = a.draft as TicketDraft;
      side.saved.push(side.draft);
      return null;
    },
    discard_ticket_draft: () => {
      side.draft = null;
      return null;
    },
    submit_ticket: async (a) => {
      const d = a.draft as TicketDraft;
      side.submitted.push(d);
      const id = await side.submit(d);
      side.draft = null;
      return id;
    },
    delivery_events: (a) => {
      send = channelOf(a);
      return null;
    },
    run_checks: async (a) => {
      const tell = channelOf(a) as unknown as (e: CheckEvent) => void;
      await side.runChecks(a.topic as string, tell);
      return null;
    },
    checks_work: (a) => {
      side.worked.push(a.topic as string);
      return null;
    },
    list_screens: () => [],
    open_guide: () => null,
    open_ticket_link: () => null,
  };
  return side;
}
