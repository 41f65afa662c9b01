// The support's replies in Meus chamados: which are new to the user, and how often the screen
// asks central again while it is open.
import type { Sent, ThreadMessage } from '../../lib/bindings';

/** Meus chamados reads central again this often while it is open (and on "Atualizar"). */
export const REFRESH_EVERY_MS = 30_000;

/** The ticket's replies the user has not seen yet, oldest first. */
export function newReplies(s: Sent): ThreadMessage[] {
  const seen = s.seen_reply;
  return s.replies.filter((r) => seen === null || r.id > seen);
}

/** One reply of one ticket, for the set of those marked new on this visit. */
export function replyKey(reference: string, id: number): string {
  return `${reference}#${id}`;
}
