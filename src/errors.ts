/**
 * The closed set of error codes the API answers with, and the one table from code to HTTP status.
 * Domain code throws AppError(code, detail); the HTTP layer turns it into problem+json in one place
 * (src/http/problem.ts), the socket layer into a refused acknowledgement (src/realtime/acks.ts).
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  invalid_reset_token: 400,
  forbidden: 403,
  account_inactive: 403,
  not_found: 404,
  unknown_room: 404,
  email_taken: 409,
  conflict: 409,
  doctor_exists: 409,
  slot_taken: 409,
  slot_held: 409,
  patient_busy: 409,
  too_many_holds: 409,
  too_many_entries: 409,
  too_late_to_cancel: 409,
  invalid_transition: 409,
  queue_empty: 409,
  doctor_busy: 409,
  type_not_allowed: 409,
  time_off_over_bookings: 409,
  already_rated: 409,
  idempotency_in_flight: 409,
  hold_expired: 410,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  headers_too_large: 431,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** A stored ciphertext did not open (tampered, misplaced, or its key is not configured). */
  decryption_failed: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One field-level problem, as in `errors: [{ path, message }]`. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * An answer to the client (a 4xx, or the 500/503 we choose to send), not a bug report: it carries no
 * stack trace. Capturing one cost more than the rest of refusing a held slot, and onError never logs
 * an AppError's stack; unexpected errors keep theirs.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

/** Short human titles for the problem document's `title`. */
export function titleFor(code: ErrorCode): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (detail = 'You are not allowed to do this') => new AppError('forbidden', detail);
export const validationFailed = (errors: FieldError[], detail = 'The request is not valid') =>
  new AppError('validation_failed', detail, { errors });
