import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { CheckEvent, Topic } from '../../lib/bindings';
import { navigation } from '../../app/navigation.svelte';
import { profile } from '../../test/fixture';
import { ticketSide, type TicketSide } from '../../test/ticket';
import ChecksStep from './ChecksStep.svelte';
import { stepsFor } from './rules';

const text = (pt: string) => ({ 'pt-BR': pt, en: pt });

function erro(): Topic {
  return profile().topics.find((t) => t.id === 'erro')!;
}

/** The step over a fake Rust side whose `run_checks` hands its channel to the test. */
function open(topic = erro()) {
  const side: TicketSide = ticketSide();
  const runs: ((e: CheckEvent) => void)[] = [];
  const ended: (() => void)[] = [];
  side.runChecks = (_topic, tell) =>
    new Promise<void>((resolve) => {
      runs.push(tell);
      ended.push(resolve);
    });
  mockIPC((cmd, args) => {
    const handler = side.handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
  const next = vi.fn(() => Promise.resolve());
  render(ChecksStep, { props: { profile: profile(), topic, next } });
  return { side, runs, ended, next };
}

const items = () => screen.getAllByTestId('check-item');
const stateOf = (id: string) => items().find((li) => li.dataset.check === id)!;

const started = (run: number): CheckEvent => ({
  event: 'started',
  run,
  items: ['sefaz', 'network', 'proxy'],
  requirements: [],
});

afterEach(() => {
  cleanup();
  clearMocks();
  vi.restoreAllMocks();
});

describe('the checks step', () => {
  it('comes after the guides only for topics with checks or requirements', () => {
    const topics = profile().topics;
    expect(stepsFor(erro())).toEqual(['person', 'topic', 'guides', 'checks', 'details', 'evidence', 'review']);
    const plain = topics.find((t) => t.checklist.every((i) => i.checks.length === 0))!;
    expect(stepsFor(plain)).not.toContain('checks');
    expect(stepsFor({ ...plain, requirements: true })).toContain('checks');
  });

  it('shows each check running, then its result as it arrives, with icon, words and what to do', async () => {
    const { runs } = open();
    await waitFor(() => expect(runs).toHaveLength(1));
    // Before Rust says anything: the topic's checks, each once, running.
    expect(items().map((li) => li.dataset.check)).toEqual([
      'sefaz',
      'network',
      'proxy',
      'antivirus',
      'firewall',
      'program',
      'recent-software',
    ]);
    runs[0]!(started(1));
    await waitFor(() => expect(items()).toHaveLength(3));
    expect(within(stateOf('sefaz')).getByText('Verificando…')).toBeTruthy();

    runs[0]!({
      event: 'item',
      run: 1,
      id: 'network',
      state: 'ok',
      findings: [],
      elapsed_ms: 40,
    });
    await waitFor(() => expect(stateOf('network').dataset.state).toBe('ok'));
    expect(within(stateOf('network')).getByText('Tudo certo')).toBeTruthy();
    expect(within(stateOf('network')).getByText('✓')).toBeTruthy();
    expect(screen.getByTestId('checks-live').textContent).toBe('Rede e cabos: Tudo certo');
    expect(stateOf('sefaz').dataset.state).toBe('running');

    runs[0]!({
      event: 'item',
      run: 1,
      id: 'sefaz',
      state: 'problem',
      findings: [{ title: text('O servidor recusou a conexão'), action: text('Ligue o servidor.') }],
      elapsed_ms: 60,
    });
    await waitFor(() => expect(stateOf('sefaz').dataset.state).toBe('problem'));
    const sefaz = within(stateOf('sefaz'));
    expect(sefaz.getByText('Problema encontrado')).toBeTruthy();
    expect(sefaz.getByText('O servidor recusou a conexão')).toBeTruthy();
    expect(stateOf('sefaz').textContent).toContain('O que fazer: Ligue o servidor.');
    expect(screen.getByTestId('checks-live').textContent).toBe('Servidor da SEFAZ: Problema encontrado');
  });

  it('says a check that hung ended at its timeout', async () => {
    const { runs } = open();
    await waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!(started(1));
    runs[0]!({
      event: 'item',
      run: 1,
      id: 'sefaz',
      state: 'could_not_check',
      timed_out: true,
      detail: null,
      findings: [{ title: text('Servidor da SEFAZ não respondeu a tempo'), action: text('Verifique o firewall.') }],
      elapsed_ms: 5000,
    });
    await waitFor(() => expect(stateOf('sefaz').dataset.state).toBe('unknown'));
    expect(stateOf('sefaz').textContent).toContain('Não foi possível verificar');
    expect(stateOf('sefaz').textContent).toContain('Não respondeu dentro do tempo limite.');
  });

  it('"Verificar de novo" runs again and replaces the results in place; a late event of the old run is dropped', async () => {
    const { runs, ended } = open();
    await waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!(started(1));
    runs[0]!({ event: 'item', run: 1, id: 'sefaz', state: 'problem', findings: [], elapsed_ms: 5 });
    runs[0]!({ event: 'changes', run: 1, since: null, since_good: false, changes: [] });
    runs[0]!({ event: 'finished', run: 1, elapsed_ms: 900 });
    ended[0]!();
    await waitFor(() => expect(screen.getByTestId('check-changes').textContent).toContain('primeira verificação'));

    await fireEvent.click(screen.getByTestId('checks-again'));
    await waitFor(() => expect(runs).toHaveLength(2));
    expect(items().map((li) => li.dataset.check)).toEqual(['sefaz', 'network', 'proxy']);
    expect(stateOf('sefaz').dataset.state).toBe('running');
    expect(screen.queryByTestId('check-changes')).toBeNull();

    runs[0]!({ event: 'item', run: 1, id: 'network', state: 'problem', findings: [], elapsed_ms: 5 });
    runs[1]!(started(2));
    runs[1]!({ event: 'item', run: 2, id: 'sefaz', state: 'ok', findings: [], elapsed_ms: 5 });
    runs[1]!({
      event: 'changes',
      run: 2,
      since: '2026-12-01T10:00:00-03:00',
      since_good: true,
      changes: [{ title: text('Antivírus Novo instalado'), action: text('Libere o sistema.') }],
    });
    await waitFor(() => expect(stateOf('sefaz').dataset.state).toBe('ok'));
    expect(stateOf('network').dataset.state).toBe('running');
    const changes = screen.getByTestId('check-changes');
    expect(changes.textContent).toContain('O que mudou desde que funcionou');
    expect(changes.textContent).toContain('quando estava funcionando');
    expect(changes.textContent).toContain('Antivírus Novo instalado');
  });

  it('shows each system requirement met or not, with what this computer has', async () => {
    const { runs } = open({ ...erro(), requirements: true });
    await waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!({
      event: 'started',
      run: 1,
      items: [],
      requirements: [
        { kind: 'memory', min_mib: 4096 },
        { kind: 'windows', min_build: 10240 },
      ],
    });
    runs[0]!({
      event: 'requirement',
      run: 1,
      requirement: { kind: 'memory', min_mib: 4096 },
      met: false,
      measured: '2048 MiB',
    });
    await waitFor(() => expect(screen.getAllByTestId('requirement')[0]?.dataset.state).toBe('problem'));
    expect(screen.getByText('Este computador atende aos requisitos do sistema?')).toBeTruthy();
    const [memory, windows] = screen.getAllByTestId('requirement') as [HTMLElement, HTMLElement];
    expect(memory.textContent).toContain('Memória de pelo menos 4.096 MiB');
    expect(memory.textContent).toContain('Não');
    expect(memory.textContent).toContain('Neste computador: 2048 MiB');
    expect(windows.textContent).toContain('Windows 10 ou mais novo');
    expect(windows.dataset.state).toBe('running');
  });

  it('"Agora está funcionando" keeps this state as working, discards the draft and ends kindly', async () => {
    const { side, runs } = open();
    await waitFor(() => expect(runs).toHaveLength(1));
    const discarded = vi.spyOn(side.handlers, 'discard_ticket_draft');
    await fireEvent.click(screen.getByTestId('checks-works'));
    await waitFor(() => expect(navigation.route.name).toBe('resolved'));
    // Counted on central as resolved by the checks.
    expect(navigation.route).toMatchObject({ topic: 'erro', how: 'checks' });
    expect(side.worked).toEqual(['erro']);
    expect(discarded).toHaveBeenCalled();
  });

  it('"Continuar" goes on', async () => {
    const { next } = open();
    await fireEvent.click(screen.getByTestId('continue'));
    expect(next).toHaveBeenCalledWith('checks', expect.anything());
  });
});
