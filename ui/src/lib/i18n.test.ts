import { describe, expect, it } from 'vitest';
import type { Lang } from './bindings';
import { COMMON, LANGS } from './i18n';

/** Every feature's `strings.ts`, found by name: a new feature is checked without being listed. */
const features = import.meta.glob<Record<Lang, object>>('../**/strings.ts', { eager: true, import: 'STRINGS' });

/** The keys of a strings object, nested ones as `a.b`, and its plain strings by key. */
function flatten(value: object, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, v]): [string, unknown][] =>
    typeof v === 'object' && v !== null ? flatten(v, `${prefix}${key}.`) : [[`${prefix}${key}`, v]],
  );
}

describe('i18n', () => {
  const all: [string, Record<Lang, object>][] = [['lib/i18n.ts', COMMON], ...Object.entries(features)];

  it('finds the shared strings and every feature’s', () => {
    expect(Object.keys(features).sort()).toEqual([
      '../app/strings.ts',
      '../components/strings.ts',
      '../features/capture/strings.ts',
      '../features/evidence/strings.ts',
      '../features/history/strings.ts',
      '../features/home/strings.ts',
      '../features/notices/strings.ts',
      '../features/queue/strings.ts',
      '../features/technician/strings.ts',
      '../features/ticket/strings.ts',
      '../features/topic/strings.ts',
    ]);
  });

  it.each(all)('%s has the same, non-empty strings in every language', (_, strings) => {
    const keys = flatten(strings['pt-BR']).map(([k]) => k).sort();
    for (const lang of LANGS) {
      const entries = flatten(strings[lang]);
      expect(entries.map(([k]) => k).sort()).toEqual(keys);
      for (const [key, value] of entries) {
        if (typeof value === 'string') expect(value, `${lang}.${key}`).not.toBe('');
        else expect(typeof value, `${lang}.${key}`).toBe('function');
      }
    }
  });
});
