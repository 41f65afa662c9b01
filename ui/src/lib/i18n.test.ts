import { describe, expect, it } from 'vitest';
import { STRINGS, LANGS } from './i18n';

describe('i18n', () => {
  it('has the same, non-empty strings in every language', () => {
    const keys = Object.keys(STRINGS['pt-BR']).sort();
    for (const lang of LANGS) {
      expect(Object.keys(STRINGS[lang]).sort()).toEqual(keys);
      for (const [key, value] of Object.entries(STRINGS[lang])) {
        if (typeof value === 'string') expect(value, `${lang}.${key}`).not.toBe('');
      }
    }
  });
});
