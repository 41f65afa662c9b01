// The checks step's state, from the events Rust streams (`run_checks`): each item running until
// its result comes, then replaced in place; "Verificar de novo" sets every result running again
// where it stands. A plain reducer, so the component only draws it.
import type { CheckEvent, ItemResult, Requirement, RequirementResult, Topic, Worded } from '../../lib/bindings';

export type ItemView = { id: string; result: ItemResult | null };
export type RequirementView = { requirement: Requirement; result: RequirementResult | null };
export type ChangesView = { since: string | null; sinceGood: boolean; changes: Worded[] };

export type ChecksState = {
  items: ItemView[];
  requirements: RequirementView[];
  changes: ChangesView | null;
  running: boolean;
};

/** The step exists for a topic whose checklist names checks or that says whether the requirements are met. */
export function hasChecks(topic: Topic): boolean {
  return topic.requirements || topic.checklist.some((item) => item.checks.length > 0);
}

/** The check ids the topic's checklist names, each once, in order (what Rust's run will tell). */
export function itemsOf(topic: Topic): string[] {
  return [...new Set(topic.checklist.flatMap((item) => item.checks))];
}

/** Before the first event: the topic's items, all running. */
export function initialState(topic: Topic): ChecksState {
  return { items: itemsOf(topic).map((id) => ({ id, result: null })), requirements: [], changes: null, running: true };
}

function sameRequirement(a: Requirement, b: Requirement): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The state after `e`. */
export function apply(state: ChecksState, e: CheckEvent): ChecksState {
  switch (e.event) {
    case 'started':
      return {
        items: e.items.map((id) => ({ id, result: null })),
        requirements: e.requirements.map((requirement) => ({ requirement, result: null })),
        changes: null,
        running: true,
      };
    case 'item': {
      const { run: _run, event: _event, ...result } = e;
      const items = state.items.some((i) => i.id === result.id)
        ? state.items.map((i) => (i.id === result.id ? { id: i.id, result } : i))
        : [...state.items, { id: result.id, result }];
      return { ...state, items };
    }
    case 'requirement': {
      const { run: _run, event: _event, ...result } = e;
      const requirements = state.requirements.map((r) =>
        sameRequirement(r.requirement, result.requirement) ? { requirement: r.requirement, result } : r,
      );
      return { ...state, requirements };
    }
    case 'changes':
      return { ...state, changes: { since: e.since, sinceGood: e.since_good, changes: e.changes } };
    case 'finished':
      return { ...state, running: false };
  }
}

/** "Verificar de novo": every result running again, in place. */
export function again(state: ChecksState): ChecksState {
  return {
    items: state.items.map((i) => ({ id: i.id, result: null })),
    requirements: state.requirements.map((r) => ({ requirement: r.requirement, result: null })),
    changes: null,
    running: true,
  };
}

export type Mark = 'running' | 'ok' | 'problem' | 'unknown';

export function markOf(result: ItemResult | null): Mark {
  if (result === null) return 'running';
  if (result.state === 'ok') return 'ok';
  if (result.state === 'problem') return 'problem';
  return 'unknown';
}

export function requirementMark(result: RequirementResult | null): Mark {
  if (result === null) return 'running';
  if (result.met === null) return 'unknown';
  return result.met ? 'ok' : 'problem';
}
