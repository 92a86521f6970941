import autocannon from 'autocannon';

export interface HttpRequestSpec {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpLoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  errors: number;
}

/**
 * Drives HTTP load with autocannon from this process (the hub runs in its own). `next` supplies each
 * request in turn, so every request can carry its own body and token.
 */
export async function httpLoad(o: {
  url: string;
  connections: number;
  durationSeconds?: number;
  amount?: number;
  next: () => HttpRequestSpec;
}): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.durationSeconds ?? 10 }),
    requests: [
      {
        setupRequest: (req) => {
          const spec = o.next();
          return {
            ...req,
            method: spec.method ?? 'GET',
            path: spec.path,
            headers: {
              ...req.headers,
              ...(spec.body ? { 'content-type': 'application/json' } : {}),
              ...spec.headers,
            },
            ...(spec.body ? { body: spec.body } : {}),
          };
        },
      },
    ],
  });
  const codes = result.statusCodeStats as Record<string, { count: number }> | undefined;
  const count = (prefix: string) =>
    Object.entries(codes ?? {})
      .filter(([code]) => code.startsWith(prefix))
      .reduce((n, [, s]) => n + s.count, 0);
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    status2xx: count('2'),
    status4xx: count('4'),
    status5xx: count('5'),
    errors: result.errors + result.timeouts,
  };
}
