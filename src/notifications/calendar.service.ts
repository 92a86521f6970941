import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, notFound } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { type CalendarEntry, toIcs } from './ics.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export type CalendarService = ReturnType<typeof createCalendarService>;

/**
 * Calendars: one appointment as .ics for the people involved, and a doctor's private feed that
 * Google, Outlook or Apple Calendar subscribe to by URL. The feed token is random, stored hashed, shown
 * once; issuing a new one replaces the old, deleting it revokes the feed.
 */
/** Who may see an appointment: the booking area answers (404 for anyone else). */
export interface AppointmentAccess {
  get(principal: Principal, id: string): Promise<unknown>;
}

export function createCalendarService({ sql, appointments }: { sql: Sql; appointments: AppointmentAccess }) {
  async function ownDoctor(principal: Principal, doctorId: string): Promise<void> {
    const [row] = await sql<{ userId: string }[]>`select user_id from doctors where id = ${doctorId}`;
    if (!row) throw notFound('Doctor');
    if (principal.role !== 'admin' && row.userId !== principal.userId)
      throw forbidden("Only this doctor or an admin may manage the doctor's calendar feed");
  }

  async function entries(where: { appointmentId?: string; doctorId?: string }): Promise<CalendarEntry[]> {
    return sql<CalendarEntry[]>`
      select a.id, (extract(epoch from lower(a.during)) * 1000)::float8 as start, (extract(epoch from upper(a.during)) * 1000)::float8 as "end",
             a.status, 'Appointment: ' || pu.name || ' with ' || du.name as summary, c.name || ', ' || c.address as location,
             'booking-hub appointment ' || a.id as description
      from appointments a join users pu on pu.id = a.patient_id join doctors d on d.id = a.doctor_id
      join users du on du.id = d.user_id join clinics c on c.id = a.clinic_id
      where ${
        where.appointmentId
          ? sql`a.id = ${where.appointmentId}`
          : sql`a.doctor_id = ${where.doctorId!}
        and a.status <> 'cancelled' and lower(a.during) > now() - interval '30 days'`
      }
      order by lower(a.during) limit 5000`;
  }

  return {
    /** The .ics of one appointment, for whoever may see it (404 otherwise). */
    async appointment(principal: Principal, appointmentId: string): Promise<string> {
      await appointments.get(principal, appointmentId);
      return toIcs('Appointment', await entries({ appointmentId }));
    },

    async issueFeedToken(principal: Principal, doctorId: string): Promise<string> {
      await ownDoctor(principal, doctorId);
      const token = randomBytes(24).toString('base64url');
      await sql`insert into calendar_tokens (doctor_id, token_hash) values (${doctorId}, ${hashToken(token)})
                on conflict (doctor_id) do update set token_hash = excluded.token_hash, created_at = now()`;
      return token;
    },

    async revokeFeedToken(principal: Principal, doctorId: string): Promise<void> {
      await ownDoctor(principal, doctorId);
      await sql`delete from calendar_tokens where doctor_id = ${doctorId}`;
    },

    /** The feed, if the token is this doctor's current one; any mismatch is the same 404. */
    async feed(doctorId: string, token: string): Promise<string> {
      const [row] = await sql<
        { tokenHash: Buffer }[]
      >`select token_hash from calendar_tokens where doctor_id = ${doctorId}`;
      const given = hashToken(token);
      if (!row || !timingSafeEqual(row.tokenHash, given))
        throw new AppError('not_found', 'No such calendar feed');
      return toIcs('booking-hub appointments', await entries({ doctorId }));
    },
  };
}
