import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Lang } from '../../lib/bindings';
import EvidenceStep from '../ticket/EvidenceStep.svelte';
import { wizard } from '../ticket/wizard.svelte';
import { locale } from '../../app/locale.svelte';
import { profile } from '../../test/fixture';
import { ticketSide, type TicketSide } from '../../test/ticket';
import { fileSize, groupedId, refusalText } from './evidence';

type Calls = { cmd: string; args: Record<string, unknown> }[];

const MB = 1024 * 1024;

/** "Mostre para nós" over a fake Rust side; the profile allows 2 MB a file, 3 MB in all. */
async function mount(setup: (side: TicketSide) => void = () => {}, lang: Lang = 'pt-BR') {
  wizard.reset();
  const side = ticketSide();
  setup(side);
  const calls: Calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const h = side.handlers[cmd];
    if (!h) throw new Error(`unknown command ${cmd}`);
    return h(a);
  });
  locale.set(lang);
  const p = profile();
  p.bundle = { budget_kib: 1024, attachment_max_kib: 2048, attachments_total_max_kib: 3072 };
  render(EvidenceStep, { props: { topic: p.topics[0]!, next: () => Promise.resolve(), profile: p } });
  await waitFor(() => expect(calls.some((c) => c.cmd === 'file_drops')).toBe(true));
  return { side, calls, named: (cmd: string) => calls.filter((c) => c.cmd === cmd) };
}

const names = () => screen.queryAllByTestId('attachment-name').map((n) => n.textContent?.trim());
const refusals = () => screen.queryAllByTestId('attachment-refused').map((n) => n.textContent?.trim());

afterEach(() => {
  cleanup();
  clearMocks();
  wizard.reset();
});

describe('Anexar arquivos', () => {
  it('says the limits in the user’s units, attaches what the dialog chose, lists name and size', async () => {
    await mount((side) => {
      side.files = { '/home/ana/nota.pdf': { size: 120 * 1024 }, '/home/ana/erro.log': { size: 1.5 * MB } };
      side.chosen = ['/home/ana/nota.pdf', '/home/ana/erro.log'];
    });
    const section = screen.getByTestId('attachments');
    expect(section.textContent).toContain('Até 2 MB por arquivo e 3 MB no total');
    await fireEvent.click(screen.getByRole('button', { name: 'Anexar arquivos' }));
    await waitFor(() => expect(names()).toEqual(['nota.pdf', 'erro.log']));
    expect(screen.getAllByTestId('attachment-size').map((s) => s.textContent)).toEqual(['120 KB', '1,5 MB']);
    expect(screen.getByTestId('attachments-added').textContent).toBe('2 arquivos anexados.');
    expect(wizard.draft.attachments.map((a) => a.name)).toEqual(['nota.pdf', 'erro.log']);
    expect(screen.queryByTestId('attachments-problem')).toBeNull();
  });

  it('a dropped file is attached; each refused one is named, the good ones attached all the same', async () => {
    const { side, named } = await mount((side) => {
      side.files = {
        '/d/ok.txt': { size: 2048 },
        '/d/backup.zip': { refused: 'too_large', size: 5 * MB, limit: 2 * MB },
        '/d/pasta': { refused: 'not_a_file' },
        '/d/grande.xml': { refused: 'total_too_large', size: 3.5 * MB, limit: 3 * MB },
      };
    });
    side.drop({ kind: 'over' });
    expect(await screen.findByTestId('drop-zone')).toBeTruthy();
    side.drop({ kind: 'drop', paths: ['/d/backup.zip', '/d/ok.txt', '/d/pasta', '/d/sumiu.doc', '/d/grande.xml'] });
    await waitFor(() => expect(names()).toEqual(['ok.txt']));
    expect(screen.queryByTestId('drop-zone')).toBeNull();
    expect(named('add_attachments')[0]?.args).toEqual({
      paths: ['/d/backup.zip', '/d/ok.txt', '/d/pasta', '/d/sumiu.doc', '/d/grande.xml'],
    });
    const problem = screen.getByTestId('attachments-problem');
    expect(within(problem).getByRole('heading').textContent).toBe('Há um problema');
    await waitFor(() => expect(document.activeElement).toBe(problem));
    expect(refusals()).toEqual([
      'O arquivo “backup.zip” tem 5 MB, acima do limite de 2 MB por arquivo.',
      '“pasta” é uma pasta. Anexe os arquivos que estão dentro dela.',
      'Não foi possível ler “sumiu.doc”: ele foi movido, apagado ou está aberto em outro programa.',
      'Com “grande.xml”, os anexos somariam 3,5 MB, acima do limite de 3 MB no total. Remova algum arquivo ou anexe um menor.',
    ]);
    // Dropping the same file again: named as already attached, nothing lost.
    side.drop({ kind: 'drop', paths: ['/d/ok.txt'] });
    await waitFor(() => expect(refusals()).toEqual(['“ok.txt” já está anexado.']));
    expect(names()).toEqual(['ok.txt']);
  });

  it('"Remover" takes a file off the list, and the draft saved by the UI never brings it back', async () => {
    const { side } = await mount((side) => {
      side.files = { '/d/a.txt': { size: 10 }, '/d/b.txt': { size: 20 } };
      side.chosen = ['/d/a.txt', '/d/b.txt'];
    });
    await fireEvent.click(screen.getByTestId('attach-files'));
    await waitFor(() => expect(names()).toEqual(['a.txt', 'b.txt']));
    await fireEvent.click(screen.getByRole('button', { name: 'Remover a.txt' }));
    await waitFor(() => expect(names()).toEqual(['b.txt']));
    expect(side.draft?.attachments.map((a) => a.name)).toEqual(['b.txt']);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remover b.txt' })));
  });
});

describe('the remote-access ID', () => {
  it('is not offered when none is found', async () => {
    await mount();
    await Promise.resolve();
    expect(screen.queryByTestId('remote-access')).toBeNull();
  });

  it('is offered unticked with the vendor’s note; ticking keeps the exact ID in the draft', async () => {
    const { side } = await mount((side) => {
      side.remote = [{ vendor: 'anydesk', id: '123456789' }];
    });
    const box = (await screen.findByLabelText(
      'Enviar o ID do AnyDesk (123 456 789) para o técnico poder acessar este computador',
    )) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByTestId('remote-note').textContent).toBe(
      'A Contábil Sistemas Ltda. nunca pede esse número sem você ter aberto um chamado.',
    );
    expect(box.getAttribute('aria-describedby')).toBe(screen.getByTestId('remote-note').id);
    expect(wizard.draft.remote_access).toBeNull();
    await fireEvent.click(box);
    expect(wizard.draft.remote_access).toEqual({ vendor: 'anydesk', id: '123456789' });
    // Saved with the draft once typing pauses (a topic makes it a draft worth keeping).
    wizard.draft.topic = 'erro';
    wizard.typed();
    await waitFor(() => expect(side.draft?.remote_access).toEqual({ vendor: 'anydesk', id: '123456789' }));
    await fireEvent.click(box);
    expect(wizard.draft.remote_access).toBeNull();
  });
});

describe('words', () => {
  it('groups an ID as the programs show it and words refusals in English too', () => {
    expect(fileSize(62, 'pt-BR')).toBe('1 KB');
    expect(fileSize(0, 'pt-BR')).toBe('0 KB');
    expect(groupedId('123456789')).toBe('123 456 789');
    expect(groupedId('1234567890')).toBe('1 234 567 890');
    expect(groupedId('meu_pc-01')).toBe('meu_pc-01');
    expect(
      refusalText({ name: 'x.zip', problem: 'too_large', size: 5 * MB, limit: 2 * MB, detail: '' }, 'en'),
    ).toBe('The file “x.zip” is 5 MB, over the limit of 2 MB per file.');
  });
});
