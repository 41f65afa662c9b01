import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import BundleReview from './BundleReview.svelte';
import { reviewOf, reviewSide, type ReviewSide } from '../test/review';

function mount(side: ReviewSide) {
  mockIPC((cmd, args) => {
    const handler = side.handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
  render(BundleReview, { props: { review: reviewOf(side.items, side.budget) } });
}

const item = (id: string) => screen.getByTestId(`bundle-item-${id}`);

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  clearMocks();
});

describe('BundleReview', () => {
  it('shows every item with its size in the user’s locale, its preview and what redaction replaced', async () => {
    mount(reviewSide({ budget: 4 * 1024 * 1024 }));
    expect(screen.getByTestId('size-screenshot-1').textContent).toBe('1,2 MB');
    expect(screen.getByTestId('size-log-1').textContent).toBe('300 KB');
    expect(screen.getByTestId('size-field-contact.phone').textContent).toBe('40 bytes');
    expect(screen.getByTestId('bundle-total').textContent).toBe('1,7 MB de 4 MB');
    expect(screen.getByTestId('bundle-redacted').textContent).toContain('3 nomes de usuário, 1 e-mail substituídos');
    // Parts of the diagnosis and the ticket's answers are listed too.
    expect(item('probe-software').textContent).toContain('Programas instalados');
    expect(item('field-contact.phone')).toBeTruthy();
    // The preview opens: a text as sent, an image as its thumbnail.
    const log = within(screen.getByTestId('preview-log-1'));
    await fireEvent.click(log.getByText('Ver conteúdo'));
    expect(log.getByText(/usuário \[usuário-1\] entrou/)).toBeTruthy();
    const img = within(screen.getByTestId('preview-screenshot-1')).getByRole('img') as HTMLImageElement;
    expect(img.src).toBe('data:image/webp;base64,UklGRg==');
    expect(screen.queryByTestId('over-budget')).toBeNull();
  });

  it('cannot switch off a required item, and says why', () => {
    mount(reviewSide());
    const sw = screen.getByTestId('include-report-1') as HTMLInputElement;
    expect(sw.disabled).toBe(true);
    expect(sw.getAttribute('role')).toBe('switch');
    const why = document.getElementById(sw.getAttribute('aria-describedby') ?? '');
    expect(why?.textContent).toContain('Obrigatório');
  });

  it('switches an optional item off through Rust, and the total follows', async () => {
    const side = reviewSide({ budget: 4 * 1024 * 1024 });
    mount(side);
    await fireEvent.click(screen.getByTestId('include-log-1'));
    await waitFor(() => expect((screen.getByTestId('include-log-1') as HTMLInputElement).checked).toBe(false));
    expect(side.calls).toContainEqual({ cmd: 'set_review_item', args: { id: 'log-1', included: false } });
    expect(item('log-1').textContent).toContain('Não será enviado');
    expect(screen.getByTestId('bundle-total').textContent).toBe('1,4 MB de 4 MB');
  });

  it('over the budget says so and offers the proposals as one-click actions', async () => {
    const side = reviewSide();
    mount(side);
    const over = screen.getByTestId('over-budget');
    expect(over.textContent).toContain('O pacote passou do limite de 1 MB');
    expect(within(over).getByTestId('leave-out-screenshot-1').textContent).toBe('Retirar tela-1.webp (1,2 MB)');
    expect(within(over).queryByTestId('leave-out-report-1')).toBeNull();
    await fireEvent.click(within(over).getByTestId('leave-out-screenshot-1'));
    await waitFor(() => expect(screen.queryByTestId('over-budget')).toBeNull());
    expect(side.calls).toContainEqual({ cmd: 'set_review_item', args: { id: 'screenshot-1', included: false } });
  });

  it('"Enviar mesmo assim" is the customer’s word, kept by Rust', async () => {
    const side = reviewSide();
    mount(side);
    await fireEvent.click(screen.getByTestId('send-over-budget'));
    await waitFor(() => expect(side.sendOver).toBe(true));
    expect((screen.getByTestId('send-over-budget') as HTMLInputElement).checked).toBe(true);
  });

  it('speaks English too', async () => {
    localStorage.setItem('chamado.lang', 'en');
    const { locale } = await import('../app/locale.svelte');
    locale.restore();
    mount(reviewSide());
    expect(screen.getByTestId('over-budget').textContent).toContain('The bundle is over the 1 MB limit');
    expect(screen.getByTestId('bundle-redacted').textContent).toContain('3 user names, 1 e-mail replaced');
    localStorage.clear();
    locale.restore();
  });
});
