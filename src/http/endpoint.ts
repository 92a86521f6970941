import type { Context, Hono } from 'hono';
import * as v from 'valibot';
import type { Principal, Role } from '../auth/principal.js';
import { AppError, type FieldError, forbidden, validationFailed } from '../errors.js';
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
export type DocumentedEndpoint = EndpointSpec<Access, Schema | undefined, Schema | undefined, Schema | undefined>;

/** Routes register here so `/openapi.json` is generated from the very schemas that validate requests. */
export class Router {
  readonly endpoints: DocumentedEndpoint[] = [];
  constructor(readonly app: Hono<AppEnv>) {}

  add<A extends Access, B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(
    spec: EndpointSpec<A, B, Q, P>,
    handler: (c: Context<AppEnv>, input: EndpointInput<A, B, Q, P>) => Response | Promise<Response>,
  ): void {
    this.endpoints.push(spec as DocumentedEndpoint);
    this.app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const principal = authorize(c.get('principal'), spec.access);
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
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw validationFailed(result.issues.map((issue) => toFieldError(issue, location)));
}

/** `{ path: "body.timezone", message }`: the location, then the dotted path inside it. */
export function toFieldError(issue: v.BaseIssue<unknown>, location: string): FieldError {
  const inner = v.getDotPath(issue);
  // strictObject reports an unknown key as "expected never"; say it plainly.
  const message = issue.type === 'strict_object' ? 'unknown field' : issue.message;
  return { path: inner ? `${location}.${inner}` : location, message };
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.-]+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json');
  }
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw validationFailed([{ path: 'body', message: 'Body is not valid JSON' }], 'Body is not valid JSON');
  }
}
