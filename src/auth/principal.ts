export const ROLES = ['patient', 'doctor', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  userId: string;
  role: Role;
  /** The clinic a staff member works at; undefined for other roles. */
  clinicId: string | undefined;
  /** Refresh family the access token was minted in (logout revokes it). */
  familyId: string;
}
