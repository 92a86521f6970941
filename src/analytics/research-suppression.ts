/**
 * Small-cell suppression for the research export, a pure function. A release is the cells plus the
 * grand total. What a reader can derive from it is a cell, a sum of cells, or the total minus some
 * released cells; each must cover no patients or at least k of them:
 * 1. a cell covering fewer than k distinct patients is suppressed (primary suppression);
 * 2. the total minus every released cell is the union of the suppressed ones, so while that union
 *    covers 1…k−1 patients, the released cell with the fewest patients is suppressed too
 *    (complementary suppression);
 * 3. the total itself is released only when it covers at least k patients.
 * Then total − any set of released cells ⊇ that union, so it too covers 0 or ≥ k patients.
 */

export interface CellInput<K> {
  keys: K;
  /** Distinct patient ids behind the cell (never released). */
  patients: ReadonlySet<string>;
}

export interface Suppression<C> {
  released: C[];
  suppressed: C[];
  /** Whether the grand total may be released. */
  totalReleased: boolean;
}

const unionSize = (cells: readonly CellInput<unknown>[]) => {
  const all = new Set<string>();
  for (const c of cells) for (const p of c.patients) all.add(p);
  return all.size;
};

export function suppressSmallCells<C extends CellInput<unknown>>(
  cells: readonly C[],
  k: number,
): Suppression<C> {
  // Fewest patients first (ties in a fixed order), so complementary suppression hides the least data.
  const ordered = [...cells].sort(
    (a, b) =>
      a.patients.size - b.patients.size || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)),
  );
  const suppressed = ordered.filter((c) => c.patients.size < k);
  const released = ordered.filter((c) => c.patients.size >= k);
  let hidden = unionSize(suppressed);
  while (hidden > 0 && hidden < k && released.length > 0) {
    suppressed.push(released.shift()!);
    hidden = unionSize(suppressed);
  }
  return { released, suppressed, totalReleased: unionSize(cells) >= k };
}
