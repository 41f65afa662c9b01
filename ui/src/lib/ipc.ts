// The commands the Rust side offers this window are generated into `bindings.ts` (one function
// each, from src-tauri/src/commands.rs); this module adds what is not a plain call: the delivery
// channel, reading a rejection's code, and waiting for a paint.
import { Channel } from '@tauri-apps/api/core';
import { deliveryEvents as openDeliveryChannel } from './bindings';
import type { AppError, DeliveryEvent, ErrorCode } from './bindings';

export * from './bindings';

export type ReadyScreen = 'topics' | 'error';

/** The sender's state changes and progress, until the page goes; Rust keeps only the newest channel: listen through `app/delivery-events`. */
export function deliveryEvents(onEvent: (e: DeliveryEvent) => void): Promise<void> {
  return openDeliveryChannel(new Channel<DeliveryEvent>(onEvent));
}

/** Every code Rust's `AppError` has: a code it does not know is not taken for one. */
const ERROR_CODES: Record<ErrorCode, true> = {
  no_profile: true,
  no_such_guide: true,
  browser_unavailable: true,
  storage: true,
  not_queued: true,
  damaged_entry: true,
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
  invalid: true,
  over_budget: true,
  no_review: true,
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

/** A rejected command as Rust's `AppError`; anything else (a thrown exception) is `internal`. */
export function appError(e: unknown): AppError {
  if (typeof e !== 'object' || e === null || !('code' in e) || !isErrorCode(e.code)) {
    return { code: 'internal', message: String(e), field: null, problem: null };
  }
  // Rust sends every field; a hand-made rejection (a test's) may leave some out.
  const { message = '', field = null, problem = null } = e as Partial<AppError>;
  return { code: e.code, message, field, problem };
}
