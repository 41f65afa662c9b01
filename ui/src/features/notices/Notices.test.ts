import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Notice, Person, Startup, TicketDraft, Topic } from '../../lib/bindings';
import App from '../../app/App.svelte';
import { profile, ready } from '../../test/fixture';
import { person, ticketSide, type TicketSide } from '../../test/ticket';
import { generalNotices, guidesNotices, prefillVersion, topicNotices } from './notices';

function notice(id: number, text: string, topic: string | null = null): Notice {
  return { id, text, topic, created_at: '2026-12-06T12:00:00Z', until: null };
}

/** The fixture's update topic as the seed has it: a guide and two version fields. */
function updateTopic(): Topic {
  const topics = profile().topics;
  const erro = topics.find((t) => t.id === 'erro')!;
  const update = topics.find((t) => t.id === 'atualizacao')!;
  const v = (name: string) => ({ ...erro.fields[0]!, name, required: false });
  return { ...update, guides: [erro.guides[0]!], fields: [v('versao_atual'), v('versao_desejada')] };
}

function withUpdateTopic(): Startup {
  const s = ready();
  if (s.status === 'ready') s.profile.topics = s.profile.topics.map((t) => (t.id === 'atualizacao' ? updateTopic() : t));
  return s;
}

async function launch(
  setup: (side: TicketSide) => void,
  initial: { person?: Person | null; draft?: TicketDraft | null } = { person: person() },
  startup: Startup = ready(),
): Promise<TicketSide> {
  const side = ticketSide(initial);
  setup(side);
  mockIPC((cmd, args) => {
    if (cmd === 'startup') return startup;
    if (cmd === 'ui_ready') return null;
    const handler = side.handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
  render(App);
  await screen.findByTestId('topic-list');
  return side;
}

const h1 = () => screen.getByRole('heading', { level: 1 });
async function onStep(title: string) {
  await waitFor(() => expect(h1().textContent?.trim()).toBe(title));
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('which notices show where', () => {
  const list = [notice(3, 'Nova versão', 'atualizacao'), notice(2, 'Servidor parado'), notice(1, 'Outro perfil', 'sumiu')];
  const topics = [updateTopic()];

  it('the topic choice: general ones on top (and those for a topic this profile lacks), the others beside their topic', () => {
    expect(generalNotices(list, topics).map((n) => n.id)).toEqual([2, 1]);
    expect(topicNotices(list, 'atualizacao').map((n) => n.id)).toEqual([3]);
  });

  it("the guides step: the topic's then the general ones", () => {
    expect(guidesNotices(list, 'atualizacao').map((n) => n.id)).toEqual([3, 2]);
    expect(guidesNotices(list, 'erro').map((n) => n.id)).toEqual([2]);
  });

  it('the installed version fills the first version field only when it is empty', () => {
    const fields: Record<string, string> = { versao_atual: '', versao_desejada: '' };
    expect(prefillVersion(fields, updateTopic(), '8.4.1.120')).toBe(true);
    expect(fields).toEqual({ versao_atual: '8.4.1.120', versao_desejada: '' });
    fields.versao_atual = '8.3';
    expect(prefillVersion(fields, updateTopic(), '8.4.1.120')).toBe(false);
    expect(fields.versao_atual).toBe('8.3');
    expect(prefillVersion({ x: '' }, updateTopic(), null)).toBe(false);
  });
});

describe('notices in the wizard', () => {
  it('the topic step shows a notification banner headed "Aviso", a topic\'s notice beside it, and the date of notices kept offline', async () => {
    await launch((side) => {
      side.notices = {
        notices: [notice(2, 'Instabilidade na emissão de notas', 'erro'), notice(1, 'Manutenção hoje às 22h')],
        latest_version: null,
        fetched_at: '2026-12-06T12:30:00Z',
        from_cache: true,
      };
    });
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await onStep('Tipo de ajuda');
    const regions = await screen.findAllByRole('region', { name: 'Aviso' });
    expect(regions).toHaveLength(2);
    expect(within(regions[0]!).getByTestId('notice').textContent).toBe('Manutenção hoje às 22h');
    expect(within(regions[0]!).getByTestId('notice-cached').textContent).toContain('Sem conexão com o servidor agora');
    // Beside "Reportar erro", after its button.
    const erro = screen.getByTestId('choose-topic-erro').closest('li')!;
    expect(within(erro).getByRole('region', { name: 'Aviso' }).textContent).toContain('Instabilidade na emissão de notas');
  });

  it('the guides step shows its topic\'s and the general notices; "Sim, resolveu" is counted for the topic', async () => {
    const side = await launch((side) => {
      side.notices = {
        notices: [notice(3, 'Só para dúvidas', 'duvida'), notice(2, 'Erro conhecido na versão 5.2', 'erro'), notice(1, 'Manutenção')],
        latest_version: null,
        fetched_at: '2026-12-06T12:30:00Z',
        from_cache: false,
      };
    });
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await fireEvent.click(await screen.findByTestId('choose-topic-erro'));
    await onStep('Antes de abrir o chamado');
    const banner = await screen.findByRole('region', { name: 'Aviso' });
    expect(within(banner).getAllByTestId('notice').map((n) => n.textContent)).toEqual(['Erro conhecido na versão 5.2', 'Manutenção']);
    expect(screen.queryByTestId('notice-cached')).toBeNull();
    await fireEvent.click(screen.getByTestId('guides-solved'));
    await onStep('Que bom que resolveu!');
    await waitFor(() => expect(side.resolved).toEqual([{ topic: 'erro', how: 'guide' }]));
  });

  it('the update topic shows the installed and latest versions, the copies to close, and fills the installed version', async () => {
    const side = await launch(
      (side) => {
        side.program = {
          name: 'Gestão Fiscal',
          installed: '8.4.1.120',
          latest: '8.5.0',
          up_to_date: false,
          running: [{ pid: 4242, path: 'C:\\Gestao\\gestao.exe' }],
        };
      },
      { person: person() },
      withUpdateTopic(),
    );
    await fireEvent.click(screen.getByTestId('new-ticket'));
    await fireEvent.click(await screen.findByTestId('choose-topic-atualizacao'));
    await onStep('Antes de abrir o chamado');
    const panel = await screen.findByTestId('update-help');
    expect(within(panel).getByTestId('version-installed').textContent).toBe('8.4.1.120');
    expect(within(panel).getByTestId('version-latest').textContent).toBe('8.5.0');
    expect(panel.textContent).toContain('Há uma versão mais nova: 8.5.0.');
    expect(within(panel).getByTestId('update-running').textContent).toContain('C:\\Gestao\\gestao.exe');
    await waitFor(() => expect(side.draft?.fields.versao_atual).toBe('8.4.1.120'));
    expect(side.draft?.fields.versao_desejada ?? '').toBe('');
    await fireEvent.click(screen.getByTestId('continue'));
    await onStep('Conte o que aconteceu');
    expect((document.getElementById('fields-versao_atual') as HTMLInputElement).value).toBe('8.4.1.120');
  });
});
