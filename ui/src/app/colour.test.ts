import { describe, expect, it } from 'vitest';
import { accentColours } from './colour';

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
