import { monoMs } from './child-rpc.js';
import type { DayAppointment } from './front-desk.js';
import { sleep } from './live-bookings.js';
import type { OutboxCommits } from './outbox-commits.js';
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
  t200: number;
}

/**
 * POST /v1/appointments/:id/check-in for each appointment, one every 1000/rate ms from the first
 * (open loop: a slow answer does not hold the next one back), as a staff member of its clinic. Throws on
 * anything but 200. One clinic's check-ins never overlap (each waits for the answer to the previous one
 * of its clinic), so the k-th check-in of a clinic makes the k-th revision of its day.
 */
export async function checkInStream(
  hubUrl: string,
  list: readonly DayAppointment[],
  rate: number,
  tokenOf: (clinicId: string) => string,
  revisions: Map<string, number>,
  onDone: () => void,
): Promise<TimedCheckIn[]> {
  const interval = 1000 / rate;
  const out: TimedCheckIn[] = [];
  const lastOf = new Map<string, Promise<unknown>>();
  let failure: Error | undefined;
  const one = async (a: DayAppointment, revision: number) => {
    const tSend = monoMs();
    const res = await fetch(`${hubUrl}/v1/appointments/${a.id}/check-in`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(a.clinicId)}` },
    });
    const t200 = monoMs();
    const body = await res.text();
    if (res.status !== 200) throw new Error(`check-in answered ${res.status}: ${body.slice(0, 300)}`);
    out.push({ clinicId: a.clinicId, revision, tSend, t200 });
    onDone();
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
  /** Receipt, and the commit of the event's transaction (outboxCommits), monotonic ms. */
  t: number;
  tCommit: number;
}

/**
 * Waits until every socket of each check-in's clinic has received its `queue.updated` (from the swarm's
 * watch log), up to `timeoutMs`; throws naming what is missing, or when a socket heard another clinic's
 * room or an event no check-in explains. The log carries outbox ids only: room, revision and commit time
 * come from `commits`. Repeated deliveries (the relay is at-least-once) count once.
 */
export async function collectReceipts(
  swarm: Swarm,
  commits: OutboxCommits,
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
  const seen = new Set<string>();
  const receipts: Receipt[] = [];
  /** Receipts whose event's commit the bench has not read yet (it reads right after each NOTIFY). */
  let early: { socket: number; id: number; t: number }[] = [];
  let repeated = 0;
  const deadline = monoMs() + timeoutMs;
  for (;;) {
    const log = await swarm.takeLog();
    if (log.lost > 0) throw new Error(`${log.lost} sockets disconnected`);
    const entries = [
      ...early,
      ...Array.from(log.id, (id, i) => ({ socket: log.socket[i]!, id, t: log.t[i]! })),
    ];
    early = [];
    for (const { socket, id, t } of entries) {
      const e = commits.get(id);
      if (!e) {
        early.push({ socket, id, t });
        continue;
      }
      const role = roles[socket]!;
      const [kind, clinicId] = e.room.split(':');
      if (kind !== role.kind || clinicId !== role.clinicId)
        throw new Error(`a ${role.kind} socket of clinic ${role.clinicId} received ${e.room}`);
      const revision = e.revision ?? 0;
      const checkIn = byKey.get(`${clinicId}/${revision}`);
      const key = `${socket}/${id}`;
      // A late repeat of an earlier phase's event, or of one already counted.
      if ((!checkIn && revision <= (revisions.get(clinicId) ?? 0)) || seen.has(key)) {
        repeated++;
        continue;
      }
      if (!checkIn) throw new Error(`queue.updated revision ${revision} of ${clinicId}: no such check-in`);
      seen.add(key);
      receipts.push({ checkIn, kind: role.kind, t, tCommit: e.tCommit });
    }
    if (receipts.length >= expected) return { receipts, repeated };
    if (monoMs() > deadline) {
      if (early.length > 0)
        throw new Error(
          `${early.length} receipts of events whose commit the bench never heard, e.g. ${early[0]!.id}`,
        );
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
