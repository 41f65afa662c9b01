// The ticket being written survives the app being killed: the draft is kept by Rust as it is
// typed, and the next start offers to continue it, with nothing lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDriver, BIN, click, type } from './harness.mjs';

let driver;

before(async () => {
  driver = await startDriver();
});

after(async () => {
  await driver?.stop();
});

/** SIGKILL, as a crash or a power cut would end it; waits until it is gone. */
async function killApp() {
  spawnSync('pkill', ['-9', '-f', '-x', `${BIN}( .*)?`]);
  const until = Date.now() + 10000;
  while (spawnSync('pgrep', ['-f', '-x', `${BIN}( .*)?`]).status === 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the ticket being written survives killing the app, and the next start offers to continue it', async () => {
  const first = await driver.session();
  try {
    await click(first, '[data-testid="lang-pt-BR"]');
    await click(first, '[data-testid="new-ticket"]');
    await type(first, '#person-name', 'Ana Souza');
    await type(first, '#person-email', 'ana@padaria.example.com.br');
    await type(first, '#person-phone', '(31) 3271-0000');
    await click(first, '#person-continue');
    await click(first, '[data-testid="choose-topic-duvida"]');
    await click(first, '#guides-continue');
    await type(first, '#summary', 'Como emitir nota de devolução');
    // The draft is written once typing pauses.
    const draft = join(driver.home, 'drafts', 'ticket.json');
    await first.waitUntil(
      async () => existsSync(draft) && spawnSync('grep', ['-q', 'devolução', draft]).status === 0,
      { timeout: 10000, timeoutMsg: 'the draft was not written as typed' },
    );
    await killApp();
  } finally {
    await first.deleteSession().catch(() => {});
  }

  const second = await driver.session();
  try {
    await click(second, '[data-testid="lang-pt-BR"]');
    await (await second.$('[data-testid="resume-offer"]')).waitForDisplayed({ timeout: 20000 });
    await click(second, '[data-testid="resume-ticket"]');
    const summary = await second.$('#summary');
    await summary.waitForDisplayed({ timeout: 20000 });
    assert.equal(await summary.getValue(), 'Como emitir nota de devolução');
  } finally {
    await second.deleteSession();
    await killApp();
  }
});
