// Abrir um chamado in the real window against a real chamado-central (standalone, SQLite): the
// customer's journey from "Abrir um chamado" to the ticket number, as a customer does it, and the
// ticket as central shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDriver, freePort, endSession, BIN } from './harness.mjs';

const CENTRAL = process.env.CHAMADO_CENTRAL_BIN ?? join(dirname(BIN), 'chamado-central');
if (!existsSync(CENTRAL)) {
  throw new Error(`CHAMADO_CENTRAL_BIN must name the built chamado-central binary (got ${CENTRAL})`);
}
/** Where each step's screenshot goes, for a person to look at after the run. */
const SHOTS = process.env.CHAMADO_E2E_SHOTS ?? join(tmpdir(), 'chamado-e2e-wizard');

let driver;
let central = null;
const centralData = mkdtempSync(join(tmpdir(), 'chamado-e2e-central-'));
let port;

async function startCentral() {
  central = spawn(CENTRAL, ['serve', '--listen', `127.0.0.1:${port}`, '--data', centralData], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const until = Date.now() + 20000;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('chamado-central did not start');
}

async function stopCentral() {
  if (!central) return;
  const proc = central;
  central = null;
  proc.kill('SIGTERM');
  if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
}

/** The chamado command line with the window's data folder (another one's with `home`). */
function chamado(args, home = driver.home) {
  return spawnSync(BIN, ['--lang', 'pt-BR', ...args], {
    env: { ...process.env, CHAMADO_HOME: home },
    encoding: 'utf8',
    timeout: 60000,
  });
}

before(async () => {
  driver = await startDriver();
  port = await freePort();
  await startCentral();
  const code = spawnSync(CENTRAL, ['admin', 'enrol-code', '--company', 'Padaria Pão Quente', '--data', centralData], {
    encoding: 'utf8',
  });
  assert.equal(code.status, 0, code.stderr);
  const enrol = chamado(['enrol', code.stdout.trim(), '--central', `http://127.0.0.1:${port}`]);
  assert.equal(enrol.status, 0, enrol.stderr);
});


after(async () => {
  await stopCentral();
  await driver?.stop();
});

/**
 * The screen as a person sees it, into SHOTS (ImageMagick's `import` on the X display: WebKit
 * WebDriver's own screenshot hangs at random). Best effort: a missing `import` skips it.
 */
function shot(_browser, name) {
  mkdirSync(SHOTS, { recursive: true });
  spawnSync('import', ['-window', 'root', join(SHOTS, `${name}.png`)], { timeout: 10000 });
}

async function click(browser, selector) {
  const el = await browser.$(selector);
  await el.waitForClickable({ timeout: 20000 });
  await el.click();
}

async function type(browser, selector, text) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 20000 });
  await el.clearValue();
  await el.setValue(text);
}

test('a customer opens a ticket in the window and it arrives complete at central with its number shown', async () => {
  const browser = await driver.session();
  try {
    await browser.setWindowSize(1366, 768);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="new-ticket"]');

    // Quem é você: a department address is warned about, with the reason, and can be changed.
    await type(browser, '#person-name', 'Ana Souza');
    await type(browser, '#person-email', 'financeiro@padaria.example.com.br');
    await type(browser, '#person-phone', '(31) 3271-0000');
    const warning = await browser.$('[data-testid="field-warning"]');
    await warning.waitForDisplayed({ timeout: 10000 });
    assert.match(await warning.getText(), /pessoa/);
    shot(browser, '1-quem-e-voce');
    await type(browser, '#person-email', 'ana@padaria.example.com.br');
    await click(browser, '#person-continue');

    // Tipo de ajuda, then the guides: not solved.
    await click(browser, '[data-testid="choose-topic-erro"]');
    await (await browser.$('[data-testid="step-guides"]')).waitForDisplayed({ timeout: 10000 });
    shot(browser, '3-antes-de-abrir');
    await click(browser, '#guides-continue');

    // Conte o que aconteceu: continuing empty names each problem, nothing typed is lost.
    await (await browser.$('#summary')).waitForDisplayed({ timeout: 10000 });
    await type(browser, '#summary', 'Nota fiscal não transmite');
    await click(browser, '#details-continue');
    const summary = await browser.$('[data-testid="error-summary"]');
    await summary.waitForDisplayed({ timeout: 10000 });
    assert.match(await summary.getText(), /Há um problema/);
    assert.equal(await (await browser.$('#summary')).getValue(), 'Nota fiscal não transmite');
    shot(browser, '4-ha-um-problema');
    await type(browser, '#fields-mensagem', 'Erro 1045: rejeição <schema> & "timeout"');
    await type(browser, '#fields-acao', 'Transmitindo a nota do pedido 3321');
    await click(browser, '#fields-frequencia');
    await (await browser.$('#module')).selectByAttribute('value', 'fiscal');
    await type(browser, '#description', 'Desde hoje cedo a nota fica parada em "transmitindo".');
    await click(browser, '#urgency-affected');
    shot(browser, '4-conte-o-que-aconteceu');
    await click(browser, '#details-continue');

    await (await browser.$('[data-testid="step-evidence"]')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '#evidence-continue');

    // Confira antes de enviar: the answers, then send.
    const review = await browser.$('[data-testid="step-review"]');
    await review.waitForDisplayed({ timeout: 10000 });
    const answers = await review.getText();
    assert.match(answers, /Ana Souza/);
    assert.match(answers, /Nota fiscal não transmite/);
    assert.match(answers, /Erro 1045/);
    shot(browser, '6-confira');
    await click(browser, '[data-testid="send-ticket"]');

    // The number, as central gave it, and the follow link.
    const number = await browser.$('[data-testid="ticket-number"]');
    await number.waitForDisplayed({ timeout: 90000, timeoutMsg: 'no ticket number shown' });
    const shown = (await number.getText()).trim();
    shot(browser, '7-confirmacao');
    const status = JSON.parse(chamado(['status', '--json']).stdout);
    const sent = status.tickets.find((t) => t.summary === 'Nota fiscal não transmite');
    assert.ok(sent, JSON.stringify(status));
    assert.ok(shown.includes(sent.number), `shown ${shown}, central ${sent.number}`);

    // Central's quick-access page: the description and the diagnostics bundle.
    const page = await (await fetch(sent.link)).text();
    assert.match(page, /Nota fiscal não transmite/);
    assert.match(page, /parada em &quot;transmitindo&quot;|parada em "transmitindo"/);
    assert.match(page, /Anexo: \S+\.zip \(\d+ bytes\)/, 'the diagnostics bundle');

    // Sent: the draft is gone; a new ticket starts from the topic (the person is remembered).
    await click(browser, '[data-testid="another-ticket"]');
    await (await browser.$('[data-testid="step-topic"]')).waitForDisplayed({ timeout: 10000 });
  } finally {
    await endSession(browser);
  }
});
