import * as v from 'valibot';
import { Uuid } from '../../auth/auth.schemas.js';
import type { AppointmentService } from '../../booking/appointments.service.js';
import {
  AvailabilityBody,
  AvailabilitySchema,
  SlotsQuery,
  SlotsSchema,
  TimeOffBody,
  TimeOffSchema,
} from '../../schedule/schedule.schemas.js';
import type { ScheduleService } from '../../schedule/schedule.service.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

export function scheduleRoutes(r: Router, schedule: ScheduleService, appointments: AppointmentService): void {
  const tag = 'Schedule';

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/availability',
      tag,
      summary: "A doctor's weekly rules (clinic-local times) and buffer",
      access: 'public',
      params: IdParams,
      responses: { 200: { description: 'Availability', schema: AvailabilitySchema } },
    },
    async (c, { params }) => c.json(await schedule.getAvailability(params.id)),
  );

  r.add(
    {
      method: 'put',
      path: '/v1/doctors/:id/availability',
      tag,
      summary:
        'Replace the weekly rules: [{weekday 1-7, start "09:00", end "12:30", slotMinutes, validFrom?, validTo?}] + bufferMinutes',
      access: ['doctor', 'admin'],
      params: IdParams,
      body: AvailabilityBody,
      responses: { 200: { description: 'The new availability', schema: AvailabilitySchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await schedule.putAvailability(principal, params.id, body)),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/time-off',
      tag,
      summary: 'Upcoming time off of a doctor',
      access: ['doctor', 'admin'],
      params: IdParams,
      responses: { 200: { description: 'Time off', schema: v.object({ items: v.array(TimeOffSchema) }) } },
    },
    async (c, { params, principal }) => c.json({ items: await schedule.listTimeOff(principal, params.id) }),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/doctors/:id/time-off',
      tag,
      summary:
        'Add time off {start, end, reason?, cancelAppointments?} (instants); over booked appointments: 409 time_off_over_bookings listing them, unless cancelAppointments',
      access: ['doctor', 'admin'],
      params: IdParams,
      body: TimeOffBody,
      responses: {
        201: {
          description: 'Created; the ids of the appointments it cancelled',
          schema: v.object({ ...TimeOffSchema.entries, cancelledAppointments: v.array(v.string()) }),
        },
      },
    },
    async (c, { params, body, principal }) =>
      c.json(await appointments.addTimeOff(principal, params.id, body), 201),
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/doctors/:id/time-off/:timeOffId',
      tag,
      summary: 'Remove time off',
      access: ['doctor', 'admin'],
      params: v.strictObject({ id: Uuid, timeOffId: Uuid }),
      responses: { 204: { description: 'Removed' } },
    },
    async (c, { params, principal }) => {
      await schedule.deleteTimeOff(principal, params.id, params.timeOffId);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/slots',
      tag,
      summary:
        "Slots of one appointment type (`type`, default: the doctor's default type) between two clinic-local dates (≤ 62 days) with free/held/booked and a revision",
      access: 'public',
      params: IdParams,
      query: SlotsQuery,
      responses: { 200: { description: 'The slot board', schema: SlotsSchema } },
    },
    // The board comes pre-serialized from its cache (see schedule/slot-board.ts).
    async (c, { params, query, principal }) =>
      c.body(await schedule.slots(params.id, query, principal), 200, {
        'content-type': 'application/json',
      }),
  );
}
