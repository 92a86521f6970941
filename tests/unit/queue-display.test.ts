import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/booking/status-machine.js';
import { DisplayViewSchema, QueueViewSchema } from '../../src/events/queue-event-data.js';
import type { ClinicDay, QueueRow } from '../../src/queue/queue.store.js';
import { toDisplayView, toQueueView } from '../../src/queue/queue-view.js';

/** 2026-03-09 at hh:mm in Berlin (UTC+1 that day), in epoch ms. */
const berlin = (hhmm: string) => Date.parse(`2026-03-09T${hhmm}:00+01:00`);

const clinicId = randomUUID();
const adams = randomUUID();
const baker = randomUUID();
/** Everything that must never reach the display, collected as the rows are made. */
const secrets: string[] = [];

function row(
  doctorId: string,
  patientName: string,
  slot: string,
  status: Status,
  o: { arrived?: string; started?: string; ticket?: string; walkIn?: boolean } = {},
): QueueRow {
  const appointmentId = randomUUID();
  const patientId = randomUUID();
  // Fields a careless copy could carry along: the store row type has no room for them, objects do.
  const contact = {
    patientEmail: `${patientName.split(' ')[0]!.toLowerCase()}@example.com`,
    patientPhone: `+49 30 ${Math.floor(1_000_000 + Math.random() * 8_999_999)}`,
    reason: `Reason of ${patientName}: chest pain`,
  };
  secrets.push(
    appointmentId,
    patientId,
    patientName,
    contact.patientEmail,
    contact.patientPhone,
    contact.reason,
  );
  const full = {
    appointmentId,
    doctorId,
    patientId,
    patientName,
    status,
    slotStart: berlin(slot),
    slotEnd: berlin(slot) + 15 * 60_000,
    arrivedAt: o.arrived ? berlin(o.arrived) : null,
    walkIn: o.walkIn ?? false,
    startedAt: o.started ? berlin(o.started) : null,
    completedAt: null,
    ticket: o.ticket ?? null,
    ...contact,
  };
  return full;
}

const day: ClinicDay = {
  clinicId,
  timezone: 'Europe/Berlin',
  doctors: [
    {
      doctorId: adams,
      name: 'Dr. Adams',
      room: 'Room 1',
      delayMinutes: 20,
      delayNote: 'Called to Mrs Example upstairs',
      delayDeclaredAt: new Date(berlin('08:30')),
    },
    {
      doctorId: baker,
      name: 'Dr. Baker',
      room: null,
      delayMinutes: 0,
      delayNote: null,
      delayDeclaredAt: null,
    },
  ],
  rows: [
    row(adams, 'Alice Inside', '09:00', 'in_consultation', {
      arrived: '08:55',
      started: '09:00',
      ticket: 'A-001',
    }),
    row(adams, 'Bob Waiting', '09:15', 'checked_in', { arrived: '09:05', ticket: 'A-002' }),
    row(adams, 'Carol Expected', '09:30', 'booked'),
    row(adams, 'Dave Walker', '09:45', 'checked_in', { arrived: '09:08', ticket: 'A-003', walkIn: true }),
    row(baker, 'Eve Early', '09:00', 'checked_in', { arrived: '08:50', ticket: 'A-004' }),
    // Called in without checking in: no ticket, so nothing of theirs can be shown.
    row(baker, 'Frank Noticket', '08:45', 'in_consultation', { arrived: '09:02', started: '09:02' }),
  ],
};
secrets.push('Called to Mrs Example upstairs');

const staff = toQueueView(day, { date: '2026-03-09', revision: 7, now: berlin('09:10') });

describe('toQueueView (staff, with names)', () => {
  it('lists each doctor’s current, waiting and expected patients with estimates in the clinic’s offset', () => {
    expect(v.is(QueueViewSchema, staff)).toBe(true);
    const [a, b] = staff.doctors;
    // Dr. Adams: Alice ends at 09:15 (15-minute pace); Bob 09:15, Carol arrives 09:30, Dave at his gap
    // 09:45; all shifted by the declared 20 minutes.
    expect(a).toMatchObject({
      name: 'Dr. Adams',
      room: 'Room 1',
      delayMinutes: 20,
      paceMinutes: 15,
      done: 0,
    });
    expect(a!.current).toMatchObject({
      patientName: 'Alice Inside',
      position: 0,
      estimatedStart: '2026-03-09T09:00:00+01:00',
    });
    expect(a!.waiting.map((w) => [w.position, w.ticket, w.estimatedStart, w.walkIn])).toEqual([
      [1, 'A-002', '2026-03-09T09:35:00+01:00', false],
      [2, 'A-003', '2026-03-09T10:05:00+01:00', true],
    ]);
    expect(a!.expected).toEqual([
      expect.objectContaining({ patientName: 'Carol Expected', estimatedStart: '2026-03-09T09:50:00+01:00' }),
    ]);
    // Dr. Baker: Frank started 09:02, so Eve goes in at 09:17.
    expect(b!.room).toBeUndefined();
    expect(b!.current).toMatchObject({ patientName: 'Frank Noticket', ticket: null });
    expect(b!.waiting.map((w) => [w.ticket, w.estimatedStart])).toEqual([
      ['A-004', '2026-03-09T09:17:00+01:00'],
    ]);
  });
});

describe('toDisplayView (the waiting-room wall)', () => {
  const display = toDisplayView(staff);

  it('shows tickets, rooms, doctors, estimated starts and delays', () => {
    expect(display).toEqual({
      clinicId,
      date: '2026-03-09',
      revision: 7,
      now: [{ ticket: 'A-001', room: 'Room 1', doctorName: 'Dr. Adams' }],
      next: [
        { ticket: 'A-004', doctorName: 'Dr. Baker', estimatedStart: '2026-03-09T09:17:00+01:00' },
        { ticket: 'A-002', doctorName: 'Dr. Adams', estimatedStart: '2026-03-09T09:35:00+01:00' },
        { ticket: 'A-003', doctorName: 'Dr. Adams', estimatedStart: '2026-03-09T10:05:00+01:00' },
      ],
      delays: [{ doctorName: 'Dr. Adams', delayMinutes: 20 }],
    });
  });

  it('never carries a patient’s name, id, phone, email or reason, nor the delay note', () => {
    const json = JSON.stringify(display);
    for (const secret of secrets) expect(json).not.toContain(secret);
    // The clinic's id is the only id on the wall.
    expect(json.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)).toEqual([clinicId]);
    // The staff view does carry them (names at least), so the test above would see a leak.
    expect(JSON.stringify(staff)).toContain('Bob Waiting');
  });

  it('fits its own strict schema, which refuses any field more', () => {
    expect(v.is(DisplayViewSchema, display)).toBe(true);
    const leaky = { ...display, next: [{ ...display.next[0]!, patientName: 'Bob Waiting' }] };
    expect(v.is(DisplayViewSchema, leaky)).toBe(false);
  });
});
