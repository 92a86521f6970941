import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { localWhen, type ReminderContent, renderReminder } from '../../src/notifications/email.js';
import { toIcs } from '../../src/notifications/ics.js';
import { icsEvents } from '../helpers/ics.js';

const at = (iso: string) => Date.parse(iso);

describe("a reminder names the time in the clinic's zone", () => {
  it.each([
    ['2026-01-15T08:30:00Z', 'Europe/Berlin', '2026-01-15 09:30 (Europe/Berlin, UTC+01:00)'],
    ['2026-07-15T08:30:00Z', 'Europe/Berlin', '2026-07-15 10:30 (Europe/Berlin, UTC+02:00)'],
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', '2026-03-29 01:59 (Europe/Berlin, UTC+01:00)'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29 03:00 (Europe/Berlin, UTC+02:00)'],
    ['2026-01-14T23:00:00Z', 'Europe/Berlin', '2026-01-15 00:00 (Europe/Berlin, UTC+01:00)'],
    ['2026-03-01T04:00:00Z', 'Asia/Kolkata', '2026-03-01 09:30 (Asia/Kolkata, UTC+05:30)'],
    ['2026-03-01T20:00:00Z', 'Asia/Kolkata', '2026-03-02 01:30 (Asia/Kolkata, UTC+05:30)'],
    ['2026-03-01T04:00:00Z', 'UTC', '2026-03-01 04:00 (UTC, UTC+00:00)'],
    ['2026-01-15T14:00:00Z', 'America/New_York', '2026-01-15 09:00 (America/New_York, UTC-05:00)'],
  ])('%s in %s is %s', (iso, zone, expected) => {
    expect(localWhen(at(iso), zone)).toBe(expected);
  });

  it('agrees with Temporal for any instant and zone', () => {
    const zones = [
      'Europe/Berlin',
      'Asia/Kolkata',
      'UTC',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Chatham',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2060-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
          const expected = `${z.toPlainDate()} ${z.toPlainTime().toString({ smallestUnit: 'minute', roundingMode: 'trunc' })} (${zone}, UTC${z.offset})`;
          expect(localWhen(ms, zone)).toBe(expected);
        },
      ),
    );
  });
});

describe('the reminder message', () => {
  const content: ReminderContent = {
    appointmentId: '7b0c7a8e-1d2f-4c3b-9a5e-000000000001',
    patientName: 'Mallory <script>alert("hi")</script>',
    doctorName: "Dr. O'Brien & Partners",
    clinicName: 'Praxis <b>Mitte</b>',
    clinicAddress: 'Invalidenstraße 1, Berlin',
    timezone: 'Europe/Berlin',
    start: at('2026-07-15T08:30:00Z'),
    end: at('2026-07-15T09:00:00Z'),
  };
  const when = '2026-07-15 10:30 (Europe/Berlin, UTC+02:00)';
  const m = renderReminder(content);

  it("says when in the clinic's time, in the subject, the text and the HTML", () => {
    expect(m.subject).toBe(`Reminder: appointment with Dr. O'Brien & Partners on ${when}`);
    expect(m.text).toContain(`When:   ${when}`);
    expect(m.html).toContain(`When: ${when}`);
  });

  it('keeps names as written in the text and escapes them in the HTML', () => {
    expect(m.text).toContain('Hello Mallory <script>alert("hi")</script>,');
    expect(m.text).toContain("Doctor: Dr. O'Brien & Partners");
    expect(m.html).not.toMatch(/<script|<b>/);
    expect(m.html).toContain('Mallory &#60;script&#62;alert(&#34;hi&#34;)&#60;/script&#62;');
    expect(m.html).toContain('Dr. O&#39;Brien &#38; Partners');
    expect(m.html).toContain('Praxis &#60;b&#62;Mitte&#60;/b&#62;, Invalidenstraße 1, Berlin');
  });

  it('attaches an .ics with the appointment at the right instants under a stable UID', () => {
    const events = icsEvents(m.ics);
    expect(events).toEqual([
      {
        uid: `${content.appointmentId}@booking-hub`,
        start: content.start,
        end: content.end,
        summary: "Appointment with Dr. O'Brien & Partners",
        location: 'Praxis <b>Mitte</b>, Invalidenstraße 1, Berlin',
        status: 'CONFIRMED',
      },
    ]);
    expect(icsEvents(renderReminder(content).ics)[0]!.uid).toBe(events[0]!.uid);
  });
});

describe('toIcs', () => {
  it('writes calendars that ical.js reads back, text with separators intact and cancellations marked', () => {
    const ics = toIcs('Feed; of, Dr. X', [
      {
        id: 'a',
        start: at('2026-10-25T00:30:00Z'),
        end: at('2026-10-25T01:30:00Z'),
        status: 'booked',
        summary: 'One, two; three\nfour',
        location: 'Room 1',
        description: 'first',
      },
      {
        id: 'b',
        start: at('2026-10-26T09:00:00Z'),
        end: at('2026-10-26T09:30:00Z'),
        status: 'cancelled',
        summary: 'Cancelled one',
        location: 'Room 2',
        description: 'second',
      },
    ]);
    expect(icsEvents(ics)).toEqual([
      {
        uid: 'a@booking-hub',
        start: at('2026-10-25T00:30:00Z'),
        end: at('2026-10-25T01:30:00Z'),
        summary: 'One, two; three\nfour',
        location: 'Room 1',
        status: 'CONFIRMED',
      },
      {
        uid: 'b@booking-hub',
        start: at('2026-10-26T09:00:00Z'),
        end: at('2026-10-26T09:30:00Z'),
        summary: 'Cancelled one',
        location: 'Room 2',
        status: 'CANCELLED',
      },
    ]);
    expect(icsEvents(toIcs('empty', []))).toEqual([]);
  });
});
