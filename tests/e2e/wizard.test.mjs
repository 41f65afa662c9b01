// Abrir um chamado in the real window against a real chamado-central (standalone, SQLite): the
// customer's journey from "Abrir um chamado" to the ticket number, as a customer does it, and the
// ticket as central shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endSession, shot, click, type } from './harness.mjs';
import { Central, chamado as run, appWithCentral } from './central.mjs';

let driver;
const central = new Central();

function chamado(args) {
  return run(args, driver.home);
}

appWithCentral(central, (d) => (driver = d));

test('a customer opens a ticket in the window and it arrives complete at central with its number shown', async () => {
  const browser = await driver.session();
  try {
    await browser.setWindowSize(1366, 768);
    await click(browser, '[data-testid="lang-pt-BR"]');
    await click(browser, '[data-testid="new-ticket"]');

    // Quem é você: a department address is warned about, with the reason, and can be changed.
    await type(browser, '#person-name', 'Ana Souza');
    await type(browser, '#person-email', 'financeiro@padaria.example.com.br');
    await type(browser, '#person-phone', '(31) 3271-0000');
    const warning = await browser.$('[data-testid="field-warning"]');
    await warning.waitForDisplayed({ timeout: 10000 });
    assert.match(await warning.getText(), /pessoa/);
    shot('1-quem-e-voce');
    await type(browser, '#person-email', 'ana@padaria.example.com.br');
    await click(browser, '#person-continue');

    // Tipo de ajuda, then the guides: not solved.
    await click(browser, '[data-testid="choose-topic-erro"]');
    await (await browser.$('[data-testid="step-guides"]')).waitForDisplayed({ timeout: 10000 });
    shot('3-antes-de-abrir');
    await click(browser, '#guides-continue');

    // The usual causes, checked live (checks.test.mjs looks at them closely): on.
    await (await browser.$('[data-testid="step-checks"]')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '#checks-continue');

    // Conte o que aconteceu: continuing empty names each problem, nothing typed is lost.
    await (await browser.$('#summary')).waitForDisplayed({ timeout: 10000 });
    await type(browser, '#summary', 'Nota fiscal não transmite');
    await click(browser, '#details-continue');
    const summary = await browser.$('[data-testid="error-summary"]');
    await summary.waitForDisplayed({ timeout: 10000 });
    assert.match(await summary.getText(), /Há um problema/);
    assert.equal(await (await browser.$('#summary')).getValue(), 'Nota fiscal não transmite');
    shot('4-ha-um-problema');
    await type(browser, '#fields-mensagem', 'Erro 1045: rejeição <schema> & "timeout"');
    await type(browser, '#fields-acao', 'Transmitindo a nota do pedido 3321');
    await (await browser.$('#module')).selectByAttribute('value', 'fiscal');
    await type(browser, '#description', 'Desde hoje cedo a nota fica parada em "transmitindo".');
    await click(browser, '#urgency-affected');
    shot('4-conte-o-que-aconteceu');
    await click(browser, '#details-continue');

    await (await browser.$('[data-testid="step-evidence"]')).waitForDisplayed({ timeout: 10000 });
    await click(browser, '#evidence-continue');

    // Confira antes de enviar: the answers, then send.
    const review = await browser.$('[data-testid="step-review"]');
    await review.waitForDisplayed({ timeout: 10000 });
    const answers = await review.getText();
    assert.match(answers, /Ana Souza/);
    assert.match(answers, /Nota fiscal não transmite/);
    assert.match(answers, /Erro 1045/);
    shot('6-confira');
    await click(browser, '[data-testid="send-ticket"]');

    // The number, as central gave it, and the follow link.
    const number = await browser.$('[data-testid="ticket-number"]');
    await number.waitForDisplayed({ timeout: 90000, timeoutMsg: 'no ticket number shown' });
    const shown = (await number.getText()).trim();
    shot('7-confirmacao');
    const status = JSON.parse(chamado(['status', '--json']).stdout);
    const sent = status.tickets.find((t) => t.summary === 'Nota fiscal não transmite');
    assert.ok(sent, JSON.stringify(status));
    assert.ok(shown.includes(sent.number), `shown ${shown}, central ${sent.number}`);

    // Central's quick-access page: the description and the diagnostics bundle.
    const page = await (await fetch(sent.link)).text();
    assert.match(page, /Nota fiscal não transmite/);
    assert.match(page, /parada em &quot;transmitindo&quot;|parada em "transmitindo"/);
    assert.match(page, /Anexo: \S+\.zip \(\d+ bytes\)/, 'the diagnostics bundle');

    // Sent: the draft is gone; a new ticket starts from the topic (the person is remembered).
    await click(browser, '[data-testid="another-ticket"]');
    await (await browser.$('[data-testid="step-topic"]')).waitForDisplayed({ timeout: 10000 });
  } finally {
    await endSession(browser);
  }
});
