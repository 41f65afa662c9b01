import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type { Startup } from '../lib/bindings';
import App from './App.svelte';
import { broken, ready } from '../test/fixture';

type Call = { cmd: string; args: InvokeArgs | undefined };

function launch(startup: Startup | (() => Promise<Startup>)) {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'startup') return typeof startup === 'function' ? startup() : startup;
    if (cmd === 'ui_ready' || cmd === 'open_guide') return null;
    if (cmd === 'list_screens') return [];
    if (cmd === 'person' || cmd === 'ticket_draft') return null;
    throw new Error(`unknown command ${cmd}`);
  });
  const view = render(App);
  const named = (cmd: string) => calls.filter((c) => c.cmd === cmd);
  return { calls, named, view };
}

/** Every label on the topic buttons, in order. */
function topicLabels(): string[] {
  const list = screen.getByTestId('topic-list');
  return within(list)
    .getAllByRole('button')
    .map((b) => b.querySelector('.label')?.textContent ?? '');
}

beforeEach(() => {
  localStorage.clear();
  document.documentElement.lang = '';
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('loading', () => {
  it('says "Carregando…" until the profile arrives', async () => {
    let release!: (s: Startup) => void;
    const { named } = launch(() => new Promise<Startup>((r) => (release = r)));
    expect(screen.getByText('Carregando…')).toBeTruthy();
    await waitFor(() => expect(named('startup')).toHaveLength(1));
    release(ready());
    await screen.findByTestId('topic-list');
    expect(screen.queryByText('Carregando…')).toBeNull();
  });
});

describe('home', () => {
  it('lists the five topics in profile order, in Portuguese by default', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    expect(topicLabels()).toEqual([
      'Dúvidas na operação',
      'Reportar erro',
      'Atualização de versão',
      'Instalação do sistema em novo computador',
      'Outra solicitação',
    ]);
    const ids = within(screen.getByTestId('topic-list'))
      .getAllByRole('button')
      .map((b) => b.dataset.testid);
    expect(ids).toEqual(['topic-duvida', 'topic-erro', 'topic-atualizacao', 'topic-instalacao', 'topic-outra']);
    expect(screen.getByTestId('topic-erro').textContent).toContain(
      'O sistema mostrou uma mensagem de erro ou fechou sozinho.',
    );
    expect(document.documentElement.lang).toBe('pt-BR');
  });

  it('shows the vendor, product, logo, greeting and support footer', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Olá! Como podemos ajudar?');
    expect(screen.getByText('Escolha o tipo de ajuda de que você precisa.')).toBeTruthy();
    expect(screen.getByTestId('vendor').textContent).toBe('Contábil Sistemas Ltda.');
    expect(screen.getByTestId('product').textContent).toBe('Gestão Fiscal');
    expect(screen.getByTestId('logo').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const footer = screen.getByTestId('footer').textContent ?? '';
    expect(footer).toContain('(11) 4002-8922');
    expect(footer).toContain('ligação gratuita de telefone fixo');
    expect(footer).toContain('segunda a sexta, das 8h às 18h');
  });

  it('has no logo when Rust sends none', async () => {
    launch({ ...(ready() as Extract<Startup, { status: 'ready' }>), logo: null });
    await screen.findByTestId('topic-list');
    expect(screen.queryByTestId('logo')).toBeNull();
  });

  it('uses the vendor accent colour', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    expect(document.documentElement.style.getPropertyValue('--accent')).toBe('#1e6b3a');
  });
});

describe('language', () => {
  it('switches every label to English instantly and remembers it', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    expect(screen.getByTestId('lang-pt-BR').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('lang-en').textContent).toBe('English');

    await fireEvent.click(screen.getByTestId('lang-en'));

    expect(topicLabels()).toEqual([
      'Questions about using the system',
      'Report an error',
      'Version update',
      'Installing the system on a new computer',
      'Other request',
    ]);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Hello! How can we help?');
    expect(screen.getByText('Choose the kind of help you need.')).toBeTruthy();
    expect(screen.getByTestId('footer').textContent).toContain('Monday to Friday, 8 am to 6 pm');
    expect(screen.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('lang-pt-BR').getAttribute('aria-pressed')).toBe('false');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('chamado.lang')).toBe('en');
  });

  it('restores the saved language on the next launch', async () => {
    const first = launch(ready());
    await screen.findByTestId('topic-list');
    await fireEvent.click(screen.getByTestId('lang-en'));
    first.view.unmount();
    cleanup();
    clearMocks();

    launch(ready());
    expect(screen.getByText('Loading…')).toBeTruthy();
    await screen.findByTestId('topic-list');
    expect(topicLabels()[0]).toBe('Questions about using the system');
    expect(document.documentElement.lang).toBe('en');

    await fireEvent.click(screen.getByTestId('lang-pt-BR'));
    expect(topicLabels()[0]).toBe('Dúvidas na operação');
    expect(localStorage.getItem('chamado.lang')).toBe('pt-BR');
  });

  it('ignores a saved value that is not a language', async () => {
    localStorage.setItem('chamado.lang', 'fr');
    launch(ready());
    await screen.findByTestId('topic-list');
    expect(topicLabels()[0]).toBe('Dúvidas na operação');
  });
});

describe('topic view', () => {
  it('shows "Reportar erro" with its guides and checklist, and Back returns to the list', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    await fireEvent.click(screen.getByTestId('topic-erro'));

    expect(screen.queryByTestId('topic-list')).toBeNull();
    const title = screen.getByTestId('topic-title');
    expect(title.textContent).toBe('Reportar erro');
    expect(document.activeElement).toBe(title);
    expect(screen.getByRole('heading', { name: 'Antes de abrir um chamado' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Causas mais comuns' })).toBeTruthy();

    // url guide: a button showing the host; text guide: shown inline
    const link = screen.getByTestId('guide-link');
    expect(link.textContent).toContain('Erros conhecidos');
    expect(link.textContent).toContain('ajuda.contabil.example.com.br');
    expect(screen.getByText('Muitos erros somem depois de reiniciar o computador. Salve seu trabalho antes.')).toBeTruthy();

    const items = within(screen.getByTestId('checklist')).getAllByTestId('checklist-item');
    expect(items).toHaveLength(5);
    expect(items[0]!.textContent).toContain('O servidor da SEFAZ está fora do ar');
    expect(items[0]!.textContent).toContain('O Chamado verifica: Servidor da SEFAZ');
    expect(items[1]!.textContent).toContain('O Chamado verifica: Rede e cabos, Proxy');
    expect(items[2]!.textContent).toContain('O Chamado verifica: Antivírus, Firewall, Gestão Fiscal');
    expect(items[3]!.textContent).toContain('O Chamado verifica: Programas instalados recentemente');
    expect(items[4]!.textContent).toContain('O certificado digital venceu');
    expect(within(items[4]!).queryByTestId('checks-note')).toBeNull();

    await fireEvent.click(screen.getByTestId('back'));
    expect(screen.queryByTestId('topic-title')).toBeNull();
    expect(topicLabels()).toHaveLength(5);
    expect(document.activeElement).toBe(screen.getByTestId('topic-erro'));
  });

  it('translates the topic view, including the check labels', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    await fireEvent.click(screen.getByTestId('topic-erro'));
    await fireEvent.click(screen.getByTestId('lang-en'));

    expect(screen.getByTestId('topic-title').textContent).toBe('Report an error');
    expect(screen.getByTestId('back').textContent).toContain('Back');
    expect(screen.getByRole('heading', { name: 'Before opening a ticket' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Usual causes' })).toBeTruthy();
    const items = screen.getAllByTestId('checklist-item').map((i) => i.textContent ?? '');
    expect(items[0]).toContain('Chamado checks: SEFAZ tax server');
    expect(items[1]).toContain('Chamado checks: Network and cables, Proxy');
    expect(items[2]).toContain('Chamado checks: Antivirus, Firewall, Gestão Fiscal');
    expect(items[3]).toContain('Chamado checks: Recently installed programs');

    await fireEvent.click(screen.getByTestId('back'));
    expect(topicLabels()[1]).toBe('Report an error');
  });

  it('asks Rust to open a url guide with the topic id and the guide index', async () => {
    const { named } = launch(ready());
    await screen.findByTestId('topic-list');
    await fireEvent.click(screen.getByTestId('topic-erro'));
    await fireEvent.click(screen.getByTestId('guide-link'));
    await waitFor(() => expect(named('open_guide')).toHaveLength(1));
    expect(named('open_guide')[0]!.args).toEqual({ topic: 'erro', index: 0 });
  });

  it('shows the address when the browser cannot be opened', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    mockIPC((cmd) => {
      if (cmd === 'startup') return ready();
      if (cmd === 'open_guide') throw new Error('no browser');
      if (cmd === 'list_screens') return [];
      return null;
    });
    render(App);
    await screen.findByTestId('topic-list');
    await fireEvent.click(screen.getByTestId('topic-duvida'));
    await fireEvent.click(screen.getByTestId('guide-link'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('https://ajuda.contabil.example.com.br/manual');
    spy.mockRestore();
  });

  it('hides the sections a topic does not have', async () => {
    launch(ready());
    await screen.findByTestId('topic-list');
    await fireEvent.click(screen.getByTestId('topic-outra'));
    expect(screen.getByTestId('topic-title').textContent).toBe('Outra solicitação');
    expect(screen.queryByTestId('checklist')).toBeNull();
    expect(screen.queryByTestId('guides')).toBeNull();
  });
});

describe('error screen', () => {
  it('lists every problem with line, column, path and message', async () => {
    launch(broken());
    const root = await screen.findByTestId('error-screen');
    expect(screen.queryByTestId('topic-list')).toBeNull();
    expect(within(root).getByRole('heading', { level: 1 }).textContent).toBe('O perfil do fornecedor tem problemas');
    expect(root.textContent).toContain('C:\\ProgramData\\Chamado\\perfil.toml');
    expect(root.textContent).toContain(
      'O Chamado não pode abrir chamados com este perfil. Avise quem instalou o Chamado ou o suporte do fornecedor.',
    );

    const problems = within(root).getAllByTestId('problem');
    expect(problems).toHaveLength(3);
    expect(problems[0]!.textContent).toContain('linha 3, coluna 9');
    expect(problems[0]!.querySelector('code')?.textContent).toBe('vendor.phone');
    expect(problems[0]!.textContent).toContain('Falta o telefone do suporte.');
    expect(problems[1]!.textContent).toContain('linha 17');
    expect(problems[1]!.textContent).not.toContain('coluna');
    expect(problems[1]!.querySelector('code')?.textContent).toBe('topics[1].label');
    expect(problems[2]!.textContent).not.toContain('linha');
    expect(problems[2]!.textContent).toContain('“verdinho” não é uma cor.');
  });

  it('can be read in English', async () => {
    launch(broken());
    await screen.findByTestId('error-screen');
    await fireEvent.click(screen.getByTestId('lang-en'));
    const root = screen.getByTestId('error-screen');
    expect(within(root).getByRole('heading', { level: 1 }).textContent).toBe('The vendor profile has problems');
    const problems = within(root).getAllByTestId('problem');
    expect(problems[0]!.textContent).toContain('line 3, column 9');
    expect(problems[0]!.textContent).toContain('The support phone is missing.');
    expect(root.textContent).toContain('Chamado cannot open tickets with this profile.');
    expect(localStorage.getItem('chamado.lang')).toBe('en');
  });
});

describe('ui_ready', () => {
  it('is sent exactly once, with "topics", after the topic list is drawn', async () => {
    const { named } = launch(ready());
    await waitFor(() => expect(named('ui_ready')).toHaveLength(1));
    expect(named('ui_ready')[0]!.args).toEqual({ screen: 'topics' });
    expect(screen.getByTestId('topic-list')).toBeTruthy();

    // Using the app does not send it again.
    await fireEvent.click(screen.getByTestId('lang-en'));
    await fireEvent.click(screen.getByTestId('topic-erro'));
    await fireEvent.click(screen.getByTestId('back'));
    await new Promise((r) => setTimeout(r, 50));
    expect(named('ui_ready')).toHaveLength(1);
    expect(named('startup')).toHaveLength(1);
  });

  it('is sent exactly once, with "error", for a broken profile', async () => {
    const { named } = launch(broken());
    await waitFor(() => expect(named('ui_ready')).toHaveLength(1));
    expect(named('ui_ready')[0]!.args).toEqual({ screen: 'error' });
    await fireEvent.click(screen.getByTestId('lang-en'));
    await new Promise((r) => setTimeout(r, 50));
    expect(named('ui_ready')).toHaveLength(1);
  });

  it('is sent with "error" when startup itself fails', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { named } = launch(() => Promise.reject(new Error('boom')));
    await waitFor(() => expect(named('ui_ready')).toHaveLength(1));
    expect(named('ui_ready')[0]!.args).toEqual({ screen: 'error' });
    expect(screen.getByTestId('error-screen').textContent).toContain('O Chamado não conseguiu iniciar.');
    spy.mockRestore();
  });
});

describe('Fila and Meus chamados from Home', () => {
  it('opens each from Home and comes back with focus on its button', async () => {
    mockIPC((cmd) => {
      if (cmd === 'startup') return ready();
      if (cmd === 'ui_ready' || cmd === 'delivery_events') return null;
      if (cmd === 'outbox_list') return { enrolled: true, items: [], damaged: [] };
      if (cmd === 'history_list' || cmd === 'history_refresh') return [];
      if (cmd === 'person' || cmd === 'ticket_draft') return null;
      throw new Error(`unknown command ${cmd}`);
    });
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Fila de envio' }));
    const title = await screen.findByTestId('queue-title');
    expect(title.textContent).toBe('Fila de envio');
    await waitFor(() => expect(document.activeElement).toBe(title));
    await fireEvent.click(screen.getByTestId('back'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('open-queue')));
    await fireEvent.click(screen.getByRole('button', { name: 'Meus chamados' }));
    const history = await screen.findByTestId('history-title');
    expect(history.textContent).toBe('Meus chamados');
    await waitFor(() => expect(document.activeElement).toBe(history));
    expect(await screen.findByTestId('history-empty')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('back'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('open-history')));
  });
});
