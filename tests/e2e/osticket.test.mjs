// Both ways through the vendor's osTicket: the real osTicket 1.18.1 (tools/osticket) with the
// Chamado plugin, a real chamado-central forwarding to it (`create = "plugin"`), the real app. A
// ticket sent from the app lands in osTicket; an analyst's reply posted in osTicket's staff panel
// and then closing the ticket show in the open Meus chamados within a minute, without a click.
// Prints how long each took (the target: 60 s).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endSession, shot } from './harness.mjs';
import { Central, appWithCentral, chamado, historyCard } from './central.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TOOL = join(ROOT, 'tools/osticket');
const SECRET = 'segredo-do-plugin-no-e2e-0123456789';
/** The target: a reply or a status change in osTicket shows in the app within 60 s. */
const TARGET_MS = 60000;

/** `tools/osticket ARGS`: its last line as JSON. */
function osticket(...args) {
  const ran = spawnSync('python3', [TOOL, ...args], { encoding: 'utf8', timeout: 180000 });
  assert.equal(ran.status, 0, `tools/osticket ${args[0]}: ${ran.stderr}`);
  const last = ran.stdout.trim().split('\n').pop();
  return last ? JSON.parse(last) : null;
}

// A short path under /tmp: MariaDB's and php-fpm's sockets have a length limit.
const deskDir = `/tmp/ost-e2e-${process.pid}`;
let desk;
before(() => {
  rmSync(deskDir, { recursive: true, force: true });
  desk = osticket('start', deskDir);
});

let driver;
const central = new Central(
  () =>
    `[osticket]\nurl = "${desk.url}"\napi_key = "${desk.api_key}"\ncreate = "plugin"\n` +
    `events_secret = "${SECRET}"\n[osticket.topics]\nerro = ${desk.topic_id}\n`,
);
appWithCentral(central, (d) => (driver = d));


after(() => {
  spawnSync('python3', [TOOL, 'stop', deskDir]);
  rmSync(deskDir, { recursive: true, force: true });
});

/** The app's history entry of its one ticket (`chamado status --json`, refreshed from central). */
function sent() {
  const status = chamado(['status', '--json'], driver.home);
  assert.equal(status.status, 0, status.stderr);
  return JSON.parse(status.stdout).tickets[0];
}

test("an osTicket analyst's reply and closing show in the open Meus chamados within a minute", async () => {
  // Here, not in a hook: central's URL is known once the file's set-up has started it.
  osticket('plugin', deskDir, join(ROOT, 'osticket-plugin/chamado'), '--config', `central_url=${central.url}`, '--config', `secret=${SECRET}`);
  const send = chamado(
    [
      'send',
      '--topic', 'erro',
      '--summary', 'Impressora fiscal não imprime',
      '--description', 'Parou depois da atualização: C:\\Users\\<nome> & ação.',
      '--contact-name', 'Ana Souza',
      '--contact-email', 'ana@padaria.example.com.br',
    ],
    driver.home,
  );
  assert.equal(send.status, 0, `delivered: ${send.stdout}${send.stderr}`);
  // Central forwards in the background: the number is osTicket's once the plugin answered.
  let ticket = sent();
  const until = Date.now() + 60000;
  while (!ticket.number && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    ticket = sent();
  }
  const number = ticket.number;
  assert.ok(number, 'central forwarded the ticket and the app has osTicket’s number');
  // One row, one number: the count, as tools/osticket sql prints it.
  assert.equal(osticket('sql', deskDir, `SELECT COUNT(*) FROM ost_ticket WHERE number = '${number}'`), 1, 'once in osTicket');

  const browser = await driver.session();
  try {
    const card = await historyCard(browser, number);
    assert.equal(await (await card.$('[data-testid="reply"]')).isExisting(), false, 'no reply yet');

    const text = 'Olá, Ana. Reinstale o driver da impressora e tente de novo.';
    const replied = Date.now();
    osticket('reply', deskDir, number, text);
    const body = await card.$('[data-testid="reply-body"]');
    await body.waitForDisplayed({ timeout: TARGET_MS, timeoutMsg: 'the reply did not show within a minute' });
    console.log(`# the analyst's reply showed in Meus chamados ${((Date.now() - replied) / 1000).toFixed(1)} s after it was posted in osTicket`);
    assert.equal((await browser.execute((e) => e.textContent, body)).trim(), text);
    assert.equal(await (await card.$('[data-testid="history-status"]')).getText(), 'Respondido: aguardando você');
    shot('osticket-reply');

    const closedAt = Date.now();
    osticket('reply', deskDir, number, 'Resolvido: encerrando o chamado.', '--status', 'Closed');
    const status = await card.$('[data-testid="history-status"]');
    await browser.waitUntil(async () => (await status.getText()) === 'Encerrado', {
      timeout: TARGET_MS,
      timeoutMsg: 'closing the ticket in osTicket did not show within a minute',
    });
    console.log(`# "Encerrado" showed ${((Date.now() - closedAt) / 1000).toFixed(1)} s after the analyst closed the ticket in osTicket`);
    shot('osticket-closed');
  } catch (e) {
    // What the plugin sent central, and what central answered: the first thing to look at.
    const events = spawnSync('python3', [TOOL, 'sql', deskDir, 'SELECT id, event, attempts, sent_at, last_error FROM ost_chamado_event'], {
      encoding: 'utf8',
    });
    console.log(`# the plugin's events:\n${events.stdout}${events.stderr}`);
    throw e;
  } finally {
    await endSession(browser);
  }
});
