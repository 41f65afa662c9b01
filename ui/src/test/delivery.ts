// The outbox and history as Rust sends them, and a way to push sender events to the UI.
import type { DamagedEntry, DeliveryEvent, Entry, Queue, QueueItem, Sent } from '../lib/bindings';

export function entry(id: string, summary: string, over: Partial<Entry> = {}): Entry {
  return {
    id,
    idempotency_key: `key-${id}`,
    created_at: '2026-03-10T13:45:00Z',
    ticket: {
      topic: 'erro',
      summary,
      description: 'Aparece erro ao emitir nota.',
      contact: { name: 'Ana', email: 'ana@cliente.com.br', phone: null },
      module: null,
      fields: {},
    },
    has_bundle: true,
    state: { state: 'queued' },
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    ...over,
  };
}

/** A queued addition to a sent ticket (`chamado add`, or "Acrescentar informação"). */
export function message(id: string, reference: string, number: string | null, body: string): Entry {
  return {
    id,
    idempotency_key: `key-${id}`,
    created_at: '2026-03-10T14:00:00Z',
    message: { reference, number, body, attachments: [] },
    has_bundle: false,
    state: { state: 'queued' },
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
  };
}

export function queue(items: QueueItem[], enrolled = true, damaged: DamagedEntry[] = []): Queue {
  return { enrolled, items, damaged };
}

export function sent(reference: string, number: string | null, over: Partial<Sent> = {}): Sent {
  return {
    reference,
    number,
    link: number ? `https://central.example.com.br/t/${reference}` : null,
    status: 'open',
    topic: 'erro',
    summary: 'Nota fiscal não sai',
    sent_at: '2026-03-10T13:46:00Z',
    updated_at: '2026-03-10T13:46:00Z',
    replies: [],
    seen_reply: null,
    ...over,
  };
}

/** Rust's drafts of added information: `information_draft` and `save_information_draft` over `store`. */
export function drafts(store: Map<string, string>) {
  return {
    information_draft: (args: Record<string, unknown>) => store.get(args.reference as string) ?? '',
    save_information_draft: (args: Record<string, unknown>) => {
      const { reference, text } = args as { reference: string; text: string };
      if (text) store.set(reference, text);
      else store.delete(reference);
      return null;
    },
  };
}

type Internals = { runCallback: (id: number, data: unknown) => void };

/** Sends `events` down the channel the UI handed to `delivery_events`, in order. */
export function channelOf<T = DeliveryEvent>(args: unknown): (e: T) => void {
  const channel = (args as { channel: { id: number } }).channel;
  let index = 0;
  return (message) => {
    const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
    internals.runCallback(channel.id, { index: index++, message });
  };
}
