import * as v from 'valibot';
import {
  ClinicBody,
  ClinicPatch,
  ClinicQuery,
  ClinicSchema,
  DoctorSchema,
  SpecialtySchema,
} from '../../directory/directory.schemas.js';
import type { DirectoryService } from '../../directory/directory.service.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

export function clinicRoutes(r: Router, directory: DirectoryService): void {
  const tag = 'Directory';

  r.add(
    {
      method: 'get',
      path: '/v1/specialties',
      tag,
      summary: 'All specialties',
      access: 'public',
      responses: {
        200: { description: 'Specialties by name', schema: v.object({ items: v.array(SpecialtySchema) }) },
      },
    },
    async (c) => c.json({ items: await directory.listSpecialties() }),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/clinics',
      tag,
      summary: 'Create a clinic',
      access: ['admin'],
      body: ClinicBody,
      responses: { 201: { description: 'Created', schema: ClinicSchema } },
    },
    async (c, { body }) => c.json(await directory.createClinic(body), 201),
  );

  r.add(
    {
      method: 'patch',
      path: '/v1/clinics/:id',
      tag,
      summary: 'Change a clinic (admin; its staff: name, address, phone)',
      access: ['admin', 'staff'],
      params: IdParams,
      body: ClinicPatch,
      responses: { 200: { description: 'Updated', schema: ClinicSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await directory.updateClinic(principal, params.id, body)),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics',
      tag,
      summary: 'List clinics',
      access: 'public',
      query: ClinicQuery,
      responses: { 200: { description: 'A page of clinics', schema: pageOf(ClinicSchema) } },
    },
    async (c, { query }) => {
      const offset = decodeCursor(query.cursor);
      const rows = await directory.listClinics({ city: query.city, limit: query.limit + 1, offset });
      return c.json({
        items: rows.slice(0, query.limit),
        nextCursor: rows.length > query.limit ? encodeCursor(offset + query.limit) : null,
      });
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id',
      tag,
      summary: 'A clinic with its doctors',
      access: 'public',
      params: IdParams,
      responses: {
        200: {
          description: 'The clinic',
          schema: v.object({ ...ClinicSchema.entries, doctors: v.array(DoctorSchema) }),
        },
      },
    },
    async (c, { params }) => c.json(await directory.getClinic(params.id)),
  );
}
