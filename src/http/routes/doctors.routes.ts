import { DoctorBody, DoctorPatch, DoctorQuery, DoctorSchema } from '../../directory/directory.schemas.js';
import type { DirectoryService } from '../../directory/directory.service.js';
import { validationFailed } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

export function doctorRoutes(r: Router, directory: DirectoryService): void {
  const tag = 'Directory';

  r.add(
    {
      method: 'get',
      path: '/v1/doctors',
      tag,
      summary:
        'Find doctors, each with nextAvailable; with `near=lat,lon` ordered by distance with distanceKm; `availableOn=date` keeps those with a free slot that day; `sort=soonest|distance|fee|rating`',
      access: 'public',
      query: DoctorQuery,
      responses: { 200: { description: 'A page of doctors', schema: pageOf(DoctorSchema) } },
    },
    async (c, { query }) => {
      if (query.radiusKm !== undefined && !query.near) {
        throw validationFailed([{ path: 'query.radiusKm', message: 'needs near=lat,lon' }]);
      }
      if (query.sort === 'distance' && !query.near) {
        throw validationFailed([{ path: 'query.sort', message: 'distance needs near=lat,lon' }]);
      }
      const { limit, cursor, ...filter } = query;
      const page = await directory.searchDoctors(filter, limit, decodeCursor(cursor));
      return c.json({
        items: page.items,
        nextCursor: page.nextOffset === null ? null : encodeCursor(page.nextOffset),
      });
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id',
      tag,
      summary: "A doctor's public profile",
      access: 'public',
      params: IdParams,
      responses: { 200: { description: 'The doctor', schema: DoctorSchema } },
    },
    async (c, { params }) => c.json(await directory.getDoctor(params.id)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/doctors',
      tag,
      summary: 'Create the profile of a doctor account',
      access: ['admin'],
      body: DoctorBody,
      responses: { 201: { description: 'Created', schema: DoctorSchema } },
    },
    async (c, { body }) => c.json(await directory.createDoctor(body), 201),
  );

  r.add(
    {
      method: 'patch',
      path: '/v1/doctors/:id',
      tag,
      summary: 'Change a doctor profile (admin, or the doctor; only admins move clinics)',
      access: ['admin', 'doctor'],
      params: IdParams,
      body: DoctorPatch,
      responses: { 200: { description: 'Updated', schema: DoctorSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await directory.updateDoctor(principal, params.id, body)),
  );
}
