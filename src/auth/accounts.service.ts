import { AppError, forbidden, notFound, validationFailed } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { domainErrorFrom } from '../infra/postgres-errors.js';
import type { RateLimiter } from '../infra/rate-limiter.js';
import { transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import type { MePatchInput, UserPatchInput, UserSearch } from './accounts.schemas.js';
import * as accounts from './accounts.store.js';
import type { AuthService } from './auth.service.js';
import { toPublicUser } from './auth.service.js';
import * as store from './auth.store.js';
import { hashPassword } from './passwords.js';
import type { Principal } from './principal.js';
import type { SessionGate } from './session-gate.js';
import { hashRefreshToken, newRefreshToken } from './tokens.js';

/** How long an emailed reset link works. */
const RESET_TTL_MS = 60 * 60_000;

/** Sends a password-reset link; undefined when the hub has no SMTP. Wired in services.ts. */
export type SendResetLink = ((to: string, link: string) => Promise<void>) | undefined;

export interface AccountDeps {
  sql: Sql;
  auth: AuthService;
  limiter: RateLimiter;
  logger: Logger;
  /** Base URL of the pages, for the link in the email (PUBLIC_URL). */
  publicUrl: string | undefined;
  sendResetLink: SendResetLink;
  /** The session gate (issue 20): a revoked session is refused on every request and socket event at once. */
  sessions: SessionGate;
  /** Cuts the open sockets of revoked sessions (the realtime layer fills it in, hub.ts). */
  sockets: { end(familyIds: readonly string[]): void };
}

export type AccountService = ReturnType<typeof createAccountService>;

/**
 * The admin's everyday account work (list, search, role and clinic, deactivate, reset a password) and a
 * user's own profile and reset link (a password change is auth.service's). Revocation is issue 20's: the
 * refresh families are revoked and announced to the session gate; open sockets are also cut.
 */
export function createAccountService(d: AccountDeps) {
  const { sql } = d;

  async function userOrThrow(id: string) {
    const user = await store.findUserById(sql, id);
    if (!user) throw notFound('User');
    return user;
  }

  async function revoke(userId: string, reason: string, keep?: string) {
    const families = await accounts.revokeFamiliesOf(sql, userId, reason, keep);
    await d.sessions.announce(families);
    d.sockets.end(families);
  }

  /** A single-use reset link for the user, valid RESET_TTL_MS. */
  async function resetLink(userId: string): Promise<string> {
    const { token, hash } = newRefreshToken();
    await accounts.insertPasswordReset(sql, { hash, userId, expiresAt: new Date(Date.now() + RESET_TTL_MS) });
    return `${d.publicUrl ?? ''}/?reset=${encodeURIComponent(token)}`;
  }

  return {
    async list(f: UserSearch, offset: number) {
      const rows = await accounts.listUsers(sql, { ...f, limit: f.limit + 1, offset });
      return { items: rows.slice(0, f.limit).map(toPublicUser), more: rows.length > f.limit };
    },

    /**
     * Changes role, clinic or whether the account is active. Any of them ends the account's sessions:
     * tokens carry role and clinic, and a deactivated account must lose its access at once.
     */
    async update(principal: Principal, id: string, patch: UserPatchInput) {
      const user = await userOrThrow(id);
      if (id === principal.userId && (patch.active === false || (patch.role && patch.role !== 'admin')))
        throw forbidden('Admins cannot deactivate or demote themselves');
      const role = patch.role ?? user.role;
      const clinicId =
        patch.clinicId !== undefined ? patch.clinicId : role === 'staff' ? user.clinicId : null;
      if (role === 'staff' && !clinicId)
        throw validationFailed([{ path: 'body.clinicId', message: 'staff need a clinic' }]);
      if (role !== 'staff' && clinicId)
        throw validationFailed([
          { path: 'body.clinicId', message: 'only staff accounts belong to a clinic' },
        ]);
      if (user.doctorId && role !== 'doctor')
        throw new AppError('conflict', 'This account has a doctor profile; archive the profile first');
      try {
        await transaction(sql, (tx) =>
          accounts.updateUser(tx, id, {
            role,
            clinicId,
            ...(patch.active !== undefined ? { active: patch.active } : {}),
          }),
        );
      } catch (err) {
        throw domainErrorFrom(err);
      }
      const changed = role !== user.role || clinicId !== user.clinicId || patch.active === false;
      if (changed) await revoke(id, patch.active === false ? 'deactivated' : 'role changed');
      d.logger.info({ userId: id, role, active: patch.active ?? user.active }, 'account changed by admin');
      return toPublicUser(await userOrThrow(id));
    },

    /** An admin sends a reset link; without SMTP the admin gets the link to hand over. */
    async adminReset(id: string) {
      const user = await userOrThrow(id);
      if (!user.email) throw new AppError('conflict', 'This patient has no login yet');
      const link = await resetLink(id);
      if (d.sendResetLink) {
        await d.sendResetLink(user.email, link);
        return { emailed: true };
      }
      return { emailed: false, resetUrl: link };
    },

    /** Anyone asks for a link; the answer never says whether the email has an account. */
    async requestReset(email: string, ip: string): Promise<void> {
      await d.limiter.consume(d.auth.buckets.resetPerIp, ip);
      const user = await store.findUserByEmail(sql, email);
      if (!user?.active || !d.sendResetLink) return;
      await d.sendResetLink(email, await resetLink(user.id));
    },

    /** Sets the password from a reset link: single use; every session of the account ends. */
    async confirmReset(token: string, password: string): Promise<void> {
      const passwordHash = await hashPassword(password);
      const userId = await accounts.useReset(sql, hashRefreshToken(token));
      if (!userId) throw new AppError('invalid_reset_token', 'This reset link is invalid, used or expired');
      await accounts.updateUser(sql, userId, { passwordHash });
      await revoke(userId, 'password reset');
    },

    async updateMe(principal: Principal, patch: MePatchInput) {
      await accounts.updateUser(sql, principal.userId, patch);
      return toPublicUser(await userOrThrow(principal.userId));
    },
  };
}
