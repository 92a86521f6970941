import * as v from 'valibot';
import { Uuid } from '../../auth/auth.schemas.js';
import {
  AppointmentTypeBody,
  AppointmentTypePatch,
  AppointmentTypeSchema,
} from '../../schedule/appointment-types.schemas.js';
import type { AppointmentTypeService } from '../../schedule/appointment-types.service.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

const TypeParams = v.strictObject({ id: Uuid, typeId: Uuid });
const managers = ['doctor', 'staff', 'admin'] as const;

/** A doctor's appointment types (schedule/appointment-types.service.ts). */
export function appointmentTypeRoutes(r: Router, types: AppointmentTypeService): void {
  const tag = 'Appointment types';

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/appointment-types',
      tag,
      summary:
        "A doctor's appointment types: the online-bookable ones, or all for the doctor, clinic staff, admins",
      access: 'public',
      params: IdParams,
      responses: {
        200: {
          description: 'The types, default first',
          schema: v.object({ items: v.array(AppointmentTypeSchema) }),
        },
      },
    },
    async (c, { params, principal }) => c.json({ items: await types.list(principal, params.id) }),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/doctors/:id/appointment-types',
      tag,
      summary: 'Add a type {name, durationMinutes, feeCents?, currency?, online?, audience?, bufferMinutes?}',
      access: managers,
      params: IdParams,
      body: AppointmentTypeBody,
      responses: { 201: { description: 'Created', schema: AppointmentTypeSchema } },
    },
    async (c, { params, body, principal }) => c.json(await types.create(principal, params.id, body), 201),
  );

  r.add(
    {
      method: 'patch',
      path: '/v1/doctors/:id/appointment-types/:typeId',
      tag,
      summary:
        "Change a type (the default type: only name, online and audience; it follows the doctor's hours and fee)",
      access: managers,
      params: TypeParams,
      body: AppointmentTypePatch,
      responses: { 200: { description: 'Updated', schema: AppointmentTypeSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await types.update(principal, params.id, params.typeId, body)),
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/doctors/:id/appointment-types/:typeId',
      tag,
      summary: 'Remove a type: deleted, or archived when it has bookings (they keep it)',
      access: managers,
      params: TypeParams,
      responses: {
        200: {
          description: 'Removed',
          schema: v.object({ id: v.string(), outcome: v.picklist(['deleted', 'archived']) }),
        },
      },
    },
    async (c, { params, principal }) => c.json(await types.remove(principal, params.id, params.typeId)),
  );
}
