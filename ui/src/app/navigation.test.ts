import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { navigation } from './navigation.svelte';

/** A button with an id, as a screen draws it; drawn anew, it is another element with the same id. */
function button(id: string): HTMLButtonElement {
  document.getElementById(id)?.remove();
  const b = document.createElement('button');
  b.id = id;
  document.body.append(b);
  return b;
}

function heading(id: string): HTMLElement {
  const h = document.createElement('h1');
  h.id = id;
  h.tabIndex = -1;
  document.body.append(h);
  return h;
}

beforeEach(() => navigation.reset());
afterEach(() => {
  document.body.replaceChildren();
});

describe('navigation', () => {
  it('starts at Home, where back does nothing', async () => {
    expect(navigation.route).toEqual({ name: 'home' });
    await navigation.back();
    expect(navigation.route).toEqual({ name: 'home' });
  });

  it('go: shows the route and focuses its heading', async () => {
    const title = heading('topic-title');
    await navigation.go({ name: 'topic', topic: 'erro' }, button('open-topic-erro'));
    expect(navigation.route).toEqual({ name: 'topic', topic: 'erro' });
    expect(document.activeElement).toBe(title);
  });

  it('back: the screen before, with the focus on the element (drawn anew) that opened the one left', async () => {
    heading('queue-title');
    await navigation.go({ name: 'queue' }, button('open-queue'));
    const redrawn = button('open-queue');
    await navigation.back();
    expect(navigation.route).toEqual({ name: 'home' });
    expect(document.activeElement).toBe(redrawn);
  });

  it('goes back step by step, each time to its own opener', async () => {
    heading('topic-title');
    heading('history-title');
    await navigation.go({ name: 'topic', topic: 'duvida' }, button('open-topic-duvida'));
    await navigation.go({ name: 'history' }, button('somewhere-on-the-topic'));
    expect(navigation.route).toEqual({ name: 'history' });
    await navigation.back();
    expect(navigation.route).toEqual({ name: 'topic', topic: 'duvida' });
    expect(document.activeElement?.id).toBe('somewhere-on-the-topic');
    await navigation.back();
    expect(navigation.route).toEqual({ name: 'home' });
    expect(document.activeElement?.id).toBe('open-topic-duvida');
  });

  it('without an opener named, the focused element is the one focus returns to', async () => {
    button('open-history').focus();
    await navigation.go({ name: 'history' });
    document.body.replaceChildren();
    const redrawn = button('open-history');
    await navigation.back();
    expect(document.activeElement).toBe(redrawn);
  });

  it('reset: Home, with nothing to go back to', async () => {
    await navigation.go({ name: 'queue' }, null);
    navigation.reset();
    expect(navigation.route).toEqual({ name: 'home' });
    await navigation.back();
    expect(navigation.route).toEqual({ name: 'home' });
  });

  it('replace: shows the route in place of the current one, so Back skips it', async () => {
    heading('ticket-title');
    await navigation.go({ name: 'ticket', step: 'review' }, button('open-review'));
    await navigation.go({ name: 'ticket', step: 'send' }, button('send-ticket'));
    const summary = button('error-summary');
    await navigation.replace({ name: 'ticket', step: 'details', returnTo: 'review' }, 'error-summary');
    expect(navigation.route).toEqual({ name: 'ticket', step: 'details', returnTo: 'review' });
    expect(document.activeElement).toBe(summary);
    await navigation.back();
    expect(navigation.route).toEqual({ name: 'ticket', step: 'review' });
    expect(document.activeElement?.id).toBe('send-ticket');
  });
});
