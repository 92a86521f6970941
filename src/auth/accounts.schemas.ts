import * as v from 'valibot';
import { Pagination } from '../shared/pagination.js';
import { Email, Password, PersonName, Phone, Uuid } from './auth.schemas.js';
import { ROLES } from './principal.js';

const Language = v.pipe(
  v.string(),
  v.regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en or pt-BR'),
);

export const UserQuery = v.strictObject({
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  role: v.optional(v.picklist(ROLES)),
  clinicId: v.optional(Uuid),
  active: v.optional(
    v.pipe(
      v.picklist(['true', 'false'], 'must be true or false'),
      v.transform((s) => s === 'true'),
    ),
  ),
  ...Pagination,
});
export type UserSearch = v.InferOutput<typeof UserQuery>;

/** What an admin changes on an account; a staff role needs its clinic, other roles none. */
export const UserPatch = v.strictObject({
  role: v.optional(v.picklist(ROLES)),
  clinicId: v.optional(v.nullable(Uuid)),
  active: v.optional(v.boolean()),
});
export type UserPatchInput = v.InferOutput<typeof UserPatch>;

/** What a user changes on their own account. */
export const MePatch = v.strictObject({
  name: v.optional(PersonName),
  phone: v.optional(v.nullable(Phone)),
  language: v.optional(v.nullable(Language)),
});
export type MePatchInput = v.InferOutput<typeof MePatch>;

export const ResetRequestBody = v.strictObject({ email: Email });
export const ResetConfirmBody = v.strictObject({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  password: Password,
});

export const ResetSentSchema = v.object({
  /** True when the link went out by email; false without SMTP. */
  emailed: v.boolean(),
  /** Only to an admin and only without SMTP: the link to hand over in person. */
  resetUrl: v.optional(v.string()),
});
