import type { BenchContext } from './context.js';
import { type Latency, medianOf } from './stats.js';

/** One number with its unit, e.g. { label: 'p99', value: 12.3, unit: 'ms' }. */
export interface Figure {
  label: string;
  value: number;
  unit: string;
}

export interface ScenarioResult {
  /** Headline figures of the hub, first one is the one the target talks about. */
  measure: Figure[];
  /** The same thing done the plainest possible way, in the same run. */
  baseline: Figure[];
  /** measure ÷ baseline for throughputs, baseline ÷ measure for latencies: 1.0 = as fast as the baseline. */
  ratio: number | undefined;
  /** The target from the issue, in words, and whether this run met it. */
  target: string;
  met: boolean;
  details?: Record<string, unknown>;
}

/**
 * A benchmark scenario. It must finish in under 2 minutes on 2 cores, warm up before measuring,
 * and in `ctx.quick` mode run for seconds only (CI uses that to keep the harness from rotting).
 * Correctness failures (e.g. a double booking) throw; a missed target is reported, not thrown.
 */
export interface Scenario {
  name: string;
  title: string;
  run(
    ctx: BenchContext,
    progress: (done: number, total: number, detail?: string) => void,
  ): Promise<ScenarioResult>;
}

export const fig = (label: string, value: number, unit: string): Figure => ({
  label,
  value: Math.round(value * 100) / 100,
  unit,
});

/** `<label> p50` and `p99` of a latency measured in several runs (the median of each over the runs). */
export const p50p99 = (label: string, runs: readonly Latency[]): Figure[] => [
  fig(
    `${label} p50`,
    medianOf(runs, (l) => l.p50),
    'ms',
  ),
  fig(
    'p99',
    medianOf(runs, (l) => l.p99),
    'ms',
  ),
];
