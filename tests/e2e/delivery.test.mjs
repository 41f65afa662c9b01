// Delivery from the window, against a real chamado-central: a ticket queued by `chamado send`
// while central is down shows in the Fila; central comes back and the open window delivers it
// without the user doing anything; Meus chamados shows its number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDriver, endSession, BIN } from './harness.mjs';
import { Central, chamado as run } from './central.mjs';

let driver;
const central = new Central();

/** The chamado command line with the window's data folder (another one's with `home`). */
function chamado(args, home = driver.home) {
  return run(args, home);
}

before(async () => {
  driver = await startDriver();
  await central.start();
  central.enrol(driver.home);
});

/** Home in Portuguese, then the Fila; answers its first ticket once shown. */
async function openQueue(browser) {
  await (await browser.$('[data-testid="lang-pt-BR"]')).click();
  await (await browser.$('[data-testid="open-queue"]')).click();
  const item = await browser.$('[data-testid="queue-item"]');
  await item.waitForDisplayed({ timeout: 20000 });
  return item;
}

after(async () => {
  await central.stop();
  await driver?.stop();
});

test('a ticket queued while central is down is delivered by the open window when central is back', async () => {
  await central.stop();
  const send = chamado([
    'send',
    '--topic', 'erro',
    '--summary', 'Nota fiscal não transmite',
    '--description', 'Desde hoje cedo a nota fica parada em "transmitindo".',
    '--contact-name', 'Ana Souza',
    '--contact-email', 'ana@padaria.example.com.br',
  ]);
  assert.equal(send.status, 3, `queued for later (exit 3): ${send.stdout}${send.stderr}`);

  const browser = await driver.session();
  try {
    const item = await openQueue(browser);
    const text = await item.getText();
    assert.match(text, /Nota fiscal não transmite/);
    assert.match(text, /Reportar erro/, 'the topic by its label');
    assert.match(text, /Aguardando|Na fila|Enviando/, text);

    await central.start();
    // No click: the sender retries on its backoff (a few seconds after the failed attempts).
    const delivered = await browser.$('[data-testid="delivered"]');
    await delivered.waitForDisplayed({ timeout: 60000, timeoutMsg: 'the window did not deliver the ticket' });
    const notice = await delivered.getText();
    const number = notice.match(/chamado nº (\S+)/)?.[1];
    assert.ok(number, notice);
    await (await browser.$('[data-testid="queue-empty"]')).waitForDisplayed({ timeout: 10000 });

    await (await browser.$('[data-testid="back"]')).click();
    await (await browser.$('[data-testid="open-history"]')).click();
    const shown = await browser.$('[data-testid="history-number"]');
    await shown.waitForDisplayed({ timeout: 20000 });
    await browser.waitUntil(async () => (await shown.getText()).trim() === number, {
      timeout: 10000,
      timeoutMsg: `Meus chamados shows ${await shown.getText()}, not ${number}`,
    });
    const entry = await (await browser.$('[data-testid="history-item"]')).getText();
    assert.match(entry, /Nota fiscal não transmite/);
    assert.match(entry, /Aberto: aguardando o suporte/, 'the status read from central');
  } finally {
    await endSession(browser);
  }

  // Exactly once: the command line sees the same one ticket, the outbox is empty.
  const status = chamado(['status']);
  assert.equal(status.status, 0, status.stderr);
  assert.equal(status.stdout.trim().split('\n').length, 1, status.stdout);
  const outbox = chamado(['outbox', 'list']);
  assert.match(outbox.stdout, /Nenhum chamado na fila/);
});

test('a ticket central refuses stays in the Fila with the reason until the user deletes it, after confirming', async () => {
  if (!central.running) await central.start();
  const send = chamado([
    'send',
    '--topic', 'duvida',
    '--summary', 'Como emitir segunda via',
    '--description', 'Preciso da segunda via do boleto.',
    '--contact-name', 'Ana Souza',
    '--contact-email', 'ana-sem-arroba',
  ]);
  assert.equal(send.status, 1, `refused: ${send.stdout}${send.stderr}`);

  const browser = await driver.session();
  try {
    const item = await openQueue(browser);
    assert.equal(await (await item.$('[data-testid="queue-state"]')).getText(), 'Recusado pelo suporte');
    assert.match(await (await item.$('[data-testid="queue-reason"]')).getText(), /ticket\.contact\.email/);

    // "Excluir" asks first; "Cancelar" keeps it.
    await (await item.$('[data-testid="delete"]')).click();
    assert.match(await item.getText(), /Excluir o chamado “Como emitir segunda via”\?/);
    await (await item.$('[data-testid="cancel-delete"]')).click();
    assert.equal(chamado(['outbox', 'list']).stdout.includes('Como emitir segunda via'), true, 'kept');

    await (await item.$('[data-testid="delete"]')).click();
    await (await item.$('[data-testid="confirm-delete"]')).click();
    await (await browser.$('[data-testid="queue-empty"]')).waitForDisplayed({ timeout: 10000 });
  } finally {
    await endSession(browser);
  }
  assert.match(chamado(['outbox', 'list']).stdout, /Nenhum chamado na fila/);
});

test('information added in Meus chamados reaches the ticket on central', async () => {
  if (!central.running) await central.start();
  const send = chamado([
    'send',
    '--topic', 'duvida',
    '--summary', 'Relatório de vendas em branco',
    '--description', 'O relatório mensal sai sem linhas.',
    '--contact-name', 'Ana Souza',
    '--contact-email', 'ana@padaria.example.com.br',
  ]);
  assert.equal(send.status, 0, `delivered: ${send.stdout}${send.stderr}`);
  const number = send.stdout.match(/^Chamado (\S+)$/m)?.[1];
  const link = send.stdout.match(/^Acompanhe em (\S+)$/m)?.[1];
  assert.ok(number && link, send.stdout);

  const browser = await driver.session();
  try {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    await (await browser.$('[data-testid="open-history"]')).click();
    const card = await browser.$(`//li[@data-testid="history-item"][.//dd[@data-testid="history-number"][normalize-space()="${number}"]]`);
    await card.waitForDisplayed({ timeout: 20000 });
    await (await card.$('[data-testid="add-open"]')).click();
    await (await card.$('[data-testid="add-text"]')).setValue('Descobri que só acontece com o filtro "mês atual".');
    await (await card.$('[data-testid="add-send"]')).click();
    const done = await card.$('[data-testid="add-done"]');
    await done.waitForDisplayed({ timeout: 20000 });
    await browser.waitUntil(async () => (await done.getText()).includes(`Informação entregue ao suporte no chamado nº ${number}`), {
      timeout: 30000,
      timeoutMsg: 'the added information was not delivered',
    });
  } finally {
    await endSession(browser);
  }

  // Central's quick-access page for the ticket (its follow link in standalone mode) shows it.
  const page = await (await fetch(link)).text();
  assert.match(page, /Descobri que só acontece com o filtro (&quot;|")mês atual(&quot;|")\./);
  assert.match(chamado(['outbox', 'list']).stdout, /Nenhum chamado na fila/);
});

test('not enrolled: the code typed in the Fila enrols this computer and the kept ticket goes at once', async () => {
  if (!central.running) await central.start();
  // A computer of its own (the shared one is enrolled), with a profile naming this central and no
  // installer's code.
  const fresh = await startDriver();
  const profileFile = join(fresh.home, 'perfil.toml');
  const builtin = spawnSync(BIN, ['profile', 'default'], { encoding: 'utf8' });
  assert.equal(builtin.status, 0, builtin.stderr);
  writeFileSync(profileFile, builtin.stdout.replace(/^url = ""$/m, `url = "${central.url}"`));
  const cli = (args) => chamado(['--profile', profileFile, ...args], fresh.home);
  const send = cli([
    'send',
    '--topic', 'duvida',
    '--summary', 'Sistema lento no caixa 2',
    '--description', 'Cada venda leva um minuto para fechar.',
    '--contact-name', 'Ana Souza',
    '--contact-email', 'ana@padaria.example.com.br',
  ]);
  assert.notEqual(send.status, 0, `not enrolled, so not sent: ${send.stdout}${send.stderr}`);
  assert.match(cli(['outbox', 'list']).stdout, /Sistema lento no caixa 2/, 'kept in the Fila');

  const code = central.code();

  const browser = await fresh.session(['--profile', profileFile]);
  try {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    await (await browser.$('[data-testid="open-queue"]')).click();
    await (await browser.$('[data-testid="not-enrolled"]')).waitForDisplayed({ timeout: 20000 });
    const input = await browser.$('[data-testid="enrol-code"]');

    // A mistyped code: said so, and what was typed stays for the user to correct.
    await input.setValue('AAAAA-BBBBB-CCCCC');
    await (await browser.$('[data-testid="enrol-submit"]')).click();
    const error = await browser.$('[data-testid="enrol-error"]');
    await error.waitForDisplayed({ timeout: 20000 });
    assert.equal(await error.getAttribute('data-code'), 'code_refused');
    assert.match(await error.getText(), /O suporte não aceitou este código/);
    assert.equal(await input.getValue(), 'AAAAA-BBBBB-CCCCC');

    // The code as received, in lower case: enrolled, and the kept ticket is delivered.
    await input.setValue(code.toLowerCase());
    await (await browser.$('[data-testid="enrol-submit"]')).click();
    await (await browser.$('[data-testid="enrolled"]')).waitForDisplayed({ timeout: 20000 });
    const delivered = await browser.$('[data-testid="delivered"]');
    await delivered.waitForDisplayed({ timeout: 30000, timeoutMsg: 'the kept ticket was not delivered' });
    assert.match(await delivered.getText(), /chamado nº \S+ · Sistema lento no caixa 2/);
    await (await browser.$('[data-testid="queue-empty"]')).waitForDisplayed({ timeout: 10000 });
  } finally {
    await endSession(browser);
    await fresh.stop();
  }
  const status = cli(['status']);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /Sistema lento no caixa 2/);
});
