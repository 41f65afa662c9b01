import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { locale } from './locale.svelte';
import LangSwitch from '../components/LangSwitch.svelte';

beforeEach(() => {
  localStorage.clear();
  locale.restore();
});

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('locale', () => {
  it('starts in pt-BR, on <html lang> too', () => {
    expect(locale.lang).toBe('pt-BR');
    expect(document.documentElement.lang).toBe('pt-BR');
  });

  it('set: changes the language, saves it and mirrors it on <html lang>', () => {
    locale.set('en');
    expect(locale.lang).toBe('en');
    expect(localStorage.getItem('chamado.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('restore: reads the saved language, ignoring a value that is not one', () => {
    localStorage.setItem('chamado.lang', 'en');
    locale.restore();
    expect(locale.lang).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    localStorage.setItem('chamado.lang', 'klingon');
    locale.restore();
    expect(locale.lang).toBe('pt-BR');
  });

  it('the language switch sets it, and every component reading it follows', async () => {
    render(LangSwitch);
    expect(screen.getByRole('group').getAttribute('aria-label')).toBe('Idioma');
    await fireEvent.click(screen.getByTestId('lang-en'));
    expect(locale.lang).toBe('en');
    expect(screen.getByRole('group').getAttribute('aria-label')).toBe('Language');
    expect(screen.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');
    locale.set('pt-BR');
    await Promise.resolve();
    expect(screen.getByTestId('lang-pt-BR').getAttribute('aria-pressed')).toBe('true');
  });
});
