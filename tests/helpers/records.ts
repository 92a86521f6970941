import type { Hub } from '../../src/hub.js';
import { createAccount, createClinic, createDoctor, type TestAccount } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An appointment set up directly (a past one cannot be booked through the API), in `status`. */
export async function appointmentAt(
  hub: Hub,
  doctorId: string,
  patientId: string,
  start: number,
  status = 'booked',
): Promise<string> {
  const [row] = await hub.sql<{ id: string }[]>`
    insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency, status)
    select id, ${patientId}, clinic_id, tstzrange(${new Date(start)}, ${new Date(start + HOUR / 2)}), fee_cents,
           currency, ${status}
    from doctors where id = ${doctorId}
    returning id`;
  return row!.id;
}

/** A doctor: the profile's id, the account, and the appointment with the patient that makes the relation. */
export interface CastDoctor {
  id: string;
  account: TestAccount;
  appointmentId?: string;
}

/**
 * Everyone who might ask for one patient's record, each standing to them in one way: the patient, another
 * patient, doctors with a past, an upcoming, only a cancelled or no appointment, the front desk of the
 * patient's clinic and of another, an admin.
 */
export async function recordsCast(hub: Hub, patientName = 'Ingrid Holloway-Mbeki') {
  const clinic = await createClinic(hub, { name: 'Elm Street Practice' });
  const elsewhere = await createClinic(hub, { name: 'Harbour Clinic' });
  const patient = await createAccount(hub, 'patient', { name: patientName });
  const otherPatient = await createAccount(hub, 'patient', { name: 'Otto Other' });
  const doctor = async (name: string, start?: number, status?: string): Promise<CastDoctor> => {
    const { doctor, account } = await createDoctor(hub, clinic.id, { name });
    const appointmentId =
      start === undefined ? undefined : await appointmentAt(hub, doctor.id, patient.id, start, status);
    return { id: doctor.id, account, ...(appointmentId ? { appointmentId } : {}) };
  };
  const now = Date.now();
  const [pastDoctor, upcomingDoctor, cancelledDoctor, noDoctor] = await Promise.all([
    doctor('Dr. Paula Past', now - 2 * DAY, 'completed'),
    doctor('Dr. Uma Upcoming', now + 2 * DAY),
    doctor('Dr. Carl Cancelled', now + 3 * DAY, 'cancelled'),
    doctor('Dr. Nadia None'),
  ]);
  const [clinicStaff, otherStaff, admin] = await Promise.all([
    createAccount(hub, 'staff', { clinicId: clinic.id, name: 'Desk Dana' }),
    createAccount(hub, 'staff', { clinicId: elsewhere.id, name: 'Desk Elsewhere' }),
    createAccount(hub, 'admin', { name: 'Admin Ada' }),
  ]);
  return {
    clinic,
    patient,
    otherPatient,
    pastDoctor,
    upcomingDoctor,
    cancelledDoctor,
    noDoctor,
    clinicStaff,
    otherStaff,
    admin,
  };
}
