import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll } from 'vitest';
import type { Hub } from '../../src/hub.js';
import type { WeeklyRule } from '../../src/schedule/slot-generation.js';
import { createAccount, startTestHub, type TestHub } from './harness.js';
import { scene } from './scene.js';
import { startSmtp, type TestSmtp } from './smtp.js';

/** A reminder that should fall due `dueIn` seconds from now for the appointment in slot `slot` (0 = first). */
export type Due = number | { dueIn: number; slot: number };

export interface ReminderPlan {
  /** The first slot's start (epoch ms). */
  startMs: number;
  /** Every planned slot's start, in order. */
  slotStarts: number[];
  /** One offset (seconds before the start) per entry of `due`, in the same order. */
  offsets: number[];
  /** REMINDER_OFFSETS for the hub. */
  reminderOffsets: string;
  /** The first slot as an availability rule. */
  rule: WeeklyRule;
  /** One rule per slot (a plan may cross midnight, where one rule could not). */
  rules: WeeklyRule[];
}

const hhmm = (z: Temporal.ZonedDateTime) => z.toPlainTime().toString({ smallestUnit: 'minute' });

/**
 * Plans slots a couple of minutes ahead (UTC clinic, `slotMinutes` apart) and reminder offsets that
 * fall due a few seconds from now, so the real worker sends real reminders within the test. A negative
 * `dueIn` gives an offset whose moment has already passed when the appointment is booked.
 */
export function plan(
  due: Due[],
  { slots = 1, slotMinutes = 5 }: { slots?: number; slotMinutes?: number } = {},
): ReminderPlan {
  const first = Temporal.Now.zonedDateTimeISO('UTC')
    .round({ smallestUnit: 'minute', roundingMode: 'ceil' })
    .add({ minutes: 2 });
  // A slot never spans midnight (a weekly rule ends by 24:00): one that would starts at midnight instead.
  // The offsets below follow the starts, so the reminders still fall due `dueIn` seconds from now.
  const starts: Temporal.ZonedDateTime[] = [];
  for (let s = first; starts.length < slots; s = s.add({ minutes: slotMinutes })) {
    const midnight = s.toPlainDate().add({ days: 1 }).toZonedDateTime('UTC');
    if (Temporal.ZonedDateTime.compare(s.add({ minutes: slotMinutes }), midnight) > 0) s = midnight;
    starts.push(s);
  }
  const rules = starts.map((s) => {
    const end = s.add({ minutes: slotMinutes });
    return {
      weekday: s.dayOfWeek,
      start: hhmm(s),
      end: end.dayOfWeek === s.dayOfWeek ? hhmm(end) : '24:00',
      slotMinutes,
    };
  });
  const now = Date.now();
  const offsets = due.map((d) => {
    const { dueIn, slot } = typeof d === 'number' ? { dueIn: d, slot: 0 } : d;
    return Math.round((starts[slot]!.epochMilliseconds - now) / 1000) - dueIn;
  });
  return {
    startMs: first.epochMilliseconds,
    slotStarts: starts.map((s) => s.epochMilliseconds),
    offsets,
    reminderOffsets: offsets.map((s) => `${s}s`).join(','),
    rule: rules[0]!,
    rules,
  };
}

/** A UTC clinic with one doctor (no minimum notice) open exactly in the planned slots. */
export async function reminderDoctor(
  hub: Hub,
  p: ReminderPlan,
  names: { clinic?: string; doctor?: string } = {},
) {
  const { clinic, doctorId, doctor } = await scene(hub, {
    clinic: { timezone: 'UTC', name: names.clinic ?? 'Greenwich Clinic' },
    doctor: { name: names.doctor ?? 'Dr. Ada Time', minNoticeMinutes: 0, hours: p.rules },
    patients: 0,
  });
  return { clinic, doctorId, doctorAccount: doctor };
}

/** What a reminder story starts from, once its beforeAll has run. */
export interface ReminderStage {
  hub: TestHub;
  p: ReminderPlan;
  clinicId: string;
  doctorId: string;
  /** Only with `smtp: true`. */
  smtp: TestSmtp;
}

/**
 * Sets up a describe's reminder story in beforeAll and takes it down in afterAll: an SMTP server the
 * hub sends to (with `smtp`), then the plan (made as late as possible, since its reminders fall due
 * seconds from now), a hub whose REMINDER_OFFSETS follow it (`env` adds settings), and the plan's
 * doctor. Read the fields inside tests.
 */
export function reminderStage(
  makePlan: () => ReminderPlan,
  { env = {}, smtp = false }: { env?: Record<string, string>; smtp?: boolean } = {},
): ReminderStage {
  const stage = {} as ReminderStage;
  beforeAll(async () => {
    if (smtp) stage.smtp = await startSmtp();
    const p = makePlan();
    stage.p = p;
    stage.hub = await startTestHub({
      REMINDER_OFFSETS: p.reminderOffsets,
      ...(smtp ? { SMTP_URL: stage.smtp.url } : {}),
      ...env,
    });
    const { clinic, doctorId } = await reminderDoctor(stage.hub, p);
    Object.assign(stage, { clinicId: clinic.id, doctorId });
  });
  afterAll(async () => {
    await stage.hub?.close();
    await stage.smtp?.close();
  });
  return stage;
}

/** A patient with a readable name; the email address is unique per call. */
export const patientNamed = (hub: Hub, name: string) => createAccount(hub, 'patient', { name });

/** The ledger rows of one appointment, ordered for comparison. */
export function ledgerOf(hub: Hub, appointmentId: string) {
  return hub.sql<
    { id: string; kind: string; channel: string; version: number; status: string; attempts: number }[]
  >`
    select id, kind, channel, version, status, attempts from deliveries
    where appointment_id = ${appointmentId} order by version, kind, channel`;
}
