import { type AppError, type ErrorCode, type FieldError, titleFor } from '../errors.js';

/** The RFC 9457 problem document every error answers with (README "Errors"). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId: string;
  errors?: FieldError[];
}

/** A problem answer ready to send: status, headers and the serialized body. */
export interface Problem {
  status: number;
  title: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The one builder of problem+json, for Hono's error handler and for the raw answers to requests Node's
 * parser rejects: the same fields, in the same order, from an AppError.
 */
export function problemFor(err: AppError, requestId: string): Problem {
  const doc: ProblemDocument = {
    type: `https://booking-hub.dev/problems/${err.code}`,
    title: titleFor(err.code),
    status: err.status,
    code: err.code,
    detail: err.message,
    requestId,
    ...(err.extra.errors ? { errors: err.extra.errors } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (err.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.extra.retryAfterSeconds);
  return { status: err.status, title: doc.title, headers, body: JSON.stringify(doc) };
}
