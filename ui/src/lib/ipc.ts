// The only commands the Rust side offers this window.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AppError,
  CaptureOutcome,
  DeliveryEvent,
  Edits,
  ErrorCode,
  Queue,
  ScreenImage,
  Sent,
  ShotView,
  Startup,
} from './bindings';

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

/** The sender's state changes and progress, until the page goes; Rust keeps only the newest channel: listen through `app/delivery-events`. */
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

/** Enrols this computer with the code the user typed, at the profile's central. */
export function enrol(code: string): Promise<void> {
  return invoke<void>('enrol', { code });
}

/** The text being written for one of this installation's sent tickets; '' when there is none. */
export function informationDraft(reference: string): Promise<string> {
  return invoke<string>('information_draft', { reference });
}

/** Keeps that text until it is queued; an empty text deletes it. */
export function saveInformationDraft(reference: string, text: string): Promise<void> {
  return invoke<void>('save_information_draft', { reference, text });
}

/** Queues text for one of this installation's sent tickets (and drops its draft); answers the Fila entry's id. */
export function addInformation(reference: string, text: string): Promise<string> {
  return invoke<string>('add_information', { reference, text });
}

/** Every code Rust's `AppError` has: a code it does not know is not taken for one. */
const ERROR_CODES: Record<ErrorCode, true> = {
  no_profile: true,
  no_such_guide: true,
  browser_unavailable: true,
  storage: true,
  not_queued: true,
  busy: true,
  not_enrolled: true,
  offline: true,
  no_link: true,
  code_refused: true,
  no_central: true,
  empty_message: true,
  no_such_ticket: true,
  no_such_shot: true,
  edit_rejected: true,
  internal: true,
};

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** What a screen says about a failure: a rejection's code, or `unknown` for anything else. */
export type AnyErrorCode = ErrorCode | 'unknown';

/** The code of a rejected command (Rust's `AppError`); anything else is `unknown`. */
export function errorCode(e: unknown): AnyErrorCode {
  if (typeof e === 'object' && e !== null && 'code' in e && isErrorCode(e.code)) return e.code;
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

/** A rejected command as Rust's `AppError`; anything else (a thrown exception) is `internal`. */
export function appError(e: unknown): AppError {
  if (typeof e !== 'object' || e === null || !('code' in e) || !isErrorCode(e.code)) {
    return { code: 'internal', message: String(e), field: null, problem: null };
  }
  // Rust sends every field; a hand-made rejection (a test's) may leave some out.
  const { message = '', field = null, problem = null } = e as Partial<AppError>;
  return { code: e.code, message, field, problem };
}
