import { describe, expect, it } from 'vitest';
import { suppressSmallCells } from '../../src/analytics/research-suppression.js';

const cell = (name: string, patients: string[]) => ({ keys: { name }, patients: new Set(patients) });
const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('small-cell suppression', () => {
  it('a cell under k is withheld, and the smallest released one with it when the remainder would reveal it', () => {
    const cells = [cell('big', people('a', 30)), cell('mid', people('b', 12)), cell('small', people('c', 3))];
    const { released, suppressed, totalReleased } = suppressSmallCells(cells, 10);
    expect(suppressed.map((c) => c.keys.name)).toEqual(['small', 'mid']);
    expect(released.map((c) => c.keys.name)).toEqual(['big']);
    expect(totalReleased).toBe(true);
  });

  it('no complementary suppression when the withheld cells already cover k patients together', () => {
    const cells = [cell('big', people('a', 30)), cell('s1', people('b', 6)), cell('s2', people('c', 6))];
    const { released, suppressed } = suppressSmallCells(cells, 10);
    expect(released.map((c) => c.keys.name)).toEqual(['big']);
    expect(suppressed).toHaveLength(2);
  });

  it('patients shared between withheld cells count once', () => {
    const shared = people('s', 6);
    const cells = [
      cell('big', people('a', 30)),
      cell('next', people('n', 11)),
      cell('s1', shared),
      cell('s2', shared),
    ];
    // s1 ∪ s2 is 6 patients, under 10: the next smallest released cell goes too.
    expect(suppressSmallCells(cells, 10).released.map((c) => c.keys.name)).toEqual(['big']);
  });

  it('a total under k is not released', () => {
    expect(suppressSmallCells([cell('x', people('a', 4))], 5).totalReleased).toBe(false);
  });
});
