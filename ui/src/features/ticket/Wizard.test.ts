import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Guide, Person, Startup, TicketDraft } from '../../lib/bindings';
import App from '../../app/App.svelte';
import { ready } from '../../test/fixture';
import { draft, person, rejection, ticketSide, type TicketSide } from '../../test/ticket';

type Calls = { cmd: string; args: Record<string, unknown> }[];

/** The app over a fake Rust side that keeps `person` and `draft`; `startup` may change the profile. */
async function launch(
  initial: { person?: Person | null; draft?: TicketDraft | null } = {},
  startup: Startup = ready(),
): Promise<{ side: TicketSide; calls: Calls; named: (cmd: string) => Calls }> {
  const side = ticketSide(initial);
  const calls: Calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === 'startup') return startup;
    if (cmd === 'ui_ready') return null;
    const handler = side.handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    return handler(a);
  });
  render(App);
  await screen.findByTestId('topic-list');
  // Home has asked Rust for the person and the draft.
  await waitFor(() => expect(calls.some((c) => c.cmd === 'ticket_draft')).toBe(true));
  await Promise.resolve();
  return { side, calls, named: (cmd) => calls.filter((c) => c.cmd === cmd) };
}

const h1 = () => screen.getByRole('heading', { level: 1 });
const byId = (id: string) => document.getElementById(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.input(byId(id), { target: { value } });
const cont = () => fireEvent.click(screen.getByTestId('continue'));
const summaryLinks = () => within(screen.getByTestId('error-summary')).getAllByRole('link').map((a) => a.textContent?.trim());

async function onStep(title: string) {
  await waitFor(() => expect(h1().textContent?.trim()).toBe(title));
}

/** From Home (person known) to the details of "Reportar erro". */
async function toDetails() {
  await fireEvent.click(screen.getByTestId('new-ticket'));
  await onStep('Tipo de ajuda');
  await fireEvent.click(screen.getByTestId('choose-topic-erro'));
  await onStep('Antes de abrir o chamado');
  await cont();
  // The usual causes are checked (ChecksStep.test.ts); on.
  await onStep('Vamos verificar as causas mais comuns');
  await cont();
  await onStep('Conte o que aconteceu');
}

/** Answers what "Conte o que aconteceu" requires for "Reportar erro". */
async function fillDetails() {
  await type('fields-versao', '5.2.1');
  await fireEvent.click(byId('fields-onde'));
  await fireEvent.click(byId('module'));
  await type('summary', 'A nota fiscal não sai');
  await type('description', 'Ao emitir aparece "Rejeição 539".');
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  clearMocks();
  vi.restoreAllMocks();
});

describe('the way in', () => {
  it('"Abrir um chamado" asks who you are first, when Rust knows nobody', async () => {
    await launch();
    expect(screen.queryByTestId('your-details')).toBeNull();
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Quem é você');
    expect(document.activeElement).toBe(h1());
    expect(document.title).toBe('Quem é você — Chamado');
    const current = screen.getByTestId('steps').querySelector('[aria-current="step"]');
    expect(current?.textContent).toBe('Seus dados');
    expect(screen.getByTestId('steps').textContent).toContain('Etapa 1 de 6');
  });

  it('goes straight to the kind of help once it does, and Back returns to Home', async () => {
    await launch({ person: person() });
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Tipo de ajuda');
    expect(document.title).toBe('Tipo de ajuda — Chamado');
    await fireEvent.click(screen.getByTestId('back'));
    await screen.findByTestId('topic-list');
    expect(document.activeElement).toBe(screen.getByTestId('new-ticket'));
    expect(document.title).toBe('Gestão Fiscal');
  });

  it('"Seus dados" on Home edits the person and comes back', async () => {
    const { side } = await launch({ person: person() });
    await fireEvent.click(await screen.findByTestId('your-details'));
    await onStep('Seus dados');
    expect(byId('person-name').value).toBe('Ana Souza');
    expect(screen.queryByTestId('steps')).toBeNull();
    await type('person-phone', '(11) 3333-4444');
    await fireEvent.click(screen.getByRole('button', { name: 'Salvar' }));
    await screen.findByTestId('topic-list');
    expect(side.person?.phone).toBe('(11) 3333-4444');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('your-details')));
  });
});

describe('Quem é você', () => {
  it('checks on Continuar only: a summary focused, each error a link to its field, and beside it', async () => {
    const { named } = await launch();
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Quem é você');
    expect(screen.queryByTestId('error-summary')).toBeNull();
    await type('person-name', 'Ana');
    await type('person-email', 'ana@cliente');
    expect(screen.queryByTestId('error-summary')).toBeNull();

    await cont();
    const summary = await screen.findByTestId('error-summary');
    expect(document.activeElement).toBe(summary);
    expect(within(summary).getByRole('heading').textContent).toBe('Há um problema');
    expect(summaryLinks()).toEqual(['Digite o e-mail no formato nome@empresa.com.br', 'Digite seu telefone com DDD']);
    // beside the field, and read with it
    const email = byId('person-email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toContain('person-email-error');
    expect(document.getElementById('person-email-error')?.textContent).toContain('Digite o e-mail no formato');
    // the link focuses the field
    await fireEvent.click(within(summary).getByRole('link', { name: 'Digite seu telefone com DDD' }));
    expect(document.activeElement).toBe(byId('person-phone'));
    // nothing typed is cleared
    expect(byId('person-name').value).toBe('Ana');
    expect(email.value).toBe('ana@cliente');
    expect(named('save_person')).toHaveLength(0);

    await type('person-phone', '4002-8922');
    await cont();
    await waitFor(() => expect(summaryLinks()).toEqual([
      'Digite o e-mail no formato nome@empresa.com.br',
      'O telefone precisa ter pelo menos 10 números, contando o DDD',
    ]));
  });

  it('labels every input and marks the optional ones, without asterisks', async () => {
    await launch();
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Quem é você');
    expect(screen.getByLabelText('Nome')).toBe(byId('person-name'));
    expect(screen.getByLabelText('E-mail')).toBe(byId('person-email'));
    expect(screen.getByLabelText('Telefone')).toBe(byId('person-phone'));
    expect(screen.getByLabelText('Empresa (opcional)')).toBe(byId('person-company'));
    expect(screen.getByLabelText('Outra pessoa para acompanhar o chamado (opcional)')).toBe(byId('person-keep_informed'));
    expect(document.body.textContent).not.toContain('*');
  });

  it('saves a valid person (the other e-mail null when empty) and continues', async () => {
    const { side } = await launch();
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Quem é você');
    await type('person-name', ' Ana Souza ');
    await type('person-email', 'ana@cliente.com.br');
    await type('person-phone', '(11) 98765-4321');
    await cont();
    await onStep('Tipo de ajuda');
    expect(side.person).toEqual({ name: 'Ana Souza', email: 'ana@cliente.com.br', phone: '(11) 98765-4321', company: '', keep_informed: null });
    // Back: everything still there
    await fireEvent.click(screen.getByTestId('back'));
    await onStep('Quem é você');
    expect(byId('person-name').value).toBe(' Ana Souza ');
  });

  it('warns, without blocking, that a department e-mail is not a person’s', async () => {
    const { side } = await launch();
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Quem é você');
    await type('person-name', 'Ana');
    await type('person-phone', '(11) 98765-4321');
    await type('person-email', 'financeiro@cliente.com.br');
    expect(screen.queryByTestId('field-warning')).toBeNull();
    await fireEvent.change(byId('person-email'));
    const warning = screen.getByTestId('field-warning');
    expect(warning.textContent).toContain('O e-mail identifica uma pessoa');
    expect(warning.textContent).toContain('respostas e o histórico do chamado');
    expect(byId('person-email').getAttribute('aria-describedby')).toContain('person-email-warning');
    expect(byId('person-email').getAttribute('aria-invalid')).toBe('false');
    expect(screen.queryByTestId('error-summary')).toBeNull();

    await type('person-email', 'ana@cliente.com.br');
    expect(screen.queryByTestId('field-warning')).toBeNull();
    await type('person-email', 'suporte@cliente.com.br');
    await fireEvent.change(byId('person-email'));
    await cont();
    await onStep('Tipo de ajuda');
    expect(side.person?.email).toBe('suporte@cliente.com.br');
  });

  it('a department e-mail typed and continued at once: the warning is shown once, then it continues', async () => {
    const { side } = await launch();
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Quem é você');
    await type('person-name', 'Ana');
    await type('person-email', 'Contato@cliente.com.br');
    await type('person-phone', '(11) 98765-4321');
    await cont();
    await screen.findByTestId('field-warning');
    expect(document.activeElement).toBe(byId('person-email'));
    expect(side.person).toBeNull();
    await cont();
    await onStep('Tipo de ajuda');
    expect(side.person?.email).toBe('Contato@cliente.com.br');
  });
});

describe('Antes de abrir o chamado', () => {
  const guides = (n: number): Guide[] =>
    Array.from({ length: n }, (_, i) => ({
      title: { 'pt-BR': `Guia ${i + 1}`, en: `Guide ${i + 1}` },
      url: i === 1 ? null : `https://ajuda.example.com.br/${i + 1}`,
      text: i === 1 ? { 'pt-BR': 'Reinicie o computador.', en: 'Restart the computer.' } : null,
    }));

  function withGuides(n: number): Startup {
    const s = ready() as Extract<Startup, { status: 'ready' }>;
    s.profile.topics[1]!.guides = guides(n);
    return s;
  }

  it('shows three guides, then "Ver mais"; remembers the ones opened or read', async () => {
    const { side, named } = await launch({ person: person() }, withGuides(5));
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await fireEvent.click(await screen.findByTestId('choose-topic-erro'));
    await onStep('Antes de abrir o chamado');
    expect(screen.getAllByTestId('wizard-guide')).toHaveLength(3);
    await fireEvent.click(screen.getByTestId('guides-more'));
    expect(screen.getAllByTestId('wizard-guide')).toHaveLength(5);
    expect(document.activeElement?.id).toBe('guide-3');

    await fireEvent.click(screen.getAllByTestId('guide-open')[2]!);
    await waitFor(() => expect(named('open_guide')).toHaveLength(1));
    expect(named('open_guide')[0]!.args).toEqual({ topic: 'erro', index: 3 });
    await fireEvent.click(screen.getByTestId('guide-read'));
    expect(screen.getByTestId('guide-text').textContent).toBe('Reinicie o computador.');
    await waitFor(() => expect(side.draft?.guides_opened).toEqual([3, 1]));
  });

  it('"Sim, resolveu" ends kindly, discards the draft and goes back to Home', async () => {
    const { side, named } = await launch({ person: person() });
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await fireEvent.click(await screen.findByTestId('choose-topic-erro'));
    await onStep('Antes de abrir o chamado');
    await waitFor(() => expect(side.draft?.step).toBe('guides'));
    await fireEvent.click(screen.getByTestId('guides-solved'));
    await onStep('Que bom que resolveu!');
    expect(document.activeElement).toBe(h1());
    expect(named('discard_ticket_draft')).toHaveLength(1);
    expect(side.draft).toBeNull();
    expect(document.title).toBe('Que bom que resolveu! — Chamado');
    await fireEvent.click(screen.getByTestId('resolved-home'));
    await screen.findByTestId('topic-list');
    expect(screen.queryByTestId('resume-offer')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('new-ticket'));
  });

  it('a topic without guides skips the step', async () => {
    await launch({ person: person() });
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await fireEvent.click(await screen.findByTestId('choose-topic-atualizacao'));
    await onStep('Conte o que aconteceu');
    expect(screen.getByTestId('steps').textContent).toContain('Etapa 3 de 5');
  });
});

describe('Conte o que aconteceu', () => {
  it('draws each field kind, optional ones marked, help as a hint', async () => {
    await launch({ person: person() });
    await toDetails();
    expect(document.title).toBe('Conte o que aconteceu — Chamado');
    expect(document.activeElement).toBe(h1());
    expect(screen.getByTestId('steps').querySelector('[aria-current="step"]')?.textContent).toBe('O que aconteceu');
    expect(screen.getByLabelText('Versão do sistema')).toBe(byId('fields-versao'));
    expect(byId('fields-versao').type).toBe('text');
    expect(document.getElementById('fields-versao-hint')?.textContent).toBe('Aparece em Ajuda > Sobre.');
    expect(screen.getByRole('group', { name: 'Onde aconteceu' })).toBeTruthy();
    expect(screen.getByLabelText('No servidor')).toBe(byId('fields-onde'));
    expect(screen.getByLabelText('Desde quando (opcional)').getAttribute('type')).toBe('date');
    expect(screen.getByLabelText('Mensagem de erro (opcional)').tagName).toBe('TEXTAREA');
    expect(screen.getByLabelText('Número da nota (opcional)').tagName).toBe('INPUT');
    expect(screen.getByRole('group', { name: 'Em que parte do sistema?' })).toBeTruthy();
    expect(screen.getByLabelText('Resumo em uma linha')).toBe(byId('summary'));
    expect(screen.getByLabelText('Descreva o que aconteceu').tagName).toBe('TEXTAREA');
    expect(document.getElementById('description-hint')?.textContent).toContain('a mensagem que apareceu na tela');
    expect(screen.getByRole('group', { name: 'Quem está sendo afetado? (opcional)' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'O trabalho parou? (opcional)' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Com que frequência acontece? (opcional)' })).toBeTruthy();
    expect(screen.getByLabelText('Foi a primeira vez')).toBeTruthy();
  });

  it('needs the required fields, the module, the summary and the description', async () => {
    await launch({ person: person({}) }, ready());
    await toDetails();
    await type('description', 'Aparece um erro.');
    await cont();
    await screen.findByTestId('error-summary');
    expect(summaryLinks()).toEqual([
      'Preencha “Versão do sistema”',
      'Escolha uma opção em “Onde aconteceu”',
      'Escolha em que parte do sistema',
      'Escreva um resumo em uma linha',
    ]);
    expect(document.activeElement).toBe(screen.getByTestId('error-summary'));
    await fireEvent.click(screen.getByRole('link', { name: 'Escolha uma opção em “Onde aconteceu”' }));
    expect(document.activeElement).toBe(byId('fields-onde'));
    expect(byId('description').value).toBe('Aparece um erro.');
  });

  it('counts the summary’s characters and refuses more than 120', async () => {
    await launch({ person: person() });
    await toDetails();
    await fillDetails();
    expect(screen.getByTestId('summary-count').textContent?.trim()).toBe('Você pode digitar mais 99 caracteres');
    await type('summary', 'x'.repeat(125));
    expect(screen.getByTestId('summary-count').textContent?.trim()).toBe('5 caracteres a mais que o permitido');
    await cont();
    await screen.findByTestId('error-summary');
    expect(summaryLinks()).toEqual(['O resumo deve ter no máximo 120 caracteres']);
    expect(byId('summary').value).toHaveLength(125);
  });

  it('saves the draft as typed (after a pause) and at each step', async () => {
    const { side } = await launch({ person: person() });
    await toDetails();
    await waitFor(() => expect(side.draft?.step).toBe('details'));
    await type('summary', 'A nota fiscal não sai');
    await fireEvent.click(byId('urgency-work_stopped'));
    await waitFor(() => expect(side.draft?.summary).toBe('A nota fiscal não sai'));
    expect(side.draft?.urgency.work_stopped).toBe(true);
    expect(side.draft?.topic).toBe('erro');
  });
});

describe('a draft left last time', () => {
  it('Home offers to continue it, at the step it was left', async () => {
    await launch({ person: person(), draft: draft({ description: 'Começou ontem.' }) });
    const offer = await screen.findByTestId('resume-offer');
    expect(offer.textContent).toContain('Continuar o chamado que você começou');
    expect(offer.textContent).toContain('Reportar erro: “A nota fiscal não sai”');
    await fireEvent.click(screen.getByTestId('resume-ticket'));
    await onStep('Conte o que aconteceu');
    expect(byId('summary').value).toBe('A nota fiscal não sai');
    expect(byId('description').value).toBe('Começou ontem.');
  });

  it('"Começar de novo" discards it', async () => {
    const { side, named } = await launch({ person: person(), draft: draft() });
    await fireEvent.click(await screen.findByTestId('discard-draft'));
    await waitFor(() => expect(named('discard_ticket_draft')).toHaveLength(1));
    expect(side.draft).toBeNull();
    expect(screen.queryByTestId('resume-offer')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('new-ticket')));
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Tipo de ajuda');
    expect(screen.getByTestId('choose-topic-erro').getAttribute('aria-pressed')).toBe('false');
  });

  it('none is offered when Rust has none', async () => {
    await launch({ person: person() });
    expect(screen.queryByTestId('resume-offer')).toBeNull();
  });
});

/** Through every step of "Reportar erro" to the review. */
async function toReview() {
  await toDetails();
  await fillDetails();
  await cont();
  await onStep('Mostre para nós');
  expect(screen.getByTestId('capture')).toBeTruthy();
  await cont();
  await onStep('Confira antes de enviar');
}

describe('Confira antes de enviar', () => {
  it('lists every answer by section, with what goes along', async () => {
    await launch({ person: person({ keep_informed: 'chefe@cliente.com.br' }) });
    await toReview();
    await screen.findByTestId('bundle-review');
    const headings = screen.getAllByRole('heading', { level: 2 }).map((x) => x.textContent);
    expect(headings).toEqual(['Seus dados', 'Tipo de ajuda', 'O que aconteceu', 'Urgência', 'Capturas de tela', 'O que vai junto']);
    expect(screen.getByTestId('review-row-email').textContent).toContain('ana@cliente.com.br');
    expect(screen.getByTestId('review-row-keep_informed').textContent).toContain('chefe@cliente.com.br');
    expect(screen.getByTestId('review-row-topic').textContent).toContain('Reportar erro');
    expect(screen.getByTestId('review-row-field-onde').textContent).toContain('No servidor');
    expect(screen.getByTestId('review-row-module').textContent).toContain('Nota fiscal eletrônica');
    expect(screen.getByTestId('review-row-summary').textContent).toContain('A nota fiscal não sai');
    expect(screen.getByTestId('review-row-affected').textContent).toContain('Não respondido');
    expect(screen.getByTestId('review-row-shots').textContent).toContain('Nenhuma');
    expect(screen.getByTestId('diagnostics-note').textContent).toContain('dados pessoais trocados');
    expect(screen.getByTestId('change-summary').textContent?.replace(/\s+/g, ' ').trim()).toBe('Alterar Resumo em uma linha');
  });

  it('"Alterar" goes to the step, and Continuar comes back to the review', async () => {
    const { side } = await launch({ person: person() });
    await toReview();
    await fireEvent.click(screen.getByTestId('change-summary'));
    await onStep('Conte o que aconteceu');
    expect(document.activeElement).toBe(h1());
    await type('summary', 'O sistema fecha sozinho');
    await cont();
    await onStep('Confira antes de enviar');
    expect(document.activeElement).toBe(screen.getByTestId('change-summary'));
    expect(screen.getByTestId('review-row-summary').textContent).toContain('O sistema fecha sozinho');

    await fireEvent.click(screen.getByTestId('change-phone'));
    await onStep('Quem é você');
    await type('person-phone', '(31) 3271-0322');
    await cont();
    await onStep('Confira antes de enviar');
    expect(side.person?.phone).toBe('(31) 3271-0322');
    expect(screen.getByTestId('review-row-phone').textContent).toContain('(31) 3271-0322');
  });

  it('changing the topic goes through the new topic’s steps', async () => {
    await launch({ person: person() });
    await toReview();
    await fireEvent.click(screen.getByTestId('change-topic'));
    await onStep('Tipo de ajuda');
    await fireEvent.click(screen.getByTestId('choose-topic-atualizacao'));
    await onStep('Conte o que aconteceu');
    expect(byId('summary').value).toBe('A nota fiscal não sai');
    await cont();
    await onStep('Mostre para nós');
    await cont();
    await onStep('Confira antes de enviar');
    expect(screen.getByTestId('review-row-topic').textContent).toContain('Atualização de versão');
    expect(screen.queryByTestId('review-row-field-onde')).toBeNull();
  });
});

describe('what goes with the ticket', () => {
  it('below the answers: every item Rust prepared for this ticket, as the customer switches them', async () => {
    const { side } = await launch({ person: person() });
    await toReview();
    const bundle = await screen.findByTestId('bundle-review');
    const prepared = side.review.calls.filter((c) => c.cmd === 'prepare_ticket');
    expect(prepared).toHaveLength(1);
    expect((prepared[0]?.args.draft as TicketDraft).summary).toBe('A nota fiscal não sai');
    expect(within(bundle).getByTestId('bundle-item-screenshot-1').textContent).toContain('1,2 MB');
    await fireEvent.click(within(bundle).getByTestId('include-log-1'));
    await waitFor(() => expect(side.review.items.find((i) => i.id === 'log-1')?.included).toBe(false));
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await screen.findByTestId('sending');
    expect(side.submitted).toHaveLength(1);
  });

  it('over the budget, "Enviar chamado" does not leave anything out: the customer decides', async () => {
    const { side } = await launch({ person: person() });
    side.review.budget = 1024 * 1024;
    await toReview();
    await screen.findByTestId('over-budget');
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await waitFor(() => expect(document.activeElement?.id).toBe('bundle-budget'));
    expect(screen.getByTestId('budget-problem').textContent).toContain('Enviar mesmo assim');
    expect(side.submitted).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('leave-out-screenshot-1'));
    await waitFor(() => expect(screen.queryByTestId('over-budget')).toBeNull());
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await screen.findByTestId('sending');
    expect(side.submitted).toHaveLength(1);
  });
});

describe('Enviar', () => {
  it('submits the draft, says it collects and sends, then shows the number and the link', async () => {
    const { side, named } = await launch({ person: person({ keep_informed: 'chefe@cliente.com.br' }) });
    let release!: (id: string) => void;
    side.submit = () => new Promise((r) => (release = r));
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    const sending = await screen.findByTestId('sending');
    expect(sending.textContent).toContain('Coletando o diagnóstico e enviando…');
    expect(document.title).toBe('Enviar — Chamado');
    expect(screen.queryByTestId('back')).toBeNull();
    expect(side.submitted).toHaveLength(1);
    expect(side.submitted[0]).toMatchObject({
      topic: 'erro',
      module: 'nfe',
      summary: 'A nota fiscal não sai',
      fields: { versao: '5.2.1', onde: 'servidor' },
    });
    // The sender may speak before submit_ticket answers.
    side.push('entry-7', { state: 'sending', sent: 100, total: 400 });
    release('entry-7');
    await waitFor(() => expect(screen.getByTestId('send-progress').textContent).toBe('25% enviado'));
    expect(document.title).toBe('Enviar — Chamado');
    side.push('other', { state: 'delivered', reference: 'R-0', number: '1', link: null });
    side.push('entry-7', { state: 'delivered', reference: 'R-9', number: '482913', link: 'https://central.example.com.br/t/R-9' });

    await waitFor(() => expect(screen.getByTestId('ticket-number').textContent).toBe('482913'));
    expect(h1().textContent).toBe('Chamado enviado');
    await waitFor(() => expect(document.activeElement).toBe(h1()));
    expect(document.title).toBe('Chamado enviado — Chamado');
    expect(screen.getByTestId('ticket-link').textContent).toBe('https://central.example.com.br/t/R-9');
    const next = screen.getByTestId('next-steps').textContent ?? '';
    expect(next).toContain('ana@cliente.com.br');
    expect(next).toContain('chefe@cliente.com.br');
    expect(next).toContain('segunda a sexta, das 8h às 18h');
    expect(next).toContain('(11) 4002-8922');

    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await fireEvent.click(screen.getByTestId('copy-link'));
    await waitFor(() => expect(screen.getByTestId('copy-status').textContent?.trim()).toBe('Endereço copiado.'));
    expect(writeText).toHaveBeenCalledWith('https://central.example.com.br/t/R-9');
    await fireEvent.click(screen.getByTestId('open-link'));
    await waitFor(() => expect(named('open_ticket_link')).toHaveLength(1));
    expect(named('open_ticket_link')[0]!.args).toEqual({ reference: 'R-9' });

    // The receipt: saved by Rust where it says, then openable.
    await fireEvent.click(screen.getByTestId('save-receipt'));
    await waitFor(() =>
      expect(screen.getByTestId('receipt-status').textContent?.trim()).toBe('Comprovante salvo em /home/ana/Documentos/Chamado 482913.html'),
    );
    expect(named('save_receipt')[0]!.args).toEqual({ reference: 'R-9', lang: 'pt-BR' });
    await fireEvent.click(screen.getByTestId('open-receipt'));
    await waitFor(() => expect(named('open_receipt')).toHaveLength(1));

    await fireEvent.click(screen.getByTestId('another-ticket'));
    await onStep('Tipo de ajuda');
    expect(screen.getByTestId('choose-topic-erro').getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(screen.getByTestId('back'));
    await screen.findByTestId('topic-list');
    expect(screen.queryByTestId('resume-offer')).toBeNull();
  });

  it('offline: the ticket is kept and goes when the connection is back', async () => {
    const { side } = await launch({ person: person() });
    side.submit = () => 'entry-2';
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await screen.findByTestId('sending');
    await waitFor(() => expect(side.submitted).toHaveLength(1));
    side.push('entry-2', { state: 'waiting', code: 'offline', next_attempt_at: null, reason: 'connection refused' });
    const kept = await screen.findByTestId('kept');
    expect(kept.textContent).toBe('Seu chamado está guardado e será enviado assim que a conexão voltar.');
    expect(document.title).toBe('Chamado guardado — Chamado');
  });

  it('not enrolled yet: kept as well', async () => {
    const { side } = await launch({ person: person() });
    side.submit = () => 'entry-3';
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await waitFor(() => expect(side.submitted).toHaveLength(1));
    await screen.findByTestId('sending');
    side.push('entry-3', { state: 'refused', status: 401, code: 'not_enrolled', reason: 'unknown installation' });
    expect((await screen.findByTestId('kept')).textContent).toContain('assim que a conexão voltar');
  });

  it('a field Rust refuses: back to its step with the error, and Continuar returns to the review', async () => {
    const { side } = await launch({ person: person() });
    side.submit = () => Promise.reject(rejection('invalid', 'person.email'));
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await onStep('Quem é você');
    const summary = await screen.findByTestId('error-summary');
    await waitFor(() => expect(document.activeElement).toBe(summary));
    expect(summaryLinks()).toEqual(['O suporte não aceitou “E-mail”. Confira e corrija']);
    expect(document.getElementById('person-email-error')?.textContent).toContain('O suporte não aceitou “E-mail”');
    side.submit = () => 'entry-4';
    await type('person-email', 'ana.souza@cliente.com.br');
    await cont();
    await onStep('Confira antes de enviar');
    // Back from the review does not go to the send step
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await waitFor(() => expect(side.submitted).toHaveLength(2));
    expect(side.person?.email).toBe('ana.souza@cliente.com.br');
  });

  it('a topic field Rust refuses shows on "Conte o que aconteceu"', async () => {
    const { side } = await launch({ person: person() });
    side.submit = () => Promise.reject(rejection('invalid', 'fields.versao'));
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    await onStep('Conte o que aconteceu');
    await waitFor(() => expect(summaryLinks()).toEqual(['O suporte não aceitou “Versão do sistema”. Confira e corrija']));
    expect(byId('fields-versao').value).toBe('5.2.1');
    await fireEvent.click(screen.getByTestId('back'));
    await onStep('Confira antes de enviar');
  });

  it('another failure is said by its code, and can be tried again', async () => {
    const { side } = await launch({ person: person() });
    side.submit = () => Promise.reject(rejection('storage'));
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    const failed = await screen.findByTestId('send-failed');
    expect(failed.dataset.code).toBe('storage');
    side.submit = () => 'entry-5';
    await fireEvent.click(screen.getByTestId('send-retry'));
    await waitFor(() => expect(side.submitted).toHaveLength(2));
    expect(side.submitted[1]!.summary).toBe('A nota fiscal não sai');
  });
});

describe('what does not go as planned', () => {
  it('too large to send: back to the screenshots, and Continuar returns to the review', async () => {
    const { side } = await launch({ person: person() });
    side.submit = () => Promise.reject(rejection('over_budget'));
    await toReview();
    await fireEvent.click(screen.getByTestId('send-ticket'));
    const failed = await screen.findByTestId('send-failed');
    expect(failed.textContent).toContain('grande demais');
    await fireEvent.click(screen.getByTestId('to-evidence'));
    await onStep('Mostre para nós');
    await cont();
    await onStep('Confira antes de enviar');
  });

  it('"Seus dados" from Home leaves the draft’s step alone', async () => {
    const { side } = await launch({ person: person(), draft: draft({ step: 'evidence' }) });
    await fireEvent.click(await screen.findByTestId('your-details'));
    await onStep('Seus dados');
    await fireEvent.click(screen.getByRole('button', { name: 'Salvar' }));
    await screen.findByTestId('topic-list');
    expect(side.saved.map((d) => d.step)).not.toContain('person');
    await fireEvent.click(screen.getByTestId('resume-ticket'));
    await onStep('Mostre para nós');
  });
});

describe('in English', () => {
  it('every step speaks English', async () => {
    await launch();
    await fireEvent.click(screen.getByTestId('lang-en'));
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await waitFor(() => expect(h1().textContent?.trim()).toBe('Who you are'));
    expect(document.title).toBe('Who you are — Chamado');
    await cont();
    await screen.findByTestId('error-summary');
    expect(summaryLinks()).toEqual(['Enter your name', 'Enter your e-mail', 'Enter your phone with the area code']);
    expect(screen.getByLabelText('Company (optional)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Continue' })).toBeTruthy();
  });
});
