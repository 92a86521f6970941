import * as v from 'valibot';

/** What a research cell may be keyed by; nothing finer than an hour of a weekday or a month. */
export const RESEARCH_DIMENSIONS = ['specialty', 'weekday', 'hour', 'city', 'month'] as const;
export type ResearchDimension = (typeof RESEARCH_DIMENSIONS)[number];

export const DEFAULT_K = 10;
/** Below this a "k" would release cells of a handful of people: refused. */
export const MIN_K = 5;

/** A month "YYYY-MM"; a full date is accepted and widened to its month (no exact dates either way). */
const Month = v.pipe(
  v.string(),
  v.regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, 'must be a month YYYY-MM'),
  v.transform((s) => s.slice(0, 7)),
);

const By = v.pipe(
  v.string(),
  v.transform((s) => s.split(',').map((p) => p.trim())),
  v.check(
    (list) => list.length > 0 && list.every((d) => (RESEARCH_DIMENSIONS as readonly string[]).includes(d)),
    `must be a comma-separated list of ${RESEARCH_DIMENSIONS.join(', ')}`,
  ),
  v.check((list) => new Set(list).size === list.length, 'must not name a dimension twice'),
  v.transform((list) => list as ResearchDimension[]),
);

const K = v.pipe(
  v.string(),
  v.regex(/^\d{1,4}$/, 'must be a whole number'),
  v.transform(Number),
  v.minValue(MIN_K, `must be at least ${MIN_K}`),
  v.maxValue(1000, 'must be at most 1000'),
);

/** `?from=&to=` months (default the last twelve full months), `by=` dimensions, `k=` (default 10). */
export const ResearchQuery = v.pipe(
  v.strictObject({ from: v.optional(Month), to: v.optional(Month), by: v.optional(By), k: v.optional(K) }),
  v.forward(
    v.check((q) => !q.from || !q.to || q.to >= q.from, 'must not be before from'),
    ['to'],
  ),
);
export type ResearchQueryInput = v.InferOutput<typeof ResearchQuery>;

/** The keys of a cell: the chosen dimensions' values. */
export interface CellKeys {
  specialty?: string;
  weekday?: number;
  hour?: number;
  city?: string;
  month?: string;
}

const Cell = v.object({
  specialty: v.optional(v.string()),
  weekday: v.optional(v.number()),
  hour: v.optional(v.number()),
  city: v.optional(v.string()),
  month: v.optional(v.string()),
  appointments: v.number(),
  completed: v.number(),
  noShows: v.number(),
  leadTimeP50: v.nullable(v.number()),
});

export const ResearchExportSchema = v.object({
  from: v.string(),
  to: v.string(),
  by: v.array(v.string()),
  k: v.number(),
  cells: v.array(Cell),
  total: v.nullable(v.object({ appointments: v.number(), completed: v.number(), noShows: v.number() })),
  suppressed: v.number(),
  dictionary: v.array(v.object({ column: v.string(), type: v.string(), description: v.string() })),
});
export type ResearchExport = v.InferOutput<typeof ResearchExportSchema>;
