import { describe, expect, it } from 'vitest';
import { SHARED_LOCAL_PARTS, isEmail, isPhone, isSharedEmail, phoneDigits } from './contact';

describe('isSharedEmail', () => {
  it.each(SHARED_LOCAL_PARTS)('%s@… is a department address', (name) => {
    expect(isSharedEmail(`${name}@cliente.com.br`)).toBe(true);
  });

  it('sees through case, accents, digits, separators and a +tag', () => {
    expect(isSharedEmail('Financeiro@Cliente.com.br')).toBe(true);
    expect(isSharedEmail('cobrança@cliente.com.br')).toBe(true);
    expect(isSharedEmail('recepção@cliente.com.br')).toBe(true);
    expect(isSharedEmail('financeiro2@cliente.com.br')).toBe(true);
    expect(isSharedEmail('nfe.fiscal@cliente.com.br')).toBe(true);
    expect(isSharedEmail('adm-financeiro@cliente.com.br')).toBe(true);
    expect(isSharedEmail('suporte+chamado@cliente.com.br')).toBe(true);
    expect(isSharedEmail('  contato@cliente.com.br ')).toBe(true);
  });

  it('a person’s address is not one, even with a department in it', () => {
    expect(isSharedEmail('ana@cliente.com.br')).toBe(false);
    expect(isSharedEmail('joao.financeiro@cliente.com.br')).toBe(false);
    expect(isSharedEmail('tiago@cliente.com.br')).toBe(false);
    expect(isSharedEmail('information@cliente.com.br')).toBe(false);
    // the domain does not count
    expect(isSharedEmail('ana@suporte.com.br')).toBe(false);
  });

  it('something that is not an e-mail is not one', () => {
    expect(isSharedEmail('')).toBe(false);
    expect(isSharedEmail('suporte')).toBe(false);
    expect(isSharedEmail('@suporte.com')).toBe(false);
    expect(isSharedEmail('123@cliente.com.br')).toBe(false);
  });
});

describe('isEmail', () => {
  it('takes the usual shapes and refuses the rest', () => {
    expect(isEmail('ana@cliente.com.br')).toBe(true);
    expect(isEmail(' ana.souza+nf@cliente.com ')).toBe(true);
    expect(isEmail('ana@cliente')).toBe(false);
    expect(isEmail('ana cliente@x.com')).toBe(false);
    expect(isEmail('ana@@cliente.com')).toBe(false);
    expect(isEmail('ana@cliente..com')).toBe(false);
    expect(isEmail('')).toBe(false);
  });
});

describe('phone', () => {
  it('counts the digits once the rest is removed: at least 10 (with the area code)', () => {
    expect(phoneDigits('(11) 4002-8922')).toBe('1140028922');
    expect(isPhone('(11) 4002-8922')).toBe(true);
    expect(isPhone('+55 31 99876-5432')).toBe(true);
    expect(isPhone('4002-8922')).toBe(false);
    expect(isPhone('telefone')).toBe(false);
  });
});
