// What the screenshot step says about a command's error, by its code.
import type { ScreenError } from '../../lib/bindings';
import type { CaptureStrings } from '../../lib/i18n';

/** The message for the user; a storage error's `detail` (the file and the system's words) is shown beside it. */
export function screenErrorText(e: ScreenError, t: CaptureStrings): string {
  switch (e.code) {
    case 'busy':
      return t.busy;
    case 'no_such_shot':
      return t.gone;
    case 'storage':
      return t.storage;
    case 'edit_rejected':
      return t.rejected(e.field, t.rectProblems[e.problem]);
  }
}
