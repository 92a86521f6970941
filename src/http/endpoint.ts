import type { Context, Hono } from 'hono';
import * as v from 'valibot';
import type { Principal, Role } from '../auth/principal.js';
import { AppError, type FieldError, forbidden, validationFailed } from '../errors.js';
import type { Bucket, RateLimiter } from '../infra/rate-limiter.js';
import { clientIp } from './client-ip.js';
import type { AppEnv } from './context.js';

type Schema = v.GenericSchema;
type Out<S> = S extends Schema ? v.InferOutput<S> : undefined;

/** Who may call: anyone, any signed-in user, or only the listed roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];
type PrincipalFor<A> = A extends 'public' ? Principal | undefined : Principal;

export interface EndpointSpec<A extends Access, B, Q, P> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style path, e.g. `/v1/clinics/:id`. */
  path: string;
  tag: string;
  summary: string;
  access: A;
  body?: B;
  query?: Q;
  params?: P;
  /** Per caller (user id, or IP when anonymous) request budget; 429 with Retry-After when spent. */
  rateLimit?: Bucket;
  /** Success responses by status; error responses are documented from the access rule and inputs. */
  responses: Record<number, { description: string; schema?: Schema }>;
}

export interface EndpointInput<A, B, Q, P> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  principal: PrincipalFor<A>;
}

/** The subset of a spec the OpenAPI builder reads. */
export type DocumentedEndpoint = EndpointSpec<
  Access,
  Schema | undefined,
  Schema | undefined,
  Schema | undefined
>;

/** Routes register here so `/openapi.json` is generated from the very schemas that validate requests. */
export class Router {
  readonly endpoints: DocumentedEndpoint[] = [];
  constructor(
    readonly app: Hono<AppEnv>,
    private readonly limits: { limiter: RateLimiter; trustProxy: boolean },
  ) {}

  add<
    A extends Access,
    B extends Schema | undefined = undefined,
    Q extends Schema | undefined = undefined,
    P extends Schema | undefined = undefined,
  >(
    spec: EndpointSpec<A, B, Q, P>,
    handler: (c: Context<AppEnv>, input: EndpointInput<A, B, Q, P>) => Response | Promise<Response>,
  ): void {
    this.endpoints.push(spec as DocumentedEndpoint);
    this.app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const principal = authorize(c.get('principal'), spec.access);
      if (spec.rateLimit) {
        await this.limits.limiter.consume(
          spec.rateLimit,
          principal?.userId ?? clientIp(c, this.limits.trustProxy),
        );
      }
      const params = spec.params ? parse(spec.params, c.req.param(), 'params') : undefined;
      const query = spec.query ? parse(spec.query, c.req.query(), 'query') : undefined;
      const body = spec.body ? parse(spec.body, await readJson(c), 'body') : undefined;
      return handler(c, { body, query, params, principal } as EndpointInput<A, B, Q, P>);
    });
  }
}

function authorize(principal: Principal | undefined, access: Access): Principal | undefined {
  if (access === 'public') return principal;
  if (!principal) throw new AppError('unauthorized', 'Missing or invalid access token');
  if (access !== 'signed-in' && !access.includes(principal.role)) throw forbidden();
  return principal;
}

function parse(schema: Schema, value: unknown, location: 'body' | 'query' | 'params'): unknown {
  const bad = badTextAt(value);
  if (bad !== undefined) {
    throw validationFailed([{ path: bad.path ? `${location}.${bad.path}` : location, message: bad.message }]);
  }
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const errors = result.issues.flatMap((issue) => fieldErrors(issue, location));
  throw validationFailed(
    errors.filter((e, i) => errors.findIndex((o) => o.path === e.path && o.message === e.message) === i),
  );
}

/** Object shape problems (a missing or unknown key): what tells one union option from another. */
const SHAPE = new Set(['object', 'strict_object', 'loose_object']);

/**
 * A union no option matched would only say "send this or that"; name the fields whose values were
 * wrong instead (`body.start`). Missing and unknown keys come from the options not meant, so they are
 * left out; when nothing else is wrong, the union's own message says which shapes are accepted.
 */
function fieldErrors(issue: v.BaseIssue<unknown>, location: string): FieldError[] {
  const values = issue.type === 'union' ? (issue.issues ?? []).filter((sub) => !SHAPE.has(sub.type)) : [];
  if (values.length === 0) return [toFieldError(issue, location)];
  const at = v.getDotPath(issue);
  return values.flatMap((sub) => fieldErrors(sub, at ? `${location}.${at}` : location));
}

type Frame = { value: unknown; key: string; parent: Frame | undefined };

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the ES2023 lib does not declare it). */
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
/** What Postgres text (and any JSON a client reads back) cannot hold: U+0000, a lone UTF-16 surrogate. */
const badText = (s: string) =>
  s.includes('\u0000')
    ? 'must not contain NUL characters'
    : wellFormed(s)
      ? undefined
      : 'must be well-formed Unicode';

/**
 * The first string or key that Postgres text would refuse (U+0000: a 500 otherwise) or store as
 * garbage (a lone surrogate), with its dotted path. Iterative, with the path built only on a hit, so
 * deeply nested junk costs neither stack nor memory.
 */
function badTextAt(value: unknown): { path: string; message: string } | undefined {
  const stack: Frame[] = [{ value, key: '', parent: undefined }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const message =
      badText(frame.key) ?? (typeof frame.value === 'string' ? badText(frame.value) : undefined);
    if (message) {
      const keys: string[] = [];
      for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.unshift(f.key);
      return { path: keys.join('.'), message };
    }
    if (frame.value !== null && typeof frame.value === 'object') {
      for (const [key, child] of Object.entries(frame.value))
        stack.push({ value: child, key, parent: frame });
    }
  }
  return undefined;
}

/** `{ path: "body.timezone", message }`: the location, then the dotted path inside it. */
export function toFieldError(issue: v.BaseIssue<unknown>, location: string): FieldError {
  const inner = v.getDotPath(issue);
  // strictObject reports an unknown key as "expected never"; say it plainly.
  const message = issue.type === 'strict_object' ? 'unknown field' : issue.message;
  return { path: inner ? `${location}.${inner}` : location, message };
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.-]+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw validationFailed([{ path: 'body', message: 'Body is not valid JSON' }], 'Body is not valid JSON');
  }
}
