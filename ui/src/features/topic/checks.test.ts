import { describe, expect, it } from 'vitest';
import { checkLabel } from './checks';
import { profile } from '../../test/fixture';

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
