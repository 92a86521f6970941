import type { DisplayView, DoctorQueueView, QueueEntryView, QueueView } from '../events/queue-event-data.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import type { ClinicDay, QueueRow } from './queue.store.js';
import { DEFAULT_GRACE_MINUTES, median, orderQueue } from './queue-order.js';

/** The pace before any booking tells the doctor's slot length (a day of walk-ins only). */
export const DEFAULT_SLOT_MINUTES = 15;
const MINUTE = 60_000;

/**
 * The doctor's slot length: the median length of the day's booked appointments. Walk-ins are left out,
 * as their length is whatever gap they were fitted into.
 */
export function slotMinutesOf(rows: readonly Pick<QueueRow, 'slotStart' | 'slotEnd' | 'walkIn'>[]): number {
  const booked = rows.filter((r) => !r.walkIn).map((r) => (r.slotEnd - r.slotStart) / MINUTE);
  return median(booked) ?? DEFAULT_SLOT_MINUTES;
}

function entryView(
  row: QueueRow,
  timezone: string,
  place: { position: number; estimatedStart: number; late: boolean },
): QueueEntryView {
  return {
    appointmentId: row.appointmentId,
    ticket: row.ticket,
    patientName: row.patientName,
    status: row.status,
    slotStart: formatInstant(row.slotStart, timezone),
    ...(row.arrivedAt !== null ? { arrivedAt: formatInstant(row.arrivedAt, timezone) } : {}),
    ...(row.startedAt !== null ? { startedAt: formatInstant(row.startedAt, timezone) } : {}),
    position: place.position,
    estimatedStart: formatInstant(place.estimatedStart, timezone),
    walkIn: row.walkIn,
    late: place.late,
  };
}

/** The staff view of the clinic's day (with names): every doctor's current, waiting, expected and done. */
export function toQueueView(
  day: ClinicDay,
  at: { date: string; revision: number; now: number; graceMinutes?: number },
): QueueView {
  const grace = at.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  const tz = day.timezone;
  const doctors = day.doctors.map((d): DoctorQueueView => {
    const rows = day.rows.filter((r) => r.doctorId === d.doctorId);
    const q = orderQueue(rows, {
      now: at.now,
      slotMinutes: slotMinutesOf(rows),
      delayMinutes: d.delayMinutes,
      graceMinutes: grace,
    });
    const c = q.current;
    return {
      doctorId: d.doctorId,
      name: d.name,
      ...(d.room !== null ? { room: d.room } : {}),
      delayMinutes: d.delayMinutes,
      ...(d.delayMinutes > 0 && d.delayNote !== null ? { delayNote: d.delayNote } : {}),
      paceMinutes: Math.round(q.paceMs / MINUTE),
      current: c
        ? entryView(c, tz, {
            position: 0,
            estimatedStart: c.startedAt ?? c.slotStart,
            late: !c.walkIn && c.arrivedAt !== null && c.arrivedAt > c.slotStart + grace * MINUTE,
          })
        : null,
      waiting: q.waiting.map((w) => entryView(w.entry, tz, w)),
      expected: q.expected.map((e) => ({
        appointmentId: e.entry.appointmentId,
        patientName: e.entry.patientName,
        slotStart: formatInstant(e.entry.slotStart, tz),
        estimatedStart: formatInstant(e.estimatedStart, tz),
        overdue: e.overdue,
      })),
      done: q.done,
    };
  });
  return { clinicId: day.clinicId, date: at.date, timezone: tz, revision: at.revision, doctors };
}

/**
 * The waiting-room display, built field by field from the staff view: tickets, rooms, doctors' names,
 * estimated starts and declared delays. Nothing is copied wholesale (no spread, no delete), so a patient's
 * name, id, contact, reason or the delay note (free text) cannot reach the wall. Patients without a ticket
 * (started without checking in) are left off: there is nothing to show for them but who they are.
 */
export function toDisplayView(view: QueueView): DisplayView {
  const now: DisplayView['now'] = [];
  const next: DisplayView['next'] = [];
  const delays: DisplayView['delays'] = [];
  for (const d of view.doctors) {
    const doctorName = d.name;
    if (d.current?.ticket) {
      now.push(
        d.room !== undefined
          ? { ticket: d.current.ticket, room: d.room, doctorName }
          : { ticket: d.current.ticket, doctorName },
      );
    }
    for (const w of d.waiting) {
      if (w.ticket) next.push({ ticket: w.ticket, doctorName, estimatedStart: w.estimatedStart });
    }
    if (d.delayMinutes > 0) delays.push({ doctorName, delayMinutes: d.delayMinutes });
  }
  next.sort(
    (a, b) => Date.parse(a.estimatedStart) - Date.parse(b.estimatedStart) || a.ticket.localeCompare(b.ticket),
  );
  return { clinicId: view.clinicId, date: view.date, revision: view.revision, now, next, delays };
}
