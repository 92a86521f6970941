import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/jobs/reconciler.queue.js';
import { REMINDERS_QUEUE, reminderJobId } from '../../src/jobs/reminders.queue.js';
import { AROUND_THE_CLOCK, bookSlot } from '../helpers/booking.js';
import { client, type TestAccount, useTestHub } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';

/**
 * Redis loses every reminder job (a flush, a failover without persistence). The reconciler rebuilds
 * them from Postgres: one per upcoming appointment and offset still ahead, with the same ids, and
 * running it again adds nothing.
 */

const HOUR = 3_600_000;
const OFFSETS = [2 * 3600, 30 * 60];

describe('the reconciler restores lost reminder jobs', () => {
  // API only: no worker or scheduled reconciler runs beside the test's own calls.
  const hub = useTestHub({ REMINDER_OFFSETS: '2h,30m' }, { role: 'api' });
  let patient: TestAccount;
  let doctorId: string;

  beforeAll(async () => {
    ({ doctorId, patient } = await scene(hub, {
      clinic: { timezone: 'UTC' },
      doctor: { minNoticeMinutes: 0, hours: AROUND_THE_CLOCK },
    }));
  });

  const book = async (startMs: number) => (await bookSlot(hub, patient, doctorId, startMs)).id;

  /** Every key of this hub's reminders queue, found by SCAN (other test files share this Redis). */
  async function dropReminderKeys(): Promise<number> {
    const keys: string[] = [];
    for await (const batch of hub.redis!.scanStream({
      match: `${hub.config.redisPrefix}:${REMINDERS_QUEUE}:*`,
      count: 500,
    })) {
      keys.push(...(batch as string[]));
    }
    if (keys.length > 0) await hub.redis!.del(...keys);
    return keys.length;
  }

  const delayedIds = async () => (await hub.bullmq!.reminders.queue.getDelayed()).map((j) => j.id).sort();

  it('rebuilds exactly the missing jobs with their deterministic ids, and a second run adds none', async () => {
    const now = Temporal.Now.zonedDateTimeISO('UTC');
    const halfHour = now.round({
      smallestUnit: 'minute',
      roundingIncrement: 30,
      roundingMode: 'ceil',
    }).epochMilliseconds;
    const tomorrow = halfHour + 24 * HOUR; // both offsets ahead
    const soon = halfHour + HOUR; // the 2h moment has passed, the 30m one is ahead
    const later = halfHour + 72 * HOUR; // beyond the reconciler's 48 h lookahead
    const dropped = halfHour + 30 * HOUR; // cancelled

    const [a, c, d, e] = [await book(tomorrow), await book(soon), await book(later), await book(dropped)];
    expect((await client(hub).post(`/v1/appointments/${e}/cancel`, {}, patient.token)).status).toBe(200);

    const both = (id: string) => OFFSETS.map((o) => reminderJobId(id, o, 1));
    expect(await delayedIds()).toEqual([...both(a), reminderJobId(c, 30 * 60, 1), ...both(d)].sort());

    expect(await dropReminderKeys()).toBeGreaterThan(0);
    expect(await delayedIds()).toEqual([]);

    const deps = { sql: hub.sql, reminders: hub.bullmq!.reminders, webhooks: hub.services.webhooks };
    const expected = [...both(a), reminderJobId(c, 30 * 60, 1)].sort();
    expect(await reconcile(deps)).toEqual({ reminders: expected.length, webhooks: 0 });
    expect(await delayedIds()).toEqual(expected);

    const restored = await hub.bullmq!.reminders.queue.getDelayed();
    const startOf = new Map([
      [a, tomorrow],
      [c, soon],
    ]);
    for (const job of restored) {
      expect(job.data.version).toBe(1);
      expect(job.id).toBe(reminderJobId(job.data.appointmentId, job.data.offsetSeconds, 1));
      const dueAt = startOf.get(job.data.appointmentId)! - job.data.offsetSeconds * 1000;
      expect(Math.abs(job.timestamp + job.delay - dueAt)).toBeLessThan(1000);
    }

    expect(await reconcile(deps)).toEqual({ reminders: 0, webhooks: 0 });
    expect(await delayedIds()).toEqual(expected);
  });
});
