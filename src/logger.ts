import { type Logger, pino } from 'pino';

export type { Logger };

/** Field names that hold health data anywhere they appear (and a request or response body). */
export const HEALTH_FIELDS = [
  'reason',
  'cancelReason',
  'accessReason',
  'text',
  'notes',
  'dateOfBirth',
  'sex',
  'allergies',
  'conditions',
  'medications',
  'body',
];

/**
 * Structured JSON logs. Bodies, tokens and health data are never logged; the redact list is a second
 * line of defence for fields that might slip into an error object.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'booking-hub', ...base },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'refreshToken',
        '*.refreshToken',
        'authorization',
        '*.authorization',
        // Health data (records, notes, visit and cancel reasons) and stated access reasons.
        ...HEALTH_FIELDS.flatMap((f) => [f, `*.${f}`]),
      ],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
