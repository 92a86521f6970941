import * as v from 'valibot';

/** Shapes shared by many routes. */
export const IdParams = v.strictObject({ id: v.pipe(v.string(), v.uuid('must be a UUID')) });

export const ProblemSchema = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  code: v.string(),
  detail: v.string(),
  requestId: v.string(),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
});

export const pageOf = <T extends v.GenericSchema>(item: T) =>
  v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });
