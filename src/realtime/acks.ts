import type { AppError, ErrorCode } from '../errors.js';
import type { Refusal } from './socket-types.js';

/**
 * Socket acknowledgements that refuse, built the way the HTTP layer builds problem+json
 * (src/http/problem.ts): from an AppError's code and detail. An unexpected error is the caller's to log,
 * as onError logs it; it answers `refusal('internal')`.
 */
export function refusalFrom(err: AppError): Refusal {
  return { ok: false, code: err.code, message: err.message };
}

/** A refusal whose code says it all (the room checks: `unknown_room`, `unauthorized`, `forbidden`). */
export function refusal(code: ErrorCode): Refusal {
  return { ok: false, code };
}
