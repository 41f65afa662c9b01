// The only commands the Rust side offers this window.
import { invoke } from '@tauri-apps/api/core';
import type { CaptureOutcome, Edits, ScreenError, ScreenImage, ShotView, Startup } from './bindings';

export type ReadyScreen = 'topics' | 'error';

export function startup(): Promise<Startup> {
  return invoke<Startup>('startup');
}

export function uiReady(screen: ReadyScreen): Promise<void> {
  return invoke<void>('ui_ready', { screen });
}

export function openGuide(topic: string, index: number): Promise<void> {
  return invoke<void>('open_guide', { topic, index });
}

/** Resolves once the frame after the current DOM changes has been painted. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const next = () => setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(next);
    else next();
  });
}

// Screenshots of the ticket being prepared (src-tauri/src/screens.rs).

/** Hides the window, captures every monitor, shows the window again; a failed capture is in the outcome. */
export function captureScreens(): Promise<CaptureOutcome> {
  return invoke<CaptureOutcome>('capture_screens');
}

export function listScreens(): Promise<ShotView[]> {
  return invoke<ShotView[]>('list_screens');
}

/** The captured image (`original`, for the editor) or the image as it will be sent. */
export function screenImage(id: number, original: boolean): Promise<ScreenImage> {
  return invoke<ScreenImage>('screen_image', { id, original });
}

/** Applies the edits (in the captured image's pixels) to the pixels; replaces earlier edits. */
export function editScreen(id: number, edits: Edits): Promise<ShotView> {
  return invoke<ShotView>('edit_screen', { id, edits });
}

export function removeScreen(id: number): Promise<ShotView[]> {
  return invoke<ShotView[]>('remove_screen', { id });
}

/** A screenshot command's rejection as its typed error (anything else is a storage problem). */
export function screenError(e: unknown): ScreenError {
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') {
    return e as ScreenError;
  }
  return { code: 'storage', detail: String(e) };
}
