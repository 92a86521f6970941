import { describe, expect, expectTypeOf, it } from 'vitest';
import { AppError, type ErrorCode, validationFailed } from '../../src/errors.js';
import { refusal, refusalFrom } from '../../src/realtime/acks.js';
import type { Refusal, SubscribeAck } from '../../src/realtime/socket-types.js';

describe('socket refusals', () => {
  it('carry an AppError’s code and detail, as the HTTP problem document does', () => {
    expect(refusalFrom(new AppError('unknown_room', 'No such room'))).toEqual({
      ok: false,
      code: 'unknown_room',
      message: 'No such room',
    });
    expect(refusalFrom(validationFailed([]))).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'The request is not valid',
    });
  });

  it('a code alone is exactly { ok: false, code } on the wire', () => {
    expect(JSON.stringify(refusal('forbidden'))).toBe('{"ok":false,"code":"forbidden"}');
  });

  it('codes are the closed set of src/errors.ts, not any string', () => {
    expectTypeOf<Refusal['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<Extract<SubscribeAck, { ok: false }>>().toEqualTypeOf<Refusal>();
    // @ts-expect-error: not a code of the table
    refusal('no_such_code');
  });
});
