import { LRUCache } from 'lru-cache';
import { Temporal } from 'temporal-polyfill';
import type { Principal } from '../auth/principal.js';
import { forbidden, notFound, validationFailed } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { findSchedules } from '../schedule/schedule.store.js';
import { localDateRange } from '../schedule/slot-generation.js';
import { localDateOf } from '../schedule/zone-offsets.js';
import type { AnalyticsQueryInput, ClinicAnalytics, DoctorAnalytics } from './analytics.schemas.js';
import * as store from './analytics.store.js';
import { availableMinutes } from './available-minutes.js';
import { type DayCounts, datesBetween, foldDays, utilization, type ValueFigures } from './figures.js';

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/** Ranges longer than this read the daily rollup; shorter ones are computed from the appointments. */
export const ROLLUP_AFTER_DAYS = 62;

const DEFAULT_DAYS = 30;

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** One doctor's (or, for null, everyone's) value summaries; a metric with no values has none. */
function valuesOf(stats: readonly store.ValueStats[], doctorId: string | null): ValueFigures {
  const of = (metric: store.ValueStats['metric']) => {
    const s = stats.find((x) => x.metric === metric && x.doctorId === doctorId);
    return {
      p50: round1(s?.p50 ?? null),
      p90: round1(s?.p90 ?? null),
      under2h: s?.under2h ?? 0,
      under24h: s?.under24h ?? 0,
      under7d: s?.under7d ?? 0,
      weekOrMore: s?.weekOrMore ?? 0,
    };
  };
  const pair = (metric: store.ValueStats['metric']) => {
    const { p50, p90 } = of(metric);
    return { p50, p90 };
  };
  return { lead: pair('lead'), wait: pair('wait'), consultation: pair('consultation'), notice: of('notice') };
}

const mixOf = (mix: readonly store.PatientMix[], doctorId: string | null) =>
  mix.find((m) => m.doctorId === doctorId);

/** Practice analytics per doctor and per clinic, over any range of the clinic's local dates. */
export function createAnalyticsService({ sql, now = Date.now }: { sql: Sql; now?: () => number }) {
  /**
   * Offered minutes by doctor, schedule version and range. Expanding a year of rules costs milliseconds
   * per doctor; the version (0009) moves with every change of rules, time off, buffer or clinic zone, so
   * a remembered answer is never stale.
   */
  const offeredCache = new LRUCache<string, number>({ max: 5000 });

  function resolveRange(query: AnalyticsQueryInput, timezone: string): store.DayRange {
    const to = query.to ?? localDateOf(now(), timezone);
    const from =
      query.from ??
      Temporal.PlainDate.from(to)
        .subtract({ days: DEFAULT_DAYS - 1 })
        .toString();
    if (from > to) throw validationFailed([{ path: 'query.from', message: 'must not be after to' }]);
    return { from, to };
  }

  /**
   * Day counts, value summaries and the patient mix of a scope: from the rollup for long ranges (refreshed
   * by dayCounts before the other two read it), from the appointments for short ones.
   */
  async function days(scope: store.Scope, range: store.DayRange, timezone: string) {
    const source = datesBetween(range.from, range.to).length > ROLLUP_AFTER_DAYS ? 'rollup' : 'direct';
    const rows = await store.dayCounts(sql, scope, range, source);
    const [stats, mix] = await Promise.all([
      store.valueStats(sql, scope, range, source),
      store.patientMix(sql, scope, range, timezone, source),
    ]);
    return { rows, stats, mix };
  }

  /** Offered minutes per doctor over the range, from their rules and time off. */
  async function offered(doctorIds: string[], range: store.DayRange, timezone: string) {
    if (doctorIds.length === 0) return new Map<string, number>();
    const schedules = await findSchedules(sql, doctorIds, localDateRange(range.from, range.to, timezone));
    return new Map(
      schedules.map((s) => {
        const key = `${s.doctorId}:${s.scheduleVersion}:${range.from}:${range.to}`;
        let minutes = offeredCache.get(key);
        if (minutes === undefined) {
          minutes = availableMinutes({
            rules: s.rules,
            timeZone: s.timezone,
            from: range.from,
            to: range.to,
            bufferMinutes: s.bufferMinutes,
            timeOff: s.timeOff,
          });
          offeredCache.set(key, minutes);
        }
        return [s.doctorId, minutes];
      }),
    );
  }

  function figures(
    rows: readonly DayCounts[],
    values: ValueFigures,
    range: store.DayRange,
    available: number,
    mix: { newPatients: number; returningPatients: number } | undefined,
    currency: string | null,
  ) {
    const f = foldDays(rows, range.from, range.to, values);
    return {
      utilization: utilization(f.bookedMinutes, available),
      availableMinutes: available,
      ...f,
      revenueCents: currency === null ? null : f.revenueCents,
      currency,
      newPatients: mix?.newPatients ?? 0,
      returningPatients: mix?.returningPatients ?? 0,
    };
  }

  function mayReadClinic(principal: Principal, clinicId: string): void {
    if (principal.role === 'admin') return;
    if (principal.role === 'staff' && principal.clinicId === clinicId) return;
    throw forbidden("Only this clinic's staff or an admin may see its analytics");
  }

  return {
    resolveRange,

    /** One doctor's figures: the doctor themself, their clinic's staff, or an admin. */
    async doctor(
      principal: Principal,
      doctorId: string,
      query: AnalyticsQueryInput,
    ): Promise<DoctorAnalytics> {
      const [doctor] = await store.findDoctors(sql, { doctorId });
      if (!doctor) throw notFound('Doctor');
      if (!(principal.role === 'doctor' && principal.userId === doctor.userId)) {
        if (principal.role === 'doctor') throw forbidden('A doctor sees only their own analytics');
        mayReadClinic(principal, doctor.clinicId);
      }
      const range = resolveRange(query, doctor.timezone);
      const scope = { doctorId };
      const [{ rows, stats, mix }, available] = await Promise.all([
        days(scope, range, doctor.timezone),
        offered([doctorId], range, doctor.timezone),
      ]);
      return {
        doctorId,
        name: doctor.name,
        ...range,
        timezone: doctor.timezone,
        ...figures(
          rows,
          valuesOf(stats, null),
          range,
          available.get(doctorId) ?? 0,
          mixOf(mix, null),
          doctor.currency,
        ),
      };
    },

    /** A clinic's figures with one entry per doctor: its staff or an admin. */
    async clinic(
      principal: Principal,
      clinicId: string,
      query: AnalyticsQueryInput,
    ): Promise<ClinicAnalytics> {
      const clinic = await store.findClinic(sql, clinicId);
      if (!clinic) throw notFound('Clinic');
      mayReadClinic(principal, clinicId);
      const range = resolveRange(query, clinic.timezone);
      const scope = { clinicId };
      const doctors = await store.findDoctors(sql, { clinicId });
      const [{ rows, stats, mix }, available] = await Promise.all([
        days(scope, range, clinic.timezone),
        offered(
          doctors.map((d) => d.doctorId),
          range,
          clinic.timezone,
        ),
      ]);
      const currencies = [...new Set(doctors.map((d) => d.currency))];
      const perDoctor = doctors.map((d) => ({
        doctorId: d.doctorId,
        name: d.name,
        ...range,
        timezone: clinic.timezone,
        ...figures(
          rows.filter((r) => r.doctorId === d.doctorId),
          valuesOf(stats, d.doctorId),
          range,
          available.get(d.doctorId) ?? 0,
          mixOf(mix, d.doctorId),
          d.currency,
        ),
      }));
      const totalAvailable = [...available.values()].reduce((n, m) => n + m, 0);
      return {
        clinicId,
        name: clinic.name,
        ...range,
        timezone: clinic.timezone,
        ...figures(
          rows,
          valuesOf(stats, null),
          range,
          totalAvailable,
          mixOf(mix, null),
          currencies.length === 1 ? currencies[0]! : null,
        ),
        doctors: perDoctor,
      };
    },
  };
}
