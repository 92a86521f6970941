import type { Hub } from '../../src/hub.js';

/** A past appointment written straight into the table, every stamp given (analytics tests set history). */
export interface PastAppointment {
  doctorId: string;
  patientId: string;
  clinicId: string;
  /** Instants, ISO with offset or Z. */
  start: string;
  end: string;
  status: 'booked' | 'completed' | 'cancelled' | 'no_show';
  createdAt: string;
  feeCents?: number;
  walkIn?: boolean;
  arrivedAt?: string;
  startedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
  cancelledBy?: string;
}

export async function insertAppointments(hub: Hub, rows: readonly PastAppointment[]): Promise<string[]> {
  const ids: string[] = [];
  for (const a of rows) {
    const [row] = await hub.sql<{ id: string }[]>`
      insert into appointments (doctor_id, patient_id, clinic_id, during, status, fee_cents, currency, walk_in,
        created_at, arrived_at, started_at, completed_at, cancelled_at, cancelled_by)
      values (${a.doctorId}, ${a.patientId}, ${a.clinicId}, tstzrange(${a.start}::timestamptz, ${a.end}::timestamptz),
        ${a.status}, ${a.feeCents ?? 5000}, 'EUR', ${a.walkIn ?? false}, ${a.createdAt}::timestamptz,
        ${a.arrivedAt ?? null}::timestamptz, ${a.startedAt ?? null}::timestamptz,
        ${a.completedAt ?? null}::timestamptz, ${a.cancelledAt ?? null}::timestamptz, ${a.cancelledBy ?? null})
      returning id`;
    ids.push(row!.id);
  }
  return ids;
}
