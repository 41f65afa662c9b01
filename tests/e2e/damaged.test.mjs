// A damaged outbox in the window, against a real chamado-central: an entry whose entry.json was
// cut short (and a stray desktop.ini) does not stop the Fila. The damaged one is a row saying it
// could not be read and why; the good ticket is listed and delivered when central is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { endSession, shot } from './harness.mjs';
import { Central, chamado, appWithCentral } from './central.mjs';

let driver;
const central = new Central();

appWithCentral(central, (d) => (driver = d));

test('a damaged outbox entry is shown apart with its reason and the other ticket is delivered', async () => {
  await central.stop();
  const send = chamado(
    [
      'send',
      '--topic', 'erro',
      '--summary', 'Caixa não fecha o dia',
      '--description', 'O fechamento para em 90%.',
      '--contact-name', 'Ana Souza',
      '--contact-email', 'ana@padaria.example.com.br',
    ],
    driver.home,
  );
  assert.equal(send.status, 3, `queued for later (exit 3): ${send.stdout}${send.stderr}`);
  const outbox = join(driver.home, 'outbox');
  mkdirSync(join(outbox, '20261201-000000-aaaaaa'));
  writeFileSync(join(outbox, '20261201-000000-aaaaaa', 'entry.json'), '{"id": "20261201-0');
  writeFileSync(join(outbox, 'desktop.ini'), '[.ShellClassInfo]\r\n');

  const browser = await driver.session();
  try {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    await (await browser.$('[data-testid="open-queue"]')).click();
    const damaged = await browser.$('[data-testid="queue-damaged"]');
    await damaged.waitForDisplayed({ timeout: 20000 });
    const row = await damaged.getText();
    assert.match(row, /Um item da fila não pôde ser lido/);
    assert.match(row, /Motivo: entry\.json cannot be read/);
    assert.doesNotMatch(row, /disco cheio/);
    const item = await browser.$('[data-testid="queue-item"]');
    await item.waitForDisplayed({ timeout: 10000 });
    assert.match(await item.getText(), /Caixa não fecha o dia/);
    assert.equal(await (await browser.$('[data-testid="queue-error"]')).isExisting(), false);
    shot('damaged-fila');
    // Kept on disk, aside; the stray file left alone.
    assert.ok(existsSync(join(outbox, '.damaged', '20261201-000000-aaaaaa', 'entry.json')));
    assert.ok(existsSync(join(outbox, 'desktop.ini')));

    await central.start();
    const delivered = await browser.$('[data-testid="delivered"]');
    await delivered.waitForDisplayed({ timeout: 60000, timeoutMsg: 'the window did not deliver the good ticket' });
    assert.match(await delivered.getText(), /chamado nº \S+/);
    // The damaged row stays, and nothing says the Fila is empty of it.
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="queue-item"]')).isExisting()), {
      timeout: 20000,
      timeoutMsg: 'the delivered ticket stayed in the Fila',
    });
    assert.ok(await (await browser.$('[data-testid="queue-damaged"]')).isDisplayed());
  } finally {
    await endSession(browser);
  }
});
