// Drives the customer's journey in the real window (WebDriver, like tests/e2e) against a real
// chamado-central, and measures each step change inside the page: from the click to the frame
// after the next step's heading is drawn, and the first check result from the click that opens
// the checks. Prints one JSON line: {"steps": {"name": ms, ...}, "firstResult": ms}.
// Run by benches/journey.py (which builds, provides the display and samples memory).
import { startDriver, endSession, click, type, shown } from '../tests/e2e/harness.mjs';
import { Central } from '../tests/e2e/central.mjs';

/** Clicks `selector` and answers the milliseconds until the page's heading changed and was drawn. */
async function timed(browser, selector) {
  await (await browser.$(selector)).waitForClickable({ timeout: 60000 });
  return browser.executeAsync((sel, done) => {
    const heading = () => document.querySelector('#ticket-title')?.textContent ?? null;
    const before = heading();
    const t0 = performance.now();
    document.querySelector(sel).click();
    const poll = () => {
      if (heading() !== before && heading() !== null) {
        requestAnimationFrame(() => done(performance.now() - t0));
      } else {
        requestAnimationFrame(poll);
      }
    };
    poll();
  }, selector);
}

const central = new Central();
const driver = await startDriver();
await central.start();
central.enrol(driver.home);
const browser = await driver.session();
const steps = {};
let firstResult = null;
try {
  await browser.setWindowSize(1366, 768);
  await click(browser, '[data-testid="lang-pt-BR"]');
  steps['início → quem é você'] = await timed(browser, '[data-testid="new-ticket"]');
  await type(browser, '#person-name', 'Ana Souza');
  await type(browser, '#person-email', 'ana@padaria.example.com.br');
  await type(browser, '#person-phone', '(31) 3271-0000');
  steps['quem é você → tipo de ajuda'] = await timed(browser, '#person-continue');
  steps['tipo de ajuda → antes de abrir'] = await timed(browser, '[data-testid="choose-topic-erro"]');
  // Into the checks: the step's heading, then its first result (a check or a requirement no
  // longer running), both from the click.
  await (await browser.$('[data-testid="step-guides"] [data-testid="continue"]')).waitForClickable({ timeout: 60000 });
  const [change, first] = await browser.executeAsync((done) => {
    const t0 = performance.now();
    const heading = document.querySelector('#ticket-title')?.textContent;
    document.querySelector('[data-testid="step-guides"] [data-testid="continue"]').click();
    let changed = null;
    const poll = () => {
      if (changed === null && document.querySelector('#ticket-title')?.textContent !== heading) changed = performance.now() - t0;
      const settled = [...document.querySelectorAll('[data-testid="check-item"], [data-testid="requirement"]')].some(
        (e) => e.dataset.state && e.dataset.state !== 'running',
      );
      if (changed !== null && settled) requestAnimationFrame(() => done([changed, performance.now() - t0]));
      else requestAnimationFrame(poll);
    };
    poll();
  });
  steps['antes de abrir → próximo'] = change;
  firstResult = first;
  if (await (await browser.$('[data-testid="step-checks"]')).isDisplayed()) {
    await shown(browser, '[data-testid="step-checks"] [data-testid="continue"]', 60000);
    steps['verificações → conte'] = await timed(browser, '[data-testid="step-checks"] [data-testid="continue"]');
  }
  await (await browser.$('#module')).selectByAttribute('value', 'vendas');
  await type(browser, '#summary', 'Erro ao gravar o pedido');
  await type(browser, '#description', 'Aparece o erro 3021 ao gravar.');
  await type(browser, '#fields-mensagem', 'Erro 3021');
  await type(browser, '#fields-acao', 'Gravando o pedido');
  steps['conte → mostre'] = await timed(browser, '#details-continue');
  await click(browser, '[data-testid="capture-button"]');
  await shown(browser, '[data-testid="shot"]', 30000);
  steps['mostre → confira'] = await timed(browser, '#evidence-continue');
  steps['confira → enviar'] = await timed(browser, '[data-testid="send-ticket"]');
  await shown(browser, '[data-testid="ticket-number"]', 120000);
  process.stdout.write(JSON.stringify({ steps, firstResult }) + '\n');
} finally {
  await endSession(browser);
  await central.stop();
  await driver.stop();
}
