import { describe, expect, it } from 'vitest';
import { BoardCache, buildBoard, renderBoard } from '../../src/schedule/slot-board.js';
import { generateSlots } from '../../src/schedule/slot-generation.js';

const rules = [{ weekday: 1, start: '09:00', end: '11:00', slotMinutes: 30 }];
const at = (hhmm: string) => Date.parse(`2026-03-09T${hhmm}:00Z`);
const slots = generateSlots({
  rules,
  timeZone: 'UTC',
  from: '2026-03-09',
  to: '2026-03-09',
  booked: [{ start: at('09:30'), end: at('10:00') }],
  holds: [{ start: at('10:00'), end: at('10:30'), holdId: 'hold-1', holderId: 'alice' }],
});
const board = buildBoard(slots, 'UTC');
const everything = { notBefore: 0, notAfter: Number.POSITIVE_INFINITY };
type Body = {
  doctorId: string;
  revision: string;
  slots: { start: string; status: string; holdId?: string }[];
};
const parse = (s: string) => JSON.parse(s) as Body;

describe('the cached slot board renders per request', () => {
  it('renders the same JSON the slots would give, with the revision', () => {
    const body = parse(renderBoard(board, { doctorId: 'd1', revision: 'r1' }, everything, undefined));
    expect(body).toMatchObject({ doctorId: 'd1', revision: 'r1', timezone: 'UTC' });
    expect(body.slots.map((s) => `${s.start} ${s.status}`)).toEqual([
      '2026-03-09T09:00:00+00:00 free',
      '2026-03-09T09:30:00+00:00 booked',
      '2026-03-09T10:00:00+00:00 held',
      '2026-03-09T10:30:00+00:00 free',
    ]);
  });

  it('cuts the notice and horizon window at request time', () => {
    const body = parse(
      renderBoard(
        board,
        { doctorId: 'd1', revision: 'r1' },
        { notBefore: at('09:15'), notAfter: at('10:30') },
        undefined,
      ),
    );
    expect(body.slots.map((s) => s.start.slice(11, 16))).toEqual(['09:30', '10:00']);
  });

  it('tells only the holder which hold is theirs', () => {
    const mine = parse(renderBoard(board, { doctorId: 'd1', revision: 'r1' }, everything, 'alice'));
    const theirs = parse(renderBoard(board, { doctorId: 'd1', revision: 'r1' }, everything, 'bob'));
    expect(mine.slots[2]).toEqual({
      start: '2026-03-09T10:00:00+00:00',
      end: '2026-03-09T10:30:00+00:00',
      status: 'held',
      holdId: 'hold-1',
    });
    expect(theirs.slots[2]).not.toHaveProperty('holdId');
    // The cached parts are not changed by rendering for a holder.
    expect(
      parse(renderBoard(board, { doctorId: 'd1', revision: 'r1' }, everything, undefined)).slots[2],
    ).not.toHaveProperty('holdId');
  });

  it('keeps the most recently used boards', () => {
    const cache = new BoardCache(2);
    cache.set('a', board);
    cache.set('b', board);
    cache.get('a');
    cache.set('c', board);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(board);
    expect(cache.get('c')).toBe(board);
  });
});
