import type { Principal } from '../auth/principal.js';
import { localDateRange } from '../schedule/slot-generation.js';
import { visibleAppointment } from './appointment-access.js';
import { toView } from './appointment-view.js';
import type { BookingDeps } from './appointment-writes.js';
import type { AppointmentFilter, AppointmentView } from './booking.schemas.js';
import * as store from './booking.store.js';

/** One appointment, for those who may see it (404 for everyone else). */
export async function getAppointment(
  { sql, cipher }: BookingDeps,
  principal: Principal,
  id: string,
): Promise<AppointmentView> {
  return toView((await visibleAppointment(sql, principal, id)).row, cipher);
}

/** A patient's own; a doctor's own; staff: their clinic's; admin: all. Filters by clinic-local date. */
export async function listAppointments(
  { sql, schedule, cipher }: BookingDeps,
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
  const views = rows.map((r) => toView(r, cipher));
  const items = f.date ? views.filter((v) => v.start.slice(0, 10) === f.date) : views;
  return { items: items.slice(0, f.limit), more: rows.length > f.limit };
}
