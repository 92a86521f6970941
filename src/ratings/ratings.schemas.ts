import * as v from 'valibot';

export const RatingBody = v.strictObject({
  stars: v.pipe(v.number(), v.integer(), v.minValue(1, 'must be 1 to 5'), v.maxValue(5, 'must be 1 to 5')),
  comment: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000, 'must be at most 2000 characters'))),
});
export type RatingInput = v.InferOutput<typeof RatingBody>;

export const RatingSchema = v.object({
  appointmentId: v.string(),
  doctorId: v.string(),
  stars: v.number(),
  comment: v.nullable(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
  /** Until when the patient may still change it. */
  editableUntil: v.string(),
});
export type RatingView = v.InferOutput<typeof RatingSchema>;
