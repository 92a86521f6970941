import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, session } from '../../src/web/shared/api.js';

/**
 * The pages' HTTP client (src/web/shared/api.ts) against a hub in miniature, with a fake fetch and
 * sessionStorage: access tokens expire, a refresh rotates the refresh token, and a refresh token sent
 * a second time is reuse — the hub then revokes the whole session, as the real one does. Requests take
 * a few milliseconds, so ones sent together are on their way at the same time.
 */

const KEY = 'booking-hub.session';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

function fakeHub() {
  const hub = {
    refreshes: 0,
    revoked: false,
    /** Access tokens that are still good (the one the tab signed in with has expired). */
    access: new Set<string>(),
    refreshToken: 'refresh-0',
    used: new Set<string>(),
    /** How long a path takes to answer, in ms. */
    latency: (_path: string) => 5,
  };
  let minted = 0;
  const problem = (detail: string) =>
    new Response(JSON.stringify({ code: 'unauthorized', detail }), {
      status: 401,
      headers: { 'content-type': 'application/problem+json' },
    });
  const fetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    await new Promise((resolve) => setTimeout(resolve, hub.latency(path)));
    if (path === '/v1/auth/refresh') {
      hub.refreshes += 1;
      const { refreshToken } = JSON.parse(String(init.body)) as { refreshToken: string };
      if (hub.used.has(refreshToken)) {
        hub.revoked = true; // reuse: the whole session is revoked
        hub.access.clear();
      }
      if (hub.revoked || refreshToken !== hub.refreshToken) return problem('Session revoked');
      hub.used.add(refreshToken);
      minted += 1;
      hub.refreshToken = `refresh-${minted}`;
      hub.access.add(`access-${minted}`);
      return Response.json({ accessToken: `access-${minted}`, refreshToken: hub.refreshToken });
    }
    const token = new Headers(init.headers).get('authorization')?.replace(/^Bearer /, '');
    if (!token || !hub.access.has(token)) return problem('Access token expired');
    return Response.json({ path, token });
  };
  return { hub, fetch };
}

describe('api() with an expired access token', () => {
  let hub: ReturnType<typeof fakeHub>['hub'];
  beforeEach(() => {
    const fake = fakeHub();
    hub = fake.hub;
    vi.stubGlobal('fetch', vi.fn(fake.fetch));
    vi.stubGlobal('sessionStorage', new MemoryStorage());
    sessionStorage.setItem(
      KEY,
      JSON.stringify({
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada', phone: null, role: 'doctor' },
        accessToken: 'access-expired',
        refreshToken: 'refresh-0',
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('answers two requests sent at the same moment, with one refresh between them', async () => {
    const [me, agenda] = await Promise.all([
      api<{ token: string }>('GET', '/v1/me'),
      api<{ token: string }>('GET', '/v1/appointments'),
    ]);
    expect(me.token).toBe('access-1');
    expect(agenda.token).toBe('access-1');
    expect(hub.refreshes).toBe(1);
    expect(hub.revoked).toBe(false);
    expect(session()).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  it('answers many at once the same way', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => api<{ token: string }>('GET', `/v1/thing/${i}`)),
    );
    expect(answers.map((a) => a.token)).toEqual(Array(5).fill('access-1'));
    expect(hub.refreshes).toBe(1);
  });

  it('retries a 401 that arrives after the refresh with the new token, without a second refresh', async () => {
    hub.latency = (path) => (path === '/v1/slow' ? 60 : 5);
    const [fast, slow] = await Promise.all([
      api<{ token: string }>('GET', '/v1/me'),
      api<{ token: string }>('GET', '/v1/slow'),
    ]);
    expect([fast.token, slow.token]).toEqual(['access-1', 'access-1']);
    expect(hub.refreshes).toBe(1);
  });

  it('refreshes again when the new token expires in turn', async () => {
    await api('GET', '/v1/me');
    hub.access.clear(); // access-1 expires
    const [a, b] = await Promise.all([
      api<{ token: string }>('GET', '/v1/me'),
      api<{ token: string }>('GET', '/v1/appointments'),
    ]);
    expect([a.token, b.token]).toEqual(['access-2', 'access-2']);
    expect(hub.refreshes).toBe(2);
    expect(hub.revoked).toBe(false);
  });

  it('fails every waiting request once, and forgets the session, when the refresh is refused', async () => {
    hub.revoked = true; // signed out elsewhere
    const results = await Promise.allSettled([api('GET', '/v1/me'), api('GET', '/v1/appointments')]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(401);
    }
    expect(hub.refreshes).toBe(1);
    expect(session()).toBeUndefined();
  });
});
