import { HoldBody, HoldSchema } from '../../booking/booking.schemas.js';
import { type HoldService, holdView } from '../../booking/holds.service.js';
import type { Bucket } from '../../infra/rate-limiter.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

/** Holds: a patient's few minutes on a slot before booking it (booking/holds.service.ts). */
export function holdRoutes(r: Router, holds: HoldService, bookingBucket: Bucket): void {
  const tag = 'Booking';

  r.add(
    {
      method: 'post',
      path: '/v1/holds',
      tag,
      summary: 'Hold a slot for a few minutes (at most 2 at once); Idempotency-Key supported',
      access: ['patient'],
      body: HoldBody,
      rateLimit: bookingBucket,
      responses: { 201: { description: 'Held', schema: HoldSchema } },
    },
    async (c, { body, principal }) => c.json(holdView(await holds.place(principal, body)), 201),
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/holds/:id',
      tag,
      summary: 'Release your hold',
      access: ['patient'],
      params: IdParams,
      responses: { 204: { description: 'Released' } },
    },
    async (c, { params, principal }) => {
      await holds.release(principal, params.id);
      return c.body(null, 204);
    },
  );
}
