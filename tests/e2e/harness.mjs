// Starts tauri-driver (which starts WebKitWebDriver, which starts the real chamado binary) and
// opens WebDriver sessions on it. Each harness has its own CHAMADO_HOME, so logs and the saved
// language of one test file never leak into another.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { remote } from 'webdriverio';

export const BIN = process.env.CHAMADO_BIN;
const DRIVER = process.env.TAURI_DRIVER ?? 'tauri-driver';
if (!BIN || !existsSync(BIN)) {
  throw new Error(`CHAMADO_BIN must name the built chamado binary (got ${BIN})`);
}

/** A loopback port nobody listens on now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

export async function startDriver() {
  const home = mkdtempSync(join(tmpdir(), 'chamado-e2e-'));
  const port = await freePort();
  const nativePort = await freePort();
  const proc = spawn(DRIVER, ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, CHAMADO_HOME: home },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(port, 15000);
  // tauri-driver starts WebKitWebDriver on the native port; a session asked for before that one
  // listens fails (UND_ERR_SOCKET), which a cold first start showed in CI.
  await waitForPort(nativePort, 15000);
  return {
    home,
    /** A new app process, optionally with extra command-line arguments. */
    async session(args = []) {
      return remote({
        hostname: '127.0.0.1',
        port,
        logLevel: 'warn',
        connectionRetryCount: 0,
        capabilities: {
          'tauri:options': { application: BIN, args },
          // WebKitWebDriver speaks classic WebDriver only; WebdriverIO 9 asks for BiDi otherwise.
          'wdio:enforceWebDriverClassic': true,
        },
      });
    },
    async stop() {
      // SIGTERM, not SIGKILL: SIGKILL orphans WebKitWebDriver and hangs the run.
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

/** The text of every element matching `selector`, trimmed. */
export async function texts(browser, selector) {
  const els = await browser.$$(selector);
  const out = [];
  for (const el of els) out.push((await el.getText()).trim());
  return out;
}

/**
 * Ends a WebDriver session and waits until its app process has exited: an app still closing
 * holds the single-instance lock, and the next session's app would hand over to it and leave
 * (the session then never starts). Slow machines close slowly.
 */
export async function endSession(browser) {
  await browser.deleteSession();
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    const running = spawnSync('pgrep', ['-f', '-x', `${BIN}( .*)?`]).status === 0;
    // The bus frees the single-instance name a moment after the process is gone: a window
    // started before then would hand itself to the instance that is no more.
    if (!running && !singleInstanceHeld()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${BIN} still runs 30 s after its session ended`);
}

/** Whether a window holds the app's single-instance name on the session bus. */
function singleInstanceHeld() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return false;
  const asked = spawnSync(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:br.chamado.app.SingleInstance'],
    { encoding: 'utf8', timeout: 5000 },
  );
  return /boolean true/.test(asked.stdout ?? '');
}

/** Where screenshots go, for a person to look at after the run. */
export const SHOTS = process.env.CHAMADO_E2E_SHOTS ?? join(tmpdir(), 'chamado-e2e-shots');

/**
 * The screen as a person sees it, into SHOTS/NAME.png (ImageMagick's `import` on the X display:
 * WebKit WebDriver's own screenshot hangs at random). Best effort: a missing `import` skips it.
 */
export function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  spawnSync('import', ['-window', 'root', join(SHOTS, `${name}.png`)], { timeout: 10000 });
}

export async function click(browser, selector) {
  const el = await browser.$(selector);
  await el.waitForClickable({ timeout: 20000 });
  // In the middle of the window: WebDriver's own scrolling leaves some under the sticky bars.
  await browser.execute((e) => e.scrollIntoView({ block: 'center' }), el);
  await el.click();
}

/** Replaces the text of the field `selector` with `text`. */
export async function type(browser, selector, text) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 20000 });
  await el.clearValue();
  await el.setValue(text);
}

export async function shown(browser, selector, timeout = 20000) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout });
  return el;
}

/** From the topic's first step on to "Conte o que aconteceu", past the guides and the checks. */
export async function toDetails(browser) {
  for (;;) {
    const step = await browser.waitUntil(
      async () => {
        for (const s of ['step-guides', 'step-checks', 'step-details']) {
          const el = await browser.$(`[data-testid="${s}"]`);
          if (await el.isDisplayed()) return s;
        }
        return false;
      },
      { timeout: 20000, timeoutMsg: 'no step after the topic' },
    );
    if (step === 'step-details') return;
    await click(browser, `[data-testid="${step}"] [data-testid="continue"]`);
    await (await browser.$(`[data-testid="${step}"]`)).waitForDisplayed({ reverse: true, timeout: 60000 });
  }
}
