// The ticket wizard's Rust side, faked: the person and the draft it keeps, `submit_ticket`
// (queued as an entry id) and the sender's events. Tests and `npm run dev` answer with it.
import type {
  AppError,
  Attachment,
  AttachmentRefusal,
  CheckEvent,
  Delivery,
  DeliveryEvent,
  FileDrop,
  Notices,
  Person,
  ProgramVersion,
  RemoteId,
  ResolvedHow,
  TicketDraft,
} from '../lib/bindings';
import { channelOf } from './delivery';
import { reviewSide, type ReviewSide } from './review';

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
    attachments: [],
    remote_access: null,
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
  /** The bundle "Confira antes de enviar" prepares (within a 4 MB budget unless changed). */
  review: ReviewSide;
  /** The remote-access IDs "found on this computer". */
  remote: RemoteId[];
  /** The files "on this computer": a path's name, size, or why it is refused. */
  files: Record<string, { size: number } | { refused: AttachmentRefusal['problem']; size?: number; limit?: number }>;
  /** What the file dialog answers (the paths chosen). */
  chosen: string[];
  /** Sends a drag-and-drop event down the window's channel. */
  drop: (e: FileDrop) => void;
  /** What `run_checks` does for `topic`: `tell` sends an event down its channel (default: nothing, answered at once). */
  runChecks: (topic: string, tell: (e: CheckEvent) => void) => void | Promise<void>;
  /** The topics "Agora está funcionando" was said for. */
  worked: string[];
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

function nameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function ticketSide(initial: { person?: Person | null; draft?: TicketDraft | null } = {}): TicketSide {
  let send: ((e: DeliveryEvent) => void) | null = null;
  let dropped: ((e: FileDrop) => void) | null = null;
  /** Rust's half of add_attachments: the good files go on the draft's list, the others named. */
  const attach = (paths: string[]) => {
    const list: Attachment[] = [...(side.draft?.attachments ?? [])];
    const refused: AttachmentRefusal[] = [];
    for (const path of paths) {
      const f = side.files[path];
      const name = nameOf(path);
      if (!f) refused.push({ name, problem: 'unreadable', size: 0, limit: 0, detail: 'No such file' });
      else if ('refused' in f) refused.push({ name, problem: f.refused, size: f.size ?? 0, limit: f.limit ?? 0, detail: '' });
      else if (list.some((a) => a.path === path)) refused.push({ name, problem: 'duplicate', size: f.size, limit: 0, detail: '' });
      else list.push({ path, name, size: f.size });
    }
    side.draft = { ...(side.draft ?? draft()), attachments: list };
    return { attachments: list, refused };
  };
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
    review: reviewSide({ budget: 4 * 1024 * 1024 }),
    remote: [],
    files: {},
    chosen: [],
    drop: (e) => {
      if (!dropped) throw new Error('nobody listens to file drops');
      dropped(e);
    },
    handlers: {},
    notices: { notices: [], latest_version: null, fetched_at: null, from_cache: true },
    program: { name: null, installed: null, latest: null, up_to_date: null, running: [] },
    resolved: [],
  };
  side.handlers = {
    // "Confira antes de enviar" prepares the ticket's bundle.
    ...side.review.handlers,
    person: () => side.person,
    save_person: (a) => {
      side.person = a.person as Person;
      return null;
    },
    ticket_draft: () => side.draft,
    save_ticket_draft: (a) => {
      // The attachments stay as Rust keeps them, as in App::save_ticket_draft.
      side.draft = { ...(a.draft as TicketDraft), attachments: side.draft?.attachments ?? [] };
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
    remote_access: () => side.remote,
    file_drops: (a) => {
      dropped = channelOf<FileDrop>(a);
      return null;
    },
    attachments: () => side.draft?.attachments ?? [],
    add_attachments: (a) => attach(a.paths as string[]),
    choose_attachments: () => attach(side.chosen),
    remove_attachment: (a) => {
      const list = (side.draft?.attachments ?? []).filter((x) => x.path !== a.path);
      if (side.draft) side.draft = { ...side.draft, attachments: list };
      return list;
    },
    open_guide: () => null,
    open_ticket_link: () => null,
    save_receipt: () => '/home/ana/Documentos/Chamado 482913.html',
    open_receipt: () => null,
    notices: () => side.notices,
    program_version: () => side.program,
    report_resolved: (a) => {
      side.resolved.push({ topic: a.topic as string, how: a.how as ResolvedHow });
      return true;
    },
  };
  return side;
}
