// The only commands the Rust side offers this window.
import { invoke } from '@tauri-apps/api/core';
import type { Startup } from './bindings';

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
