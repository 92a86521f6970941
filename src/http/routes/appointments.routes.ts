import * as v from 'valibot';
import type { AppointmentService } from '../../booking/appointments.service.js';
import {
  AppointmentQuery,
  AppointmentSchema,
  BookBody,
  CancelBody,
  RescheduleBody,
} from '../../booking/booking.schemas.js';
import type { Bucket } from '../../infra/rate-limiter.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

export function appointmentRoutes(r: Router, appointments: AppointmentService, bookingBucket: Bucket): void {
  const tag = 'Booking';

  r.add(
    {
      method: 'post',
      path: '/v1/appointments',
      tag,
      summary:
        'Book with {holdId} or {doctorId, start}; the front desk adds patientId or patient: {name, phone?, email?}; Idempotency-Key supported',
      access: ['patient', 'staff', 'admin'],
      body: BookBody,
      rateLimit: bookingBucket,
      responses: { 201: { description: 'Booked', schema: AppointmentSchema } },
    },
    async (c, { body, principal }) => c.json(await appointments.book(principal, body), 201),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/appointments',
      tag,
      summary: "Appointments: a patient's or doctor's own; staff: their clinic's (?date=&doctorId=&status=)",
      access: 'signed-in',
      query: AppointmentQuery,
      responses: { 200: { description: 'A page of appointments', schema: pageOf(AppointmentSchema) } },
    },
    async (c, { query, principal }) => {
      const offset = decodeCursor(query.cursor);
      const page = await appointments.list(principal, query, offset);
      return c.json({ items: page.items, nextCursor: page.more ? encodeCursor(offset + query.limit) : null });
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/appointments/:id',
      tag,
      summary: 'One appointment (its patient, its doctor, clinic staff, admin)',
      access: 'signed-in',
      params: IdParams,
      responses: { 200: { description: 'The appointment', schema: AppointmentSchema } },
    },
    async (c, { params, principal }) => c.json(await appointments.get(principal, params.id)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/appointments/:id/cancel',
      tag,
      summary: 'Cancel (patients up to the cutoff before start; doctor and staff any time)',
      access: 'signed-in',
      params: IdParams,
      body: v.optional(CancelBody, {}),
      responses: { 200: { description: 'Cancelled', schema: AppointmentSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await appointments.cancel(principal, params.id, body.reason)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/appointments/:id/reschedule',
      tag,
      summary: 'Move to another slot of the same doctor, atomically: {holdId} or {start}',
      access: ['patient', 'staff', 'admin'],
      params: IdParams,
      body: RescheduleBody,
      responses: { 200: { description: 'Moved', schema: AppointmentSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await appointments.reschedule(principal, params.id, body)),
  );

  const transitions = [
    ['check-in', 'check_in', 'Check the patient in (clinic staff)'],
    ['start', 'start', 'Start the consultation (staff or the doctor)'],
    ['complete', 'complete', 'Complete the consultation (staff or the doctor)'],
    ['no-show', 'no_show', 'Record a no-show once the start has passed (clinic staff)'],
  ] as const;
  for (const [segment, action, summary] of transitions) {
    r.add(
      {
        method: 'post',
        path: `/v1/appointments/:id/${segment}`,
        tag,
        summary,
        access: ['staff', 'admin', 'doctor'],
        params: IdParams,
        responses: { 200: { description: 'New state', schema: AppointmentSchema } },
      },
      async (c, { params, principal }) => c.json(await appointments.transition(principal, params.id, action)),
    );
  }
}
