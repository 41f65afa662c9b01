// Fake Rust side for looking at the UI in a plain browser.
// `?broken` shows the error screen; `?topic=<id>` opens that topic; `?lang=en` switches.
import { mockIPC } from '@tauri-apps/api/mocks';
import { broken, ready } from './fixture';

export function installPreviewIpc(): void {
  const params = new URLSearchParams(location.search);
  mockIPC((cmd, args) => {
    console.info('[preview ipc]', cmd, args);
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
