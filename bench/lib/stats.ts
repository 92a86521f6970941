import * as hdr from 'hdr-histogram-js';

/** Latency summary in milliseconds. */
export interface Latency {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Records latencies in microseconds (HdrHistogram: exact percentiles at 3 significant digits). */
export class Recorder {
  private readonly h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  /** Adds one observation given in milliseconds. */
  add(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  summary(): Latency {
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: this.h.totalCount,
      mean: ms(this.h.mean),
      p50: ms(this.h.getValueAtPercentile(50)),
      p95: ms(this.h.getValueAtPercentile(95)),
      p99: ms(this.h.getValueAtPercentile(99)),
      max: ms(this.h.maxValue),
    };
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `once` `repeats` times and returns every result; callers report the median. */
export async function repeat<T>(repeats: number, once: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < repeats; i++) out.push(await once(i));
  return out;
}

/** The median over runs of one percentile of each run's latencies. */
export const medianOf = (runs: readonly Latency[], pick: (l: Latency) => number): number =>
  median(runs.map(pick));
