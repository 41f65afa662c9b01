// Meus chamados follows a ticket on its own: with the screen open, the vendor replies on a real
// chamado-central (standalone, `chamado-central admin reply`) and then closes the ticket; each
// shows within the screen's refresh period (30 s) without a click. Prints how long each took.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endSession, shot } from './harness.mjs';
import { Central, appWithCentral, chamado, historyCard } from './central.mjs';

let driver;
const central = new Central();
appWithCentral(central, (d) => (driver = d));

/** The screen's refresh period, and a margin for a slow machine. */
const PERIOD_MS = 30000;
const MARGIN_MS = 15000;

test('a reply and closing the ticket on central show in the open Meus chamados without a click', async () => {
  const send = chamado(
    [
      'send',
      '--topic', 'erro',
      '--summary', 'Impressora fiscal não imprime',
      '--description', 'A impressora parou depois da atualização.',
      '--contact-name', 'Ana Souza',
      '--contact-email', 'ana@padaria.example.com.br',
    ],
    driver.home,
  );
  assert.equal(send.status, 0, `delivered: ${send.stdout}${send.stderr}`);
  const number = send.stdout.match(/^Chamado (\S+)$/m)?.[1];
  assert.ok(number, send.stdout);

  const browser = await driver.session();
  try {
    const card = await historyCard(browser, number);
    assert.equal(await (await card.$('[data-testid="reply"]')).isExisting(), false, 'no reply yet');

    const text = 'Olá, Ana.\nReinstale o driver em C:\\Users\\<nome> & tente de novo.';
    central.admin('reply', number, '--message', text);
    const replied = Date.now();
    const body = await card.$('[data-testid="reply-body"]');
    await body.waitForDisplayed({ timeout: PERIOD_MS + MARGIN_MS, timeoutMsg: 'the reply did not show without a click' });
    const took = Date.now() - replied;
    console.log(`# the reply showed in Meus chamados ${(took / 1000).toFixed(1)} s after central had it`);
    // Line breaks kept: the text as written, never as HTML.
    assert.equal(await browser.execute((e) => e.textContent, body), text);
    const reply = await (await card.$('[data-testid="reply"]')).getText();
    assert.match(reply, /Suporte/);
    assert.match(reply, /Nova resposta/);
    assert.equal(await (await card.$('[data-testid="history-status"]')).getText(), 'Respondido: aguardando você');
    shot('replies-new-reply');

    central.admin('status', number, 'closed');
    const closedAt = Date.now();
    const status = await card.$('[data-testid="history-status"]');
    await browser.waitUntil(async () => (await status.getText()) === 'Encerrado', {
      timeout: PERIOD_MS + MARGIN_MS,
      timeoutMsg: 'the closed status did not show without a click',
    });
    console.log(`# "Encerrado" showed ${((Date.now() - closedAt) / 1000).toFixed(1)} s after central closed the ticket`);
    shot('replies-closed');
  } finally {
    await endSession(browser);
  }

  // The command line's history has the reply too (JSON), kept after the window.
  const status = chamado(['status', number, '--json'], driver.home);
  assert.equal(status.status, 0, status.stderr);
  const [ticket] = JSON.parse(status.stdout).tickets;
  assert.equal(ticket.status, 'closed');
  assert.deepEqual(
    ticket.replies.map((r) => [r.author, r.body]),
    [['staff', 'Olá, Ana.\nReinstale o driver em C:\\Users\\<nome> & tente de novo.']],
  );
  assert.equal(typeof ticket.seen_reply, 'number', 'seen in Meus chamados');
});
