import { describe, expect, it } from 'vitest';
import type { Topic } from '../../lib/bindings';
import { profile } from '../../test/fixture';
import {
  checkDetails,
  checkPerson,
  emptyDraft,
  emptyPerson,
  fieldsOf,
  inputId,
  nextStep,
  resumeStep,
  stepOfField,
  stepsFor,
} from './rules';

const p = profile();
const topic = (id: string): Topic => p.topics.find((x) => x.id === id)!;

describe('steps', () => {
  it('a topic without guides has no such step; checks where the topic has some; every topic may show its screen', () => {
    expect(stepsFor(topic('erro'))).toEqual(['person', 'topic', 'guides', 'checks', 'details', 'evidence', 'review']);
    expect(stepsFor(topic('atualizacao'))).toEqual(['person', 'topic', 'details', 'evidence', 'review']);
    expect(stepsFor(topic('outra'))).toEqual(['person', 'topic', 'details', 'evidence', 'review']);
    expect(stepsFor(null)).toEqual(['person', 'topic', 'guides', 'details', 'evidence', 'review']);
  });

  it('"Continuar" goes to the next step of the topic; the review to sending', () => {
    expect(nextStep('topic', topic('erro'))).toBe('guides');
    expect(nextStep('topic', topic('atualizacao'))).toBe('details');
    expect(nextStep('details', topic('atualizacao'))).toBe('evidence');
    expect(nextStep('review', topic('erro'))).toBe('send');
    // a step this topic does not have (the topic changed): on to the review
    expect(nextStep('guides', topic('atualizacao'))).toBe('review');
  });

  it('a draft left while sending is taken up at the review', () => {
    expect(resumeStep({ ...emptyDraft(), step: 'send' })).toBe('review');
    expect(resumeStep({ ...emptyDraft(), step: 'details' })).toBe('details');
  });

  it('finds the step of a field Rust refused, and its input', () => {
    expect(stepOfField('person.keep_informed')).toBe('person');
    expect(stepOfField('topic')).toBe('topic');
    expect(stepOfField('fields.versao')).toBe('details');
    expect(stepOfField('module')).toBe('details');
    expect(stepOfField('attachments')).toBeNull();
    expect(inputId('person.keep_informed')).toBe('person-keep_informed');
    expect(inputId('fields.versao')).toBe('fields-versao');
  });
});

describe('checkPerson', () => {
  it('needs a name, an e-mail and a phone, in the page’s order', () => {
    expect(checkPerson(emptyPerson())).toEqual([
      { field: 'person.name', kind: 'required' },
      { field: 'person.email', kind: 'required' },
      { field: 'person.phone', kind: 'required' },
    ]);
  });

  it('says what is wrong with an e-mail or a phone; spaces alone are nothing', () => {
    expect(
      checkPerson({ name: ' ', email: 'ana@', phone: '4002-8922', company: '', keep_informed: 'chefe' }),
    ).toEqual([
      { field: 'person.name', kind: 'required' },
      { field: 'person.email', kind: 'email' },
      { field: 'person.phone', kind: 'phone' },
      { field: 'person.keep_informed', kind: 'email' },
    ]);
  });

  it('company and the other person are optional; a department e-mail is no error', () => {
    expect(checkPerson({ name: 'Ana', email: 'financeiro@cliente.com.br', phone: '(11) 4002-8922', company: '', keep_informed: '' })).toEqual([]);
  });
});

describe('checkDetails', () => {
  const erro = topic('erro');

  it('the topic’s required fields, the module, the summary and the description', () => {
    expect(checkDetails(emptyDraft(), erro, p.modules).map((x) => x.field)).toEqual([
      'fields.versao',
      'fields.onde',
      'module',
      'summary',
      'description',
    ]);
  });

  it('no module asked when the profile has none; a choice must be one of its options', () => {
    const draft = { ...emptyDraft(), fields: { versao: '5.2', onde: 'cozinha' }, summary: 'x', description: 'y' };
    expect(checkDetails(draft, erro, [])).toEqual([{ field: 'fields.onde', kind: 'required' }]);
  });

  it('a summary longer than 120 characters is too long', () => {
    const draft = { ...emptyDraft(), module: 'nfe', summary: 'a'.repeat(121), description: 'y' };
    expect(checkDetails(draft, topic('outra'), p.modules)).toEqual([{ field: 'summary', kind: 'too_long' }]);
    expect(checkDetails({ ...draft, summary: 'a'.repeat(120) }, topic('outra'), p.modules)).toEqual([]);
  });

  it('sends only the topic’s own fields, without the empty ones', () => {
    const draft = { ...emptyDraft(), fields: { versao: '5.2', nota: ' ', antigo: 'x' } };
    expect(fieldsOf(draft, erro)).toEqual({ versao: '5.2' });
  });
});
