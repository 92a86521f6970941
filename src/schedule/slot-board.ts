import { LRUCache } from 'lru-cache';
import type { Slot } from './slot-generation.js';
import { formatInstant } from './zone-offsets.js';

/**
 * A doctor's slot board for a date range, kept pre-serialized: generating and serializing a month of
 * slots is most of the endpoint's CPU, and the board only changes with its revision (outbox event id
 * and live holds) or the schedule settings, which make up the cache key. The parts that depend on the
 * clock (minimum notice, horizon) and on the viewer (their own hold ids) are applied per request.
 */
export interface Board {
  starts: number[];
  parts: string[];
  /** Held slots by index, to tell a viewer which holds are theirs. */
  held: { index: number; holdId: string; holderId: string }[];
  timezone: string;
}

export function buildBoard(slots: readonly Slot[], timezone: string): Board {
  const held: Board['held'] = [];
  const parts = slots.map((s, index) => {
    if (s.hold) held.push({ index, ...s.hold });
    return JSON.stringify({
      start: formatInstant(s.start, timezone),
      end: formatInstant(s.end, timezone),
      status: s.status,
    });
  });
  return { starts: slots.map((s) => s.start), parts, held, timezone };
}

/** Index of the first start at or after `t` (starts are sorted). */
function firstAtOrAfter(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The response body: slots starting in [notBefore, notAfter), the viewer's holds carrying their holdId. */
export function renderBoard(
  board: Board,
  meta: { doctorId: string; revision: string },
  window: { notBefore: number; notAfter: number },
  viewerId: string | undefined,
): string {
  const lo = firstAtOrAfter(board.starts, window.notBefore);
  const hi = firstAtOrAfter(board.starts, window.notAfter);
  let parts = board.parts.slice(lo, Math.max(lo, hi));
  const mine = viewerId
    ? board.held.filter((h) => h.holderId === viewerId && h.index >= lo && h.index < hi)
    : [];
  if (mine.length > 0) {
    parts = [...parts];
    for (const h of mine)
      parts[h.index - lo] = `${parts[h.index - lo]!.slice(0, -1)},"holdId":${JSON.stringify(h.holdId)}}`;
  }
  return `{"doctorId":${JSON.stringify(meta.doctorId)},"timezone":${JSON.stringify(board.timezone)},"revision":${JSON.stringify(meta.revision)},"slots":[${parts.join(',')}]}`;
}

/** Boards by key (doctor, dates, revision, settings); past `max` the least recently used go. */
export class BoardCache extends LRUCache<string, Board> {
  constructor(max = 256) {
    super({ max });
  }
}
