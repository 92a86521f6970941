import type { Hub } from '../../src/hub.js';
import { ALL_WEEK, dateIn, type Hours, type SlotView, setAvailability, slotsOn } from './booking.js';
import { createAccount, createClinic, createDoctor, type TestAccount } from './harness.js';

/**
 * The cast of a booking story, set up directly (not through the API): a clinic, a doctor with weekly
 * hours, and patients. `scene` builds the usual one; `doctorWithHours` and `patients` add more people
 * to a clinic that already exists.
 */

/** A clinic as createClinic gives it. */
export type Clinic = Awaited<ReturnType<typeof createClinic>>;

export interface DoctorOptions extends NonNullable<Parameters<typeof createDoctor>[2]> {
  /** The doctor's weekly hours (default ALL_WEEK). */
  hours?: Hours;
  /** How long ahead a booking must be made; left at the profile's 60 minutes unless given. */
  minNoticeMinutes?: number;
}

/** A doctor: the profile's id and the doctor's own account (with its token). */
export interface SceneDoctor {
  id: string;
  account: TestAccount;
}

/** A doctor at the clinic, open `hours` (default: every day 08:00–18:00 in 30-minute slots). */
export async function doctorWithHours(
  hub: Hub,
  clinicId: string,
  { hours = ALL_WEEK, minNoticeMinutes, ...profile }: DoctorOptions = {},
): Promise<SceneDoctor> {
  const { doctor, account } = await createDoctor(hub, clinicId, profile);
  if (minNoticeMinutes !== undefined) {
    await hub.sql`update doctors set min_notice_minutes = ${minNoticeMinutes} where id = ${doctor.id}`;
  }
  await setAvailability(hub, doctor.id, hours);
  return { id: doctor.id, account };
}

/** How many patients (anonymous), or their names (one patient each). */
export type PatientsSpec = number | readonly string[];

type Repeat<N extends number, T, R extends T[] = []> = number extends N
  ? T[]
  : R['length'] extends N
    ? R
    : Repeat<N, T, [...R, T]>;

/** One account per patient asked for, in order (a tuple, so `[alice, bob]` needs no `!`). */
export type Patients<P extends PatientsSpec> = P extends number
  ? Repeat<P, TestAccount>
  : { -readonly [K in keyof P]: TestAccount };

/** Patient accounts: `n` of them, or one per name, in that order. */
export async function patients<const P extends PatientsSpec>(hub: Hub, spec: P): Promise<Patients<P>> {
  const names: (string | undefined)[] =
    typeof spec === 'number'
      ? Array.from({ length: spec }, () => undefined)
      : [...(spec as readonly string[])];
  const accounts = await Promise.all(
    names.map((name) => createAccount(hub, 'patient', name === undefined ? {} : { name })),
  );
  return accounts as Patients<P>;
}

export interface SceneOptions<P extends PatientsSpec> {
  /** The clinic (default: a Berlin clinic). */
  clinic?: Parameters<typeof createClinic>[1];
  /** The doctor's profile, hours and notice. */
  doctor?: DoctorOptions;
  /** The patients (default: one). */
  patients?: P;
  /** Read the doctor's slot board this many days from today too: `date`, `slots` and the `free` ones. */
  daysAhead?: number;
}

type First<T> = T extends readonly [infer F, ...unknown[]] ? F : TestAccount | undefined;

export interface Scene<P extends PatientsSpec> {
  clinic: Clinic;
  doctorId: string;
  /** The doctor's account. */
  doctor: TestAccount;
  patients: Patients<P>;
  /** The first of the patients. */
  patient: First<Patients<P>>;
}

/** The doctor's day `daysAhead` from today. */
export interface SceneDay {
  date: string;
  /** The doctor's whole board that day. */
  slots: SlotView[];
  /** The free slots of that board. */
  free: SlotView[];
}

/**
 * A clinic with one doctor open all week (unless `doctor.hours` says otherwise) and patients; with
 * `daysAhead`, the doctor's slots on that day as well.
 */
export async function scene<const P extends PatientsSpec = 1>(
  hub: Hub,
  options: SceneOptions<P> & { daysAhead: number },
): Promise<NoInfer<Scene<P> & SceneDay>>;
export async function scene<const P extends PatientsSpec = 1>(
  hub: Hub,
  options?: SceneOptions<P>,
): Promise<NoInfer<Scene<P>>>;
export async function scene<const P extends PatientsSpec = 1>(
  hub: Hub,
  { clinic: where, doctor: profile, patients: spec, daysAhead }: SceneOptions<P> = {},
): Promise<Scene<P> | (Scene<P> & SceneDay)> {
  const clinic = await createClinic(hub, where);
  const { id: doctorId, account: doctor } = await doctorWithHours(hub, clinic.id, profile);
  const people = (await patients(hub, spec ?? 1)) as TestAccount[];
  const cast = { clinic, doctorId, doctor, patients: people, patient: people[0] } as Scene<P>;
  if (daysAhead === undefined) return cast;
  const date = dateIn(daysAhead);
  const slots = await slotsOn(hub, doctorId, date);
  return { ...cast, date, slots, free: slots.filter((s) => s.status === 'free') };
}
