import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  generateSlots,
  type HoldInterval,
  type Interval,
  localDateRange,
  parseClock,
  type Slot,
  type SlotInput,
  type WeeklyRule,
} from '../../src/schedule/slot-generation.js';
import { formatInstant, localDateOf } from '../../src/schedule/zone-offsets.js';

/**
 * Properties of slot generation over random weekly rules, zones (with and without DST, including
 * Lord Howe's half-hour shift) and date ranges that often straddle a 2026 transition.
 */

const MINUTE = 60_000;
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'Pacific/Auckland',
] as const;
/** Zones with a fixed offset all through 2026 (Brazil dropped DST in 2019). */
const FIXED_ZONES = ['UTC', 'Asia/Kolkata', 'America/Sao_Paulo'] as const;
/** Local dates of each zone's 2026 transitions. */
const TRANSITION_DAYS: Record<string, string[]> = {
  'America/New_York': ['2026-03-08', '2026-11-01'],
  'Europe/Berlin': ['2026-03-29', '2026-10-25'],
  'Australia/Lord_Howe': ['2026-04-05', '2026-10-04'],
  'Pacific/Auckland': ['2026-04-05', '2026-09-27'],
};

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const overlap = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;
const plusDays = (date: string, days: number) => Temporal.PlainDate.from(date).add({ days }).toString();

/** Mostly null, sometimes a value: bounds that apply to every draw would leave little to check. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: arb, weight: 1 });

const ruleArb = fc.record({
  weekday: fc.integer({ min: 1, max: 7 }),
  startStep: fc.integer({ min: 0, max: 287 }),
  lengthSteps: fc.integer({ min: 1, max: 288 }),
  slotMinutes: fc.oneof(fc.constantFrom(15, 20, 30, 45, 60, 90), fc.integer({ min: 5, max: 240 })),
  validFrom: rarely(fc.integer({ min: -5, max: 20 })),
  validTo: rarely(fc.integer({ min: 0, max: 25 })),
});
/**
 * A Sunday night rule: every 2026 transition is on a Sunday between 01:00 and 03:00, and a window
 * that starts or ends inside the skipped or repeated hour is where slot generation gets subtle.
 */
const nightRuleArb = fc
  .record({
    startStep: fc.integer({ min: 0, max: 24 }),
    endStep: fc.integer({ min: 13, max: 42 }),
    slotMinutes: fc.constantFrom(15, 20, 30, 45, 60, 75, 90, 120),
  })
  .map(({ startStep, endStep, slotMinutes }) => ({
    weekday: 7,
    startStep,
    lengthSteps: Math.max(1, endStep - startStep),
    slotMinutes,
    validFrom: null,
    validTo: null,
  }));
type RuleDraw = typeof ruleArb extends fc.Arbitrary<infer T> ? T : never;

/** Rules on a 5-minute grid; per weekday, a rule overlapping an earlier-starting one is dropped. */
const rulesArb = (rule: fc.Arbitrary<RuleDraw>) =>
  fc.array(rule, { minLength: 1, maxLength: 6 }).map((raw) => {
    const sorted = [...raw].sort((a, b) => a.weekday - b.weekday || a.startStep - b.startStep);
    const kept: RuleDraw[] = [];
    for (const r of sorted) {
      const prev = kept[kept.length - 1];
      const prevEnd =
        prev && prev.weekday === r.weekday ? Math.min(288, prev.startStep + prev.lengthSteps) : 0;
      if (r.startStep >= prevEnd) kept.push(r);
    }
    return kept;
  });

/** Up to 20 local days in 2026; mostly around one of the zone's transitions. */
const dateRangeArb = fc.record({
  nearTransition: fc.oneof(fc.constant(true), fc.boolean()),
  pick: fc.nat(),
  dayOfYear: fc.integer({ min: 0, max: 364 }),
  lead: fc.integer({ min: 0, max: 10 }),
  tail: fc.integer({ min: 0, max: 9 }),
});
/** The night of a transition, give or take a day. */
const transitionNightArb = fc.record({
  nearTransition: fc.constant(true),
  pick: fc.nat(),
  dayOfYear: fc.constant(0),
  lead: fc.integer({ min: 0, max: 1 }),
  tail: fc.integer({ min: 0, max: 1 }),
});
type DateRangeDraw = typeof dateRangeArb extends fc.Arbitrary<infer T> ? T : never;

function dateRange(g: DateRangeDraw, timeZone: string) {
  const transitions = TRANSITION_DAYS[timeZone] ?? [];
  const anchor =
    g.nearTransition && transitions.length > 0
      ? transitions[g.pick % transitions.length]!
      : plusDays('2026-01-01', g.dayOfYear);
  return { from: plusDays(anchor, -g.lead), to: plusDays(anchor, g.tail) };
}

/**
 * Where an interval goes: loose somewhere in the range, or placed against one of the schedule's
 * own slots (on it, touching either edge, or overlapping it by one minute), so that collisions and
 * half-open boundaries are common rather than lucky.
 */
const placementArb = fc.record({
  near: fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: fc.constantFrom('on', 'touching-before', 'touching-after', 'head', 'tail') },
  ),
  // Small picks make several intervals land on the same slot.
  pick: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.nat()),
  at: fc.integer({ min: -120, max: 21 * 1440 }),
  length: fc.integer({ min: 1, max: 600 }),
});
type Placement = typeof placementArb extends fc.Arbitrary<infer T> ? T : never;

function place(p: Placement, base: number, slots: readonly Interval[]): Interval {
  const slot = slots[p.pick % Math.max(1, slots.length)];
  const length = p.length * MINUTE;
  if (!slot || p.near === null) return { start: base + p.at * MINUTE, end: base + p.at * MINUTE + length };
  switch (p.near) {
    case 'on':
      return { start: slot.start, end: slot.end };
    case 'touching-before':
      return { start: slot.start - length, end: slot.start };
    case 'touching-after':
      return { start: slot.end, end: slot.end + length };
    case 'head':
      return { start: slot.start - length + MINUTE, end: slot.start + MINUTE };
    case 'tail':
      return { start: slot.end - MINUTE, end: slot.end - MINUTE + length };
  }
}

/** Holds with ids; a twin holds the same interval as the one before it (two patients racing for a slot). */
function holds(drawn: { interval: Interval; holderId: string; twin: boolean }[]): HoldInterval[] {
  const out: HoldInterval[] = [];
  for (const [i, h] of drawn.entries()) {
    const previous = out[i - 1];
    const interval = h.twin && previous ? { start: previous.start, end: previous.end } : h.interval;
    out.push({ ...interval, holdId: `hold-${i}`, holderId: h.holderId });
  }
  return out;
}

interface Scenario {
  input: SlotInput;
  /** A seed for reordering every input list. */
  seed: number;
}

/** Any schedule in any of the zones, or (nights) only Sunday night rules around a transition. */
function scenarioArb(zones: readonly string[] = ZONES, nights = false) {
  return fc
    .record({
      rules: nights ? rulesArb(nightRuleArb) : rulesArb(fc.oneof(ruleArb, nightRuleArb)),
      timeZone: fc.constantFrom(...(nights ? Object.keys(TRANSITION_DAYS) : zones)),
      range: nights ? transitionNightArb : dateRangeArb,
      bufferMinutes: fc.integer({ min: 0, max: 30 }),
      timeOff: fc.array(placementArb, { maxLength: 3 }),
      booked: fc.array(placementArb, { maxLength: 6 }),
      holds: fc.array(
        fc.record({
          placement: placementArb,
          holderId: fc.constantFrom('patient-a', 'patient-b'),
          twin: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
      notBefore: rarely(placementArb),
      notAfter: rarely(placementArb),
      seed: fc.integer(),
    })
    .map((g): Scenario => {
      const { from, to } = dateRange(g.range, g.timeZone);
      const rules: WeeklyRule[] = g.rules.map((r) => ({
        weekday: r.weekday,
        start: clock(r.startStep * 5),
        end: clock(Math.min(288, r.startStep + r.lengthSteps) * 5),
        slotMinutes: r.slotMinutes,
        // Absent bounds come as undefined or null, as the store may hand either.
        validFrom: r.validFrom === null ? undefined : plusDays(from, r.validFrom),
        validTo: r.validTo === null ? null : plusDays(from, r.validTo),
      }));
      const plain = { rules, timeZone: g.timeZone, from, to, bufferMinutes: g.bufferMinutes };
      const base = localDateRange(from, to, g.timeZone).start;
      const schedule = generateSlots(plain);
      const at = (p: Placement) => place(p, base, schedule);
      return {
        seed: g.seed,
        input: {
          ...plain,
          timeOff: g.timeOff.map(at),
          booked: g.booked.map(at),
          holds: holds(g.holds.map((h) => ({ ...h, interval: at(h.placement) }))),
          notBefore: g.notBefore === null ? undefined : at(g.notBefore).start,
          notAfter: g.notAfter === null ? undefined : at(g.notAfter).end,
        },
      };
    });
}

/** A deterministic Fisher–Yates shuffle (mulberry32). */
function permute<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** True when some rule explains the slot: its weekday, dates, local start, end and real length. */
function fromSomeRule(slot: Slot, input: SlotInput): boolean {
  const local = Temporal.Instant.fromEpochMilliseconds(slot.start).toZonedDateTimeISO(input.timeZone);
  const date = local.toPlainDate();
  const day = date.toString();
  const minute = local.hour * 60 + local.minute;
  return input.rules.some((rule) => {
    const fits =
      rule.weekday === local.dayOfWeek &&
      (!rule.validFrom || day >= rule.validFrom) &&
      (!rule.validTo || day <= rule.validTo) &&
      minute >= parseClock(rule.start) &&
      minute + rule.slotMinutes <= parseClock(rule.end) &&
      slot.end - slot.start === rule.slotMinutes * MINUTE;
    if (!fits) return false;
    // A rule ending inside a repeated hour runs to its later occurrence.
    const ruleEnd = date
      .toPlainDateTime()
      .add({ minutes: parseClock(rule.end) })
      .toZonedDateTime(input.timeZone, { disambiguation: 'later' });
    return slot.end <= ruleEnd.epochMilliseconds;
  });
}

/**
 * Every slot the rules allow, independently of generateSlots: each wall time on a rule's grid, at each
 * instant it occurs (none in a gap, two in a repeated hour), lasting the slot length and ending by
 * the rule's end. Overlaps among them are left in.
 */
function allowedSlots(input: SlotInput): Interval[] {
  const out: Interval[] = [];
  for (let day = input.from; day <= input.to; day = plusDays(day, 1)) {
    const date = Temporal.PlainDate.from(day);
    for (const rule of input.rules) {
      if (rule.weekday !== date.dayOfWeek) continue;
      if ((rule.validFrom && day < rule.validFrom) || (rule.validTo && day > rule.validTo)) continue;
      const endMin = parseClock(rule.end);
      const ruleEnd = date
        .toPlainDateTime()
        .add({ minutes: endMin })
        .toZonedDateTime(input.timeZone, { disambiguation: 'later' }).epochMilliseconds;
      const step = rule.slotMinutes + (input.bufferMinutes ?? 0);
      for (let m = parseClock(rule.start); m + rule.slotMinutes <= endMin; m += step) {
        const wall = date.toPlainDateTime().add({ minutes: m });
        const instants = new Set<number>();
        for (const disambiguation of ['earlier', 'later'] as const) {
          const z = wall.toZonedDateTime(input.timeZone, { disambiguation });
          if (z.toPlainDateTime().equals(wall)) instants.add(z.epochMilliseconds);
        }
        for (const start of instants) {
          const end = start + rule.slotMinutes * MINUTE;
          if (end <= ruleEnd) out.push({ start, end });
        }
      }
    }
  }
  return out;
}

/** Slots shown in the zone's local time, for readable failures. */
const local = (slots: readonly (Interval & { status?: string })[], timeZone: string) =>
  slots.map(
    (s) => `${formatInstant(s.start, timeZone)}..${formatInstant(s.end, timeZone)} ${s.status ?? ''}`,
  );

const RUNS = { numRuns: 100 };

const SCHEDULES = [
  { name: 'any weekly schedule in any zone', scenarios: scenarioArb() },
  { name: 'Sunday night rules on a DST transition', scenarios: scenarioArb(ZONES, true) },
];

describe.each(SCHEDULES)('generated slots hold their invariants for $name', ({ scenarios }) => {
  it('no slot overlaps time off', () => {
    fc.assert(
      fc.property(scenarios, ({ input }) => {
        const clashing = generateSlots(input).filter((s) => input.timeOff?.some((t) => overlap(s, t)));
        expect(local(clashing, input.timeZone)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('a slot overlapping an appointment is booked; a free slot overlaps neither appointments nor holds', () => {
    fc.assert(
      fc.property(scenarios, ({ input }) => {
        const wrong = generateSlots(input).filter((slot) => {
          const isBooked = input.booked?.some((b) => overlap(slot, b));
          const holdsOver = (input.holds ?? []).filter((h) => overlap(slot, h));
          if (isBooked) return slot.status !== 'booked' || slot.hold !== undefined;
          if (holdsOver.length === 0) return slot.status !== 'free' || slot.hold !== undefined;
          const holdIsOneOfThem = holdsOver.some(
            (h) => h.holdId === slot.hold?.holdId && h.holderId === slot.hold.holderId,
          );
          return slot.status !== 'held' || !holdIsOneOfThem;
        });
        expect(local(wrong, input.timeZone)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('every slot starts inside a rule on its weekday and dates, within the range, and lasts its slot length', () => {
    fc.assert(
      fc.property(scenarios, ({ input }) => {
        const stray = generateSlots(input).filter((slot) => {
          const day = localDateOf(slot.start, input.timeZone);
          return day < input.from || day > input.to || !fromSomeRule(slot, input);
        });
        expect(local(stray, input.timeZone)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('no allowed slot is missing unless it collides with time off, the notice window or a slot offered instead', () => {
    fc.assert(
      fc.property(scenarios, ({ input }) => {
        const slots = generateSlots(input);
        const offered = new Set(slots.map((s) => s.start));
        const missing = allowedSlots(input).filter(
          (a) =>
            !offered.has(a.start) &&
            a.start >= (input.notBefore ?? Number.NEGATIVE_INFINITY) &&
            a.start < (input.notAfter ?? Number.POSITIVE_INFINITY) &&
            !input.timeOff?.some((t) => overlap(a, t)) &&
            !slots.some((s) => overlap(a, s)),
        );
        expect(local(missing, input.timeZone)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('slots come sorted and pairwise disjoint', () => {
    fc.assert(
      fc.property(scenarios, ({ input }) => {
        const slots = generateSlots(input);
        const outOfOrder = slots.filter((s, i) => i > 0 && slots[i - 1]!.end > s.start);
        expect(local(outOfOrder, input.timeZone)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('the order of rules, time off, appointments and holds does not change the result', () => {
    fc.assert(
      fc.property(scenarios, ({ input, seed }) => {
        const reordered: SlotInput = {
          ...input,
          rules: permute(input.rules, seed),
          timeOff: permute(input.timeOff ?? [], seed + 1),
          booked: permute(input.booked ?? [], seed + 2),
          holds: permute(input.holds ?? [], seed + 3),
        };
        expect(generateSlots(reordered)).toEqual(generateSlots(input));
      }),
      RUNS,
    );
  });

  it('no slot starts before the minimum notice or at/after the booking horizon', () => {
    fc.assert(
      fc.property(scenarios, ({ input }) => {
        const outside = generateSlots(input).filter(
          (s) =>
            s.start < (input.notBefore ?? Number.NEGATIVE_INFINITY) ||
            s.start >= (input.notAfter ?? Number.POSITIVE_INFINITY),
        );
        expect(local(outside, input.timeZone)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('in a fixed-offset zone the schedule is plain arithmetic', () => {
  it('notice and horizon only cut the ends off the unbounded schedule', () => {
    // Without a fall-back hour, and with rules that do not overlap, no candidate slot ever collides
    // with another, so dropping one cannot let a different one in.
    fc.assert(
      fc.property(scenarioArb(FIXED_ZONES), ({ input }) => {
        const unbounded = generateSlots({ ...input, notBefore: undefined, notAfter: undefined });
        const expected = unbounded.filter(
          (s) =>
            s.start >= (input.notBefore ?? Number.NEGATIVE_INFINITY) &&
            s.start < (input.notAfter ?? Number.POSITIVE_INFINITY),
        );
        expect(generateSlots(input)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('with a buffer, one rule gives slots exactly slot + buffer apart, the same number every matching day', () => {
    const single = scenarioArb(FIXED_ZONES).map(({ input }) => ({
      ...input,
      rules: input.rules.slice(0, 1).map((r) => ({ ...r, validFrom: null, validTo: null })),
      timeOff: [],
      notBefore: undefined,
      notAfter: undefined,
    }));
    fc.assert(
      fc.property(single, (input) => {
        const slots = generateSlots(input);
        const rule = input.rules[0]!;
        const step = rule.slotMinutes + (input.bufferMinutes ?? 0);
        const open = parseClock(rule.end) - parseClock(rule.start);
        const perDay = open < rule.slotMinutes ? 0 : Math.floor((open - rule.slotMinutes) / step) + 1;
        let ruleDays = 0;
        for (let d = input.from; d <= input.to; d = plusDays(d, 1)) {
          if (Temporal.PlainDate.from(d).dayOfWeek === rule.weekday) ruleDays++;
        }
        const byDay = new Map<string, Slot[]>();
        for (const s of slots) {
          const day = localDateOf(s.start, input.timeZone);
          byDay.set(day, [...(byDay.get(day) ?? []), s]);
        }
        expect(byDay.size).toBe(perDay === 0 ? 0 : ruleDays);
        for (const [day, daySlots] of byDay) {
          const grid = Array.from({ length: perDay }, (_, i) =>
            Temporal.PlainDateTime.from(`${day}T${rule.start}`)
              .add({ minutes: i * step })
              .toZonedDateTime(input.timeZone),
          );
          expect(daySlots.map((s) => s.start)).toEqual(grid.map((z) => z.epochMilliseconds));
        }
      }),
      RUNS,
    );
  });
});
