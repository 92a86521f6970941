import { rooms } from '../events/rooms.js';
import { localWhen } from '../notifications/email.js';
import { newNotification } from '../notifications/notifications.service.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import type { AppointmentRow } from './booking.store.js';

/** The rooms of the two people an appointment belongs to: its doctor's and its patient's. */
export const peopleRooms = (row: AppointmentRow) => [rooms.doctor(row.doctorId), rooms.user(row.patientId)];

/** A slot as the public `slots:<doctorId>` room sees it: times only, no one's name. */
export const slotData = (row: Pick<AppointmentRow, 'doctorId' | 'start' | 'end' | 'timezone'>) => ({
  doctorId: row.doctorId,
  start: formatInstant(row.start, row.timezone),
  end: formatInstant(row.end, row.timezone),
});

/** The doctor's in-app notice of a change, written in the change's own transaction. */
export const tellDoctor = (row: AppointmentRow, kind: string, title: string) =>
  newNotification({
    userId: row.doctorUserId,
    kind,
    title,
    body: `${row.patientName}, ${localWhen(row.start, row.timezone)}`,
    data: { appointmentId: row.id },
  });
