// "Mostre para nós" in the real window against a real chamado-central: a screenshot with a
// highlight drawn in the editor, a file attached (through the app's own command, as the file
// dialog and a drop would: neither can be driven through WebDriver), refusals naming their files,
// and the remote-access ID found on this computer (a RustDesk configuration in the HOME the app
// runs with) ticked. The ticket arrives at central with the bundle holding the file, the
// screenshot with the highlight's outline in its pixels, and the ID among the ticket's fields
// (`acesso_remoto`, in the bundle's manifest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endSession, shot, click, type, toDetails } from './harness.mjs';
import { Central, chamado as run, appWithCentral } from './central.mjs';

const ROOT = [31, 138, 92];
const ROOT_HEX = '#1f8a5c';
/** chamado-capture's HIGHLIGHT_COLOR. */
const HIGHLIGHT = [230, 60, 0];
const RUSTDESK_ID = '987654321';

// The app (started by tauri-driver, which inherits this environment) finds RustDesk's file here.
const home = mkdtempSync(join(tmpdir(), 'chamado-e2e-home-'));
mkdirSync(join(home, '.config', 'rustdesk'), { recursive: true });
writeFileSync(join(home, '.config', 'rustdesk', 'RustDesk.toml'), `enc_id = ''\nsalt = 'x7kq2m'\nid = '${RUSTDESK_ID}'\n\n[options]\n`);
process.env.HOME = home;

// The customer's files.
const files = mkdtempSync(join(tmpdir(), 'chamado-e2e-files-'));
const NOTE = join(files, 'nota-fiscal-3321.txt');
writeFileSync(NOTE, 'Chave 3525 0412 3456 7800 0190 5500 1000 0033 2110 0003 3210\n');
const BIG = join(files, 'backup-completo.zip');
writeFileSync(BIG, Buffer.alloc(11 * 1024 * 1024, 7)); // over the default profile's 10 MB a file
const FOLDER = join(files, 'Documentos');
mkdirSync(FOLDER);

let driver;
const central = new Central();

appWithCentral(central, (d) => (driver = d));

/** A command of the app, called from the page as the UI calls it. */
async function invoke(browser, cmd, args) {
  return browser.executeAsync(
    (cmd, args, done) => {
      window.__TAURI_INTERNALS__.invoke(cmd, args).then(
        (v) => done({ ok: v }),
        (e) => done({ err: e }),
      );
    },
    cmd,
    args,
  );
}

/** One pixel of a WebP file, as [r, g, b] (ImageMagick). */
function pixel(webp, x, y) {
  const out = execFileSync('convert', [webp, '-format', `%[fx:int(255*p{${x},${y}}.r)],%[fx:int(255*p{${x},${y}}.g)],%[fx:int(255*p{${x},${y}}.b)]`, 'info:'], {
    encoding: 'utf8',
  });
  return out.trim().split(',').map(Number);
}

test('screenshot with a highlight, a file, the remote-access ID: all arrive at central', async () => {
  const browser = await driver.session();
  try {
    await browser.setWindowSize(1366, 768);
    execFileSync('xsetroot', ['-solid', ROOT_HEX]);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="new-ticket"]');
    await type(browser, '#person-name', 'Ana Souza');
    await type(browser, '#person-email', 'ana@padaria.example.com.br');
    await type(browser, '#person-phone', '(31) 3271-0000');
    await click(browser, '#person-continue');
    await click(browser, '[data-testid="choose-topic-erro"]');
    await toDetails(browser);
    await type(browser, '#fields-mensagem', 'Rejeição 539');
    await type(browser, '#fields-acao', 'Transmitindo a nota 3321');
    await (await browser.$('#module')).selectByAttribute('value', 'fiscal');
    await type(browser, '#summary', 'Nota 3321 rejeitada');
    await type(browser, '#description', 'A nota 3321 volta com rejeição 539; segue a chave anexa.');
    await click(browser, '#details-continue');
    await (await browser.$('[data-testid="step-evidence"]')).waitForDisplayed({ timeout: 10000 });

    // The remote-access ID found on this computer: offered unticked, with the vendor's note.
    const remote = await browser.$('[data-testid="remote-send"]');
    await remote.waitForExist({ timeout: 10000 });
    assert.equal(await remote.isSelected(), false, 'never ticked by itself');
    const label = await (await browser.$('[data-testid="remote-access"] label')).getText();
    assert.equal(label, `Enviar o ID do RustDesk (987 654 321) para o técnico poder acessar este computador`);
    assert.match(await (await browser.$('[data-testid="remote-note"]')).getText(), /nunca pede esse número sem você ter aberto um chamado/);

    // A capture, then a highlight added in the editor with the tool switch "Destacar".
    await click(browser, '[data-testid="capture-button"]');
    const thumb = await browser.$('[data-testid="shot-thumb"]');
    await thumb.waitForDisplayed({ timeout: 30000 });
    await click(browser, '[data-testid="shot-edit"]');
    await (await browser.$('[data-testid="editor-image"]')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '[data-testid="mode-highlight"]');
    await click(browser, '[data-testid="add-box"]');
    await (await browser.$('[data-testid="highlight"]')).waitForExist({ timeout: 5000 });
    await click(browser, '[data-testid="editor-apply"]');
    await (await browser.$('[data-testid="shot-final"]')).waitForDisplayed({ timeout: 30000 });
    const info = JSON.parse(readFileSync(join(driver.home, 'draft', 'screens', '0001', 'shot.json'), 'utf8'));
    assert.equal(info.edits.highlight.length, 1, JSON.stringify(info));
    const hl = info.edits.highlight[0];
    await click(browser, '[data-testid="editor-done"]');

    // Files, through the command the dialog and a drop end in: the good one attached, each
    // refused one named, none stopping the others.
    const added = await invoke(browser, 'add_attachments', { paths: [BIG, NOTE, FOLDER, join(files, 'sumiu.pdf')] });
    assert.ok(added.ok, JSON.stringify(added));
    assert.deepEqual(
      added.ok.attachments.map((a) => a.name),
      ['nota-fiscal-3321.txt'],
    );
    assert.deepEqual(
      added.ok.refused.map((r) => [r.name, r.problem]),
      [
        ['backup-completo.zip', 'too_large'],
        ['Documentos', 'not_a_file'],
        ['sumiu.pdf', 'unreadable'],
      ],
    );
    // Back and on again: the step lists what Rust keeps.
    await click(browser, '[data-testid="back"]');
    await (await browser.$('#details-continue')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '#details-continue');
    const item = await browser.$('[data-testid="attachment"]');
    await item.waitForDisplayed({ timeout: 10000 });
    assert.match(await item.getText(), /nota-fiscal-3321\.txt/);
    assert.match(await item.getText(), /Remover/);
    const remoteAgain = await browser.$('[data-testid="remote-send"]');
    await remoteAgain.waitForExist({ timeout: 10000 });
    await browser.execute((e) => e.scrollIntoView({ block: 'center' }), remoteAgain);
    await remoteAgain.click();
    assert.equal(await remoteAgain.isSelected(), true);
    await browser.execute(() => document.querySelector('[data-testid="attachments"]').scrollIntoView());
    assert.match(await item.getText(), /1 KB/, 'a small file is never "0 KB"');
    shot('6-mostre-para-nos');
    await browser.execute(() => window.scrollTo(0, 0));
    shot('6-mostre-para-nos-capturas');

    await click(browser, '#evidence-continue');
    await (await browser.$('[data-testid="step-review"]')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '[data-testid="send-ticket"]');
    const number = await browser.$('[data-testid="ticket-number"]');
    await number.waitForDisplayed({ timeout: 90000, timeoutMsg: 'no ticket number shown' });

    // Central's page shows the bundle; in it, the file, the screenshot and the ID.
    const status = JSON.parse(run(['status', '--json'], driver.home).stdout);
    const sent = status.tickets.find((t) => t.summary === 'Nota 3321 rejeitada');
    assert.ok(sent, JSON.stringify(status));
    const page = await (await fetch(sent.link)).text();
    const shown = /Anexo: (\S+\.zip) \((\d+) bytes\)/.exec(page);
    assert.ok(shown, page);
    const bundle = central.bundleOf('Nota 3321 rejeitada');
    assert.ok(bundle, "the bundle among central's files");
    const listing = [...bundle.files.keys()];
    assert.ok(listing.includes('attachments/nota-fiscal-3321.txt'), listing.join(', '));
    assert.ok(listing.includes('screenshots/tela-1.webp'), listing.join(', '));
    assert.equal(bundle.files.get('attachments/nota-fiscal-3321.txt').toString('utf8'), readFileSync(NOTE, 'utf8'));
    // The ticket's fields, as the analyst reads them with the bundle (and central with the ticket).
    assert.equal(bundle.manifest.ticket.fields.acesso_remoto, `RustDesk ${RUSTDESK_ID}`);

    const out = mkdtempSync(join(tmpdir(), 'chamado-e2e-bundle-'));
    writeFileSync(join(out, 'tela-1.webp'), bundle.files.get('screenshots/tela-1.webp'));
    const webp = join(out, 'tela-1.webp');
    assert.deepEqual(pixel(webp, hl.x, hl.y), HIGHLIGHT, 'the outline, top left');
    assert.deepEqual(pixel(webp, hl.x + 3, hl.y + Math.floor(hl.height / 2)), HIGHLIGHT, 'the outline, left side');
    assert.deepEqual(pixel(webp, hl.x + hl.width - 1, hl.y + hl.height - 1), HIGHLIGHT, 'the outline, bottom right');
    assert.deepEqual(pixel(webp, hl.x + 4, hl.y + 4), ROOT, 'the inside, untouched');
    assert.deepEqual(pixel(webp, hl.x + Math.floor(hl.width / 2), hl.y + Math.floor(hl.height / 2)), ROOT, 'the middle');
    assert.deepEqual(pixel(webp, hl.x - 1, hl.y - 1), ROOT, 'the outside, untouched');
  } finally {
    await endSession(browser);
  }
});

test('"Anexar arquivos" opens the system’s file dialog over the window', async () => {
  // A ticket left at "Mostre para nós", as the app keeps one.
  let browser = await driver.session();
  try {
    await (await browser.$('[data-testid="new-ticket"]')).waitForExist({ timeout: 20000 });
    const saved = await invoke(browser, 'save_ticket_draft', { draft: { step: 'evidence', topic: 'erro', summary: 'Anexo' } });
    assert.ok(!saved.err, JSON.stringify(saved));
  } finally {
    await endSession(browser);
  }
  browser = await driver.session();
  try {
    await click(browser, '[data-testid="resume-ticket"]');
    await (await browser.$('[data-testid="step-evidence"]')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '[data-testid="attach-files"]');
    let dialog;
    await browser.waitUntil(
      () => {
        const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
        dialog = tree.split('\n').find((l) => /"Anexar arquivos"/.test(l));
        return Boolean(dialog);
      },
      { timeout: 10000, timeoutMsg: 'no file dialog on the screen' },
    );
    assert.match(dialog, /"chamado"/, 'the dialog is the app’s own');
    assert.equal((await (await browser.$('[data-testid="attach-files"]')).getText()).trim(), 'Escolhendo os arquivos…');
    shot('6-anexar-arquivos-dialogo');
  } finally {
    await endSession(browser);
  }
});
