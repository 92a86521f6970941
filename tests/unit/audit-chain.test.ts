import { describe, expect, it } from 'vitest';
import { type AuditRow, chainHash, chainProblem, GENESIS } from '../../src/records/audit-chain.js';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash: Buffer = GENESIS;
  for (let i = 1; i <= n; i++) {
    const row = {
      id: BigInt(i),
      at: new Date(Date.UTC(2026, 0, 1, 9, i)),
      actorId: `00000000-0000-4000-8000-00000000000${i % 10}`,
      actorRole: 'doctor',
      patientId: '11111111-1111-4111-8111-111111111111',
      action: 'read-record',
      resource: 'record',
      reason: null,
      outcome: 'allowed' as const,
      requestId: `req-${i}`,
      breakGlass: false,
    };
    const hash = chainHash(prevHash, row);
    rows.push({ ...row, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

const firstProblem = (rows: AuditRow[]) =>
  rows.findIndex((r, i) => chainProblem(r, rows[i - 1]) !== undefined);

describe('the audit hash chain', () => {
  it('an untouched chain has no problem', () => {
    expect(firstProblem(chain(5))).toBe(-1);
  });

  it.each([
    ['the outcome', (r: AuditRow) => ({ ...r, outcome: 'denied' as const })],
    ['the actor', (r: AuditRow) => ({ ...r, actorId: null })],
    ['the time', (r: AuditRow) => ({ ...r, at: new Date(r.at.getTime() + 1) })],
    ['the break-glass flag', (r: AuditRow) => ({ ...r, breakGlass: true })],
  ])('changing %s of row 3 is found at row 3', (_, change) => {
    const rows = chain(5);
    rows[2] = change(rows[2]!);
    expect(firstProblem(rows)).toBe(2);
  });

  it('a deleted row is found at the row after the gap', () => {
    const rows = chain(5);
    rows.splice(2, 1);
    expect(firstProblem(rows)).toBe(2);
    expect(chainProblem(rows[2]!, rows[1])).toMatch(/expected row 3/);
  });

  it('a row rewritten with a recomputed hash breaks the link of the next row', () => {
    const rows = chain(5);
    const forged = { ...rows[2]!, outcome: 'denied' as const };
    rows[2] = { ...forged, hash: chainHash(forged.prevHash, forged) };
    expect(firstProblem(rows)).toBe(3);
  });
});
