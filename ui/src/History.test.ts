import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Sent } from './lib/bindings';
import History from './History.svelte';
import { profile } from './test/fixture';
import { sent } from './test/delivery';

function open(stored: Sent[], refresh: () => Promise<Sent[]> | Sent[]) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'history_list') return stored;
    if (cmd === 'history_refresh') return refresh();
    if (cmd === 'open_ticket_link') return null;
    throw new Error(`unknown command ${cmd}`);
  });
  render(History, { profile: profile(), lang: 'pt-BR', onLang: () => {}, onBack: () => {} });
  return { named: (cmd: string) => calls.filter((c) => c.cmd === cmd) };
}

afterEach(() => {
  cleanup();
  clearMocks();
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

  it('says when nothing was sent yet', async () => {
    open([], () => []);
    expect((await screen.findByTestId('history-empty')).textContent).toBe('Nenhum chamado enviado ainda.');
  });
});
