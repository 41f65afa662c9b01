import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from '../../app/App.svelte';
import { ready } from '../../test/fixture';
import { person, ticketSide, type TicketSide } from '../../test/ticket';
import { reviewSide, type ReviewSide } from '../../test/review';

/** The app over a fake Rust side, opened on technician mode from Home. */
async function open(review: ReviewSide = reviewSide()): Promise<{ side: TicketSide; review: ReviewSide }> {
  const side = ticketSide({ person: person() });
  const handlers = { ...side.handlers, ...review.handlers };
  mockIPC((cmd, args) => {
    if (cmd === 'startup') return ready();
    if (cmd === 'ui_ready') return null;
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
  render(App);
  await fireEvent.click(await screen.findByTestId('open-technician'));
  await screen.findByTestId('bundle-review');
  return { side, review };
}

const byId = (id: string) => document.getElementById(id) as HTMLInputElement;

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  clearMocks();
});

describe('Modo técnico', () => {
  it('collects with no questions, shows the same review, and says where it is', async () => {
    const { review } = await open();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Modo técnico');
    expect(document.title).toBe('Modo técnico — Chamado');
    expect(review.calls.map((c) => c.cmd)).toEqual(['prepare_technician']);
    expect(screen.queryByTestId('tech-collecting')).toBeNull();
    expect(screen.getByTestId('bundle-total')).toBeTruthy();
  });

  it('saves to the default file in Documents, or where the technician says', async () => {
    const { review } = await open(reviewSide({ budget: 4 * 1024 * 1024 }));
    await fireEvent.click(screen.getByTestId('tech-action-save'));
    await waitFor(() => expect(byId('tech-path').value).toBe('/home/ana/Documentos/chamado-diagnostico.zip'));
    await fireEvent.input(byId('tech-path'), { target: { value: '/tmp/cliente.zip' } });
    await fireEvent.click(screen.getByTestId('tech-save'));
    expect((await screen.findByTestId('tech-saved')).textContent).toContain('Pacote salvo em /tmp/cliente.zip');
    expect(review.calls).toContainEqual({ cmd: 'save_review', args: { path: '/tmp/cliente.zip' } });
  });

  it('attaching checks the number and e-mail beside each field, then queues and follows delivery', async () => {
    const { side, review } = await open(reviewSide({ budget: 4 * 1024 * 1024 }));
    await fireEvent.click(screen.getByTestId('tech-action-attach'));
    await fireEvent.input(byId('tech-email'), { target: { value: 'ana@cliente' } });
    await fireEvent.click(screen.getByTestId('tech-attach'));
    const summary = await screen.findByTestId('error-summary');
    expect(within(summary).getByText('Há um problema')).toBeTruthy();
    expect(within(summary).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Informe o número do chamado',
      'Informe o e-mail no formato nome@empresa.com.br',
    ]);
    expect(document.getElementById('tech-number-error')?.textContent).toBe('Informe o número do chamado');
    expect(byId('tech-email').value).toBe('ana@cliente');
    expect(review.calls.some((c) => c.cmd === 'attach_review')).toBe(false);

    await fireEvent.input(byId('tech-number'), { target: { value: '000123' } });
    await fireEvent.input(byId('tech-email'), { target: { value: 'ana@cliente.com.br' } });
    await fireEvent.click(screen.getByTestId('tech-attach'));
    const done = await screen.findByTestId('tech-attached');
    expect(done.textContent).toContain('Pacote guardado na fila para o chamado nº 000123');
    expect(review.calls).toContainEqual({
      cmd: 'attach_review',
      args: { number: '000123', email: 'ana@cliente.com.br', note: null },
    });
    side.push('entry-tech', { state: 'delivered', reference: 'ref-1', number: '000123', link: null });
    await waitFor(() => expect(screen.getByTestId('tech-attached').textContent).toContain('Pacote anexado ao chamado nº 000123.'));
  });

  it('over the budget, nothing goes until the technician decides', async () => {
    const { review } = await open();
    await fireEvent.click(screen.getByTestId('tech-action-save'));
    await waitFor(() => expect(byId('tech-path').value).not.toBe(''));
    await fireEvent.click(screen.getByTestId('tech-save'));
    const summary = await screen.findByTestId('error-summary');
    expect(summary.textContent).toContain('Enviar mesmo assim');
    expect(screen.getByTestId('budget-problem')).toBeTruthy();
    expect(review.calls.some((c) => c.cmd === 'save_review')).toBe(false);
    await fireEvent.click(screen.getByTestId('send-over-budget'));
    await waitFor(() => expect(review.sendOver).toBe(true));
    await fireEvent.click(screen.getByTestId('tech-save'));
    await screen.findByTestId('tech-saved');
  });
});
