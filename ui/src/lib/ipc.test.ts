import { describe, expect, it } from 'vitest';
import { appError, errorCode } from './ipc';

describe('errorCode', () => {
  it('is the code of an AppError, `unknown` for anything else', () => {
    expect(errorCode({ code: 'offline', message: 'connection refused', field: null, problem: null })).toBe('offline');
    expect(errorCode({ code: 'no_such_thing' })).toBe('unknown');
    expect(errorCode(new Error('boom'))).toBe('unknown');
    expect(errorCode('busy')).toBe('unknown');
  });
});

describe('appError', () => {
  it('keeps an AppError as it is', () => {
    const e = { code: 'edit_rejected', message: 'hide[0]: empty', field: 'hide[0]', problem: 'empty' } as const;
    expect(appError(e)).toEqual(e);
  });
  it('makes anything else an internal error with its text', () => {
    expect(appError(new Error('boom'))).toEqual({ code: 'internal', message: 'Error: boom', field: null, problem: null });
    expect(appError({ code: 'mystery' })).toMatchObject({ code: 'internal' });
  });
});
