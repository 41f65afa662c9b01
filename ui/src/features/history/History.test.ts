import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { DeliveryEvent, Sent, TicketStatus } from '../../lib/bindings';
import History from './History.svelte';
import { REFRESH_EVERY_MS } from './replies';
import { locale } from '../../app/locale.svelte';
import { profile } from '../../test/fixture';
import { channelOf, drafts, sent } from '../../test/delivery';
import { reviewSide } from '../../test/review';

type Handler = (args: Record<string, unknown>) => unknown;

/** Rust's drafts: they outlive the screen, not the test. */
let stored = new Map<string, string>();

function open(tickets: Sent[], refresh: () => Promise<Sent[]> | Sent[], handlers: Record<string, Handler> = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  let push: ((e: DeliveryEvent) => void) | null = null;
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const handler = ({ ...drafts(stored), ...handlers } as Record<string, Handler | undefined>)[cmd];
    if (cmd === 'add_information' && handler) {
      // Rust drops the draft once the text is queued.
      return Promise.resolve(handler(a)).then((id) => {
        stored.delete(a.reference as string);
        return id;
      });
    }
    if (handler) return handler(a);
    if (cmd === 'history_list') return tickets;
    if (cmd === 'history_refresh') return refresh();
    if (cmd === 'open_ticket_link') return null;
    if (cmd === 'delivery_events') {
      push = channelOf(a);
      return null;
    }
    throw new Error(`unknown command ${cmd}`);
  });
  locale.set('pt-BR');
  render(History, { profile: profile() });
  return {
    named: (cmd: string) => calls.filter((c) => c.cmd === cmd),
    push: (e: DeliveryEvent) => {
      if (!push) throw new Error('the screen did not subscribe');
      push(e);
    },
  };
}

afterEach(() => {
  cleanup();
  clearMocks();
  stored = new Map();
});

describe('Meus chamados', () => {
  it('shows number, reference, topic, summary, dates and the status refreshed from central on open', async () => {
    const ipc = open([sent('R-1', '482913')], () => [sent('R-1', '482913', { status: 'answered', updated_at: '2026-03-11T09:00:00Z' })]);
    await waitFor(() => expect(screen.getByTestId('history-status').textContent).toBe('Respondido: aguardando você'));
    expect(ipc.named('history_refresh')).toHaveLength(1);
    const item = screen.getByTestId('history-item');
    expect(within(item).getByTestId('history-number').textContent).toBe('482913');
    expect(item.textContent).toContain('R-1');
    expect(item.textContent).toContain('Reportar erro');
    expect(item.textContent).toContain('Nota fiscal não sai');
    expect(item.textContent).toContain('11/03/2026');
  });

  it('the follow button opens the ticket by reference (Rust finds the link)', async () => {
    const ipc = open([sent('R-1', '482913')], () => [sent('R-1', '482913')]);
    await fireEvent.click(await screen.findByTestId('follow'));
    await waitFor(() => expect(ipc.named('open_ticket_link')).toEqual([{ cmd: 'open_ticket_link', args: { reference: 'R-1' } }]));
  });

  it('offline: keeps the last known status and says so; "Atualizar" asks again', async () => {
    let fail = true;
    const ipc = open([sent('R-1', '482913')], () => (fail ? Promise.reject({ code: 'offline' }) : [sent('R-1', '482913', { status: 'closed' })]));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('offline');
    expect(screen.getByTestId('history-status').textContent).toBe('Aberto: aguardando o suporte');
    fail = false;
    await fireEvent.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(screen.getByTestId('history-status').textContent).toBe('Encerrado'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(ipc.named('history_refresh')).toHaveLength(2);
  });

  it('a ticket without a number yet shows a dash and no follow button', async () => {
    open([sent('R-2', null)], () => [sent('R-2', null)]);
    const item = await screen.findByTestId('history-item');
    expect(within(item).getByTestId('history-number').textContent).toBe('—');
    expect(within(item).queryByTestId('follow')).toBeNull();
  });

  it('adds information to an open ticket: queued, then told when the sender delivered it', async () => {
    const ipc = open([sent('R-1', '482913')], () => [sent('R-1', '482913')], { add_information: () => 'entry-7' });
    await fireEvent.click(await screen.findByTestId('add-open'));
    const text = screen.getByLabelText('O que você quer acrescentar ao chamado nº 482913?');
    expect(document.activeElement).toBe(text);
    expect((screen.getByTestId('add-send') as HTMLButtonElement).disabled, 'nothing written yet').toBe(true);
    await fireEvent.input(text, { target: { value: 'Voltou a travar às 14h, agora no caixa 3.' } });
    // Saved as a draft once typing pauses.
    await waitFor(() =>
      expect(ipc.named('save_information_draft').map((c) => c.args)).toEqual([
        { reference: 'R-1', text: 'Voltou a travar às 14h, agora no caixa 3.' },
      ]),
    );
    await fireEvent.click(screen.getByTestId('add-send'));
    expect((await screen.findByTestId('add-done')).textContent).toContain('Informação guardada');
    expect(ipc.named('add_information').map((c) => c.args)).toEqual([
      { reference: 'R-1', text: 'Voltou a travar às 14h, agora no caixa 3.' },
    ]);
    ipc.push({ id: 'entry-7', kind: 'message', delivery: { state: 'delivered', reference: 'R-1', number: '482913', link: null } });
    await waitFor(() =>
      expect(screen.getByTestId('add-done').textContent).toContain('Informação entregue ao suporte no chamado nº 482913.'),
    );
    // Reopened: the form shows what Rust answers, and Rust dropped the draft once queued.
    await fireEvent.click(screen.getByTestId('add-close'));
    await fireEvent.click(screen.getByTestId('add-open'));
    await waitFor(() => expect(ipc.named('information_draft')).toHaveLength(2));
    expect((screen.getByTestId('add-text') as HTMLTextAreaElement).value).toBe('');
  });

  it('what was typed survives an error and the screen being closed and opened again', async () => {
    open([sent('R-1', '482913')], () => [sent('R-1', '482913')], {
      add_information: () => Promise.reject({ code: 'storage' }),
    });
    await fireEvent.click(await screen.findByTestId('add-open'));
    await fireEvent.input(screen.getByTestId('add-text'), { target: { value: 'O erro mudou: agora diz 0x80070005.' } });
    await fireEvent.click(screen.getByTestId('add-send'));
    expect((await screen.findByTestId('add-error')).dataset.code).toBe('storage');
    expect((screen.getByTestId('add-text') as HTMLTextAreaElement).value).toBe('O erro mudou: agora diz 0x80070005.');

    cleanup();
    expect(stored.get('R-1'), 'kept by Rust').toBe('O erro mudou: agora diz 0x80070005.');
    open([sent('R-1', '482913')], () => [sent('R-1', '482913')]);
    await fireEvent.click(await screen.findByTestId('add-open'));
    await waitFor(() =>
      expect((screen.getByTestId('add-text') as HTMLTextAreaElement).value).toBe('O erro mudou: agora diz 0x80070005.'),
    );
  });

  it('a closed ticket takes no more information', async () => {
    open([sent('R-1', '482913', { status: 'closed' })], () => [sent('R-1', '482913', { status: 'closed' })]);
    await screen.findByTestId('follow');
    expect(screen.queryByTestId('add-open')).toBeNull();
  });

  it('says when nothing was sent yet', async () => {
    open([], () => []);
    expect((await screen.findByTestId('history-empty')).textContent).toBe('Nenhum chamado enviado ainda.');
  });
});

describe('a status central names otherwise', () => {
  it('is shown as in progress', async () => {
    // A newer central's code: TypeScript names the three it knows, Rust passes any on.
    const onHold = 'on_hold' as unknown as TicketStatus;
    open([sent('R-1', '482913', { status: onHold })], () => [sent('R-1', '482913', { status: onHold })]);
    await waitFor(() => expect(screen.getByTestId('history-status').textContent).toBe('Em andamento'));
  });

  it('"Incluir um novo diagnóstico" collects, shows the same review, and queues the text with the bundle', async () => {
    const review = reviewSide({ budget: 4 * 1024 * 1024 });
    const ipc = open([sent('R-1', '482913')], () => [sent('R-1', '482913')], review.handlers);
    await fireEvent.click(await screen.findByTestId('add-open'));
    await fireEvent.input(screen.getByTestId('add-text'), { target: { value: 'Voltou a acontecer hoje.' } });
    await fireEvent.click(screen.getByTestId('add-with-bundle'));
    const bundle = await screen.findByTestId('bundle-review');
    expect(review.calls.filter((c) => c.cmd === 'prepare_follow_up').map((c) => c.args.reference)).toEqual(['R-1']);
    await fireEvent.click(within(bundle).getByTestId('include-log-1'));
    await waitFor(() => expect(review.items.find((i) => i.id === 'log-1')?.included).toBe(false));
    await fireEvent.click(screen.getByTestId('add-send'));
    await screen.findByTestId('add-done');
    expect(review.calls.filter((c) => c.cmd === 'add_information_with_review').map((c) => c.args)).toEqual([
      { reference: 'R-1', text: 'Voltou a acontecer hoje.' },
    ]);
    expect(ipc.named('add_information')).toHaveLength(0);
  });

  it('over the budget, the text and bundle wait for the customer’s decision', async () => {
    const review = reviewSide();
    open([sent('R-1', '482913')], () => [sent('R-1', '482913')], review.handlers);
    await fireEvent.click(await screen.findByTestId('add-open'));
    await fireEvent.input(screen.getByTestId('add-text'), { target: { value: 'Mais detalhes.' } });
    await fireEvent.click(screen.getByTestId('add-with-bundle'));
    await screen.findByTestId('over-budget');
    await fireEvent.click(screen.getByTestId('add-send'));
    expect((await screen.findByTestId('budget-problem')).textContent).toContain('Enviar mesmo assim');
    expect(review.calls.some((c) => c.cmd === 'add_information_with_review')).toBe(false);
    await fireEvent.click(screen.getByTestId('send-over-budget'));
    await waitFor(() => expect(review.sendOver).toBe(true));
    await fireEvent.click(screen.getByTestId('add-send'));
    await screen.findByTestId('add-done');
  });
});

describe('Meus chamados: the support’s replies', () => {
  const reply = (id: number, body: string, created_at: string) => ({
    id,
    author: 'staff' as const,
    body,
    created_at,
    attachments: [],
  });

  it('shows who, when (local, to the minute) and the text as written, never as HTML; marked new and told to Rust', async () => {
    const body = 'Olá, Ana.\n<b>Reinstale</b> o driver & tente de novo.';
    const answered = sent('R-1', '482913', { status: 'answered', replies: [reply(7, body, '2026-03-11T09:05:30Z')] });
    const ipc = open([sent('R-1', '482913')], () => [answered], { history_seen: () => null });
    const text = await screen.findByTestId('reply-body');
    expect(text.textContent).toBe(body);
    expect(text.querySelector('b'), 'text, not markup').toBeNull();
    const item = screen.getByTestId('reply');
    expect(item.textContent).toContain('Suporte');
    expect(item.textContent).toContain('11/03/2026');
    expect(item.textContent).toContain('09:05');
    expect(item.textContent).not.toContain('09:05:30');
    expect(within(item).getByTestId('reply-new').textContent).toBe('Nova resposta');
    expect(screen.getByTestId('history-status').textContent).toBe('Respondido: aguardando você');
    await waitFor(() => expect(ipc.named('history_seen').map((c) => c.args)).toEqual([{ reference: 'R-1', reply: 7 }]));
  });

  it('the newest reply first; older ones behind "Ver respostas anteriores"; those seen before are not new', async () => {
    const replies = [
      reply(3, 'Primeira resposta', '2026-03-10T14:00:00Z'),
      reply(9, 'Resposta mais nova', '2026-03-11T10:00:00Z'),
    ];
    const ipc = open([], () => [sent('R-1', '482913', { replies, seen_reply: 9 })], { history_seen: () => null });
    await waitFor(() => expect(screen.getAllByTestId('reply-body').map((b) => b.textContent)).toEqual(['Resposta mais nova', 'Primeira resposta']));
    expect(screen.getByTestId('older-replies').textContent).toBe('Ver 1 resposta anterior');
    expect(screen.queryByTestId('reply-new')).toBeNull();
    expect(ipc.named('history_seen')).toHaveLength(0);
  });

  it('a reply that arrives while the screen is open shows within the refresh period, without a click', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let answered = false;
      const ipc = open([sent('R-1', '482913')], () =>
        answered ? [sent('R-1', '482913', { status: 'answered', replies: [reply(4, 'Já corrigimos.', '2026-03-11T09:00:00Z')] })] : [sent('R-1', '482913')],
        { history_seen: () => null },
      );
      await waitFor(() => expect(ipc.named('history_refresh')).toHaveLength(1));
      expect(screen.queryByTestId('reply')).toBeNull();
      answered = true;
      await vi.advanceTimersByTimeAsync(REFRESH_EVERY_MS);
      await waitFor(() => expect(screen.getByTestId('reply-body').textContent).toBe('Já corrigimos.'));
      expect(screen.getByTestId('reply-new')).toBeTruthy();
      expect(screen.getByTestId('history-status').textContent).toBe('Respondido: aguardando você');
      expect(screen.getByTestId('replies-arrived').textContent).toBe('Nova resposta do suporte no chamado nº 482913.');
      expect(ipc.named('history_refresh')).toHaveLength(2);
      expect(REFRESH_EVERY_MS).toBeLessThanOrEqual(30_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the timer’s refresh offline keeps the replies and says it once', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const kept = sent('R-1', '482913', { replies: [reply(4, 'Já corrigimos.', '2026-03-11T09:00:00Z')], seen_reply: 4 });
      const ipc = open([kept], () => Promise.reject({ code: 'offline' }));
      const alert = await screen.findByRole('alert');
      await vi.advanceTimersByTimeAsync(REFRESH_EVERY_MS);
      await waitFor(() => expect(ipc.named('history_refresh')).toHaveLength(2));
      expect(screen.getByRole('alert'), 'the same alert, not read again').toBe(alert);
      expect(screen.getByTestId('reply-body').textContent).toBe('Já corrigimos.');
    } finally {
      vi.useRealTimers();
    }
  });
});
