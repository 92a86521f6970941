import type { Config } from '../config.js';
import { AppError, validationFailed } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { domainErrorFrom } from '../infra/postgres-errors.js';
import type { Bucket, RateLimiter } from '../infra/rate-limiter.js';
import { transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import type { PublicUser } from './auth.schemas.js';
import * as store from './auth.store.js';
import * as desk from './desk-patients.store.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { Principal, Role } from './principal.js';
import type { SessionGate } from './session-gate.js';
import { hashRefreshToken, newRefreshToken, type TokenService } from './tokens.js';

export interface Session {
  user: PublicUser;
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  phone?: string | undefined;
  role: Role;
  clinicId?: string | undefined;
}

export interface AuthDeps {
  sql: Sql;
  tokens: TokenService;
  limiter: RateLimiter;
  sessions: SessionGate;
  config: Config;
  logger: Logger;
}

export type AuthService = ReturnType<typeof createAuthService>;

export function toPublicUser(u: store.UserRow): PublicUser {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    phone: u.phone,
    role: u.role,
    clinicId: u.clinicId,
    doctorId: u.doctorId,
    createdAt: u.createdAt.toISOString(),
    active: u.active,
    language: u.language,
  };
}

/** Accounts, sessions and refresh-token rotation. Login failures never say whether the email exists. */
export function createAuthService({ sql, tokens, limiter, sessions, config, logger }: AuthDeps) {
  const window15m = 15 * 60;
  const buckets = {
    loginPerAccount: {
      name: 'login-account',
      points: config.rateLimits.loginPerAccount,
      durationSeconds: window15m,
    },
    loginPerIp: { name: 'login-ip', points: config.rateLimits.loginPerIp, durationSeconds: window15m },
    registerPerIp: { name: 'register-ip', points: config.rateLimits.registerPerIp, durationSeconds: 3600 },
    /** Password-reset requests share the registration budget per IP: both send mail to strangers. */
    resetPerIp: { name: 'reset-ip', points: config.rateLimits.registerPerIp, durationSeconds: 3600 },
  } satisfies Record<string, Bucket>;
  const invalidCredentials = () => new AppError('invalid_credentials', 'Email or password is incorrect');
  const invalidRefresh = () =>
    new AppError('invalid_refresh_token', 'The refresh token is invalid, expired or revoked');

  async function startSession(user: store.UserRow, familyId?: string): Promise<Session> {
    const family = familyId ?? (await store.createFamily(sql, user.id));
    const refresh = newRefreshToken();
    await store.insertRefreshToken(sql, {
      hash: refresh.hash,
      familyId: family,
      expiresAt: new Date(Date.now() + config.refreshTokenTtlDays * 86_400_000),
    });
    const access = await tokens.signAccess({
      userId: user.id,
      role: user.role,
      clinicId: user.clinicId ?? undefined,
      familyId: family,
    });
    return {
      user: toPublicUser(user),
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
    };
  }

  async function createAccount(a: NewAccount): Promise<store.UserRow> {
    if (a.role === 'staff' && !a.clinicId)
      throw validationFailed([{ path: 'body.clinicId', message: 'staff need a clinic' }]);
    if (a.role !== 'staff' && a.clinicId) {
      throw validationFailed([{ path: 'body.clinicId', message: 'only staff accounts belong to a clinic' }]);
    }
    const passwordHash = await hashPassword(a.password);
    try {
      return await store.insertUser(sql, {
        email: a.email,
        passwordHash,
        name: a.name,
        phone: a.phone ?? null,
        role: a.role,
        clinicId: a.clinicId ?? null,
      });
    } catch (err) {
      // users_email_key → email_taken, users_clinic_id_fkey → body.clinicId: no such clinic.
      throw domainErrorFrom(err);
    }
  }

  /**
   * A patient the front desk registered (a walk-in, a phone caller: no login yet) becomes this account when
   * the registration has the same email: their appointments are then theirs. Not by phone (see
   * desk-patients.store.ts). Undefined when there is no such record.
   */
  async function claimDeskRecord(input: {
    email: string;
    password: string;
    name: string;
    phone?: string | undefined;
  }): Promise<store.UserRow | undefined> {
    const lookup = { email: input.email };
    // Most registrations claim nothing: look before paying for a password hash.
    if (!(await desk.claimableDeskPatient(sql, lookup))) return undefined;
    const passwordHash = await hashPassword(input.password);
    const claimed = await transaction(sql, async (tx) => {
      const record = await desk.claimableDeskPatient(tx, lookup);
      if (!record) return undefined;
      await desk.claimDeskPatient(tx, record.id, { ...input, passwordHash, phone: input.phone ?? null });
      return record.id;
    }).catch((err: unknown) => {
      throw domainErrorFrom(err);
    });
    return claimed ? store.findUserById(sql, claimed) : undefined;
  }

  return {
    buckets,

    async register(
      input: { email: string; password: string; name: string; phone?: string | undefined },
      ip: string,
    ) {
      await limiter.consume(buckets.registerPerIp, ip);
      const user = (await claimDeskRecord(input)) ?? (await createAccount({ ...input, role: 'patient' }));
      logger.info({ userId: user.id }, 'patient registered');
      return startSession(user);
    },

    async login(input: { email: string; password: string }, ip: string): Promise<Session> {
      await limiter.consume(buckets.loginPerIp, ip);
      await limiter.check(buckets.loginPerAccount, input.email);
      const user = await store.findUserByEmail(sql, input.email);
      const matches = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
      if (!user || !matches) {
        await limiter.consume(buckets.loginPerAccount, input.email);
        throw invalidCredentials();
      }
      await limiter.reset(buckets.loginPerAccount, input.email);
      if (!user.active) throw new AppError('account_inactive', 'This account has been deactivated');
      return startSession(user);
    },

    /** Rotates a refresh token. A token presented twice revokes its whole family (theft detection). */
    async refresh(refreshToken: string): Promise<Session> {
      const hash = hashRefreshToken(refreshToken);
      const outcome = await transaction(sql, async (tx) => {
        const rotated = await store.rotateRefreshToken(tx, hash);
        if (!rotated) {
          const reusedFamily = await store.findRefreshTokenFamily(tx, hash);
          if (reusedFamily) await store.revokeFamily(tx, reusedFamily, 'refresh token reuse');
          return { ok: false as const, reusedFamily };
        }
        const family = await store.findFamily(tx, rotated.familyId);
        if (!family || family.revokedAt || rotated.expiresAt.getTime() < Date.now())
          return { ok: false as const };
        return { ok: true as const, familyId: rotated.familyId, userId: family.userId };
      });
      if (!outcome.ok) {
        if (outcome.reusedFamily) {
          logger.warn({ familyId: outcome.reusedFamily }, 'refresh token reused; family revoked');
          await sessions.announce([outcome.reusedFamily]);
        }
        throw invalidRefresh();
      }
      const user = await store.findUserById(sql, outcome.userId);
      if (!user?.active) throw invalidRefresh();
      return startSession(user, outcome.familyId);
    },

    async logout(principal: Principal): Promise<void> {
      await store.revokeFamily(sql, principal.familyId, 'logout');
      await sessions.announce([principal.familyId]);
    },

    /** A new password; every other session of the account ends at once (this one stays signed in). */
    async changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }) {
      await limiter.consume(buckets.loginPerAccount, principal.userId);
      const user = await store.findUserById(sql, principal.userId);
      const matches = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.currentPassword);
      if (!user || !matches) throw invalidCredentials();
      await limiter.reset(buckets.loginPerAccount, principal.userId);
      const revoked = await store.changePassword(sql, user.id, await hashPassword(input.newPassword), {
        keepFamily: principal.familyId,
      });
      await sessions.announce(revoked);
      logger.info({ userId: user.id, sessionsEnded: revoked.length }, 'password changed');
    },

    async me(principal: Principal): Promise<PublicUser> {
      const user = await store.findUserById(sql, principal.userId);
      if (!user) throw new AppError('unauthorized', 'Missing or invalid access token');
      return toPublicUser(user);
    },

    /** Admins create accounts of any role; staff must name their clinic. */
    async createUser(input: NewAccount): Promise<PublicUser> {
      const user = await createAccount(input);
      logger.info({ userId: user.id, role: user.role }, 'account created by admin');
      return toPublicUser(user);
    },

    /**
     * True for an admin's correct email and password (the admin pages' Basic auth), under the login's
     * limits: per IP, and a lockout of the account after repeated failures (429 rate_limited).
     */
    async isAdminLogin(input: { email: string; password: string }, ip: string): Promise<boolean> {
      const email = input.email.trim().toLowerCase().slice(0, 254);
      await limiter.consume(buckets.loginPerIp, ip);
      await limiter.check(buckets.loginPerAccount, email);
      const user = await store.findUserByEmail(sql, email);
      const matches = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
      const admin = Boolean(user && matches && user.role === 'admin' && user.active);
      if (admin) await limiter.reset(buckets.loginPerAccount, email);
      else await limiter.consume(buckets.loginPerAccount, email);
      return admin;
    },

    /** First admin from ADMIN_EMAIL / ADMIN_PASSWORD; an existing account is left untouched. */
    async ensureAdmin(admin: { email: string; password: string }): Promise<void> {
      if (await store.findUserByEmail(sql, admin.email)) return;
      try {
        const user = await createAccount({
          email: admin.email,
          password: admin.password,
          name: 'Administrator',
          role: 'admin',
        });
        logger.info({ userId: user.id }, 'first admin created from ADMIN_EMAIL');
      } catch (err) {
        // Another process created it at the same moment.
        if (!(err instanceof AppError && err.code === 'email_taken')) throw err;
      }
    },
  };
}
