// The screenshot step in the real app under Xvfb: the root window is painted a known colour, the
// user presses "Capturar a tela", Chamado hides itself, captures and comes back. Where Chamado's
// window was, the capture must hold the root colour (it was really off the screen); a box drawn in
// the editor must be black in the file the app saved, read back through the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDriver, endSession } from './harness.mjs';

const ROOT = [31, 138, 92];
const ROOT_HEX = '#1f8a5c';

let driver;
before(async () => { driver = await startDriver(); });
after(async () => { await driver?.stop(); });

/** Chamado's top-level X window: its id, whether it is on the screen, and where. */
/** The X screen's size (tools/test runs Xvfb at 1366x800). */
function screenSize() {
  const root = execFileSync('xwininfo', ['-root'], { encoding: 'utf8' });
  return [Number(/Width: (\d+)/.exec(root)[1]), Number(/Height: (\d+)/.exec(root)[1])];
}

function chamadoWindow() {
  const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
  const line = tree.split('\n').find((l) => /"Chamado — /.test(l));
  assert.ok(line, `Chamado's window is in the X tree:\n${tree}`);
  const id = line.trim().split(/\s+/)[0];
  const info = execFileSync('xwininfo', ['-id', id], { encoding: 'utf8' });
  const num = (label) => Number(new RegExp(`${label}:\\s+(-?\\d+)`).exec(info)[1]);
  return {
    id,
    viewable: /Map State: IsViewable/.test(info),
    x: num('Absolute upper-left X'),
    y: num('Absolute upper-left Y'),
    width: num('Width'),
    height: num('Height'),
  };
}

/**
 * Pixels of the image the app shows in `selector` (a data: URL Rust sent), decoded by the WebView:
 * how many pixels in `rect` differ from `rgb`, and the colour at one point.
 */
async function inspect(browser, selector, rect, rgb, at) {
  return browser.executeAsync(
    (selector, rect, rgb, at, done) => {
      const img = document.querySelector(selector);
      const probe = new Image();
      probe.onload = () => {
        const c = document.createElement('canvas');
        c.width = probe.naturalWidth;
        c.height = probe.naturalHeight;
        const g = c.getContext('2d');
        g.drawImage(probe, 0, 0);
        const d = g.getImageData(rect.x, rect.y, rect.width, rect.height).data;
        let differ = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] !== rgb[0] || d[i + 1] !== rgb[1] || d[i + 2] !== rgb[2]) differ++;
        }
        const p = g.getImageData(at.x, at.y, 1, 1).data;
        done({ width: c.width, height: c.height, differ, at: [p[0], p[1], p[2]] });
      };
      probe.onerror = () => done({ error: 'the image did not decode' });
      probe.src = img.src;
    },
    selector,
    rect,
    rgb,
    at,
  );
}

test('the capture shows what was under Chamado, and a hidden box is black in the saved file', async () => {
  const browser = await driver.session();
  try {
    await (await browser.$('[data-testid="lang-pt-BR"]')).click();
    const topic = await browser.$('[data-testid="topic-erro"]');
    await topic.waitForDisplayed({ timeout: 20000 });
    await topic.click();
    // Painted while the app holds an X connection (Xvfb resets to black when its last client leaves).
    execFileSync('xsetroot', ['-solid', ROOT_HEX]);

    const win = chamadoWindow();
    assert.ok(win.viewable, 'the window is on the screen before the capture');
    assert.ok(win.width > 200 && win.height > 200, JSON.stringify(win));

    const button = await browser.$('[data-testid="capture-button"]');
    await button.scrollIntoView();
    assert.equal((await button.getText()).trim(), 'Capturar a tela');
    await button.click();
    const countdown = await browser.$('[data-testid="countdown-number"]');
    await countdown.waitForDisplayed({ timeout: 5000 });
    assert.match(await countdown.getText(), /^[123]$/, 'the countdown is shown in the window');

    const thumb = await browser.$('[data-testid="shot-thumb"]');
    await thumb.waitForDisplayed({ timeout: 30000 });
    assert.ok(chamadoWindow().viewable, 'the window is back after the capture');
    assert.match(await (await browser.$('[data-testid="capture-done"]')).getText(), /1 tela capturada/);
    // Nothing else is on this screen: the capture is the root colour all over, and says so.
    assert.match(await (await browser.$('[data-testid="shot-blank"]')).getText(), /toda de uma cor/);

    await (await browser.$('[data-testid="shot-edit"]')).click();
    const image = await browser.$('[data-testid="editor-image"]');
    await image.waitForDisplayed({ timeout: 10000 });
    const [screenWidth, screenHeight] = screenSize();
    const area = {
      x: Math.max(win.x, 0),
      y: Math.max(win.y, 0),
      width: Math.min(win.width, screenWidth - Math.max(win.x, 0)),
      height: Math.min(win.height, screenHeight - Math.max(win.y, 0)),
    };
    const captured = await inspect(browser, '[data-testid="editor-image"]', area, ROOT, { x: area.x + 10, y: area.y + 10 });
    assert.deepEqual([captured.width, captured.height], [screenWidth, screenHeight], JSON.stringify(captured));
    assert.equal(captured.differ, 0, `where Chamado's window was (${JSON.stringify(area)}), only the root colour`);

    // A box dragged over the preview (which the window shows scaled down).
    await image.scrollIntoView();
    const size = await image.getSize();
    await browser
      .action('pointer', { parameters: { pointerType: 'mouse' } })
      .move({ origin: image, x: Math.round(-size.width / 4), y: Math.round(-size.height / 4) })
      .down({ button: 0 })
      .move({ origin: image, x: 0, y: 0, duration: 100 })
      .move({ origin: image, x: Math.round(size.width / 8), y: Math.round(size.height / 8), duration: 100 })
      .up({ button: 0 })
      .perform();
    await (await browser.$('[data-testid="box"]')).waitForExist({ timeout: 5000 });
    await (await browser.$('[data-testid="editor-apply"]')).click();
    const final = await browser.$('[data-testid="shot-final"]');
    await final.waitForDisplayed({ timeout: 30000 });

    // The edits as stored, in the captured image's pixels.
    const shotDir = join(driver.home, 'draft', 'screens', '0001');
    const info = JSON.parse(readFileSync(join(shotDir, 'shot.json'), 'utf8'));
    assert.equal(info.edits.hide.length, 1, JSON.stringify(info));
    const box = info.edits.hide[0];
    // Dragged from a quarter to five eighths of the preview: about the screen × those fractions.
    const near = (got, want, slack) => Math.abs(got - want) <= slack;
    assert.ok(near(box.x, screenWidth / 4, 16) && near(box.y, screenHeight / 4, 16), JSON.stringify(box));
    assert.ok(
      near(box.width, (screenWidth * 3) / 8, 24) && near(box.height, (screenHeight * 3) / 8, 24),
      JSON.stringify(box),
    );

    // What the app shows now is the file it saved, byte for byte, and the box is black in it.
    const src = await final.getAttribute('src');
    const saved = readFileSync(join(shotDir, `final-${info.generation}.webp`));
    assert.equal(src, `data:image/webp;base64,${saved.toString('base64')}`);
    const edited = await inspect(browser, '[data-testid="shot-final"]', box, [0, 0, 0], { x: 5, y: 5 });
    assert.equal(edited.differ, 0, 'every pixel of the box is black in the saved file');
    assert.deepEqual(edited.at, ROOT, 'outside the box, the capture is untouched');
    assert.ok(existsSync(join(shotDir, 'original.webp')), 'the capture is kept for editing again');

    await (await browser.$('[data-testid="editor-done"]')).click();
    await (await browser.$('[data-testid="shot-thumb"]')).waitForDisplayed({ timeout: 10000 });
  } finally {
    await endSession(browser);
  }
});

test('the screenshots outlive the app: a new start lists them', async () => {
  const browser = await driver.session();
  try {
    const topic = await browser.$('[data-testid="topic-erro"]');
    await topic.waitForDisplayed({ timeout: 20000 });
    await topic.click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="shot"]')).length === 1, { timeout: 10000 });
    assert.match(await (await browser.$('[data-testid="shot"]')).getText(), /editada/);
    await (await browser.$('[data-testid="shot-remove"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="shot"]')).length === 0, { timeout: 10000 });
    assert.ok(!existsSync(join(driver.home, 'draft', 'screens', '0001')), 'removed from the data folder');
  } finally {
    await endSession(browser);
  }
});

test('the capture is in the log with its timings', () => {
  const dir = join(driver.home, 'logs');
  const text = execFileSync('sh', ['-c', `cat "${dir}"/chamado*`], { encoding: 'utf8' });
  assert.match(text, /window hidden for the capture/);
  assert.match(text, /screens captured.*screens=1/);
});
