// A real chamado-central for the end-to-end tests (the built binary, SQLite in a folder of its
// own, HTTP on a free loopback port), and the `chamado` command line with a given data folder.
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, BIN } from './harness.mjs';

const CENTRAL = process.env.CHAMADO_CENTRAL_BIN ?? join(dirname(BIN), 'chamado-central');
if (!existsSync(CENTRAL)) {
  throw new Error(`CHAMADO_CENTRAL_BIN must name the built chamado-central binary (got ${CENTRAL})`);
}

/** The chamado command line with the data folder `home`, in Portuguese. */
export function chamado(args, home) {
  return spawnSync(BIN, ['--lang', 'pt-BR', ...args], {
    env: { ...process.env, CHAMADO_HOME: home },
    encoding: 'utf8',
    timeout: 60000,
  });
}

export class Central {
  constructor() {
    this.data = mkdtempSync(join(tmpdir(), 'chamado-e2e-central-'));
    this.proc = null;
    this.port = null;
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
    this.proc = spawn(CENTRAL, ['serve', '--listen', `127.0.0.1:${this.port}`, '--data', this.data], {
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
    const made = spawnSync(CENTRAL, ['admin', 'enrol-code', '--company', 'Padaria Pão Quente', '--data', this.data], {
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);
    return made.stdout.trim();
  }

  /** An admin command (`chamado-central admin ARGS`) on this central's data; its stdout. */
  admin(...args) {
    const ran = spawnSync(CENTRAL, ['admin', ...args, '--data', this.data], { encoding: 'utf8' });
    assert.equal(ran.status, 0, ran.stderr);
    return ran.stdout;
  }

  /** The app's data folder `home` enrolled here. */
  enrol(home) {
    const enrolled = chamado(['enrol', this.code(), '--central', this.url], home);
    assert.equal(enrolled.status, 0, enrolled.stderr);
  }
}
