import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, notFound } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { transaction } from '../infra/transaction.js';
import type { RatingInput, RatingView } from './ratings.schemas.js';
import * as store from './ratings.store.js';

/** How long after the first rating its patient may still change it. */
export const EDITABLE_DAYS = 14;
const DAY = 86_400_000;

export type RatingService = ReturnType<typeof createRatingService>;

function toView(r: store.RatingRow): RatingView {
  return {
    appointmentId: r.appointmentId,
    doctorId: r.doctorId,
    stars: r.stars,
    comment: r.comment,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    editableUntil: new Date(r.createdAt.getTime() + EDITABLE_DAYS * DAY).toISOString(),
  };
}

/**
 * Patients rate completed appointments: once each, changeable for EDITABLE_DAYS. The public sees only the
 * doctor's average and count, and only from 5 ratings on (directory/doctors.store.ts); comments go to the
 * doctor and admins only.
 */
export function createRatingService({ sql }: { sql: Sql }) {
  return {
    /** Rates the appointment, or changes the rating while it is editable. `created` tells which. */
    async rate(principal: Principal, appointmentId: string, input: RatingInput) {
      return transaction(sql, async (tx) => {
        const appt = await store.lockAppointment(tx, appointmentId);
        // Someone else's appointment looks like none at all.
        if (!appt || appt.patientId !== principal.userId) throw notFound('Appointment');
        if (appt.status !== 'completed')
          throw new AppError('invalid_transition', 'Only a completed appointment can be rated');
        const fields = { stars: input.stars, comment: input.comment || null };
        const existing = await store.findRating(tx, appointmentId);
        if (!existing) {
          const row = await store.insertRating(tx, {
            appointmentId,
            doctorId: appt.doctorId,
            patientId: appt.patientId,
            ...fields,
          });
          return { created: true, rating: toView(row) };
        }
        if (Date.now() > existing.createdAt.getTime() + EDITABLE_DAYS * DAY)
          throw new AppError('already_rated', `A rating can be changed for ${EDITABLE_DAYS} days only`);
        return { created: false, rating: toView(await store.updateRating(tx, appointmentId, fields)) };
      });
    },

    /** The patient's own rating of an appointment. */
    async mine(principal: Principal, appointmentId: string): Promise<RatingView> {
      const row = await store.findRating(sql, appointmentId);
      if (!row || row.patientId !== principal.userId) throw notFound('Rating');
      return toView(row);
    },

    /** Every rating of a doctor with its comment: for that doctor and admins. */
    async forDoctor(principal: Principal, doctorId: string, limit: number, offset: number) {
      const userId = await store.doctorUserId(sql, doctorId);
      if (!userId) throw notFound('Doctor');
      if (principal.role !== 'admin' && userId !== principal.userId)
        throw forbidden("Only the doctor and admins read a doctor's rating comments");
      const rows = await store.listRatings(sql, doctorId, limit + 1, offset);
      return { items: rows.slice(0, limit).map(toView), more: rows.length > limit };
    },
  };
}
