import * as v from 'valibot';
import { ROLES } from './principal.js';

export const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254),
  v.email('must be an email address'),
);
export const Password = v.pipe(
  v.string(),
  v.minLength(10, 'must be at least 10 characters'),
  v.maxLength(256, 'must be at most 256 characters'),
);
export const PersonName = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200));
export const Phone = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\+?[0-9][0-9 ()-]{4,24}$/, 'must be a phone number'),
);
export const Uuid = v.pipe(v.string(), v.uuid('must be a UUID'));

export const RegisterBody = v.strictObject({
  email: Email,
  password: Password,
  name: PersonName,
  phone: v.optional(Phone),
});
export const LoginBody = v.strictObject({ email: Email, password: v.pipe(v.string(), v.maxLength(256)) });
export const RefreshBody = v.strictObject({
  refreshToken: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
});

export const CreateUserBody = v.strictObject({
  email: Email,
  password: Password,
  name: PersonName,
  phone: v.optional(Phone),
  role: v.picklist(['doctor', 'staff', 'admin', 'patient']),
  clinicId: v.optional(Uuid),
});

export const UserSchema = v.object({
  id: Uuid,
  /** Null only for a patient the front desk registered who has no login yet. */
  email: v.nullable(v.string()),
  name: v.string(),
  phone: v.nullable(v.string()),
  role: v.picklist(ROLES),
  clinicId: v.nullable(Uuid),
  /** Set for doctor accounts that have a profile. */
  doctorId: v.nullable(Uuid),
  createdAt: v.string(),
  /** False for an account an admin deactivated. */
  active: v.boolean(),
  /** Preferred language (`en`, `de`, `pt-BR`), null if never set. */
  language: v.nullable(v.string()),
});
export type PublicUser = v.InferOutput<typeof UserSchema>;

export const SessionSchema = v.object({
  user: UserSchema,
  accessToken: v.string(),
  accessTokenExpiresAt: v.string(),
  refreshToken: v.string(),
});

export const ChangePasswordBody = v.strictObject({
  currentPassword: v.pipe(v.string(), v.maxLength(256)),
  newPassword: Password,
});
