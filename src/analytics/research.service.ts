import { Temporal } from 'temporal-polyfill';
import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { appendAudit } from '../records/audit.store.js';
import { percentile } from './figures.js';
import {
  type CellKeys,
  DEFAULT_K,
  type ResearchDimension,
  type ResearchExport,
  type ResearchQueryInput,
} from './research.schemas.js';
import { cellShares } from './research.store.js';
import { researchDictionary } from './research-dictionary.js';
import { suppressSmallCells } from './research-suppression.js';

export type ResearchService = ReturnType<typeof createResearchService>;

const DEFAULT_BY: ResearchDimension[] = ['specialty', 'weekday', 'hour', 'city'];

interface Cell {
  keys: CellKeys;
  patients: Set<string>;
  appointments: number;
  completed: number;
  noShows: number;
  leadMinutes: number[];
}

/** The de-identified patient-flow export for research: aggregate cells, small ones suppressed. */
export function createResearchService({ sql, now = Date.now }: { sql: Sql; now?: () => number }) {
  /** The months asked for; by default the last twelve full months (UTC). */
  function months(query: ResearchQueryInput) {
    const current = Temporal.Instant.fromEpochMilliseconds(now()).toZonedDateTimeISO('UTC').toPlainDate();
    const lastFull = current.toPlainYearMonth().subtract({ months: 1 });
    const to = query.to ?? lastFull.toString();
    const from = query.from ?? Temporal.PlainYearMonth.from(to).subtract({ months: 11 }).toString();
    const end = Temporal.PlainYearMonth.from(to);
    return {
      from,
      to,
      firstDay: `${from}-01`,
      lastDay: end.toPlainDate({ day: end.daysInMonth }).toString(),
    };
  }

  return {
    /**
     * Admins only. Every cell covers ≥ k patients, and so does every difference a reader can take.
     * Each export is written to the audit log (who, when, which cells) before it is answered.
     */
    async flow(
      principal: Principal,
      query: ResearchQueryInput,
      requestId: string | null,
    ): Promise<ResearchExport> {
      if (principal.role !== 'admin') throw forbidden('Only an admin may export research data');
      const by = query.by ?? DEFAULT_BY;
      const k = query.k ?? DEFAULT_K;
      const range = months(query);
      const shares = await cellShares(sql, by, { from: range.firstDay, to: range.lastDay });
      await appendAudit(sql, {
        actorId: principal.userId,
        actorRole: principal.role,
        patientId: null,
        action: 'research-export',
        resource: `research/flow?by=${by.join(',')}&from=${range.from}&to=${range.to}&k=${k}`,
        outcome: 'allowed',
        requestId,
      });

      const cells = new Map<string, Cell>();
      for (const s of shares) {
        const key = JSON.stringify(by.map((d) => s.keys[d]));
        const cell = cells.get(key) ?? {
          keys: s.keys,
          patients: new Set<string>(),
          appointments: 0,
          completed: 0,
          noShows: 0,
          leadMinutes: [],
        };
        cell.patients.add(s.patientId);
        cell.appointments += s.appointments;
        cell.completed += s.completed;
        cell.noShows += s.noShows;
        cell.leadMinutes.push(...s.leadMinutes);
        cells.set(key, cell);
      }
      const all = [...cells.values()];
      const { released, suppressed, totalReleased } = suppressSmallCells(all, k);
      const order = (c: Cell) => by.map((d) => String(c.keys[d]).padStart(12, '0')).join('|');
      const sum = (pick: (c: Cell) => number) => all.reduce((n, c) => n + pick(c), 0);
      return {
        from: range.from,
        to: range.to,
        by,
        k,
        cells: released
          .sort((a, b) => order(a).localeCompare(order(b)))
          .map((c) => ({
            ...c.keys,
            appointments: c.appointments,
            completed: c.completed,
            noShows: c.noShows,
            leadTimeP50: percentile(
              c.leadMinutes.sort((x, y) => x - y),
              0.5,
            ),
          })),
        total: totalReleased
          ? {
              appointments: sum((c) => c.appointments),
              completed: sum((c) => c.completed),
              noShows: sum((c) => c.noShows),
            }
          : null,
        suppressed: suppressed.length,
        dictionary: researchDictionary(by),
      };
    },
  };
}
