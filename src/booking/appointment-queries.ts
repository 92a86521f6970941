import type { Principal } from '../auth/principal.js';
import { localDateRange } from '../schedule/slot-generation.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import { visibleAppointment } from './appointment-access.js';
import { toViews, viewOf } from './appointment-view.js';
import type { BookingDeps } from './appointment-writes.js';
import type { AppointmentFilter, AppointmentView } from './booking.schemas.js';
import * as store from './booking.store.js';

/** The appointment's start date in its clinic's zone, as its view shows it. */
const localDay = (r: store.AppointmentRow) => formatInstant(r.start, r.timezone).slice(0, 10);

/** One appointment, for those who may see it (404 for everyone else). */
export async function getAppointment(
  { sql, reasons }: BookingDeps,
  principal: Principal,
  id: string,
): Promise<AppointmentView> {
  return viewOf(reasons, principal, (await visibleAppointment(sql, principal, id)).row);
}

/** A patient's own; a doctor's own; staff: their clinic's; admin: all. Filters by clinic-local date. */
export async function listAppointments(
  { sql, schedule, reasons }: BookingDeps,
  principal: Principal,
  f: AppointmentFilter,
  offset: number,
) {
  const scope: store.ListFilter = { limit: f.limit + 1, offset, status: f.status, doctorId: f.doctorId };
  if (principal.role === 'patient') scope.patientId = principal.userId;
  if (principal.role === 'staff') scope.clinicId = principal.clinicId;
  if (principal.role === 'doctor') {
    const own = await store.doctorIdOfUser(sql, principal.userId);
    if (!own || (f.doctorId && f.doctorId !== own)) return { items: [], more: false };
    scope.doctorId = own;
  }
  if (f.date) {
    const doctorId = f.doctorId ?? scope.doctorId;
    const tz = doctorId ? (await schedule.scheduleOf(doctorId)).timezone : undefined;
    // Without one doctor the day is taken in each appointment's clinic zone: widen by a day, then filter.
    const wide = localDateRange(f.date, f.date, tz ?? 'UTC');
    scope.startsIn = tz ? wide : { start: wide.start - 86_400_000, end: wide.end + 86_400_000 };
  }
  const rows = await store.listAppointments(sql, scope);
  // Only the rows answered are opened (and audited as read).
  const shown = (f.date ? rows.filter((r) => localDay(r) === f.date) : rows).slice(0, f.limit);
  return { items: await toViews(reasons, principal, shown), more: rows.length > f.limit };
}
