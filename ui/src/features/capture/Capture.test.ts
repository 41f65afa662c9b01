import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type { CaptureErrorCode, CaptureOutcome, Lang, ShotView } from '../../lib/bindings';
import Capture from './Capture.svelte';
import { locale } from '../../app/locale.svelte';

type Call = { cmd: string; args: InvokeArgs | undefined };
type Handler = (args: InvokeArgs | undefined) => unknown;

const THUMB = 'data:image/webp;base64,UklGRthumb';
const ORIGINAL = 'data:image/webp;base64,UklGRoriginal';
const EDITED = 'data:image/webp;base64,UklGRedited';

function shot(over: Partial<ShotView> = {}): ShotView {
  return {
    id: 1,
    number: 1,
    monitor: 'HDMI-1',
    primary: true,
    captured_width: 1920,
    captured_height: 1080,
    width: 1920,
    height: 1080,
    bytes: 105 * 1024,
    blank: false,
    edits: { crop: null, hide: [], highlight: [] },
    thumbnail: THUMB,
    ...over,
  };
}

function outcome(over: Partial<CaptureOutcome> = {}): CaptureOutcome {
  return { shots: [shot()], added: [1], failure: null, problems: [], ...over };
}

/** Mounts the capture step over a mocked Rust side; `handlers` answer the commands. */
function mount(handlers: Record<string, Handler>, lang: Lang = 'pt-BR') {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const h = handlers[cmd] ?? (cmd === 'list_screens' ? () => [] : undefined);
    if (!h) throw new Error(`unexpected command ${cmd}`);
    return h(args);
  });
  locale.set(lang);
  const view = render(Capture);
  const named = (cmd: string) => calls.filter((c) => c.cmd === cmd);
  return { calls, named, view };
}

afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

describe('countdown', () => {
  it('counts 3-2-1 in the window, then captures and shows the thumbnail', async () => {
    vi.useFakeTimers();
    let release!: (o: CaptureOutcome) => void;
    const { named } = mount({ capture_screens: () => new Promise<CaptureOutcome>((r) => (release = r)) });
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('capture-button'));
    expect(screen.getByTestId('countdown-number').textContent).toBe('3');
    expect(screen.getByTestId('countdown').textContent).toContain('Capturando em 3…');
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByTestId('countdown-number').textContent).toBe('2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByTestId('countdown-number').textContent).toBe('1');
    expect(named('capture_screens')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(named('capture_screens')).toHaveLength(1);
    expect(screen.queryByTestId('countdown')).toBeNull();
    expect(screen.getByTestId('capture-status').textContent).toBe('Capturando a tela…');
    release(outcome());
    await vi.advanceTimersByTimeAsync(0);
    const img = screen.getByTestId('shot-thumb') as HTMLImageElement;
    expect(img.src).toBe(THUMB);
    expect(screen.getByTestId('capture-done').textContent).toBe('1 tela capturada.');
    expect(screen.getByTestId('shot').textContent).toContain('Tela 1 (HDMI-1)');
    expect(screen.getByTestId('shot').textContent).toContain('1920×1080 · 105 KB');
    expect(screen.getByTestId('capture-button').textContent?.trim()).toBe('Capturar de novo');
    expect(document.activeElement, 'the focus is on the new shot').toBe(screen.getByTestId('shot-edit'));
  });

  it('can be cancelled with the button or Escape: nothing is captured', async () => {
    vi.useFakeTimers();
    const { named } = mount({ capture_screens: () => outcome() });
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('capture-button'));
    await vi.advanceTimersByTimeAsync(1500);
    await fireEvent.click(screen.getByTestId('countdown-cancel'));
    expect(screen.queryByTestId('countdown')).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(document.activeElement).toBe(screen.getByTestId('capture-button'));

    await fireEvent.click(screen.getByTestId('capture-button'));
    await vi.advanceTimersByTimeAsync(2500);
    await fireEvent.keyDown(window, { key: 'Escape' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(screen.queryByTestId('countdown')).toBeNull();
    expect(named('capture_screens')).toHaveLength(0);
  });
});

describe('a failed capture', () => {
  const cases: [CaptureErrorCode, Lang, RegExp][] = [
    ['no_display', 'pt-BR', /^Não há tela para capturar .* O chamado segue sem a captura de tela\.$/],
    ['permission_denied', 'pt-BR', /^O sistema não permitiu capturar a tela \(tela protegida, bloqueada/],
    ['failed', 'pt-BR', /^Não foi possível capturar a tela\./],
    ['no_display', 'en', /^There is no screen to capture/],
    ['permission_denied', 'en', /^The system did not allow the screen to be captured/],
    ['failed', 'en', /^The screen could not be captured\. The ticket goes on/],
  ];
  it.each(cases)('%s is said in %s, with the detail for the analyst', async (code, lang, message) => {
    vi.useFakeTimers();
    const earlier = shot({ id: 4 });
    mount(
      {
        list_screens: () => [earlier],
        capture_screens: () =>
          outcome({ shots: [earlier], added: [], failure: { code, monitor: null, detail: 'xcb: connection refused' } }),
      },
      lang,
    );
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('capture-button'));
    await vi.advanceTimersByTimeAsync(3000);
    const alert = screen.getByTestId('capture-error');
    expect(alert.dataset.code).toBe(code);
    expect(alert.querySelector('p')?.textContent).toMatch(message);
    expect(alert.textContent).toContain('xcb: connection refused');
    expect(screen.getAllByTestId('shot')).toHaveLength(1);
    expect(screen.queryByTestId('capture-done')).toBeNull();
  });

  it('names a monitor that failed beside others and warns about a blank screen', async () => {
    vi.useFakeTimers();
    mount({
      capture_screens: () =>
        outcome({
          shots: [shot({ blank: true })],
          problems: [{ code: 'permission_denied', monitor: 'DP-2', detail: 'E_ACCESSDENIED' }],
        }),
    });
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('capture-button'));
    await vi.advanceTimersByTimeAsync(3000);
    expect(screen.getByTestId('monitor-error').textContent).toMatch(/^\s*Monitor DP-2: O sistema não permitiu/);
    expect(screen.getByTestId('shot-blank').textContent).toMatch(/toda de uma cor/);
  });

  it('a second capture while one runs is said as such', async () => {
    vi.useFakeTimers();
    mount({
      capture_screens: () => {
        throw { code: 'busy', message: 'a capture is under way', field: null, problem: null };
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('capture-button'));
    await vi.advanceTimersByTimeAsync(3000);
    expect(screen.getByTestId('screen-error').textContent).toContain('Uma captura já está em andamento.');
    expect(screen.getByTestId('capture-button')).toBeTruthy();
  });
});

describe('stored shots', () => {
  it('are listed at start (a restart loses none) and can be removed', async () => {
    const { named } = mount({
      list_screens: () => [shot(), shot({ id: 2, number: 2, monitor: 'DP-2' })],
      remove_screen: (args) => {
        expect(args).toEqual({ id: 1 });
        return [shot({ id: 2, number: 1, monitor: 'DP-2' })];
      },
    });
    await waitFor(() => expect(screen.getAllByTestId('shot')).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId('shot-remove')[0]!);
    await waitFor(() => expect(screen.getAllByTestId('shot')).toHaveLength(1));
    expect(screen.getByTestId('shot').textContent).toContain('Tela 1 (DP-2)');
    expect(named('remove_screen')).toHaveLength(1);
  });
});

/** The editor's image shown at half size, 100 px from the left and 50 from the top. */
function scalePreview() {
  const img = screen.getByTestId('editor-image');
  img.getBoundingClientRect = () =>
    ({ left: 100, top: 50, width: 960, height: 540, right: 1060, bottom: 590, x: 100, y: 50 }) as DOMRect;
  return img;
}

async function openEditor(handlers: Record<string, Handler>) {
  const result = mount({
    list_screens: () => [shot()],
    screen_image: (args) => {
      const a = args as { id: number; original: boolean };
      return a.original
        ? { data_url: ORIGINAL, width: 1920, height: 1080 }
        : { data_url: EDITED, width: 1920, height: 1080 };
    },
    ...handlers,
  });
  await fireEvent.click(await screen.findByTestId('shot-edit'));
  await screen.findByTestId('editor-image');
  return result;
}

describe('the editor', () => {
  it('sends boxes in the image pixels when the preview is scaled, then shows the file Rust wrote', async () => {
    const { named } = await openEditor({
      edit_screen: (args) => {
        const { edits } = args as { id: number; edits: ShotView['edits'] };
        return shot({ edits, thumbnail: 'data:image/webp;base64,UklGRnew' });
      },
    });
    const img = scalePreview();
    expect((img as HTMLImageElement).src).toBe(ORIGINAL);
    // A box dragged from (196, 104) to (296, 154) on screen: (192, 108) to (392, 208) in the image.
    await fireEvent.mouseDown(screen.getByTestId('stage'), { clientX: 196, clientY: 104, button: 0 });
    await fireEvent.mouseMove(window, { clientX: 250, clientY: 130 });
    await fireEvent.mouseUp(window, { clientX: 296, clientY: 154 });
    // Crop, dragged the other way round: from (1060, 590) to (100, 77) on screen.
    await fireEvent.click(screen.getByTestId('mode-crop'));
    await fireEvent.mouseDown(screen.getByTestId('stage'), { clientX: 1060, clientY: 590, button: 0 });
    await fireEvent.mouseUp(window, { clientX: 100, clientY: 77 });
    // A click is not a box.
    await fireEvent.click(screen.getByTestId('mode-hide'));
    await fireEvent.mouseDown(screen.getByTestId('stage'), { clientX: 500, clientY: 300, button: 0 });
    await fireEvent.mouseUp(window, { clientX: 501, clientY: 300 });
    expect(screen.getAllByTestId('box')).toHaveLength(1);

    await fireEvent.click(screen.getByTestId('editor-apply'));
    const final = (await screen.findByTestId('shot-final')) as HTMLImageElement;
    expect(named('edit_screen')[0]?.args).toEqual({
      id: 1,
      edits: {
        hide: [{ x: 192, y: 108, width: 200, height: 100 }],
        highlight: [],
        crop: { x: 0, y: 54, width: 1920, height: 1026 },
      },
    });
    expect(final.src).toBe(EDITED);
    expect(named('screen_image').map((c) => c.args)).toEqual([
      { id: 1, original: true },
      { id: 1, original: false },
    ]);
    // What is shown is the image read back, with nothing drawn over it.
    expect(screen.queryAllByTestId('box')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('editor-done'));
    expect(((await screen.findByTestId('shot-thumb')) as HTMLImageElement).src).toBe('data:image/webp;base64,UklGRnew');
    expect(screen.getByTestId('shot').textContent).toContain('editada');
  });

  it('adds, moves and resizes a box with the keyboard', async () => {
    const { named } = await openEditor({ edit_screen: () => shot() });
    await fireEvent.click(screen.getByTestId('add-box'));
    const box = screen.getByTestId('box');
    expect(document.activeElement).toBe(box);
    // 480×135 in the middle of 1920×1080; a step is 1% of the width (19 px).
    await fireEvent.keyDown(box, { key: 'ArrowRight' });
    await fireEvent.keyDown(box, { key: 'ArrowUp' });
    await fireEvent.keyDown(box, { key: 'ArrowDown', shiftKey: true });
    await fireEvent.click(screen.getByTestId('editor-apply'));
    await screen.findByTestId('shot-final');
    expect(named('edit_screen')[0]?.args).toEqual({
      id: 1,
      edits: { crop: null, highlight: [], hide: [{ x: 720 + 19, y: 473 - 19, width: 480, height: 135 + 19 }] },
    });
  });

  it('highlights with the tool switch: an outline beside the boxes, by mouse or keyboard, removable', async () => {
    const { named } = await openEditor({
      edit_screen: (args) => shot({ edits: (args as { edits: ShotView['edits'] }).edits }),
    });
    scalePreview();
    const modes = screen.getByRole('radiogroup');
    expect(modes.textContent).toContain('Ocultar');
    expect(modes.textContent).toContain('Destacar');
    // A hide box first, then two highlights: one dragged, one added by keyboard and moved.
    await fireEvent.mouseDown(screen.getByTestId('stage'), { clientX: 196, clientY: 104, button: 0 });
    await fireEvent.mouseUp(window, { clientX: 296, clientY: 154 });
    await fireEvent.click(screen.getByTestId('mode-highlight'));
    expect(screen.getByTestId('add-box').textContent?.trim()).toBe('Adicionar destaque');
    await fireEvent.mouseDown(screen.getByTestId('stage'), { clientX: 300, clientY: 200, button: 0 });
    await fireEvent.mouseUp(window, { clientX: 400, clientY: 250 });
    await fireEvent.click(screen.getByTestId('add-box'));
    const added = screen.getAllByTestId('highlight')[1]!;
    expect(document.activeElement).toBe(added);
    await fireEvent.keyDown(added, { key: 'ArrowLeft' });
    expect(screen.getAllByTestId('box')).toHaveLength(1);
    expect(screen.getAllByTestId('highlight')).toHaveLength(2);
    // "Remover o destaque 2", then added again: the list names each.
    await fireEvent.click(screen.getAllByTestId('remove-highlight')[1]!);
    expect(screen.getAllByTestId('highlight')).toHaveLength(1);
    expect(screen.getByText(/Destaque 1: 200×100/)).toBeTruthy();

    await fireEvent.click(screen.getByTestId('editor-apply'));
    await screen.findByTestId('shot-final');
    expect(named('edit_screen')[0]?.args).toEqual({
      id: 1,
      edits: {
        crop: null,
        hide: [{ x: 192, y: 108, width: 200, height: 100 }],
        highlight: [{ x: 400, y: 300, width: 200, height: 100 }],
      },
    });
    await fireEvent.click(screen.getByTestId('editor-done'));
    expect((await screen.findByTestId('shot')).textContent).toContain('editada');
  });

  it('crops with the keyboard too', async () => {
    const { named } = await openEditor({ edit_screen: () => shot() });
    await fireEvent.click(screen.getByTestId('mode-crop'));
    expect(screen.getByTestId('add-box').textContent?.trim()).toBe('Adicionar recorte');
    await fireEvent.click(screen.getByTestId('add-box'));
    const crop = screen.getByTestId('crop');
    expect(document.activeElement).toBe(crop);
    await fireEvent.keyDown(crop, { key: 'ArrowLeft', shiftKey: true });
    await fireEvent.click(screen.getByTestId('editor-apply'));
    await screen.findByTestId('shot-final');
    expect(named('edit_screen')[0]?.args).toEqual({
      id: 1,
      edits: { hide: [], highlight: [], crop: { x: 192, y: 108, width: 1536 - 19, height: 864 } },
    });
  });

  it('says which rectangle Rust refused, and keeps the boxes', async () => {
    await openEditor({
      edit_screen: () => {
        throw { code: 'edit_rejected', message: 'hide[0].x: outside_image', field: 'hide[0].x', problem: 'outside_image' };
      },
    });
    await fireEvent.click(screen.getByTestId('add-box'));
    await fireEvent.click(screen.getByTestId('editor-apply'));
    const err = await screen.findByTestId('editor-error');
    expect(err.textContent?.trim()).toBe('Não foi possível aplicar (hide[0].x): a área selecionada está fora da imagem.');
    expect(screen.getAllByTestId('box')).toHaveLength(1);
    expect(screen.queryByTestId('shot-final')).toBeNull();
  });
});
