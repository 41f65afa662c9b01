import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { DeliveryEvent } from '../lib/bindings';
import { subscribe } from './delivery-events';
import { locale } from './locale.svelte';
import Queue from '../features/queue/Queue.svelte';
import History from '../features/history/History.svelte';
import { channelOf, drafts, message, queue, sent } from '../test/delivery';
import { profile } from '../test/fixture';

type Handler = (args: Record<string, unknown>) => unknown;

/** A mocked Rust side; `push` sends an event down the newest `delivery_events` channel. */
function rust(handlers: Record<string, Handler> = {}) {
  const calls: string[] = [];
  let push: ((e: DeliveryEvent) => void) | null = null;
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push(cmd);
    if (cmd === 'delivery_events') {
      push = channelOf(a);
      return null;
    }
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    return handler(a);
  });
  return {
    opened: () => calls.filter((c) => c === 'delivery_events').length,
    push: (e: DeliveryEvent) => {
      if (!push) throw new Error('nobody subscribed');
      push(e);
    },
  };
}

const delivered: DeliveryEvent = {
  id: 'entry-7',
  kind: 'message',
  delivery: { state: 'delivered', reference: 'R-1', number: '482913', link: null },
};

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('delivery events', () => {
  it('open one channel at the first listener and give every event to every listener', async () => {
    const ipc = rust();
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = subscribe(first);
    const stopSecond = subscribe(second);
    await waitFor(() => expect(ipc.opened()).toBe(1));
    ipc.push(delivered);
    expect(first).toHaveBeenCalledWith(delivered);
    expect(second).toHaveBeenCalledWith(delivered);

    stopFirst();
    ipc.push(delivered);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);

    // Nobody listens: the channel is given up; the next listener opens a new one.
    stopSecond();
    const third = vi.fn();
    const stopThird = subscribe(third);
    await waitFor(() => expect(ipc.opened()).toBe(2));
    ipc.push(delivered);
    expect(third).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
    stopThird();
  });

  it('the Fila and "Acrescentar informação" on show together both hear of a delivery', async () => {
    locale.set('pt-BR');
    const ipc = rust({
      outbox_list: () =>
        queue([
          {
            kind: 'message',
            entry: message('entry-7', 'R-1', '482913', 'Voltou a travar.'),
            delivery: { state: 'queued' },
            total: 0,
          },
        ]),
      history_list: () => [sent('R-1', '482913')],
      history_refresh: () => [sent('R-1', '482913')],
      ...drafts(new Map()),
      add_information: () => 'entry-7',
    });
    render(Queue, { profile: profile() });
    render(History, { profile: profile() });
    await fireEvent.click(await screen.findByTestId('add-open'));
    await fireEvent.input(screen.getByTestId('add-text'), { target: { value: 'Voltou a travar.' } });
    await fireEvent.click(screen.getByTestId('add-send'));
    await screen.findByTestId('add-done');
    await screen.findByTestId('queue-item');
    expect(ipc.opened(), 'one channel for both').toBe(1);

    ipc.push(delivered);
    const told = await screen.findByTestId('delivered');
    expect(told.textContent).toContain('Entregue: chamado nº 482913');
    expect(told.textContent).toContain('Informação para o chamado 482913: Voltou a travar.');
    await waitFor(() =>
      expect(screen.getByTestId('add-done').textContent).toContain('Informação entregue ao suporte no chamado nº 482913.'),
    );
  });
});
