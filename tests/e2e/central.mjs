// A real chamado-central for the end-to-end tests (the built binary, SQLite in a folder of its
// own, HTTP on a free loopback port), and the `chamado` command line with a given data folder.
import { before, after } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, BIN, startDriver } from './harness.mjs';

const CENTRAL = process.env.CHAMADO_CENTRAL_BIN ?? join(dirname(BIN), 'chamado-central');
if (!existsSync(CENTRAL)) {
  throw new Error(`CHAMADO_CENTRAL_BIN must name the built chamado-central binary (got ${CENTRAL})`);
}

/**
 * A test file's set-up: the app under WebDriver and `central`, the app enrolled with it, started
 * before the file's tests and stopped after. `onDriver` gets the driver once it runs.
 */
export function appWithCentral(central, onDriver) {
  let driver;
  before(async () => {
    driver = await startDriver();
    onDriver(driver);
    await central.start();
    central.enrol(driver.home);
  });
  after(async () => {
    await central.stop();
    await driver?.stop();
  });
}

/** The chamado command line with the data folder `home`, in Portuguese. */
export function chamado(args, home) {
  return spawnSync(BIN, ['--lang', 'pt-BR', ...args], {
    env: { ...process.env, CHAMADO_HOME: home },
    encoding: 'utf8',
    timeout: 60000,
  });
}

/**
 * Meus chamados opened in Portuguese, once its first refresh from central has come back: the card
 * of the ticket numbered `number`.
 */
export async function historyCard(browser, number) {
  await (await browser.$('[data-testid="lang-pt-BR"]')).click();
  await (await browser.$('[data-testid="open-history"]')).click();
  const card = await browser.$(`//li[@data-testid="history-item"][.//dd[@data-testid="history-number"][normalize-space()="${number}"]]`);
  await card.waitForDisplayed({ timeout: 20000 });
  await browser.waitUntil(async () => (await (await browser.$('[data-testid="refresh"]')).getText()) === 'Atualizar', {
    timeout: 20000,
  });
  return card;
}

export class Central {
  /**
   * `config(url)`, when given, makes central's configuration file (TOML, its data in `data`)
   * from the URL central will serve on: e.g. `[osticket]` to forward to a real osTicket.
   */
  constructor(config = null) {
    this.data = mkdtempSync(join(tmpdir(), 'chamado-e2e-central-'));
    this.config = config;
    this.proc = null;
    this.port = null;
  }

  /** Where central's data is: `--data DIR`, or its configuration file. */
  get where() {
    return this.config ? ['--config', join(this.data, 'central.toml')] : ['--data', this.data];
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get running() {
    return this.proc !== null;
  }

  /** Serves until stopped, on the same port each time. */
  async start() {
    this.port ??= await freePort();
    if (this.config) writeFileSync(join(this.data, 'central.toml'), `data = "${this.data}"\n${this.config(this.url)}`);
    this.proc = spawn(CENTRAL, ['serve', '--listen', `127.0.0.1:${this.port}`, ...this.where], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const until = Date.now() + 20000;
    while (Date.now() < until) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('chamado-central did not start');
  }

  async stop() {
    const proc = this.proc;
    if (!proc) return;
    this.proc = null;
    proc.kill('SIGTERM');
    if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
  }

  /** A fresh enrolment code, as the vendor's admin makes one. */
  code() {
    const made = spawnSync(CENTRAL, ['admin', 'enrol-code', '--company', 'Padaria Pão Quente', ...this.where], {
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);
    return made.stdout.trim();
  }

  /** An admin command (`chamado-central admin ARGS`) on this central's data; its stdout. */
  admin(...args) {
    const ran = spawnSync(CENTRAL, ['admin', ...args, ...this.where], { encoding: 'utf8' });
    assert.equal(ran.status, 0, ran.stderr);
    return ran.stdout;
  }

  /** The app's data folder `home` enrolled here. */
  enrol(home) {
    const enrolled = chamado(['enrol', this.code(), '--central', this.url], home);
    assert.equal(enrolled.status, 0, enrolled.stderr);
  }

  /** Every bundle central keeps (its `blobs/` folder), unzipped. */
  bundles() {
    const out = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          const buf = readFileSync(path);
          if (buf.length > 4 && buf.readUInt32LE(0) === 0x04034b50) out.push(unzip(buf));
        }
      }
    };
    const blobs = join(this.data, 'blobs');
    if (existsSync(blobs)) walk(blobs);
    return out;
  }

  /** The bundle central keeps for the ticket whose summary is `summary`: its manifest and report. */
  bundleOf(summary) {
    for (const files of this.bundles()) {
      const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}');
      if (manifest.ticket?.summary === summary) {
        const report = files.get('diagnostics.json');
        return { files, manifest, report: report ? JSON.parse(report.toString('utf8')) : null };
      }
    }
    return null;
  }
}

/** The files of a zip (stored or deflated), by name: enough for the bundles Chamado writes. */
export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'zip central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}
