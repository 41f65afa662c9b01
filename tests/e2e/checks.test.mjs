// "Vamos verificar as causas mais comuns" in the real window against a real chamado-central: a
// topic whose server port is closed shows it as a problem with what to do; once the port listens,
// "Verificar de novo" turns it ok, in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endSession, freePort, shot, click } from './harness.mjs';
import { Central, appWithCentral } from './central.mjs';

let driver;
const central = new Central();

appWithCentral(central, (d) => (driver = d));

/** A profile whose one topic checks the company's server on `port` of this machine. */
function profileFile(port) {
  const dir = mkdtempSync(join(tmpdir(), 'chamado-e2e-checks-profile-'));
  const file = join(dir, 'perfil.toml');
  writeFileSync(
    file,
    `
[vendor]
name = "Fornecedor de Teste"
phone = "(31) 3271-0322"
hours = { pt-BR = "segunda a sexta, das 8h às 18h", en = "Monday to Friday, 8 am to 6 pm" }
portal = "https://suporte.exemplo.com.br/"

[branding]
product = "Sistema de Gestão"

[central]
url = "${central.url}"

[[checks]]
id = "servidor"
label = { pt-BR = "Servidor do banco de dados", en = "Database server" }
tcp = "127.0.0.1:${port}"
timeout_ms = 2000

[[topics]]
id = "erro"
label = { pt-BR = "Reportar erro", en = "Report an error" }
description = { pt-BR = "Algo parou de funcionar", en = "Something stopped working" }
osticket_topic = 10

[[topics.checklist]]
text = { pt-BR = "O servidor está ligado e respondendo?", en = "Is the server on and answering?" }
checks = ["servidor", "network"]
`,
  );
  return file;
}

/** The state a check's row shows (`running`, `ok`, `problem`, `unknown`), once it is not running. */
async function settled(browser, id) {
  const row = await browser.$(`[data-testid="check-item"][data-check="${id}"]`);
  await row.waitForExist({ timeout: 20000 });
  await browser.waitUntil(async () => (await row.getAttribute('data-state')) !== 'running', {
    timeout: 20000,
    timeoutMsg: `${id} still running`,
  });
  return row;
}

test('a closed server port is a problem with what to do; once it listens, "Verificar de novo" turns it ok', async () => {
  const port = await freePort();
  const browser = await driver.session(['--profile', profileFile(port)]);
  let server = null;
  try {
    await browser.setWindowSize(1366, 768);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="new-ticket"]');
    await (await browser.$('#person-name')).setValue('Ana Souza');
    await (await browser.$('#person-email')).setValue('ana@padaria.example.com.br');
    await (await browser.$('#person-phone')).setValue('(31) 3271-0000');
    await click(browser, '#person-continue');
    await click(browser, '[data-testid="choose-topic-erro"]');

    // No guides in this topic: the checks come right after the choice.
    const step = await browser.$('[data-testid="step-checks"]');
    await step.waitForDisplayed({ timeout: 10000 });
    assert.equal(await browser.getTitle(), 'Vamos verificar as causas mais comuns — Chamado');
    let row = await settled(browser, 'servidor');
    assert.equal(await row.getAttribute('data-state'), 'problem');
    const text = await row.getText();
    assert.match(text, /Problema encontrado/);
    assert.match(text, /recusou a conexão/);
    assert.match(text, /O que fazer:/);
    await settled(browser, 'network');
    const changes = await browser.$('[data-testid="check-changes"]');
    await changes.waitForDisplayed({ timeout: 30000 });
    shot('4-verificacoes-problema');

    // The customer starts the server, then checks again: the same row, now ok.
    server = net.createServer((s) => s.end());
    await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
    await click(browser, '[data-testid="checks-again"]');
    await browser.waitUntil(
      async () => (await (await browser.$('[data-testid="check-item"][data-check="servidor"]')).getAttribute('data-state')) === 'ok',
      { timeout: 20000, timeoutMsg: 'the server did not turn ok' },
    );
    row = await browser.$('[data-testid="check-item"][data-check="servidor"]');
    assert.match(await row.getText(), /Tudo certo/);
    const order = [];
    for (const el of await browser.$$('[data-testid="check-item"]')) order.push(await el.getAttribute('data-check'));
    assert.deepEqual(order, ['servidor', 'network'], 'results replaced in place');
    await (await browser.$('[data-testid="check-changes"]')).waitForDisplayed({ timeout: 30000 });
    shot('4-verificacoes');

    await click(browser, '#checks-continue');
    await (await browser.$('[data-testid="step-details"]')).waitForDisplayed({ timeout: 10000 });
  } finally {
    server?.close();
    await endSession(browser);
  }
});

test('installation says whether this computer meets the system requirements, with what it has', async () => {
  // The built-in profile: its installation topic asks for the requirements.
  const browser = await driver.session();
  try {
    await browser.setWindowSize(1366, 768);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="new-ticket"]');
    await click(browser, '[data-testid="choose-topic-instalacao"]');
    await click(browser, '#guides-continue');
    await (await browser.$('[data-testid="step-checks"]')).waitForDisplayed({ timeout: 10000 });
    const list = await browser.$('[data-testid="requirement-list"]');
    await list.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(
      async () => {
        const states = [];
        for (const el of await browser.$$('[data-testid="requirement"]')) states.push(await el.getAttribute('data-state'));
        return states.length === 6 && !states.includes('running');
      },
      { timeout: 30000, timeoutMsg: 'the requirements were not all told' },
    );
    const text = await list.getText();
    assert.match(text, /Windows 10 ou mais novo/);
    assert.match(text, /Memória de pelo menos 4\.096 MiB/);
    assert.match(text, /Neste computador: \d+ MiB/);
    await (await browser.$('[data-testid="check-changes"]')).waitForDisplayed({ timeout: 30000 });
    await list.scrollIntoView();
    shot('4-verificacoes-requisitos');
  } finally {
    await endSession(browser);
  }
});
