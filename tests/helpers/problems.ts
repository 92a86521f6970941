import { expect } from 'vitest';
import type { HttpResult } from './harness.js';

/** A refusal as the API answers it (application/problem+json). */
export interface Problem {
  type: string;
  title: string;
  code: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: { path: string; message: string }[];
}

/** The fields a validation problem names, in order. */
export const errorPaths = (problem: { errors?: { path: string }[] }) =>
  (problem.errors ?? []).map((e) => e.path);

/**
 * A refusal: a client error (4xx) with this status, spoken as problem+json whose body repeats the status
 * and carries a stable snake_case code. Given a `code`, the body names exactly that code and carries the
 * request id; given a `path`, the errors name that field.
 */
export function expectProblem<T extends Partial<Problem>>(
  res: HttpResult<T>,
  status: number,
  code?: string,
  path?: string,
): void {
  const shown = JSON.stringify(res.body);
  expect(res.status, shown).toBeGreaterThanOrEqual(400);
  expect(res.status, shown).toBeLessThan(500);
  expect(res.status, shown).toBe(status);
  expect(res.headers.get('content-type'), shown).toContain('application/problem+json');
  expect(res.body.code, shown).toMatch(/^[a-z_]+$/);
  expect(res.body.status, shown).toBe(res.status);
  if (code !== undefined) {
    expect(res.body).toMatchObject({ status, code });
    expect(res.body.requestId, shown).toBeTruthy();
  }
  if (path) expect(errorPaths(res.body), shown).toContain(path);
}

/** An answer with this status and this problem code (nothing more is checked). */
export function expectCode(
  res: { status: number; body: { code?: string } },
  status: number,
  code: string,
): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(code);
}
