import { type Logger, pino } from 'pino';

export type { Logger };

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
      ],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
