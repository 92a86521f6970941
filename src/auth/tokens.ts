import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import * as v from 'valibot';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { type Principal, ROLES } from './principal.js';

const ALG = 'HS256';
/** RFC 9068 access-token type; a refresh token or any other JWT fails the typ check. */
const TYP = 'at+jwt';

const ClaimsSchema = v.object({
  sub: v.pipe(v.string(), v.uuid()),
  role: v.picklist(ROLES),
  cid: v.optional(v.pipe(v.string(), v.uuid())),
  fam: v.pipe(v.string(), v.uuid()),
});

export interface TokenService {
  signAccess(principal: Principal): Promise<{ token: string; expiresAt: Date }>;
  /** Throws 401 `unauthorized` with one fixed message whatever is wrong with the token. */
  verifyAccess(token: string): Promise<Principal>;
  /** verifyAccess plus the token's expiry (epoch ms), for long-lived connections that must re-check. */
  verifySession(token: string): Promise<{ principal: Principal; expiresAt: number }>;
}

/** Verified access tokens kept per process (about 1 KB each), least recently used dropped first. */
const VERIFIED_CACHE_SIZE = 20_000;

const keyId = (secret: string) => createHash('sha256').update(secret).digest('base64url').slice(0, 12);

/**
 * Access tokens are short-lived HS256 JWTs with iss, aud, exp and typ checked and the algorithm pinned.
 * JWT_PREVIOUS_SECRETS still verify (by `kid`) so the signing secret can be rotated without logouts.
 */
export function createTokenService(jwt: Config['jwt']): TokenService {
  const encoder = new TextEncoder();
  const signingKid = keyId(jwt.secret);
  // Imported once as CryptoKeys: given raw bytes, jose would import the key again on every call.
  const importKey = (secret: string) =>
    crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
  const signingKey = importKey(jwt.secret);
  const verifyKeys = new Map([jwt.secret, ...jwt.previousSecrets].map((s) => [keyId(s), importKey(s)]));
  const invalid = () => new AppError('unauthorized', 'Missing or invalid access token');
  // A token that verified once verifies again until it expires (its keys are fixed for the process's
  // life), so the answer is kept: a client sends the same token with every request, and the HMAC check
  // through WebCrypto costs more than the rest of a small request's authentication. Expiry is still
  // checked on every use; revocation is not a token property (sessions re-check it, see realtime).
  // Each entry lives until its token's expiry, read from the wall clock as jose reads `exp` (lru-cache
  // would otherwise use the monotonic clock), exactly (ttlResolution 0: no cached clock reading).
  const verified = new LRUCache<string, { principal: Principal; expiresAt: number }>({
    max: VERIFIED_CACHE_SIZE,
    perf: { now: () => Date.now() },
    ttlResolution: 0,
  });

  return {
    async signAccess(p) {
      const expiresAt = new Date(Date.now() + jwt.accessTtlSeconds * 1000);
      const token = await new SignJWT({
        role: p.role,
        fam: p.familyId,
        ...(p.clinicId ? { cid: p.clinicId } : {}),
      })
        .setProtectedHeader({ alg: ALG, typ: TYP, kid: signingKid })
        .setSubject(p.userId)
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await signingKey);
      return { token, expiresAt };
    },
    async verifyAccess(token) {
      return (await this.verifySession(token)).principal;
    },
    async verifySession(token) {
      const known = verified.get(token);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(
          token,
          (header) => {
            const key = header.kid ? verifyKeys.get(header.kid) : undefined;
            if (!key) throw invalid();
            return key;
          },
          {
            algorithms: [ALG],
            issuer: jwt.issuer,
            audience: jwt.audience,
            typ: TYP,
            requiredClaims: ['exp', 'iat', 'sub'],
          },
        );
        const claims = v.parse(ClaimsSchema, payload);
        const session = {
          principal: Object.freeze({
            userId: claims.sub,
            role: claims.role,
            clinicId: claims.cid,
            familyId: claims.fam,
          }),
          expiresAt: (payload.exp ?? 0) * 1000,
        };
        // lru-cache still serves an entry at the last millisecond of its ttl, and jose refuses a token
        // from `exp` on: so ttl ends 1 ms early. A ttl of 0 would mean "never expires": not kept then.
        const ttl = session.expiresAt - Date.now() - 1;
        if (ttl > 0) verified.set(token, session, { ttl });
        return session;
      } catch {
        throw invalid();
      }
    },
  };
}

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
