import { Temporal } from 'temporal-polyfill';
import type { Principal } from '../auth/principal.js';
import { forbidden, notFound, validationFailed } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { domainErrorFrom } from '../infra/postgres-errors.js';
import { transaction } from '../infra/transaction.js';
import type { FreeSlotFinder } from '../schedule/free-slot-finder.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import * as clinics from './clinics.store.js';
import type { Clinic, ClinicInput, Doctor, DoctorInput, DoctorPatchInput } from './directory.schemas.js';
import * as doctors from './doctors.store.js';

export type DirectoryService = ReturnType<typeof createDirectoryService>;

/** Fields front-desk staff may change on their own clinic; the rest (zone, coordinates) is admin work. */
const STAFF_EDITABLE: readonly (keyof ClinicInput)[] = ['name', 'address', 'phone'];

/** Doctors scanned per round when `availableOn` filters after the SQL prefilter. */
const AVAILABLE_ON_BATCH = 100;

/** Clinics, specialties and the doctor directory; who may change what. */
export function createDirectoryService({ sql, freeSlots }: { sql: Sql; freeSlots: FreeSlotFinder }) {
  async function withNextAvailable(list: Doctor[]): Promise<Doctor[]> {
    const next = await freeSlots.nextAvailable(list.map((d) => d.id));
    return list.map((d) => {
      const at = next.get(d.id);
      return { ...d, nextAvailable: at ? formatInstant(at, d.clinic.timezone) : null };
    });
  }

  /** Candidates in order from the SQL prefilter, kept when they really have a free slot on the date. */
  async function scanAvailableOn(
    f: Omit<doctors.DoctorFilter, 'limit' | 'offset'>,
    date: string,
    limit: number,
    offset: number,
  ) {
    const worksOn = { date, weekday: Temporal.PlainDate.from(date).dayOfWeek };
    const items: Doctor[] = [];
    let cursor = offset;
    for (;;) {
      const batch = await doctors.searchDoctors(sql, {
        ...f,
        worksOn,
        limit: AVAILABLE_ON_BATCH,
        offset: cursor,
      });
      const free = await freeSlots.withFreeSlotOn(
        batch.map((d) => d.id),
        date,
      );
      for (const d of batch) {
        cursor++;
        if (free.has(d.id)) items.push(d);
        if (items.length === limit) return { items, nextOffset: cursor };
      }
      if (batch.length < AVAILABLE_ON_BATCH) return { items, nextOffset: null };
    }
  }
  /**
   * Every matching doctor ranked by next free slot (none last), ties by distance then id: the next free
   * slot is not a column, so it is computed for all candidates (free-slot-finder's bulk loads), then paged.
   */
  async function soonest(
    f: Omit<doctors.DoctorFilter, 'limit' | 'offset'>,
    availableOn: string | undefined,
    limit: number,
    offset: number,
  ) {
    let found = await doctors.candidateIds(sql, f);
    if (availableOn) {
      const free = await freeSlots.withFreeSlotOn(
        found.map((d) => d.id),
        availableOn,
      );
      found = found.filter((d) => free.has(d.id));
    }
    const next = await freeSlots.nextAvailable(found.map((d) => d.id));
    const key = (id: string) => next.get(id) ?? Number.POSITIVE_INFINITY;
    found.sort(
      (a, b) =>
        key(a.id) - key(b.id) || (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || a.id.localeCompare(b.id),
    );
    const page = await doctors.doctorsByIds(sql, found.slice(offset, offset + limit));
    return {
      items: page.map((d) => {
        const at = next.get(d.id);
        return { ...d, nextAvailable: at ? formatInstant(at, d.clinic.timezone) : null };
      }),
      nextOffset: offset + limit < found.length ? offset + limit : null,
    };
  }

  async function doctorOrThrow(id: string): Promise<Doctor> {
    const doctor = await doctors.findDoctor(sql, id);
    if (!doctor) throw notFound('Doctor');
    return doctor;
  }

  return {
    listSpecialties: () => doctors.listSpecialties(sql),

    createClinic: (input: ClinicInput) => clinics.insertClinic(sql, input),

    async updateClinic(principal: Principal, id: string, patch: Partial<ClinicInput>): Promise<Clinic> {
      if (principal.role === 'staff') {
        if (principal.clinicId !== id) throw forbidden('Staff may only change their own clinic');
        const refused = Object.keys(patch).filter((k) => !STAFF_EDITABLE.includes(k as keyof ClinicInput));
        if (refused.length > 0) throw forbidden(`Only an admin may change ${refused.join(', ')}`);
      }
      const clinic = await clinics.updateClinic(sql, id, patch);
      if (!clinic) throw notFound('Clinic');
      return clinic;
    },

    async getClinic(id: string): Promise<Clinic & { doctors: Doctor[] }> {
      const clinic = await clinics.findClinic(sql, id);
      if (!clinic) throw notFound('Clinic');
      const list = await doctors.searchDoctors(sql, { clinicId: id, limit: 500, offset: 0 });
      return { ...clinic, doctors: list };
    },

    listClinics: (f: { city?: string | undefined; limit: number; offset: number }) =>
      clinics.listClinics(sql, f),

    async createDoctor(input: DoctorInput): Promise<Doctor> {
      const role = await doctors.userRole(sql, input.userId);
      if (!role) throw validationFailed([{ path: 'body.userId', message: 'no such user' }]);
      if (role !== 'doctor')
        throw validationFailed([{ path: 'body.userId', message: 'the account must have the doctor role' }]);
      try {
        const id = await transaction(sql, (tx) => doctors.insertDoctor(tx, input));
        return doctorOrThrow(id);
      } catch (err) {
        throw domainErrorFrom(err);
      }
    },

    async updateDoctor(principal: Principal, id: string, patch: DoctorPatchInput): Promise<Doctor> {
      if (principal.role !== 'admin') {
        const own = await doctors.findDoctorByUser(sql, principal.userId);
        if (principal.role !== 'doctor' || own?.id !== id)
          throw forbidden('Only this doctor or an admin may change the profile');
        if (patch.clinicId !== undefined)
          throw forbidden('Only an admin may move a doctor to another clinic');
      }
      try {
        const found = await transaction(sql, (tx) => doctors.updateDoctor(tx, id, patch));
        if (!found) throw notFound('Doctor');
      } catch (err) {
        throw domainErrorFrom(err);
      }
      return doctorOrThrow(id);
    },

    getDoctor: doctorOrThrow,

    /**
     * A page of the directory, each doctor with `nextAvailable`. `offset` counts scanned candidates, so
     * pages stay stable when `availableOn` filters after the SQL prefilter.
     */
    async searchDoctors(
      f: Omit<doctors.DoctorFilter, 'limit' | 'offset' | 'sort'> & {
        availableOn?: string | undefined;
        sort?: 'soonest' | 'distance' | 'fee' | 'rating' | undefined;
      },
      limit: number,
      offset: number,
    ) {
      const { availableOn, sort, ...rest } = f;
      if (sort === 'soonest') return soonest(rest, availableOn, limit, offset);
      const filter = { ...rest, sort };
      if (availableOn) {
        const page = await scanAvailableOn(filter, availableOn, limit, offset);
        return { items: await withNextAvailable(page.items), nextOffset: page.nextOffset };
      }
      const rows = await doctors.searchDoctors(sql, { ...filter, limit: limit + 1, offset });
      return {
        items: await withNextAvailable(rows.slice(0, limit)),
        nextOffset: rows.length > limit ? offset + limit : null,
      };
    },
  };
}
