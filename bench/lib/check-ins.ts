import type { Sql } from '../../src/infra/postgres.js';
import { monoMs } from './child-rpc.js';
import type { DayAppointment } from './front-desk.js';
import type { CommitClock } from './live-bookings.js';
import { sleep } from './live-bookings.js';
import type { Swarm } from './socket-swarm.js';

/**
 * Check-ins at a steady rate as the trigger of `queue.updated`, and matching what the sockets received
 * to the check-in that caused it.
 */

export interface TimedCheckIn {
  clinicId: string;
  /** The clinic day's revision this check-in makes (its k-th change; nothing else changes the day). */
  revision: number;
  tSend: number;
  /** The check-in transaction committed (outbox NOTIFY heard). */
  tCommit: number;
  t200: number;
  /** Another check-in was in flight when this one was sent (see `checkInStream` on commit times). */
  overlapped: boolean;
}

/**
 * POST /v1/appointments/:id/check-in for each appointment, one every 1000/rate ms from the first
 * (open loop: a slow answer does not hold the next one back), as a staff member of its clinic. Throws on
 * anything but 200.
 *
 * Commit times: the outbox NOTIFY carries no payload, so each check-in takes the first NOTIFY heard
 * after it was sent that no earlier-sent check-in took (the clock is asked in send order). That is exact
 * while one check-in is in flight at a time; when two overlap and commit in the other order, each gets
 * the other's commit (off by the gap between them). `overlapped` marks those.
 *
 * One clinic's check-ins never overlap (each waits for the previous one of its clinic to be answered),
 * so the k-th check-in of a clinic is the k-th revision of its day.
 */
export async function checkInStream(
  hubUrl: string,
  clock: CommitClock,
  list: readonly DayAppointment[],
  rate: number,
  tokenOf: (clinicId: string) => string,
  revisions: Map<string, number>,
  onDone: () => void,
): Promise<TimedCheckIn[]> {
  const interval = 1000 / rate;
  const out: TimedCheckIn[] = [];
  const lastOf = new Map<string, Promise<unknown>>();
  let clockQueue: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  let failure: Error | undefined;
  const one = async (a: DayAppointment, revision: number) => {
    const overlapped = inFlight > 0;
    inFlight++;
    const tSend = monoMs();
    const commit = clockQueue.then(() => clock.after(tSend));
    clockQueue = commit.catch(() => {});
    try {
      const res = await fetch(`${hubUrl}/v1/appointments/${a.id}/check-in`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenOf(a.clinicId)}` },
      });
      const t200 = monoMs();
      const body = await res.text();
      if (res.status !== 200) throw new Error(`check-in answered ${res.status}: ${body.slice(0, 300)}`);
      out.push({ clinicId: a.clinicId, revision, tSend, tCommit: await commit, t200, overlapped });
      onDone();
    } finally {
      inFlight--;
    }
  };
  const started = monoMs();
  const all: Promise<void>[] = [];
  for (const [j, a] of list.entries()) {
    if (failure) break;
    await sleep(Math.max(0, started + j * interval - monoMs()));
    const revision = (revisions.get(a.clinicId) ?? 0) + 1;
    revisions.set(a.clinicId, revision);
    const run = (lastOf.get(a.clinicId) ?? Promise.resolve()).then(() => one(a, revision));
    lastOf.set(
      a.clinicId,
      run.catch(() => {}),
    );
    all.push(
      run.catch((err: Error) => {
        failure ??= err;
      }),
    );
  }
  await Promise.all(all);
  if (failure) throw failure;
  return out;
}

/** Who a socket is: its clinic and whether it is a waiting-room display or a desk. */
export interface SocketRole {
  clinicId: string;
  kind: 'display' | 'queue';
}

export interface Receipt {
  checkIn: TimedCheckIn;
  kind: 'display' | 'queue';
  t: number;
}

/**
 * Waits until every socket of each check-in's clinic has received its `queue.updated` (from the swarm's
 * watch log), up to `timeoutMs`; throws naming what is missing, or when a socket heard another clinic's
 * room or an event no check-in explains. The log carries outbox ids only: the room and revision of each
 * come from the events table (kept for days). Repeated deliveries (the relay is at-least-once) count once.
 */
export async function collectReceipts(
  swarm: Swarm,
  sql: Sql,
  checkIns: readonly TimedCheckIn[],
  roles: readonly SocketRole[],
  /** Every revision handed out so far, per clinic (earlier phases' included). */
  revisions: ReadonlyMap<string, number>,
  timeoutMs: number,
): Promise<{ receipts: Receipt[]; repeated: number }> {
  const byKey = new Map(checkIns.map((c) => [`${c.clinicId}/${c.revision}`, c]));
  const perClinic = new Map<string, number>();
  for (const r of roles) perClinic.set(r.clinicId, (perClinic.get(r.clinicId) ?? 0) + 1);
  const expected = checkIns.reduce((n, c) => n + (perClinic.get(c.clinicId) ?? 0), 0);
  const events = new Map<number, { kind: string; clinicId: string; revision: number }>();
  const seen = new Set<string>();
  const receipts: Receipt[] = [];
  let repeated = 0;
  const deadline = monoMs() + timeoutMs;
  for (;;) {
    const log = await swarm.takeLog();
    if (log.lost > 0) throw new Error(`${log.lost} sockets disconnected`);
    const unknown = [...new Set(log.id)].filter((id) => !events.has(id));
    if (unknown.length > 0) {
      const rows = await sql<{ id: string; room: string; revision: number }[]>`
        select id, room, (data->>'revision')::int as revision from events where id = any(${unknown}::bigint[])`;
      for (const r of rows) {
        const [kind, clinicId] = r.room.split(':') as [string, string];
        events.set(Number(r.id), { kind, clinicId, revision: r.revision });
      }
    }
    for (let i = 0; i < log.id.length; i++) {
      const role = roles[log.socket[i]!]!;
      const e = events.get(log.id[i]!);
      if (!e) throw new Error(`a socket received event ${log.id[i]}, which is not in the outbox`);
      if (e.kind !== role.kind || e.clinicId !== role.clinicId)
        throw new Error(`a ${role.kind} socket of clinic ${role.clinicId} received ${e.kind}:${e.clinicId}`);
      const checkIn = byKey.get(`${e.clinicId}/${e.revision}`);
      const key = `${log.socket[i]}/${log.id[i]}`;
      // A late repeat of an earlier phase's event, or of one already counted.
      if ((!checkIn && e.revision <= (revisions.get(e.clinicId) ?? 0)) || seen.has(key)) {
        repeated++;
        continue;
      }
      if (!checkIn)
        throw new Error(`queue.updated revision ${e.revision} of ${e.clinicId}: no such check-in`);
      seen.add(key);
      receipts.push({ checkIn, kind: role.kind, t: log.t[i]! });
    }
    if (receipts.length >= expected) return { receipts, repeated };
    if (monoMs() > deadline) {
      const got = new Map<TimedCheckIn, number>();
      for (const r of receipts) got.set(r.checkIn, (got.get(r.checkIn) ?? 0) + 1);
      const short = checkIns.filter((c) => (got.get(c) ?? 0) < (perClinic.get(c.clinicId) ?? 0));
      const first = short[0];
      const of = (kind: SocketRole['kind']) =>
        `${receipts.filter((r) => r.checkIn === first && r.kind === kind).length} of ` +
        `${roles.filter((r) => r.clinicId === first?.clinicId && r.kind === kind).length}`;
      throw new Error(
        `queue.updated reached ${receipts.length} of ${expected} sockets within ${timeoutMs} ms; ` +
          `${short.length} check-ins short` +
          (first
            ? `, e.g. clinic ${first.clinicId} revision ${first.revision}: ` +
              `displays ${of('display')}, desks ${of('queue')}`
            : ''),
      );
    }
    await sleep(100);
  }
}
