// Which of the vendor's notices show where, and the detected version put into the ticket. Pure:
// the component tests and the screens share them.
import type { Field, Notice, Topic } from '../../lib/bindings';

/** The seed's update topic: its guides step shows the update help. */
export const UPDATE_TOPIC = 'atualizacao';

/** The topic choice's banner: notices for everything, and those for a topic this profile lacks. */
export function generalNotices(list: Notice[], topics: Topic[]): Notice[] {
  return list.filter((n) => n.topic === null || !topics.some((t) => t.id === n.topic));
}

/** The notices shown beside one topic on the topic choice. */
export function topicNotices(list: Notice[], topic: string): Notice[] {
  return list.filter((n) => n.topic === topic);
}

/** The guides step: the topic's notices first, then the ones for everything. */
export function guidesNotices(list: Notice[], topic: string): Notice[] {
  return [...topicNotices(list, topic), ...list.filter((n) => n.topic === null)];
}

/** The topic's first `version` field: the version installed here (the others, e.g. the one wanted, are the customer's). */
export function installedVersionField(topic: Topic): Field | undefined {
  return topic.fields.find((f) => f.kind === 'version');
}

/**
 * Fills the installed version field with the version detected, when the customer left it
 * empty (what they typed is never replaced); whether it changed anything.
 */
export function prefillVersion(fields: Record<string, string>, topic: Topic, detected: string | null): boolean {
  const field = installedVersionField(topic);
  if (!field || !detected || (fields[field.name] ?? '').trim() !== '') return false;
  fields[field.name] = detected;
  return true;
}
