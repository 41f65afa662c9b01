// Which of a topic's guides are on show: the first few always; the rest when the customer asks
// for all of them or searches with the words of the problem.
import type { Guide } from '../../lib/bindings';

/** Guides on show before searching or "Ver todas". */
export const FIRST = 3;

/** Lower case, without accents: "Impressão" finds "impressao" and the other way round. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The guides to list, each with its index in the topic (the index names it to Rust): the first
 * `FIRST`, then every other one when `all`, else those holding every word of `query` in their
 * title or text (in either language).
 */
export function guidesShown(guides: Guide[], query: string, all: boolean): { guide: Guide; index: number }[] {
  const words = fold(query).split(/\s+/).filter((w) => w.length > 1);
  return guides
    .map((guide, index) => ({ guide, index }))
    .filter(({ guide, index }) => {
      if (index < FIRST || all) return true;
      if (words.length === 0) return false;
      const text = fold([guide.title['pt-BR'], guide.title.en, guide.text?.['pt-BR'] ?? '', guide.text?.en ?? ''].join(' '));
      return words.every((w) => text.includes(w));
    });
}
