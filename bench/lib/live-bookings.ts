import { OUTBOX_CHANNEL } from '../../src/events/outbox.js';
import type { Sql } from '../../src/infra/postgres.js';
import { monoMs } from './child-rpc.js';

/**
 * Bookings as the trigger of live events, and the moment they commit.
 *
 * The commit clock LISTENs on the outbox's NOTIFY channel from the bench process, on its own connection.
 * Postgres delivers NOTIFY to every listener when (and only if) the transaction commits, so the moment
 * the bench hears it is the commit moment plus one loopback hop — the very signal the hub's relay wakes
 * on. That makes "commit → receipt" measurable without touching the hub: `occurredAt` would be the
 * transaction's start (now()), and the HTTP 201 comes after commit *and* after the follow-ups (hold
 * consumption, reminder scheduling), often after the event is already on the sockets.
 */
export interface CommitClock {
  /** The first commit heard at or after `since` (monotonic ms); throws after `timeoutMs`. */
  after(since: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export async function commitClock(sql: Sql): Promise<CommitClock> {
  let heard: number[] = [];
  let wake: (() => void) | undefined;
  const listener = await sql.listen(OUTBOX_CHANNEL, () => {
    heard.push(monoMs());
    wake?.();
  });
  return {
    async after(since, timeoutMs = 10_000) {
      const deadline = monoMs() + timeoutMs;
      for (;;) {
        const t = heard.find((h) => h >= since);
        if (t !== undefined) {
          heard = heard.filter((h) => h > t);
          return t;
        }
        const left = deadline - monoMs();
        if (left <= 0) throw new Error(`no outbox NOTIFY within ${timeoutMs} ms of the booking`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    },
    close: () => listener.unlisten(),
  };
}

export interface TimedBooking {
  /** Just before the POST was sent. */
  tSend: number;
  /** The booking transaction committed (NOTIFY heard). */
  tCommit: number;
  /** The 201 arrived. */
  t201: number;
}

/** POST /v1/appointments {doctorId, start} as the patient; throws unless 201. */
export async function bookTimed(
  hubUrl: string,
  clock: CommitClock,
  token: string,
  doctorId: string,
  start: number,
): Promise<TimedBooking> {
  const tSend = monoMs();
  const res = await fetch(`${hubUrl}/v1/appointments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ doctorId, start: new Date(start).toISOString() }),
  });
  const t201 = monoMs();
  const body = await res.text();
  if (res.status !== 201) throw new Error(`booking answered ${res.status}: ${body.slice(0, 300)}`);
  return { tSend, t201, tCommit: await clock.after(tSend) };
}

/** Start of the k-th 15-minute slot from tomorrow 00:00 UTC (bookable under allDay(15) in a UTC clinic). */
export function slotStart(k: number): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) + k * 15 * 60_000;
}

/** Sorted copy without NaN. */
export function sortedFinite(values: Iterable<number>): number[] {
  const out: number[] = [];
  for (const v of values) if (Number.isFinite(v)) out.push(v);
  return out.sort((a, b) => a - b);
}

/** Nearest-rank percentile of a sorted array (p in 0..100). */
export function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The `slot.booked` event as the hub sends it, for baselines that must carry the same payload. */
export function sampleSlotEvent(doctorId: string, start: number): Record<string, unknown> {
  return {
    id: 123456,
    type: 'slot.booked',
    room: `slots:${doctorId}`,
    occurredAt: new Date().toISOString(),
    data: {
      doctorId,
      start: new Date(start).toISOString(),
      end: new Date(start + 15 * 60_000).toISOString(),
    },
  };
}
