import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount, useTestApi } from '../helpers/harness.js';

type Problem = Record<string, unknown> & { code: string; requestId: string };
type Header = { alg: string; typ?: string; kid?: string };
/** What a crafted token changes from a good one. */
type CraftOptions = {
  header?: Partial<Header>;
  claims?: JWTPayload & Record<string, unknown>;
  secret?: string;
  exp?: number | null;
  omitIat?: boolean;
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const withoutRequestId = ({ requestId: _requestId, ...rest }: Record<string, unknown>) => rest;

describe('an attacker presents forged, stale or foreign access tokens', () => {
  const { hub, api } = useTestApi();
  let patient: TestAccount;
  let kid: string;
  /** The body of a request without any token: every bad token must be answered exactly like this. */
  let anonymous: Record<string, unknown>;

  beforeAll(async () => {
    patient = await createAccount(hub, 'patient');
    kid = decodeProtectedHeader(patient.token).kid!;
    const res = await api.get('/v1/me');
    expect(res.status).toBe(401);
    anonymous = withoutRequestId(res.body);
  });

  /** Signs an access token the way src/auth/tokens.ts does, with any part overridden. */
  async function craft(opts: CraftOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload & Record<string, unknown> = {
      sub: patient.id,
      role: 'patient',
      // The patient's own session: a token of a session that does not exist (or ended) is refused.
      fam: decodeJwt(patient.token).fam,
      iss: hub.config.jwt.issuer,
      aud: hub.config.jwt.audience,
      ...(opts.omitIat ? {} : { iat: now }),
      ...(opts.exp === null ? {} : { exp: opts.exp ?? now + 600 }),
      ...opts.claims,
    };
    const header: Header = { alg: 'HS256', typ: 'at+jwt', kid, ...opts.header };
    const secret = new TextEncoder().encode(opts.secret ?? hub.config.jwt.secret);
    return new SignJWT(payload).setProtectedHeader(header).sign(secret);
  }

  async function expectRefused(authorization: string): Promise<void> {
    const me = await api.call<Problem>('GET', '/v1/me', { headers: { authorization } });
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain('application/problem+json');
    expect(me.body.code).toBe('unauthorized');
    expect(typeof me.body.requestId).toBe('string');
    // Nothing in the answer hints at what was wrong with the token.
    expect(withoutRequestId(me.body)).toEqual(anonymous);
  }

  it('accepts a token crafted the same way with the right secret (the control for every case below)', async () => {
    const me = await api.get('/v1/me', await craft());
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(patient.id);
  });

  it('refuses a correctly signed token of a session that does not exist', async () => {
    await expectRefused(`Bearer ${await craft({ claims: { fam: randomUUID() } })}`);
  });

  it('refuses an unsigned token (alg: none), even with the right kid and typ', async () => {
    const claims = {
      sub: patient.id,
      role: 'admin',
      fam: randomUUID(),
      iss: hub.config.jwt.issuer,
      aud: hub.config.jwt.audience,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt', kid })}.${b64url(claims)}.`;
    await expectRefused(`Bearer ${unsigned}`);
    await expectRefused(`Bearer ${unsigned.slice(0, -1)}`);
  });

  it('refuses a real token whose payload was edited to say admin, signature kept', async () => {
    const [header, payload, signature] = patient.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims.role).toBe('patient');
    const forged = `${header}.${b64url({ ...claims, role: 'admin' })}.${signature}`;
    await expectRefused(`Bearer ${forged}`);
    // The untouched token still works, so it is the edit that is refused.
    expect((await api.get('/v1/me', patient.token)).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectRefused(`Bearer ${await craft({ exp: past, claims: { iat: past - 900 } })}`);
  });

  const other = 'another-secret-that-is-long-enough-for-hs256!';
  it.each<[string, CraftOptions[]]>([
    ['refuses a token with no expiry at all, or no issued-at', [{ exp: null }, { omitIat: true }]],
    [
      'refuses a token that is not valid yet (nbf in the future)',
      [{ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }],
    ],
    [
      'refuses a token for another audience or from another issuer',
      [{ claims: { aud: 'some-other-api' } }, { claims: { iss: 'https://evil.example' } }],
    ],
    [
      'refuses a token of another type (an ID token or a plain JWT) or with no typ',
      [{ header: { typ: 'JWT' } }, { header: { typ: 'refresh+jwt' } }, { header: { typ: undefined } }],
    ],
    [
      'refuses a token signed with another secret, whether it claims our kid or its own',
      [{ secret: other }, { secret: other, header: { kid: 'not-our-key' } }, { header: { kid: undefined } }],
    ],
    [
      'refuses our own secret under another algorithm (the algorithm is pinned)',
      [{ header: { alg: 'HS512' } }],
    ],
    [
      'refuses correctly signed tokens whose claims are not a principal',
      [{ claims: { role: 'superuser' } }, { claims: { sub: 'not-a-uuid' } }, { claims: { fam: undefined } }],
    ],
  ])('%s', async (_name, tokens) => {
    for (const opts of tokens) await expectRefused(`Bearer ${await craft(opts)}`);
  });

  it('refuses a refresh token presented as a bearer token', async () => {
    const session = await api.post<{ refreshToken: string; accessToken: string }>('/v1/auth/register', {
      email: `refresh-${randomUUID()}@example.com`,
      password: 'a long enough password',
      name: 'Refresh Reuser',
    });
    expect(session.status).toBe(201);
    await expectRefused(`Bearer ${session.body.refreshToken}`);
    expect((await api.get('/v1/me', session.body.accessToken)).status).toBe(200);
  });

  it('refuses malformed Authorization headers', async () => {
    for (const header of [
      'Bearer',
      'Bearer ',
      'Basic x',
      'Basic dXNlcjpwYXNz',
      'bearer',
      `Bearer ${patient.token} extra`,
      `Token ${patient.token}`,
      'Bearer not.a.jwt',
      'Bearer ....',
      `Bearer ${'A'.repeat(5000)}`,
    ]) {
      await expectRefused(header);
    }
  });

  it('refuses a bad token even on a public route, instead of treating the caller as anonymous', async () => {
    const res = await api.call<Problem>('GET', '/v1/specialties', {
      headers: { authorization: `Bearer ${await craft({ secret: 'x'.repeat(40) })}` },
    });
    expect(res.status).toBe(401);
    expect(withoutRequestId(res.body)).toEqual(anonymous);
    expect((await api.get('/v1/specialties')).status).toBe(200);
  });
});
