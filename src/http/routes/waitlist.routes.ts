import * as v from 'valibot';
import type { Bucket } from '../../infra/rate-limiter.js';
import {
  EntrySchema,
  JoinBody,
  OfferHistoryQuery,
  OfferHistorySchema,
  WaitlistLengthSchema,
} from '../../waitlist/waitlist.schemas.js';
import type { WaitlistService } from '../../waitlist/waitlist.service.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

/** The waitlist: a freed slot offered to one waiting patient at a time (waitlist/waitlist.service.ts). */
export function waitlistRoutes(r: Router, waitlist: WaitlistService, bookingBucket: Bucket): void {
  const tag = 'Waitlist';

  r.add(
    {
      method: 'post',
      path: '/v1/waitlist',
      tag,
      summary:
        "Join a doctor's waitlist for local dates [from, to], optionally a time window (at most 5 at once); a matching free slot is offered at once",
      access: ['patient'],
      body: JoinBody,
      rateLimit: bookingBucket,
      responses: { 201: { description: 'Joined', schema: EntrySchema } },
    },
    async (c, { body, principal }) => c.json(await waitlist.join(principal, body), 201),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/waitlist',
      tag,
      summary: 'Your waitlist entries, open ones first, each with its place in line and any offer',
      access: ['patient'],
      responses: { 200: { description: 'Entries', schema: v.object({ items: v.array(EntrySchema) }) } },
    },
    async (c, { principal }) => c.json({ items: await waitlist.list(principal) }),
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/waitlist/:id',
      tag,
      summary: 'Leave a waitlist; an offer you hold passes to the next in line',
      access: ['patient'],
      params: IdParams,
      responses: { 204: { description: 'Left' } },
    },
    async (c, { params, principal }) => {
      await waitlist.leave(principal, params.id);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/waitlist',
      tag,
      summary: "How many wait on a doctor's list (the doctor, the clinic's staff, admins)",
      access: ['doctor', 'staff', 'admin'],
      params: IdParams,
      responses: { 200: { description: 'Length', schema: WaitlistLengthSchema } },
    },
    async (c, { params, principal }) => c.json(await waitlist.lineLength(principal, params.id)),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/waitlist/offers',
      tag,
      summary:
        'Offer history (offered, accepted, lapsed, declined, withdrawn), newest first, to check fairness',
      access: ['admin'],
      query: OfferHistoryQuery,
      responses: { 200: { description: 'Offers', schema: OfferHistorySchema } },
    },
    async (c, { query }) => c.json(await waitlist.offerHistory(query)),
  );
}
