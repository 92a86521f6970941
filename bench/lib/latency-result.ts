import type { HttpLoadResult } from './http-load.js';
import { fig, type ScenarioResult } from './scenario.js';
import { median } from './stats.js';

/**
 * The result of a "latency of one endpoint against a trivial GET" scenario: medians over repeats of
 * p50, p99 and rate for both, the ratio baseline p99 ÷ hub p99, and whether p99 is under the target.
 */
export function latencyAgainstTrivialGet(
  measured: readonly HttpLoadResult[],
  base: readonly HttpLoadResult[],
  targetP99Ms: number,
  details: Record<string, unknown>,
): ScenarioResult {
  const summary = (runs: readonly HttpLoadResult[]) => ({
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    rps: median(runs.map((r) => r.rps)),
  });
  const hub = summary(measured);
  const trivial = summary(base);
  return {
    measure: [fig('p50', hub.p50, 'ms'), fig('p99', hub.p99, 'ms'), fig('rate', hub.rps, 'req/s')],
    baseline: [
      fig('trivial GET p50', trivial.p50, 'ms'),
      fig('p99', trivial.p99, 'ms'),
      fig('rate', trivial.rps, 'req/s'),
    ],
    // autocannon records whole milliseconds: a trivial GET's p99 of "0 ms" is under 1 ms.
    ratio: Math.max(trivial.p99, 1) / Math.max(hub.p99, 1),
    target: `p99 < ${targetP99Ms} ms`,
    met: hub.p99 < targetP99Ms,
    details,
  };
}
