import { describe, expect, it } from 'vitest';
import { isUnreachable, retryDelayMs } from './wait-for-server.js';

const coded = (code: string): Error => Object.assign(new Error(code), { code });

describe('isUnreachable', () => {
  it.each([
    ['a refused socket', coded('ECONNREFUSED'), true],
    ['PostgreSQL starting up', coded('57P03'), true],
    [
      'wrapped with a cause',
      new Error('database migration failed', { cause: coded('ECONNRESET') }),
      true,
    ],
    ['every address refused', new AggregateError([coded('ECONNREFUSED')]), true],
    ['a dropped handshake', new Error('Connection terminated unexpectedly'), true],
    [
      "Redis away for all of ioredis's retries",
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
      true,
    ],
    ['a syntax error', coded('42601'), false],
    ['a wrong password', coded('28P01'), false],
    ['a plain error', new Error('boom'), false],
    ['not an error', 'ECONNREFUSED', false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isUnreachable(error)).toBe(expected);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 250],
    [2, 500],
    [4, 2000],
    [5, 4000],
    [6, 5000],
    [60, 5000],
  ])('attempt %i waits %i ms', (attempt, delayMs) => {
    expect(retryDelayMs(attempt, 5000)).toBe(delayMs);
  });
});
