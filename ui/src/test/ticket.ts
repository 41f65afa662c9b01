// The ticket wizard's Rust side, faked: the person and the draft it keeps, `submit_ticket`
// (queued as an entry id) and the sender's events. Tests and `npm run dev` answer with it.
import type {
  AppError,
  Delivery,
  DeliveryEvent,
  Notices,
  Person,
  ProgramVersion,
  ResolvedHow,
  TicketDraft,
} from '../lib/bindings';
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
  handlers: Record<string, (args: Args) => unknown>;
  /** What `notices` answers (none by default). */
  notices: Notices;
  /** What `program_version` answers (nothing detected by default). */
  program: ProgramVersion;
  /** Every `report_resolved`, in order. */
  resolved: { topic: string; how: ResolvedHow }[];
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
    push: (id, delivery) => {
      if (!send) throw new Error('nobody listens to delivery events');
      send({ id, kind: 'ticket', delivery });
    },
    handlers: {},
    notices: { notices: [], latest_version: null, fetched_at: null, from_cache: true },
    program: { name: null, installed: null, latest: null, up_to_date: null, running: [] },
    resolved: [],
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
    list_screens: () => [],
    open_guide: () => null,
    open_ticket_link: () => null,
    notices: () => side.notices,
    program_version: () => side.program,
    report_resolved: (a) => {
      side.resolved.push({ topic: a.topic as string, how: a.how as ResolvedHow });
      return true;
    },
  };
  return side;
}
