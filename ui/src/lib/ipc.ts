// The only commands the Rust side offers this window.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { CommandError, DeliveryEvent, Queue, Sent, Startup } from './bindings';

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

/** The sender's state changes and progress, until the page goes (one listener at a time). */
export function deliveryEvents(onEvent: (e: DeliveryEvent) => void): Promise<void> {
  return invoke<void>('delivery_events', { channel: new Channel<DeliveryEvent>(onEvent) });
}

export function outboxList(): Promise<Queue> {
  return invoke<Queue>('outbox_list');
}

export function outboxSendNow(id: string): Promise<void> {
  return invoke<void>('outbox_send_now', { id });
}

export function outboxDelete(id: string): Promise<void> {
  return invoke<void>('outbox_delete', { id });
}

export function historyList(): Promise<Sent[]> {
  return invoke<Sent[]>('history_list');
}

/** The history with each ticket's status read again from central. */
export function historyRefresh(): Promise<Sent[]> {
  return invoke<Sent[]>('history_refresh');
}

export function openTicketLink(reference: string): Promise<void> {
  return invoke<void>('open_ticket_link', { reference });
}

export type ErrorCode = CommandError['code'] | 'unknown';

/** The code of a rejected command (Rust's `CommandError`); anything else is `unknown`. */
export function errorCode(e: unknown): ErrorCode {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    return e.code as CommandError['code'];
  }
  return 'unknown';
}

/** Resolves once the frame after the current DOM changes has been painted. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const next = () => setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(next);
    else next();
  });
}
