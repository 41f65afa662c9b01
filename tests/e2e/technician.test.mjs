// Modo técnico in the real window against a real chamado-central (standalone, SQLite): no
// customer questions, the collection reviewed item by item, then the bundle saved to a file (a
// zip with its manifest) and attached to a ticket opened by phone, which central then shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endSession, shot, click, type } from './harness.mjs';
import { Central, chamado, appWithCentral } from './central.mjs';

/** Where each step's screenshot goes, for a person to look at after the run. */
let driver;
const central = new Central();

appWithCentral(central, (d) => (driver = d));

/** Home → Modo técnico, through the collection to the review. */
async function openReview(browser) {
  await browser.setWindowSize(1366, 768);
  await click(browser, '[data-testid="lang-pt-BR"]');
  await click(browser, '[data-testid="open-technician"]');
  const review = await browser.$('[data-testid="bundle-review"]');
  await review.waitForDisplayed({ timeout: 90000, timeoutMsg: 'the collection never ended' });
  return review;
}

test('a technician saves the reviewed bundle to a file', async () => {
  const out = mkdtempSync(join(tmpdir(), 'chamado-e2e-tecnico-'));
  const file = join(out, 'cliente.zip');
  const browser = await driver.session();
  try {
    const review = await openReview(browser);
    const text = await review.getText();
    assert.match(text, /Relatório de diagnóstico/);
    assert.match(text, /de 1 MB/, 'the total against the budget');
    // A required item's switch cannot be turned off.
    assert.equal(await (await browser.$('[data-testid="include-report-1"]')).isEnabled(), false);
    shot('1-confira');
    // Each item's content opens in place, as it will be sent (personal data already replaced).
    const preview = await browser.$('[data-testid^="preview-diagnostics"] summary');
    await preview.scrollIntoView();
    await preview.click();
    const opened = await browser.$('[data-testid^="preview-diagnostics"] pre');
    await opened.waitForDisplayed({ timeout: 10000 });
    assert.match(await opened.getText(), /"findings"/);
    shot('1b-conteudo');
    await click(browser, '[data-testid="tech-action-save"]');
    const path = await browser.$('#tech-path');
    await browser.waitUntil(async () => (await path.getValue()).endsWith('.zip'), {
      timeout: 10000,
      timeoutMsg: 'no default path',
    });
    await type(browser, '#tech-path', file);
    shot('2-salvar');
    await click(browser, '[data-testid="tech-save"]');
    const saved = await browser.$('[data-testid="tech-saved"]');
    await saved.waitForDisplayed({ timeout: 20000 });
    assert.match(await saved.getText(), /Pacote salvo em/);
    shot('3-salvo');
  } finally {
    await endSession(browser);
  }
  assert.ok(existsSync(file), `${file} written`);
  const zip = readFileSync(file);
  assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(zip.includes(Buffer.from('manifest.json')), 'the zip has manifest.json');
});

test('a technician attaches the bundle to a ticket opened by phone and central shows it', async () => {
  // The ticket the help desk opened by phone: through central's API, from another installation.
  const phone = mkdtempSync(join(tmpdir(), 'chamado-e2e-telefone-'));
  central.enrol(phone);
  const send = chamado(
    [
      'send',
      '--topic', 'erro',
      '--summary', 'Aberto por telefone',
      '--description', 'A cliente ligou: a nota não transmite.',
      '--contact-name', 'Ana Souza',
      '--contact-email', 'ana@padaria.example.com.br',
    ],
    phone,
  );
  assert.equal(send.status, 0, `delivered: ${send.stdout}${send.stderr}`);
  const number = send.stdout.match(/^Chamado (\S+)$/m)?.[1];
  const link = send.stdout.match(/^Acompanhe em (\S+)$/m)?.[1];
  assert.ok(number && link, send.stdout);
  const before = await (await fetch(link)).text();
  assert.doesNotMatch(before, /Anexo: \S+\.zip/, 'no bundle yet');

  const browser = await driver.session();
  try {
    await openReview(browser);
    await click(browser, '[data-testid="tech-action-attach"]');
    // Continuing empty names each problem beside its field.
    await click(browser, '[data-testid="tech-attach"]');
    const summary = await browser.$('[data-testid="error-summary"]');
    await summary.waitForDisplayed({ timeout: 10000 });
    assert.match(await summary.getText(), /Há um problema/);
    shot('4-anexar-problema');
    await type(browser, '#tech-number', number);
    await type(browser, '#tech-email', 'ana@padaria.example.com.br');
    await type(browser, '#tech-note', 'Coletado pelo técnico no local.');
    shot('5-anexar');
    await click(browser, '[data-testid="tech-attach"]');
    const done = await browser.$('[data-testid="tech-attached"]');
    await done.waitForDisplayed({ timeout: 20000 });
    await browser.waitUntil(async () => (await done.getAttribute('data-state')) === 'delivered', {
      timeout: 60000,
      timeoutMsg: 'the technician’s bundle was not delivered',
    });
    assert.match(await done.getText(), new RegExp(`Pacote anexado ao chamado nº ${number}`));
    shot('6-anexado');
  } finally {
    await endSession(browser);
  }
  const page = await (await fetch(link)).text();
  assert.match(page, /Anexo: \S+\.zip \(\d+ bytes\)/, 'central shows the bundle on the ticket');
  assert.match(chamado(['outbox', 'list'], driver.home).stdout, /Nenhum chamado na fila/);
});

test('Meus chamados: "Incluir um novo diagnóstico" sends the text with a reviewed bundle', async () => {
  const send = chamado(
    [
      'send',
      '--topic', 'duvida',
      '--summary', 'Relatório lento',
      '--description', 'O relatório mensal demora muito.',
      '--contact-name', 'Ana Souza',
      '--contact-email', 'ana@padaria.example.com.br',
    ],
    driver.home,
  );
  assert.equal(send.status, 0, `delivered: ${send.stdout}${send.stderr}`);
  const number = send.stdout.match(/^Chamado (\S+)$/m)?.[1];
  const link = send.stdout.match(/^Acompanhe em (\S+)$/m)?.[1];
  assert.ok(number && link, send.stdout);

  const browser = await driver.session();
  try {
    await browser.setWindowSize(1366, 768);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="open-history"]');
    const card = await browser.$(`//li[@data-testid="history-item"][.//dd[@data-testid="history-number"][normalize-space()="${number}"]]`);
    await card.waitForDisplayed({ timeout: 20000 });
    await (await card.$('[data-testid="add-open"]')).click();
    await (await card.$('[data-testid="add-text"]')).setValue('Coletei de novo depois de reiniciar.');
    await (await card.$('[data-testid="add-with-bundle"]')).click();
    const review = await card.$('[data-testid="bundle-review"]');
    await review.waitForDisplayed({ timeout: 90000, timeoutMsg: 'the follow-up bundle was never prepared' });
    await review.scrollIntoView();
    shot('7-novo-diagnostico');
    await (await card.$('[data-testid="add-send"]')).click();
    const done = await card.$('[data-testid="add-done"]');
    await done.waitForDisplayed({ timeout: 20000 });
    await browser.waitUntil(async () => (await done.getText()).includes(`Informação entregue ao suporte no chamado nº ${number}`), {
      timeout: 60000,
      timeoutMsg: 'the information and its bundle were not delivered',
    });
  } finally {
    await endSession(browser);
  }
  const page = await (await fetch(link)).text();
  assert.match(page, /Coletei de novo depois de reiniciar\./);
  assert.match(page, /Anexo: \S+\.zip \(\d+ bytes\)/, 'the new diagnosis is on the ticket');
});
