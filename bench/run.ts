import { BenchContext } from './lib/context.js';
import { describeMachine } from './lib/machine.js';
import { progressBar } from './lib/progress.js';
import { printTable, type ReportRow, writeJson } from './lib/report.js';
import type { Scenario } from './lib/scenario.js';
import { scenarios } from './scenarios/index.js';

/**
 * `npm run bench` runs every scenario; `npm run bench -- slots book` some; `--quick` a seconds-long
 * smoke run of each (CI). Prints a table and writes bench/results/<timestamp>.json. Exits non-zero
 * when a scenario errors (a correctness failure such as a double booking); a missed target is reported.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen: Scenario[] = names.length ? scenarios.filter((s) => names.includes(s.name)) : scenarios;

const ctx = new BenchContext(quick);
// Ctrl-C mid-run still stops the hubs, drops the databases and puts back what a scenario changed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void ctx.close().finally(() => process.exit(130));
  });
}
const rows: ReportRow[] = [];
try {
  const machine = await describeMachine(ctx.admin, ctx.redis);
  for (const s of chosen) {
    const bar = progressBar(`${s.name}: ${s.title}`, 100);
    const started = performance.now();
    try {
      const result = await s.run(ctx, (done, total, detail) =>
        bar.update(Math.round((done / Math.max(1, total)) * 100), detail),
      );
      rows.push({
        scenario: s.name,
        title: s.title,
        result,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      });
    } catch (err) {
      rows.push({
        scenario: s.name,
        title: s.title,
        error: (err as Error).message,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      });
    } finally {
      bar.stop();
      await ctx.endScenario();
    }
  }
  console.log(printTable(rows, machine, quick));
  console.log(`results: ${await writeJson(rows, machine, quick)}`);
} finally {
  await ctx.close();
}
process.exit(rows.some((r) => r.error) ? 1 : 0);
