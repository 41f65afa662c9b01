// The language the UI speaks: read by any component, set by the language switch.
// Saved with `saveLang` and mirrored on <html lang>, as App did by hand before.
import type { Lang } from '../lib/bindings';
import { loadLang, saveLang } from '../lib/i18n';

let current = $state<Lang>(loadLang());
mirror();

function mirror() {
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

export const locale = {
  get lang(): Lang {
    return current;
  },
  /** The user's choice: shown at once, remembered for the next launch. */
  set(lang: Lang): void {
    current = lang;
    saveLang(lang);
    mirror();
  },
  /** The saved language again (App does this as it starts). */
  restore(): void {
    current = loadLang();
    mirror();
  },
};
