// Fake Rust side for looking at the UI in a plain browser.
// `?broken` shows the error screen; `?topic=<id>` opens that topic; `?lang=en` switches.
import { mockIPC } from '@tauri-apps/api/mocks';
import { broken, ready } from './fixture';
import { ticketSide } from './ticket';

export function installPreviewIpc(): void {
  const params = new URLSearchParams(location.search);
  // The wizard: a person and a draft kept for the page's life; a ticket sent is delivered.
  const ticket = ticketSide();
  ticket.submit = () => {
    setTimeout(() => ticket.push('preview-1', { state: 'sending', sent: 40, total: 100 }), 1500);
    setTimeout(
      () => ticket.push('preview-1', { state: 'delivered', reference: 'R-PREVIEW', number: '482913', link: 'https://central.example.com.br/t/R-PREVIEW' }),
      2500,
    );
    return new Promise((resolve) => setTimeout(() => resolve('preview-1'), 1000));
  };
  mockIPC((cmd, args) => {
    console.info('[preview ipc]', cmd, args);
    const handler = ticket.handlers[cmd];
    if (handler && cmd !== 'list_screens' && cmd !== 'open_guide') return handler((args ?? {}) as Record<string, unknown>);
    if (cmd === 'startup') return params.has('broken') ? broken() : ready();
    if (cmd === 'ui_ready' || cmd === 'open_guide') return null;
    // No Rust here: no screen to capture (the message a machine without a display shows).
    if (cmd === 'list_screens') return [];
    if (cmd === 'capture_screens') {
      return { shots: [], added: [], failure: { code: 'no_display', monitor: null, detail: 'preview' }, problems: [] };
    }
    throw new Error(`unknown command ${cmd}`);
  });
  const clicks = [params.get('lang') && `lang-${params.get('lang')}`, params.get('topic') && `topic-${params.get('topic')}`];
  const timer = setInterval(() => {
    const next = clicks.find(Boolean);
    if (!next) return clearInterval(timer);
    const el = document.querySelector<HTMLElement>(`[data-testid="${next}"]`);
    if (el) {
      el.click();
      clicks[clicks.indexOf(next)] = null;
    }
  }, 20);
}
