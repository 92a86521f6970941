import { describe, expect, it } from 'vitest';
import { AppError, validationFailed } from '../../src/errors.js';
import { problemFor } from '../../src/http/problem.js';

describe('problemFor', () => {
  it('serializes the RFC 9457 fields in their fixed order, with the status and title of the code', () => {
    const p = problemFor(new AppError('headers_too_large', 'The URL or headers are too large'), 'req-1');
    expect(p.status).toBe(431);
    expect(p.title).toBe('Headers too large');
    expect(p.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(p.body).toBe(
      '{"type":"https://booking-hub.dev/problems/headers_too_large","title":"Headers too large",' +
        '"status":431,"code":"headers_too_large","detail":"The URL or headers are too large","requestId":"req-1"}',
    );
  });

  it('adds field errors to the body and Retry-After to the headers when the error carries them', () => {
    const invalid = problemFor(validationFailed([{ path: 'body.email', message: 'required' }]), 'r');
    expect(JSON.parse(invalid.body)).toEqual({
      type: 'https://booking-hub.dev/problems/validation_failed',
      title: 'Validation failed',
      status: 400,
      code: 'validation_failed',
      detail: 'The request is not valid',
      requestId: 'r',
      errors: [{ path: 'body.email', message: 'required' }],
    });
    const limited = problemFor(new AppError('rate_limited', 'Slow down', { retryAfterSeconds: 7 }), 'r');
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual({ 'content-type': 'application/problem+json', 'retry-after': '7' });
    expect(JSON.parse(limited.body)).not.toHaveProperty('errors');
  });
});
