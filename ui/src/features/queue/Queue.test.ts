import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { DeliveryEvent, Queue as QueueData } from '../../lib/bindings';
import Queue from './Queue.svelte';
import { locale } from '../../app/locale.svelte';
import { profile } from '../../test/fixture';
import { channelOf, entry, queue } from '../../test/delivery';

type Handler = (args: Record<string, unknown>) => unknown;

function open(initial: QueueData, handlers: Record<string, Handler> = {}, lang: 'pt-BR' | 'en' = 'pt-BR') {
  const state = { queue: initial, calls: [] as { cmd: string; args: Record<string, unknown> }[] };
  let push: ((e: DeliveryEvent) => void) | null = null;
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    state.calls.push({ cmd, args: a });
    if (handlers[cmd]) return handlers[cmd](a);
    if (cmd === 'outbox_list') return state.queue;
    if (cmd === 'delivery_events') {
      push = channelOf(a);
      return null;
    }
    if (cmd === 'outbox_send_now' || cmd === 'outbox_delete') return null;
    throw new Error(`unknown command ${cmd}`);
  });
  locale.set(lang);
  render(Queue, { profile: profile() });
  return {
    state,
    named: (cmd: string) => state.calls.filter((c) => c.cmd === cmd),
    push: (e: DeliveryEvent) => {
      if (!push) throw new Error('the screen did not subscribe');
      push(e);
    },
  };
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('Fila', () => {
  it('lists each queued ticket with its topic, summary, date and state, and says why it waits', async () => {
    open(
      queue([
        { kind: 'ticket' as const, entry: entry('a', 'Nota fiscal não sai'), delivery: { state: 'queued' }, total: 300 * 1024 },
        {
          kind: 'ticket' as const,
          entry: entry('b', 'Sistema lento', { attempts: 2 }),
          delivery: { state: 'waiting', code: 'offline', next_attempt_at: '2026-03-10T14:05:00Z', reason: 'connection refused' },
          total: 0,
        },
      ]),
    );
    const items = await screen.findAllByTestId('queue-item');
    expect(items).toHaveLength(2);
    const [first, second] = items as [HTMLElement, HTMLElement];
    expect(within(first).getByRole('heading').textContent).toBe('Nota fiscal não sai');
    expect(first.textContent).toContain('Reportar erro');
    expect(first.textContent).toContain('10/03/2026');
    expect(within(first).getByTestId('queue-state').textContent).toBe('Na fila');
    expect(within(second).getByTestId('queue-state').textContent).toMatch(/^Aguardando: nova tentativa às \d\d:\d\d$/);
    // The reason in the user's words (decided on the code), not the system's text.
    expect(within(second).getByTestId('queue-reason').textContent).toBe('Sem conexão com o suporte.');
  });

  it('a refused ticket stays with central’s reason', async () => {
    open(
      queue([
        {
          kind: 'ticket' as const,
          entry: entry('a', 'Nota fiscal não sai', { state: { state: 'refused', status: 400, reason: 'x' }, attempts: 1 }),
          delivery: { state: 'refused', status: 400, code: 'invalid', reason: 'ticket.contact.email: não é um e-mail' },
          total: 0,
        },
      ]),
    );
    const item = await screen.findByTestId('queue-item');
    expect(within(item).getByTestId('queue-state').textContent).toBe('Recusado pelo suporte');
    expect(within(item).getByTestId('queue-reason').textContent).toBe('ticket.contact.email: não é um e-mail');
  });

  it('shows bytes sent of total while sending, then the number when delivered', async () => {
    const ipc = open(queue([{ kind: 'ticket' as const, entry: entry('a', 'Nota fiscal não sai'), delivery: { state: 'queued' }, total: 300 * 1024 }]));
    await screen.findByTestId('queue-item');
    await waitFor(() => expect(ipc.named('delivery_events')).toHaveLength(1));
    ipc.push({ id: 'a', kind: 'ticket', delivery: { state: 'sending', sent: 150 * 1024, total: 300 * 1024 } });
    const bar = await screen.findByRole('progressbar');
    expect((bar as HTMLProgressElement).value).toBe(150 * 1024);
    expect((bar as HTMLProgressElement).max).toBe(300 * 1024);
    expect(screen.getByText('150 KB de 300 KB enviados')).toBeTruthy();
    expect(screen.getByTestId('send-now').hasAttribute('disabled')).toBe(true);

    ipc.state.queue = queue([]);
    ipc.push({ id: 'a', kind: 'ticket', delivery: { state: 'delivered', reference: 'R-1', number: '482913', link: 'https://x/t/1' } });
    expect((await screen.findByTestId('delivered')).textContent).toContain('Entregue: chamado nº 482913');
    expect(await screen.findByTestId('queue-empty')).toBeTruthy();
  });

  it('"Enviar agora" asks Rust to send that ticket and reads the list again', async () => {
    const ipc = open(queue([{ kind: 'ticket' as const, entry: entry('a', 'Nota'), delivery: { state: 'queued' }, total: 0 }]));
    await fireEvent.click(await screen.findByTestId('send-now'));
    await waitFor(() => expect(ipc.named('outbox_send_now')).toEqual([{ cmd: 'outbox_send_now', args: { id: 'a' } }]));
    await waitFor(() => expect(ipc.named('outbox_list').length).toBeGreaterThanOrEqual(2));
  });

  it('"Excluir" deletes only after confirmation', async () => {
    const ipc = open(queue([{ kind: 'ticket' as const, entry: entry('a', 'Nota fiscal não sai'), delivery: { state: 'queued' }, total: 0 }]));
    await fireEvent.click(await screen.findByTestId('delete'));
    expect(screen.getByText('Excluir o chamado “Nota fiscal não sai”? Ele não será enviado.')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('cancel-delete'));
    expect(ipc.named('outbox_delete')).toHaveLength(0);
    expect(screen.getByTestId('queue-item')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('delete'));
    ipc.state.queue = queue([]);
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    await waitFor(() => expect(ipc.named('outbox_delete')).toEqual([{ cmd: 'outbox_delete', args: { id: 'a' } }]));
    expect(await screen.findByTestId('queue-empty')).toBeTruthy();
  });

  it('errors are told by their code: a delivery in progress', async () => {
    open(queue([{ kind: 'ticket' as const, entry: entry('a', 'Nota'), delivery: { state: 'queued' }, total: 0 }]), {
      outbox_send_now: () => Promise.reject({ code: 'busy' }),
    });
    await fireEvent.click(await screen.findByTestId('send-now'));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('busy');
    expect(alert.textContent).toBe('Um envio está em andamento. Tente de novo em instantes.');
  });

  it('says when this computer is not enrolled, in English too', async () => {
    open(queue([], false), {}, 'en');
    expect((await screen.findByTestId('not-enrolled')).textContent).toContain('not enrolled');
    expect(screen.getByTestId('queue-empty').textContent).toBe('No ticket waiting: everything was delivered.');
  });

  it('not enrolled: the code the user types enrols this computer, then the Fila is read again', async () => {
    const waiting = { kind: 'ticket' as const, entry: entry('a', 'Nota fiscal não sai'), delivery: { state: 'queued' as const }, total: 0 };
    const ipc = open(queue([waiting], false), {
      enrol: () => {
        ipc.state.queue = queue([waiting], true);
        return null;
      },
    });
    const input = await screen.findByLabelText('Código de inscrição');
    const submit = screen.getByTestId('enrol-submit') as HTMLButtonElement;
    expect(submit.disabled, 'nothing typed yet').toBe(true);
    await fireEvent.input(input, { target: { value: ' k7mq2-x9pfa-3hnwr ' } });
    await fireEvent.click(submit);
    expect((await screen.findByTestId('enrolled')).textContent).toBe(
      'Computador inscrito no suporte. Os chamados da fila serão enviados agora.',
    );
    expect(ipc.named('enrol').map((c) => c.args.code)).toEqual([' k7mq2-x9pfa-3hnwr ']);
    expect(ipc.named('outbox_list').length, 'read again after enrolling').toBeGreaterThanOrEqual(2);
    expect(screen.queryByTestId('enrol-form')).toBeNull();
    expect(screen.queryByTestId('not-enrolled')).toBeNull();
  });

  it('a refused code or no connection: said by its code, and what was typed stays', async () => {
    const answers = [{ code: 'code_refused' }, { code: 'offline' }];
    const ipc = open(queue([], false), { enrol: () => Promise.reject(answers.shift()) });
    const input = (await screen.findByLabelText('Código de inscrição')) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'K7MQ2-X9PFA-3HNWX' } });

    await fireEvent.click(screen.getByTestId('enrol-submit'));
    let alert = await screen.findByTestId('enrol-error');
    expect(alert.dataset.code).toBe('code_refused');
    expect(alert.textContent).toContain('O suporte não aceitou este código');
    expect(input.value).toBe('K7MQ2-X9PFA-3HNWX');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await fireEvent.click(screen.getByTestId('enrol-submit'));
    await waitFor(() => expect(screen.getByTestId('enrol-error').dataset.code).toBe('offline'));
    alert = screen.getByTestId('enrol-error');
    expect(alert.textContent).toContain('Sem conexão com o suporte agora');
    expect(input.value).toBe('K7MQ2-X9PFA-3HNWX');
    expect(ipc.named('enrol')).toHaveLength(2);
    expect(screen.queryByTestId('enrolled')).toBeNull();
  });

  it('in English, a profile without central says whom to tell', async () => {
    open(queue([], false), { enrol: () => Promise.reject({ code: 'no_central' }) }, 'en');
    const input = await screen.findByLabelText('Enrolment code');
    await fireEvent.input(input, { target: { value: 'ABC' } });
    await fireEvent.click(screen.getByTestId('enrol-submit'));
    expect((await screen.findByTestId('enrol-error')).textContent).toBe(
      'The vendor profile has no address for support. Please tell whoever installed Chamado.',
    );
  });

  it('a damaged entry is a row of its own saying it could not be read and why; the others are listed', async () => {
    open(
      queue(
        [{ kind: 'ticket' as const, entry: entry('a', 'Nota fiscal não sai'), delivery: { state: 'queued' }, total: 0 }],
        true,
        [
          {
            id: '20261206-101500-abcdef',
            reason: 'entry.json cannot be read: EOF while parsing an object at line 3 column 0',
            path: 'C:\\Users\\ana\\AppData\\Roaming\\Chamado\\outbox\\.damaged\\20261206-101500-abcdef',
            set_aside_at: '2026-12-06T10:15:00Z',
          },
        ],
      ),
    );
    const row = await screen.findByTestId('queue-damaged');
    expect(within(row).getByRole('heading').textContent).toBe('Um item da fila não pôde ser lido');
    expect(row.textContent).toContain('não será enviado');
    expect(row.textContent).toContain('sem ser apagado');
    expect(within(row).getByTestId('damaged-reason').textContent).toBe(
      'Motivo: entry.json cannot be read: EOF while parsing an object at line 3 column 0',
    );
    expect(row.textContent).toContain('.damaged');
    // Not a full disk, and no button that could act on it.
    expect(row.textContent).not.toMatch(/disco cheio/);
    expect(within(row).queryByRole('button')).toBeNull();
    // The good one is listed and can be sent.
    const items = screen.getAllByTestId('queue-item');
    expect(items).toHaveLength(1);
    expect(within(items[0] as HTMLElement).getByRole('heading').textContent).toBe('Nota fiscal não sai');
    expect(screen.queryByTestId('queue-empty')).toBeNull();
  });

  it('only damaged entries: their rows, and the Fila is not said to be empty', async () => {
    open(queue([], true, [{ id: 'x', reason: 'entry.json is missing', path: '/d/.damaged/x', set_aside_at: '' }]), {}, 'en');
    const row = await screen.findByTestId('queue-damaged');
    expect(within(row).getByTestId('damaged-reason').textContent).toBe('Reason: entry.json is missing');
    expect(screen.queryByTestId('queue-empty')).toBeNull();
    expect(screen.queryByTestId('queue-list')).toBeNull();
  });
});
