import { mkdir, writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import type { Machine } from './machine.js';
import type { Figure, ScenarioResult } from './scenario.js';

export interface ReportRow {
  scenario: string;
  title: string;
  result?: ScenarioResult;
  error?: string;
  seconds: number;
}

const show = (figures: readonly Figure[]) => figures.map((f) => `${f.label} ${f.value} ${f.unit}`).join('\n');

export function printTable(rows: readonly ReportRow[], machine: Machine, quick: boolean): string {
  const table = new Table({
    head: ['scenario', 'hub', 'baseline (same run)', 'ratio', 'target', 'met'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [12, 34, 30, 7, 30, 6],
  });
  for (const r of rows) {
    if (r.error || !r.result) {
      table.push([r.scenario, `ERROR: ${r.error ?? 'no result'}`, '', '', '', 'no']);
      continue;
    }
    const res = r.result;
    table.push([
      r.scenario,
      show(res.measure),
      show(res.baseline),
      res.ratio === undefined ? '' : res.ratio.toFixed(2),
      res.target,
      res.met ? 'yes' : 'no',
    ]);
  }
  const header =
    `booking-hub bench${quick ? ' (--quick: smoke run, figures not meaningful)' : ''}\n` +
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, ` +
    `Postgres ${machine.postgres}, Redis ${machine.redis}`;
  return `${header}\n${table.toString()}`;
}

export async function writeJson(
  rows: readonly ReportRow[],
  machine: Machine,
  quick: boolean,
): Promise<string> {
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`, dir);
  await writeFile(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), quick, machine, scenarios: rows }, null, 2)}\n`,
  );
  return file.pathname;
}
