/**
 * The pages' HTTP client: the public API only, with the signed-in person's tokens kept in
 * sessionStorage (gone with the tab) and refreshed once when an access token has expired — once for
 * the whole tab, however many requests found it expired at the same moment.
 */

export interface User {
  id: string;
  email: string | null;
  name: string;
  phone: string | null;
  role: 'patient' | 'doctor' | 'staff' | 'admin';
  clinicId: string | null;
  doctorId: string | null;
}

interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
}

/** A refusal from the API (problem+json): `code` is the stable word, `detail` the sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail);
  }
}

const KEY = 'booking-hub.session';

export function session(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

export const accessToken = () => session()?.accessToken;

function keep(s: Session | undefined): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

async function send(method: string, path: string, body: unknown, token: string | undefined, headers = {}) {
  return fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

/** The refresh on its way, which every request that meets an expired token waits for. */
let refreshing: Promise<boolean> | undefined;

/**
 * A new access token for the tab. Refresh tokens rotate, and the hub takes a refresh token sent twice
 * for a stolen one and revokes the whole session: so requests that get a 401 together share this one
 * refresh rather than each sending the same refresh token.
 */
export function refresh(): Promise<boolean> {
  refreshing ??= exchange().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function exchange(): Promise<boolean> {
  const s = session();
  if (!s) return false;
  const res = await send('POST', '/v1/auth/refresh', { refreshToken: s.refreshToken }, undefined);
  // Only the hub's "no" ends the session; a 5xx or 429 (a deploy, a database blip) keeps it for a retry.
  if (res.status === 400 || res.status === 401) {
    keep(undefined);
    return false;
  }
  if (!res.ok)
    throw new ApiError(res.status, 'unavailable', 'The hub could not renew the session; try again');
  const next = (await res.json()) as Omit<Session, 'user'>;
  keep({ ...s, accessToken: next.accessToken, refreshToken: next.refreshToken });
  return true;
}

/** The refusal says the session has ended (signed out elsewhere, or the refresh was refused): sign in again. */
export const sessionEnded = (err: unknown) => err instanceof ApiError && err.status === 401 && !session();

/** Calls the API as the signed-in person (or anonymously); a refusal throws ApiError. */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  const token = accessToken();
  let res = await send(method, path, body, token, headers);
  // A 401 that arrives after another request has refreshed the token only needs the new one.
  if (res.status === 401 && session() && (accessToken() !== token || (await refresh())))
    res = await send(method, path, body, accessToken(), headers);
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      String(data.code ?? 'internal'),
      String(data.detail ?? res.statusText),
      (data.errors as { path: string; message: string }[] | undefined) ?? [],
    );
  }
  return data as T;
}

export async function signIn(email: string, password: string): Promise<User> {
  const s = await api<Session>('POST', '/v1/auth/login', { email, password });
  keep(s);
  return s.user;
}

export async function register(input: { email: string; password: string; name: string; phone?: string }) {
  const s = await api<Session>('POST', '/v1/auth/register', input);
  keep(s);
  return s.user;
}

export async function signOut(): Promise<void> {
  await api('POST', '/v1/auth/logout', {}).catch(() => {});
  keep(undefined);
}

/** A one-time key for an unsafe request the person might send twice (a double click, a retry). */
export const idempotencyKey = () => ({ 'idempotency-key': crypto.randomUUID() });
