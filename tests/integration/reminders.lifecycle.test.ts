import type { ParsedMail } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { reminderJobId } from '../../src/jobs/reminders.queue.js';
import { localWhen } from '../../src/notifications/email.js';
import type { ReminderJob } from '../../src/notifications/reminders.service.js';
import { durationLabel } from '../../src/shared/durations.js';
import { bookSlot, dateIn, slotsOn } from '../helpers/booking.js';
import { client, type TestAccount, type TestHub, useTestHub } from '../helpers/harness.js';
import { waitUntil } from '../helpers/process.js';
import { ledgerOf, patientNamed, plan, reminderStage } from '../helpers/reminders.js';
import { scene } from '../helpers/scene.js';
import type { TestSmtp } from '../helpers/smtp.js';

/** Reminders follow the appointment: cancel removes them, reschedule moves them, a late booking skips past offsets. */

const recipients = (m: ParsedMail) => [m.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address));
const mailsTo = (smtp: TestSmtp, email: string) => smtp.messages.filter((m) => recipients(m).includes(email));
const kindOf = (offsetSeconds: number) => `reminder-${durationLabel(offsetSeconds)}`;

/** The patient books the slot starting at `startMs` (which must succeed); the appointment's id. */
const book = async (hub: TestHub, patient: TestAccount, doctorId: string, startMs: number) =>
  (await bookSlot(hub, patient, doctorId, startMs)).id;

/** Resolves once every listed channel of the reminder kind is recorded as sent for that version. */
const delivered = (hub: TestHub, appointmentId: string, kind: string, channels: string[], version = 1) =>
  waitUntil(
    `${kind} v${version} sent on ${channels.join(', ')}`,
    async () => {
      const rows = (await ledgerOf(hub, appointmentId)).filter(
        (r) => r.kind === kind && r.version === version && r.status === 'sent',
      );
      return channels.every((c) => rows.some((r) => r.channel === c)) ? rows : undefined;
    },
    { timeoutMs: 20_000 },
  );

/**
 * Replays a reminder job under its deterministic id, due now, as if its removal had been missed (say
 * Redis hiccuped during a cancel); resolves with what the worker made of it.
 */
async function replayJob(hub: TestHub, data: ReminderJob): Promise<unknown> {
  const queue = hub.bullmq!.reminders.queue;
  const jobId = reminderJobId(data.appointmentId, data.offsetSeconds, data.version);
  await queue.add('remind', data, { jobId });
  return waitUntil(
    `${jobId} to finish`,
    async () => {
      const job = await queue.getJob(jobId);
      return job && (await job.getState()) === 'completed' ? job.returnvalue : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

describe('a cancelled appointment is never reminded', () => {
  // Slot 0's reminder falls due at +10 s, slot 1's at +13 s; the other offset of each is long past or far
  // off. Ten seconds leave room for starting the hub and booking on a loaded machine: were Ann's reminder
  // to fall due before her cancel, the test would fail for the wrong reason (seen with 5 s in a full run).
  const ctx = reminderStage(
    () =>
      plan(
        [
          { dueIn: 10, slot: 0 },
          { dueIn: 13, slot: 1 },
        ],
        { slots: 2 },
      ),
    { smtp: true, env: { CANCEL_CUTOFF_MINUTES: '0', JOB_BACKOFF_MS: '200' } },
  );

  it('cancels the earlier of two bookings; the later one is reminded, the cancelled one gets nothing', async () => {
    const { hub, smtp, p, doctorId } = ctx;
    const [early, late] = [p.slotStarts[0]!, p.slotStarts[1]!];
    const [cancelledOffset, keptOffset] = [p.offsets[0]!, p.offsets[1]!];
    expect(early - cancelledOffset * 1000).toBeLessThan(late - keptOffset * 1000);

    const ann = await patientNamed(hub, 'Ann Cancels');
    const ben = await patientNamed(hub, 'Ben Keeps');
    const cancelled = await book(hub, ann, doctorId, early);
    const kept = await book(hub, ben, doctorId, late);
    expect(
      await hub.bullmq!.reminders.queue.getJob(reminderJobId(cancelled, cancelledOffset, 1)),
    ).toBeDefined();

    const res = await client(hub).post(
      `/v1/appointments/${cancelled}/cancel`,
      { reason: 'cannot come' },
      ann.token,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(
      await hub.bullmq!.reminders.queue.getJob(reminderJobId(cancelled, cancelledOffset, 1)),
    ).toBeUndefined();

    // Ben's reminder falls due after Ann's would have: once it is out, Ann's would be too.
    await delivered(hub, kept, kindOf(keptOffset), ['in_app', 'email']);
    expect(mailsTo(smtp, ben.email)).toHaveLength(1);

    expect(await ledgerOf(hub, cancelled)).toEqual([]);
    expect(await hub.sql`select id from notifications where user_id = ${ann.id}`).toHaveLength(0);
    expect(mailsTo(smtp, ann.email)).toHaveLength(0);

    // Had its job survived the cancel, the worker would still find the appointment cancelled.
    const replayed = await replayJob(hub, {
      appointmentId: cancelled,
      offsetSeconds: cancelledOffset,
      version: 1,
    });
    expect(replayed).toBe('dropped');
    expect(await ledgerOf(hub, cancelled)).toEqual([]);
  });
});

describe('a rescheduled appointment is reminded once per offset, at its new time', () => {
  // Both offsets fall due within seconds for slot 0 (the new time), five minutes later for slot 1 (the old one).
  const ctx = reminderStage(() => plan([6, 9], { slots: 2 }), { smtp: true, env: { JOB_BACKOFF_MS: '200' } });

  it('moves the jobs to version 2, delivers each offset once with the new time, and a stale version-1 job drops itself', async () => {
    const { hub, smtp, p, doctorId } = ctx;
    const [newStart, oldStart] = [p.slotStarts[0]!, p.slotStarts[1]!];
    const queue = hub.bullmq!.reminders.queue;
    const cleo = await patientNamed(hub, 'Cleo Moves');
    const id = await book(hub, cleo, doctorId, oldStart);
    for (const offset of p.offsets)
      expect(await queue.getJob(reminderJobId(id, offset, 1)), 'v1 job').toBeDefined();

    const moved = await client(hub).post(
      `/v1/appointments/${id}/reschedule`,
      { start: new Date(newStart).toISOString() },
      cleo.token,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    for (const offset of p.offsets) {
      expect(await queue.getJob(reminderJobId(id, offset, 1)), 'v1 job removed').toBeUndefined();
      expect(await queue.getJob(reminderJobId(id, offset, 2)), 'v2 job').toBeDefined();
    }

    for (const offset of p.offsets)
      await delivered(hub, id, kindOf(offset), ['in_app', 'email', 'webhook'], 2);
    const ledger = await ledgerOf(hub, id);
    expect(ledger.map((r) => `${r.kind}/${r.channel}/v${r.version}/${r.status}`).sort()).toEqual(
      p.offsets.flatMap((o) => ['email', 'in_app', 'webhook'].map((c) => `${kindOf(o)}/${c}/v2/sent`)).sort(),
    );
    const mails = mailsTo(smtp, cleo.email);
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.text).toContain(localWhen(newStart, 'UTC'));
      expect(mail.text).not.toContain(localWhen(oldStart, 'UTC'));
    }

    // A version-1 job that escaped removal finds the appointment moved and drops itself.
    expect(await replayJob(hub, { appointmentId: id, offsetSeconds: p.offsets[0]!, version: 1 })).toBe(
      'dropped',
    );
    expect((await ledgerOf(hub, id)).filter((r) => r.version === 1)).toEqual([]);
    expect(mailsTo(smtp, cleo.email)).toHaveLength(2);
  });
});

describe('a booking made inside an offset window skips that offset', () => {
  // The first offset's moment was 30 s ago; the second falls due in 5 s.
  const ctx = reminderStage(() => plan([-30, 5]), { env: { JOB_BACKOFF_MS: '200' } });

  it('schedules only the offset still ahead, and only that one is delivered', async () => {
    const { hub, p, doctorId } = ctx;
    const [passed, ahead] = [p.offsets[0]!, p.offsets[1]!];
    const dora = await patientNamed(hub, 'Dora Late');
    const id = await book(hub, dora, doctorId, p.startMs);

    const queue = hub.bullmq!.reminders.queue;
    expect(await queue.getJob(reminderJobId(id, passed, 1))).toBeUndefined();
    const job = await queue.getJob(reminderJobId(id, ahead, 1));
    expect(job?.data).toEqual({ appointmentId: id, offsetSeconds: ahead, version: 1 });
    expect(job!.timestamp + (job!.delay ?? 0)).toBeCloseTo(p.startMs - ahead * 1000, -3);

    await delivered(hub, id, kindOf(ahead), ['in_app', 'webhook']);
    expect((await ledgerOf(hub, id)).map((r) => `${r.kind}/${r.channel}`)).toEqual([
      `${kindOf(ahead)}/in_app`,
      `${kindOf(ahead)}/webhook`,
    ]);
    const notes = await client(hub).get<{ items: { kind: string }[] }>('/v1/notifications', dora.token);
    expect(notes.body.items.map((n) => n.kind)).toEqual(['appointment.reminder']);
  });
});

interface Note {
  id: string;
  kind: string;
  title: string;
  body: string;
  data: { appointmentId?: string };
  readAt: string | null;
}
type Page = { items: Note[]; nextCursor: string | null };

describe('the doctor hears of bookings, cancellations and moves in-app', () => {
  const hub = useTestHub();
  let doctor: TestAccount;
  let patient: TestAccount;
  let doctorId: string;

  beforeAll(async () => {
    ({ doctorId, doctor, patient } = await scene(hub, {
      doctor: { name: 'Dr. Listens' },
      patients: ['Eve Busy'],
    }));
  });

  it('lists every change newest first, pages through them, filters unread, marks read, and hides them from others', async () => {
    const api = client(hub);
    const free = (await slotsOn(hub, doctorId, dateIn(3))).filter((s) => s.status === 'free');
    const [a, b, c] = [
      await book(hub, patient, doctorId, Date.parse(free[0]!.start)),
      await book(hub, patient, doctorId, Date.parse(free[2]!.start)),
      await book(hub, patient, doctorId, Date.parse(free[4]!.start)),
    ];
    expect((await api.post(`/v1/appointments/${b}/cancel`, {}, patient.token)).status).toBe(200);
    expect(
      (await api.post(`/v1/appointments/${c}/reschedule`, { start: free[6]!.start }, patient.token)).status,
    ).toBe(200);

    const all = await api.get<Page>('/v1/notifications?limit=100', doctor.token);
    expect(all.status).toBe(200);
    expect(all.body.items.map((n) => [n.kind, n.data.appointmentId])).toEqual([
      ['appointment.rescheduled', c],
      ['appointment.cancelled', b],
      ['appointment.booked', c],
      ['appointment.booked', b],
      ['appointment.booked', a],
    ]);
    expect(all.body.items.map((n) => n.title)).toEqual([
      'Appointment moved',
      'Appointment cancelled',
      'New booking',
      'New booking',
      'New booking',
    ]);
    for (const n of all.body.items) expect(n.body).toContain('Eve Busy');
    expect(all.body.nextCursor).toBeNull();

    const pages: Page[] = [];
    let path: string | undefined = '/v1/notifications?limit=2';
    while (path) {
      const page: Page = (await api.get<Page>(path, doctor.token)).body;
      pages.push(page);
      path = page.nextCursor ? `/v1/notifications?limit=2&cursor=${page.nextCursor}` : undefined;
    }
    expect(pages.map((pg) => pg.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((pg) => pg.items.map((n) => n.id))).toEqual(all.body.items.map((n) => n.id));

    const newest = all.body.items[0]!;
    const read = await api.post<Note>(`/v1/notifications/${newest.id}/read`, undefined, doctor.token);
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    const unread = await api.get<Page>('/v1/notifications?unread=true', doctor.token);
    expect(unread.body.items.map((n) => n.id)).toEqual(all.body.items.slice(1).map((n) => n.id));
    expect((await api.get<Page>('/v1/notifications', doctor.token)).body.items).toHaveLength(5);

    // Someone else's notification, or one that does not exist, is the same 404.
    expect((await api.post(`/v1/notifications/${newest.id}/read`, undefined, patient.token)).status).toBe(
      404,
    );
    expect(
      (await api.post('/v1/notifications/00000000-0000-4000-8000-000000000000/read', undefined, doctor.token))
        .status,
    ).toBe(404);
    expect((await api.get<Page>('/v1/notifications', patient.token)).body.items).toEqual([]);
    expect((await api.get('/v1/notifications?unread=maybe', doctor.token)).status).toBe(400);
  });
});
