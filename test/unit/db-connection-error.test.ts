import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../../src/db/database.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isConnectionError', () => {
  it.each([
    ['a restart ending the session', withCode('terminating connection due to administrator command', '57P01')],
    ['a server still starting', withCode('the database system is starting up', '57P03')],
    ['a connection exception', withCode('connection failure', '08006')],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    ['a client broken earlier', new Error('Client has encountered a connection error and is not queryable')],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['one wrapped as a cause', new Error('could not plan', { cause: withCode('x', 'ECONNRESET') })],
    ['an AggregateError of refusals', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed')],
  ])('recognises %s', (_what, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a stack overflow in a rule', new RangeError('Maximum call stack size exceeded')],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('does not take %s for one', (_what, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});
