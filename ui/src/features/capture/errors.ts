// What the screenshot step says about a command's error, by its code.
import type { AppError } from '../../lib/bindings';
import type { CaptureStrings } from './strings';

/**
 * The message for the user; a storage error's `message` (the file and the system's words) is
 * shown beside it. Codes the screenshot commands do not answer get the shared wording.
 */
export function screenErrorText(e: AppError, t: CaptureStrings, errors: Record<AppError['code'], string>): string {
  switch (e.code) {
    case 'busy':
      return t.busy;
    case 'no_such_shot':
      return t.gone;
    case 'storage':
      return t.storage;
    case 'edit_rejected':
      if (e.field !== null && e.problem !== null) return t.rejected(e.field, t.rectProblems[e.problem]);
      break;
  }
  return errors[e.code];
}
