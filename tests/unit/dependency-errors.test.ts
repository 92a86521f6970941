import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { isConnectionLost, isDependencyDown, unavailable } from '../../src/infra/dependency-errors.js';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
const pgError = (code: string) =>
  new postgres.PostgresError({ code, message: 'x' } as unknown as ConstructorParameters<
    typeof postgres.PostgresError
  >[0]);

describe('which errors mean "a dependency is away" (503) rather than a bug (500)', () => {
  it('lost and refused connections, postgres.js connection codes and shutdown SQLSTATEs', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'EPIPE',
      'CONNECTION_CLOSED',
      'CONNECTION_DESTROYED',
      'CONNECT_TIMEOUT',
    ])
      expect(isDependencyDown(withCode(code)), code).toBe(true);
    for (const code of ['57P01', '57P03', '08006', '53300']) {
      expect(isDependencyDown(pgError(code)), code).toBe(true);
      expect(isConnectionLost(pgError(code)), code).toBe(true);
    }
  });

  it("ioredis's outage rejections, which carry no code", () => {
    for (const message of [
      'Command timed out',
      'Connection is closed.',
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Reached the max retries per request limit (which is 0). Refer to "maxRetriesPerRequest" option for details.',
    ])
      expect(isDependencyDown(new Error(message)), message).toBe(true);
    expect(isConnectionLost(new Error('Command timed out'))).toBe(false);
  });

  it('not: constraint violations, syntax errors, bugs, other answers', () => {
    for (const code of ['23505', '23P01', '22008', '42601', '40001'])
      expect(isDependencyDown(pgError(code)), code).toBe(false);
    expect(isDependencyDown(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDependencyDown(withCode('ENOENT'))).toBe(false);
    expect(isDependencyDown(new AppError('slot_taken', 'taken'))).toBe(false);
    expect(isDependencyDown('a string')).toBe(false);
  });

  it('the answer is 503 unavailable with Retry-After', () => {
    const err = unavailable();
    expect(err.status).toBe(503);
    expect(err.code).toBe('unavailable');
    expect(err.extra.retryAfterSeconds).toBeGreaterThan(0);
    expect(isDependencyDown(err)).toBe(true);
  });
});
