import * as v from 'valibot';
import { RatingBody, RatingSchema } from '../../ratings/ratings.schemas.js';
import type { RatingService } from '../../ratings/ratings.service.js';
import { decodeCursor, encodeCursor, Pagination } from '../../shared/pagination.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

/** Patients rate completed visits; doctors and admins read the comments (ratings/ratings.service.ts). */
export function ratingRoutes(r: Router, ratings: RatingService): void {
  const tag = 'Ratings';

  r.add(
    {
      method: 'post',
      path: '/v1/appointments/:id/rating',
      tag,
      summary: `Rate a completed appointment {stars 1–5, comment?}: 201 the first time, 200 when changed within 14 days`,
      access: ['patient'],
      params: IdParams,
      body: RatingBody,
      responses: {
        201: { description: 'Rated', schema: RatingSchema },
        200: { description: 'Changed', schema: RatingSchema },
      },
    },
    async (c, { params, body, principal }) => {
      const { created, rating } = await ratings.rate(principal, params.id, body);
      return c.json(rating, created ? 201 : 200);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/appointments/:id/rating',
      tag,
      summary: 'Your rating of an appointment',
      access: ['patient'],
      params: IdParams,
      responses: { 200: { description: 'The rating', schema: RatingSchema } },
    },
    async (c, { params, principal }) => c.json(await ratings.mine(principal, params.id)),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/ratings',
      tag,
      summary: "A doctor's ratings with comments, newest first (the doctor, admins)",
      access: ['doctor', 'admin'],
      params: IdParams,
      query: v.strictObject(Pagination),
      responses: { 200: { description: 'A page of ratings', schema: pageOf(RatingSchema) } },
    },
    async (c, { params, query, principal }) => {
      const offset = decodeCursor(query.cursor);
      const page = await ratings.forDoctor(principal, params.id, query.limit, offset);
      return c.json({ items: page.items, nextCursor: page.more ? encodeCursor(offset + query.limit) : null });
    },
  );
}
