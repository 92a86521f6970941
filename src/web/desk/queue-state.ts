import type { DoctorQueueView, QueueView } from '../../events/queue-event-data.js';

/**
 * The desk's copy of the clinic's day. The revision moves per clinic and day with every change, and an
 * event carries only the changed doctor's row, so each row keeps the revision it was last written at:
 * a row is replaced only by something at least as new (a late GET never undoes a newer event).
 */
export interface DeskQueue {
  clinicId: string;
  date: string;
  timezone: string;
  doctors: DoctorQueueView[];
  /** The revision each doctor's row was written at. */
  revisions: Record<string, number>;
}

/** A fresh GET of the queue. */
export function withFetched(old: DeskQueue | undefined, fresh: QueueView): DeskQueue {
  const all = Object.fromEntries(fresh.doctors.map((d) => [d.doctorId, fresh.revision]));
  if (!old || old.date < fresh.date) {
    return {
      clinicId: fresh.clinicId,
      date: fresh.date,
      timezone: fresh.timezone,
      doctors: fresh.doctors,
      revisions: all,
    };
  }
  if (old.date > fresh.date) return old;
  const revisions: Record<string, number> = {};
  const doctors = fresh.doctors.map((d) => {
    const mine = old.revisions[d.doctorId] ?? -1;
    const kept = mine > fresh.revision ? old.doctors.find((o) => o.doctorId === d.doctorId) : undefined;
    revisions[d.doctorId] = kept ? mine : fresh.revision;
    return kept ?? d;
  });
  return { ...old, timezone: fresh.timezone, doctors, revisions };
}

/** What an event does to the desk's copy: a newer row, nothing, or "load again" (another day). */
export function withEvent(
  old: DeskQueue | undefined,
  e: { clinicId: string; date: string; revision: number; doctor: DoctorQueueView },
): DeskQueue | 'reload' | undefined {
  if (!old || e.clinicId !== old.clinicId) return old;
  if (e.date > old.date) return 'reload';
  if (e.date < old.date) return old;
  const id = e.doctor.doctorId;
  if ((old.revisions[id] ?? -1) >= e.revision) return old;
  const known = old.doctors.some((d) => d.doctorId === id);
  return {
    ...old,
    doctors: known ? old.doctors.map((d) => (d.doctorId === id ? e.doctor : d)) : [...old.doctors, e.doctor],
    revisions: { ...old.revisions, [id]: e.revision },
  };
}
