import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookSlot, dateIn, slotsOn } from '../helpers/booking.js';
import { createClinic, createDoctor, useTestApi } from '../helpers/harness.js';
import { doctorWithHours, patients } from '../helpers/scene.js';

type DoctorItem = { id: string; name: string; nextAvailable: string | null; distanceKm?: number };
type Page = { items: DoctorItem[]; nextCursor: string | null };

describe('patients find who is free: nextAvailable and availableOn', () => {
  const { hub, api } = useTestApi();
  const ids = { free: '', full: '', other: '', none: '' };
  const target = dateIn(4);
  const weekday = Temporal.PlainDate.from(target).dayOfWeek;

  /** 09:00–10:00 on one weekday: two half-hour slots. */
  const nineToTenOn = (day: number) => [{ weekday: day, start: '09:00', end: '10:00', slotMinutes: 30 }];

  beforeAll(async () => {
    const berlin = await createClinic(hub, { name: 'Mitte', lat: 52.52, lon: 13.405 });
    const potsdam = await createClinic(hub, { name: 'Potsdam', lat: 52.3906, lon: 13.0645 });
    // works on the target weekday, 09:00–10:00
    ids.free = (await doctorWithHours(hub, berlin.id, { name: 'Dr. Free', hours: nineToTenOn(weekday) })).id;
    // works on the target weekday but both slots get booked
    ids.full = (await doctorWithHours(hub, potsdam.id, { name: 'Dr. Full', hours: nineToTenOn(weekday) })).id;
    // never works on that weekday
    ids.other = (
      await doctorWithHours(hub, berlin.id, { name: 'Dr. Otherday', hours: nineToTenOn((weekday % 7) + 1) })
    ).id;
    // no availability at all
    ids.none = (await createDoctor(hub, potsdam.id, { name: 'Dr. Nohours' })).doctor.id;

    for (const slot of await slotsOn(hub, ids.full, target)) {
      const [patient] = await patients(hub, 1);
      await bookSlot(hub, patient, ids.full, slot.start);
    }
  });

  it('availableOn keeps only doctors with a free slot that day', async () => {
    const res = await api.get<Page>(`/v1/doctors?availableOn=${target}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((d) => d.id)).toEqual([ids.free]);
  });

  it('every listed doctor carries nextAvailable: a real free slot, or null', async () => {
    const res = await api.get<Page>('/v1/doctors?near=52.52,13.405');
    const byId = new Map(res.body.items.map((d) => [d.id, d]));
    expect(byId.get(ids.none)!.nextAvailable).toBeNull();
    const next = byId.get(ids.free)!.nextAvailable!;
    const date = next.slice(0, 10);
    const board = await slotsOn(hub, ids.free, date);
    expect(board.find((s) => s.start === next)?.status).toBe('free');
    // Nothing free earlier: the first free slot on the board of that day is this one.
    expect(board.filter((s) => s.status === 'free')[0]!.start).toBe(next);
    // Ordered by distance, each with distanceKm.
    const distances = res.body.items.map((d) => d.distanceKm!);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  });

  it('a fully booked day is skipped by nextAvailable', async () => {
    const res = await api.get<DoctorItem>(`/v1/doctors/${ids.full}`);
    expect(res.status).toBe(200);
    const list = await api.get<Page>(`/v1/doctors?near=52.39,13.06&radiusKm=5`);
    const full = list.body.items.find((d) => d.id === ids.full)!;
    expect(full.nextAvailable === null || !full.nextAvailable.startsWith(target)).toBe(true);
  });

  it('paginates the availableOn scan without losing or repeating doctors', async () => {
    const first = await api.get<Page>(`/v1/doctors?availableOn=${target}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    if (first.body.nextCursor) {
      const second = await api.get<Page>(
        `/v1/doctors?availableOn=${target}&limit=1&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((d) => d.id)).not.toContain(first.body.items[0]!.id);
    }
  });
});
