// The vendor's notices and the "resolveu" count, in the real window against a real
// chamado-central: the admin publishes with the command line, the customer sees it on "Tipo de
// ajuda" and beside its topic, the update topic shows the versions and the copy still open, and
// "Isso resolveu? Sim" is counted on central (`admin stats --json`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startDriver, endSession, shot, click, type } from './harness.mjs';
import { Central } from './central.mjs';

let driver;
let program;
const central = new Central();

before(async () => {
  driver = await startDriver();
  await central.start();
  central.enrol(driver.home);
  // The vendor's program "running" as Wine shows one: its Windows path as the process's name.
  program = spawn('bash', ['-c', 'exec -a "C:\\Program Files\\Sistema de Gestão\\Gestao.exe" sleep 600'], {
    stdio: 'ignore',
  });
});

after(async () => {
  program?.kill('SIGTERM');
  await central.stop();
  await driver?.stop();
});

test('a notice the admin publishes shows on the topic step, and "Isso resolveu? Sim" is counted on central', async () => {
  const id = central.admin('notice', 'add', '--text', 'Manutenção programada hoje às 22h: o sistema fica fora por 30 minutos.').trim();
  assert.match(id, /^\d+$/);
  central.admin('notice', 'add', '--text', 'A versão 9.9 está sendo liberada aos poucos.', '--topic', 'atualizacao');
  central.admin('release', '--version', '9.9.0');
  const before = JSON.parse(central.admin('stats', '--json'));
  assert.deepEqual(before.resolved, {});

  const browser = await driver.session();
  try {
    await browser.setWindowSize(1366, 768);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="new-ticket"]');
    await type(browser, '#person-name', 'Ana Souza');
    await type(browser, '#person-email', 'ana@padaria.example.com.br');
    await type(browser, '#person-phone', '(31) 3271-0000');
    await click(browser, '#person-continue');

    // Tipo de ajuda: the general notice on top, in a region headed "Aviso"; the update one beside its topic.
    await (await browser.$('[data-testid="step-topic"]')).waitForDisplayed({ timeout: 10000 });
    const banner = await browser.$('[data-testid="step-topic"] > [data-testid="notice-banner"]');
    await banner.waitForDisplayed({ timeout: 10000, timeoutMsg: 'no notice on the topic step' });
    assert.equal(await banner.getAttribute('role'), 'region');
    const text = await banner.getText();
    assert.match(text, /Aviso/);
    assert.match(text, /Manutenção programada hoje às 22h/);
    assert.doesNotMatch(text, /9\.9/);
    const beside = await browser.$('[aria-labelledby="notices-topic-atualizacao-title"] [data-testid="notice"]');
    assert.match(await beside.getText(), /versão 9\.9 está sendo liberada/);
    shot('2-tipo-de-ajuda-aviso');

    // Antes de abrir o chamado (update): its notice and the general one, the versions, the copy to close.
    await click(browser, '[data-testid="choose-topic-atualizacao"]');
    await (await browser.$('[data-testid="step-guides"]')).waitForDisplayed({ timeout: 10000 });
    const notices = await browser.$$('[data-testid="step-guides"] [data-testid="notice"]');
    assert.equal(notices.length, 2);
    const help = await browser.$('[data-testid="update-help"]');
    await help.waitForDisplayed({ timeout: 20000, timeoutMsg: 'no update help' });
    assert.equal(await (await browser.$('[data-testid="version-latest"]')).getText(), '9.9.0');
    const running = await browser.$('[data-testid="update-running"]');
    await running.waitForDisplayed({ timeout: 10000 });
    assert.match(await running.getText(), /Gestao\.exe/);
    shot('3-antes-de-abrir-atualizacao');

    await click(browser, '[data-testid="guides-solved"]');
    await (await browser.$('[data-testid="resolved"]')).waitForDisplayed({ timeout: 10000 });
    let stats;
    const until = Date.now() + 20000;
    do {
      stats = JSON.parse(central.admin('stats', '--json'));
      if (stats.resolved.atualizacao?.guide === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < until);
    assert.deepEqual(stats.resolved, { atualizacao: { guide: 1 } });
    assert.equal(stats.latest_version, '9.9.0');
  } finally {
    await endSession(browser);
  }
});
