/**
 * Dates and wall-clock times in a clinic's time zone, with the browser's Intl only (no time-zone
 * library in the bundle). The API speaks clinic-local dates (`YYYY-MM-DD`) and instants with the
 * clinic's offset; these helpers turn "now" and what a person types into those, and show them as the
 * clinic's clock and calendar read (whatever the browser's own zone).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function wall(timeZone: string, ms: number) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Today's date in the zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = Date.now()): string {
  const w = wall(timeZone, now);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** How far the zone's clock is ahead of UTC at the instant `ms`, in ms. */
export function offsetAt(timeZone: string, ms: number): number {
  const w = wall(timeZone, ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant (ISO, UTC) at which the zone's clock reads `local` (`YYYY-MM-DDTHH:MM`, as a
 * datetime-local input gives it). A time skipped by a clock change lands just after the gap.
 */
export function instantOf(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) throw new Error(`not a local date and time: ${local}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const first = guess - offsetAt(timeZone, guess);
  return new Date(guess - offsetAt(timeZone, first)).toISOString();
}

/** "14:30" from an instant with the clinic's offset, as the clinic's clock shows it. */
export const clock = (iso: string) => iso.slice(11, 16);
/** One formatter for every label: toLocaleDateString builds a new one per call (a week's grid, 50 ms). */
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
/** "Mon 3 Dec" from a YYYY-MM-DD or an instant. */
export const day = (iso: string) => dayFormat.format(new Date(`${iso.slice(0, 10)}T12:00:00Z`));
/** "Mon 3 Dec 14:30" from an instant with the clinic's offset. */
export const dayTime = (iso: string) => `${day(iso)} ${clock(iso)}`;
