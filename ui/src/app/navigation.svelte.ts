// Which screen is on show, and the way back. Every screen is a `Route`; a new screen is a new
// member of the union, its heading below and its screen in App.svelte's `screenOf`.
import { tick } from 'svelte';
import type { ResolvedHow, WizardStep } from '../lib/bindings';

export type Route =
  | { name: 'home' }
  | { name: 'topic'; topic: string }
  | { name: 'queue' }
  | { name: 'history' }
  /**
   * A step of "Abrir um chamado". `returnTo`: the step was opened to change one answer
   * ("Alterar" on the review, "Seus dados" on Home): "Continuar" goes back there.
   */
  | { name: 'ticket'; step: WizardStep; returnTo?: 'review' | 'home' }
  /**
   * "Isso resolveu?" answered yes: the wizard ends kindly. `topic` and `how`: what is counted on
   * central (once, when the screen opens).
   */
  | { name: 'resolved'; topic?: string; how?: ResolvedHow }
  /** Technician mode: collect, review, save to a file or attach to a ticket opened by phone. */
  | { name: 'technician' };

/**
 * The id of each screen's heading (`tabindex="-1"`), focused when the screen opens: that
 * scrolls it into view and tells screen readers where they are. Home is where the app starts.
 */
const HEADINGS: { [N in Route['name']]: string | null } = {
  home: null,
  topic: 'topic-title',
  queue: 'queue-title',
  history: 'history-title',
  ticket: 'ticket-title',
  resolved: 'resolved-title',
  technician: 'technician-title',
};

/** A screen left for another, and the id of the element that opened the other. */
type Step = { route: Route; opener: string | null };

let current = $state<Route>({ name: 'home' });
let stack: Step[] = [];

async function focusAfterRender(id: string | null) {
  await tick();
  if (id !== null) document.getElementById(id)?.focus();
}

export const navigation = {
  get route(): Route {
    return current;
  },
  /**
   * Shows `route`, focusing its heading. `opener` (by default the focused element) gets the
   * focus back on `back()`: it is found again by its id, since the screen it is on is drawn anew.
   */
  go(route: Route, opener: Element | null = document.activeElement): Promise<void> {
    stack.push({ route: current, opener: opener?.id || null });
    current = route;
    return focusAfterRender(HEADINGS[route.name]);
  },
  /** The screen before, with the focus on what opened the one left; nothing before Home. */
  back(): Promise<void> {
    const step = stack.pop();
    if (!step) return Promise.resolve();
    current = step.route;
    return focusAfterRender(step.opener);
  },
  /**
   * Shows `route` in place of the one on show (Back skips the one replaced), focusing `focus`
   * (an element's id) or else its heading.
   */
  replace(route: Route, focus: string | null = null): Promise<void> {
    current = route;
    return focusAfterRender(focus ?? HEADINGS[route.name]);
  },
  /** Home, with nothing to go back to (App starts there). */
  reset(): void {
    current = { name: 'home' };
    stack = [];
  },
};
