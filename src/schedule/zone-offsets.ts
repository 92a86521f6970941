import { Temporal } from 'temporal-polyfill';

/**
 * UTC offsets of a time zone, fast. Temporal answers exactly but costs tens of microseconds a call, and a
 * month's slot board formats thousands of instants. An offset is constant between two transitions, so
 * each zone keeps the interval Temporal last reported (found with getTimeZoneTransition) and answers
 * instants inside it with arithmetic; only an instant outside asks Temporal again.
 */
interface Span {
  start: number;
  end: number;
  offsetMs: number;
}
const spans = new Map<string, Span[]>();
const MAX_SPANS_PER_ZONE = 64;

export function offsetMsAt(epochMs: number, timeZone: string): number {
  const known = spans.get(timeZone);
  const hit = known?.find((s) => epochMs >= s.start && epochMs < s.end);
  if (hit) return hit.offsetMs;
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  // 'previous' is strictly before: an instant that is itself a transition starts its own span.
  const justBefore = Temporal.Instant.fromEpochMilliseconds(epochMs - 1).toZonedDateTimeISO(timeZone);
  const span = {
    start:
      justBefore.offsetNanoseconds !== z.offsetNanoseconds
        ? epochMs
        : (z.getTimeZoneTransition('previous')?.epochMilliseconds ?? Number.NEGATIVE_INFINITY),
    end: z.getTimeZoneTransition('next')?.epochMilliseconds ?? Number.POSITIVE_INFINITY,
    offsetMs: z.offsetNanoseconds / 1e6,
  };
  const list = known ?? [];
  list.unshift(span);
  if (list.length > MAX_SPANS_PER_ZONE) list.pop();
  spans.set(timeZone, list);
  return span.offsetMs;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 with the zone's offset, seconds precision: 2026-03-08T09:30:00-05:00. */
export function formatInstant(epochMs: number, timeZone: string): string {
  const offsetMs = offsetMsAt(epochMs, timeZone);
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMs);
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(offsetMs) / 60_000;
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(epochMs: number, timeZone: string): string {
  return formatInstant(epochMs, timeZone).slice(0, 10);
}
