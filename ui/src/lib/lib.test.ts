import { describe, expect, it } from 'vitest';
import { STRINGS, LANGS } from './i18n';
import { checkLabel } from './checks';
import { accentColours } from './colour';
import { profile } from '../test/fixture';

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

describe('checkLabel', () => {
  const p = profile();
  it('prefers the profile check, then built-in labels, then the id', () => {
    expect(checkLabel('sefaz', p, 'pt-BR')).toBe('Servidor da SEFAZ');
    expect(checkLabel('sefaz', p, 'en')).toBe('SEFAZ tax server');
    expect(checkLabel('network', p, 'pt-BR')).toBe('Rede e cabos');
    expect(checkLabel('recent-software', p, 'en')).toBe('Recently installed programs');
    expect(checkLabel('program', p, 'en')).toBe('Gestão Fiscal');
    expect(checkLabel('mystery', p, 'en')).toBe('mystery');
  });
});

describe('accentColours', () => {
  it('defaults to the Chamado blue with white text', () => {
    expect(accentColours(null)).toEqual({ accent: '#0b5cad', onAccent: '#ffffff', ink: '#0b5cad' });
  });
  it('keeps text readable on a light accent', () => {
    const c = accentColours('#ffd700');
    expect(c.onAccent).toBe('#111111');
    expect(c.ink).not.toBe('#ffd700');
  });
  it('accepts short hex', () => {
    expect(accentColours('#036').onAccent).toBe('#ffffff');
  });
});
