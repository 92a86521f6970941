import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { DocumentedEndpoint } from './endpoint.js';
import { ProblemSchema } from './schemas.js';

type JsonObject = Record<string, unknown>;

const convert = (schema: v.GenericSchema, typeMode: 'input' | 'output') =>
  toJsonSchema(schema, { target: 'draft-2020-12', typeMode, errorMode: 'ignore' }) as JsonObject;

const problemRef = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** Query and path schemas become OpenAPI parameters, one per property. */
function parameters(schema: v.GenericSchema | undefined, where: 'query' | 'path'): JsonObject[] {
  if (!schema) return [];
  const json = convert(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

function operation(e: DocumentedEndpoint): JsonObject {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(e.responses)) {
    responses[status] = r.schema
      ? {
          description: r.description,
          content: { 'application/json': { schema: convert(r.schema, 'output') } },
        }
      : { description: r.description };
  }
  if (e.body || e.query || e.params)
    responses['400'] = problemRef('validation_failed: the input, field by field');
  if (e.access !== 'public') responses['401'] = problemRef('unauthorized: missing or invalid access token');
  if (Array.isArray(e.access)) responses['403'] = problemRef('forbidden: this role may not do this');
  if (e.params) responses['404'] = problemRef('not_found');
  if (e.rateLimit) responses['429'] = problemRef('rate_limited: see Retry-After');
  return {
    tags: [e.tag],
    summary: e.summary,
    operationId: `${e.method}${e.path.replace(/\/:?(\w)(\w*)/g, (_m, a: string, b: string) => a.toUpperCase() + b).replace(/\W/g, '')}`,
    ...(e.access !== 'public' ? { security: [{ bearer: [] }] } : {}),
    parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
    ...(e.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: convert(e.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** OpenAPI 3.1 from the endpoints' own valibot schemas. */
export function buildOpenApi(endpoints: readonly DocumentedEndpoint[], serverUrl?: string): JsonObject {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][e.method] = operation(e);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'booking-hub',
      version: '1',
      description:
        'Real-time scheduling hub for clinics. Errors are RFC 9457 problem+json with a stable `code`. ' +
        'Live updates: Socket.IO on the same origin (see the README).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: convert(ProblemSchema, 'output') },
    },
  };
}
