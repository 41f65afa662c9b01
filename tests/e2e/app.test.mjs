// The real app, as a customer sees it: the built-in profile's topics, the language switch, a
// topic's checklist, and the error screen for a broken vendor profile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startDriver, texts, endSession, BIN } from './harness.mjs';

const PT_TOPICS = [
  'Dúvidas na operação',
  'Reportar erro',
  'Atualização de versão',
  'Instalação do sistema em novo computador',
  'Outra solicitação',
];
const EN_TOPICS = [
  'Questions about using the system',
  'Report an error',
  'Version update',
  'Installing the system on a new computer',
  'Other request',
];

let driver;
before(async () => { driver = await startDriver(); });
after(async () => { await driver?.stop(); });

async function topicLabels(browser) {
  const list = await browser.$('[data-testid="topic-list"]');
  await list.waitForDisplayed({ timeout: 20000 });
  return texts(browser, '[data-testid="topic-list"] button .label');
}

async function withSession(args, fn) {
  const browser = await driver.session(args);
  try {
    return await fn(browser);
  } finally {
    await endSession(browser);
  }
}

test('the topic list shows the five topics in Portuguese', async () => {
  await withSession([], async (browser) => {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    assert.deepEqual(await topicLabels(browser), PT_TOPICS);
    const body = await (await browser.$('body')).getText();
    assert.match(body, /Atendimento ao Cliente/, 'the vendor name is shown');
    assert.match(body, /\(31\) 3271-0322/, 'the support phone is shown');
  });
});

test('switching to English changes the labels and is remembered at the next start', async () => {
  await withSession([], async (browser) => {
    await (await browser.$('[data-testid="lang-en"]')).click();
    assert.deepEqual(await topicLabels(browser), EN_TOPICS);
  });
  await withSession([], async (browser) => {
    assert.deepEqual(await topicLabels(browser), EN_TOPICS, 'English after a restart');
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    assert.deepEqual(await topicLabels(browser), PT_TOPICS);
  });
});

test('choosing "Reportar erro" shows its guides and checklist', async () => {
  await withSession([], async (browser) => {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    await (await browser.$('[data-testid="topic-erro"]')).click();
    const title = await browser.$('[data-testid="topic-title"]');
    await title.waitForDisplayed({ timeout: 10000 });
    assert.equal((await title.getText()).trim(), 'Reportar erro');
    const items = await texts(browser, '[data-testid="checklist-item"]');
    assert.equal(items.length, 5, items.join(' | '));
    assert.match(items[0], /Alguma configuração de rede foi alterada\?/);
    assert.match(items[1], /antivírus ou firewall novo/);
    assert.match(items[2], /O servidor está ligado e respondendo\?[\s\S]*Servidor do banco de dados da empresa/);
    assert.match(items[3], /cabos de rede/);
    const body = await (await browser.$('body')).getText();
    assert.match(body, /Erros mais comuns e como resolver/, 'the guide is listed');
    await (await browser.$('[data-testid="back"]')).click();
    assert.deepEqual(await topicLabels(browser), PT_TOPICS);
  });
});

test('a broken vendor profile shows an error screen that names each problem', async () => {
  const file = join(driver.home, 'perfil-quebrado.toml');
  writeFileSync(
    file,
    [
      '[vendor]',
      'name = "Fornecedor"',
      'phone = "(31) 3271-0322"',
      'hours = { pt-BR = "8h às 18h", en = "8 am to 6 pm" }',
      'portal = "suporte.exemplo.com.br"',
      '',
      '[branding]',
      'product = "Sistema"',
      'acent = "#0b5cad"',
      '',
    ].join('\n'),
  );
  await withSession(['--profile', file], async (browser) => {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    const screen = await browser.$('[data-testid="error-screen"]');
    await screen.waitForDisplayed({ timeout: 20000 });
    const problems = await texts(browser, '[data-testid="problem"]');
    const all = problems.join('\n');
    assert.equal(problems.length, 3, all);
    assert.match(all, /linha 5, coluna 10[\s\S]*vendor\.portal[\s\S]*endereço `suporte\.exemplo\.com\.br` inválido/);
    assert.match(all, /linha 9, coluna 1[\s\S]*branding\.acent[\s\S]*chave desconhecida/);
    assert.match(all, /pelo menos um tópico/);
    assert.match(await screen.getText(), /perfil-quebrado\.toml/);
  });
});

test('a second launch shows the open window instead of opening another', async () => {
  await withSession([], async (browser) => {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    assert.deepEqual(await topicLabels(browser), PT_TOPICS);
    const second = spawnSync(BIN, [], {
      env: { ...process.env, CHAMADO_HOME: driver.home },
      timeout: 15000,
      encoding: 'utf8',
    });
    assert.equal(second.status, 0, `the second launch ends by itself: ${second.error ?? second.stderr}`);
    assert.deepEqual(await topicLabels(browser), PT_TOPICS, 'the first window still works');
  });
});

test('the app logs its start-up to a file in its data folder', async () => {
  const logs = readdirSync(join(driver.home, 'logs')).filter((f) => f.startsWith('chamado'));
  assert.ok(logs.length >= 1, 'a log file exists');
  const text = logs.map((f) => readFileSync(join(driver.home, 'logs', f), 'utf8')).join('');
  assert.match(text, /profile loaded/);
  assert.match(text, /first screen shown.*screen=topics/);
  assert.match(text, /profile unusable/);
  assert.match(text, /second launch: showing the open window/);
});
