import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, expect, it } from 'vitest';
import { describeOnEveryBackend } from '../helpers/backends.js';
import { bookSlot } from '../helpers/booking.js';
import { client, type TestAccount } from '../helpers/harness.js';
import { waitUntil } from '../helpers/process.js';
import { patientNamed, plan, reminderStage } from '../helpers/reminders.js';

describeOnEveryBackend(
  'a booked appointment gets its reminders on time, in-app and by email, once',
  (backend) => {
    const ctx = reminderStage(() => plan([3, 6]), { smtp: true, env: { ...backend, JOB_BACKOFF_MS: '200' } });
    let patient: TestAccount;
    beforeAll(async () => {
      patient = await patientNamed(ctx.hub, 'Pat Reminded');
    });

    it('books, then two reminders arrive at their moments through both channels, and the .ics parses', async () => {
      const { hub, smtp, p, doctorId } = ctx;
      const booked = await bookSlot(hub, patient, doctorId, p.startMs);

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
          select channel, status from deliveries where appointment_id = ${booked.id} order by channel`;
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
  },
);
