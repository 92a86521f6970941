import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAvailability } from '../helpers/booking.js';
import {
  client,
  createAccount,
  createClinic,
  createDoctor,
  startTestHub,
  type TestAccount,
  type TestHub,
} from '../helpers/harness.js';
import { waitUntil } from '../helpers/process.js';
import { plan } from '../helpers/reminders.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

describe('a booked appointment gets its reminders on time, in-app and by email, once', () => {
  let hub: TestHub;
  let smtp: TestSmtp;
  let patient: TestAccount;
  let doctorId: string;
  const p = plan([3, 6]);

  beforeAll(async () => {
    smtp = await startSmtp();
    hub = await startTestHub({
      REMINDER_OFFSETS: p.offsets.map((s) => `${s}s`).join(','),
      SMTP_URL: smtp.url,
      JOB_BACKOFF_MS: '200',
    });
    const clinic = await createClinic(hub, { timezone: 'UTC', name: 'Greenwich Clinic' });
    doctorId = (await createDoctor(hub, clinic.id, { name: 'Dr. Ada Time' })).doctor.id;
    await hub.sql`update doctors set min_notice_minutes = 0 where id = ${doctorId}`;
    await setAvailability(hub, doctorId, [p.rule]);
    patient = await createAccount(hub, 'patient', { name: 'Pat Reminded' });
  });
  afterAll(async () => {
    await hub.close();
    await smtp.close();
  });

  it('books, then two reminders arrive at their moments through both channels, and the .ics parses', async () => {
    const start = new Date(p.startMs).toISOString();
    const booked = await client(hub).post<{ id: string }>(
      '/v1/appointments',
      { doctorId, start },
      patient.token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);

    const mails = await smtp.waitFor(2, 20_000);
    const received = Date.now();
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.subject).toContain('Dr. Ada Time');
      expect(mail.text).toContain(
        Temporal.Instant.fromEpochMilliseconds(p.startMs)
          .toZonedDateTimeISO('UTC')
          .toPlainTime()
          .toString({ smallestUnit: 'minute' }),
      );
      expect(mail.html).toBeTruthy();
      const ics = mail.attachments.find((a) => a.filename === 'appointment.ics');
      expect(ics).toBeDefined();
      const event = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8'))).getFirstSubcomponent(
        'vevent',
      );
      expect(new ICAL.Event(event!).startDate.toJSDate().getTime()).toBe(p.startMs);
    }
    // The second (later) one came about when it was due, not at booking time.
    expect(received).toBeGreaterThan(p.startMs - p.offsets[1]! * 1000 - 1500);

    // The receiver has both; the worker records each send right after the server accepts it.
    const ledger = await waitUntil(
      'every channel of both reminders recorded as sent',
      async () => {
        const rows = await hub.sql<{ channel: string; status: string }[]>`
          select channel, status from deliveries where appointment_id = ${booked.body.id} order by channel`;
        return rows.length === 6 && rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(ledger.map((r) => r.channel)).toEqual([
      'email',
      'email',
      'in_app',
      'in_app',
      'webhook',
      'webhook',
    ]);
    const notes = await client(hub).get<{ items: { kind: string }[] }>(
      '/v1/notifications?unread=true',
      patient.token,
    );
    expect(notes.body.items.filter((n) => n.kind === 'appointment.reminder')).toHaveLength(2);
  });
});
