// The vendor's notices for this window, fetched from Rust (central's, or the last kept) when the
// topic choice opens, shared with the guides step; and the program's version, detected once.
import type { Notices, ProgramVersion } from '../../lib/bindings';
import { notices as readNotices, programVersion } from '../../lib/ipc';

let current = $state<Notices | null>(null);
let loading: Promise<void> | null = null;
let program = $state<ProgramVersion | null>(null);
let detecting: Promise<ProgramVersion | null> | null = null;

export const noticeStore = {
  /** The notices last read; null before the first answer. */
  get current(): Notices | null {
    return current;
  },
  /** Reads them (again, with `fresh`); a failure leaves what was shown. */
  load(fresh = false): Promise<void> {
    if (loading && !fresh) return loading;
    loading = readNotices()
      .then((n) => {
        current = n;
      })
      .catch((e: unknown) => {
        console.error('notices failed', e);
        loading = null;
      });
    return loading;
  },
  get program(): ProgramVersion | null {
    return program;
  },
  /** The vendor's program here (after the notices: its latest version is theirs). */
  detect(fresh = false): Promise<ProgramVersion | null> {
    if (detecting && !fresh) return detecting;
    detecting = this.load()
      .then(() => programVersion())
      .then((p) => {
        program = p;
        return p;
      })
      .catch((e: unknown) => {
        console.error('program_version failed', e);
        detecting = null;
        return null;
      });
    return detecting;
  },
};
