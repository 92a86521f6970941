import { Temporal } from 'temporal-polyfill';

/**
 * UTC offsets of a time zone, fast. Temporal answers exactly but costs tens of microseconds a call, and a
 * month's slot board converts thousands of instants. An offset is constant between two transitions, so
 * each zone keeps the spans Temporal reported (bounded by getTimeZoneTransition) and answers instants
 * inside them with arithmetic; only an instant outside asks Temporal again.
 */
export interface Span {
  start: number;
  end: number;
  offsetMs: number;
}
const spans = new Map<string, Span[]>();
const MAX_SPANS_PER_ZONE = 64;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The constant-offset span containing an instant. */
export function spanAt(epochMs: number, timeZone: string): Span {
  const known = spans.get(timeZone);
  if (known) {
    for (const s of known) if (epochMs >= s.start && epochMs < s.end) return s;
  }
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
  return span;
}

export const offsetMsAt = (epochMs: number, timeZone: string) => spanAt(epochMs, timeZone).offsetMs;

/**
 * The single offset in force for every wall-clock time of a local date, or undefined when an offset
 * change falls on or near that date (the caller then asks Temporal, which handles gaps and overlaps).
 * `localMidnight` is the date's midnight written as if it were UTC (Date.UTC(y, m, d)).
 */
export function steadyOffsetOn(localMidnight: number, timeZone: string): number | undefined {
  // Wall times of one date map to instants within [midnight − 15 h, midnight + 24 h + 15 h].
  const span = spanAt(localMidnight - 12 * HOUR, timeZone);
  return span.start <= localMidnight - 15 * HOUR && span.end > localMidnight + DAY + 15 * HOUR
    ? span.offsetMs
    : undefined;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const offsetText = new Map<number, string>();
function formatOffset(offsetMs: number): string {
  let text = offsetText.get(offsetMs);
  if (!text) {
    const minutes = Math.abs(offsetMs) / 60_000;
    text = `${offsetMs < 0 ? '-' : '+'}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
    offsetText.set(offsetMs, text);
  }
  return text;
}
const dateText = new Map<number, string>();
/** "YYYY-MM-DD" of a day number (days since 1970-01-01), cached: a board repeats a few dozen days. */
function formatDay(day: number): string {
  let text = dateText.get(day);
  if (!text) {
    text = new Date(day * DAY).toISOString().slice(0, 10);
    if (dateText.size > 20_000) dateText.clear();
    dateText.set(day, text);
  }
  return text;
}

/** ISO 8601 with the zone's offset, seconds precision: 2026-03-08T09:30:00-05:00. */
export function formatInstant(epochMs: number, timeZone: string): string {
  const offsetMs = offsetMsAt(epochMs, timeZone);
  const local = Math.floor(epochMs / 1000) * 1000 + offsetMs;
  const day = Math.floor(local / DAY);
  const secondOfDay = (local - day * DAY) / 1000;
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${formatDay(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}${formatOffset(offsetMs)}`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(epochMs: number, timeZone: string): string {
  return formatDay(Math.floor((epochMs + offsetMsAt(epochMs, timeZone)) / DAY));
}
