import { describe, expect, it } from 'vitest';
import type { Appointment } from '../helpers/booking.js';
import { deskScene, doctorQueue, MINUTE, pastAppointment, slotOf } from '../helpers/front-desk.js';
import { useTestApi } from '../helpers/harness.js';

/**
 * A clinic's day at the desk. The clock is real, so the story is laid out where the rules make the
 * figures exact: the booked patients' slots lie two hours ahead (their estimates are their slot times
 * whatever minute the test runs), the late and absent ones an hour or more behind; only the estimates of
 * those seen right now (the walk-in, the late arrival) follow the clock, and are checked against it. The
 * doctor's pace is the 30-minute slot throughout (fewer than three consultations are completed), and no
 * delay is declared.
 */
describe('a clinic day: three booked patients, a late one, an absent one and a walk-in', () => {
  const { hub, api } = useTestApi();

  it('orders, numbers, estimates and calls them as the rules say, step by step', async () => {
    const { clinic, doctorId, desk, patients, timezone } = await deskScene(hub, [
      'Ann',
      'Ben',
      'Cat',
      'Eve',
      'Fay',
    ]);
    const [ann, ben, cat, eve, fay] = patients;
    const now = Date.now();
    const base = slotOf(now) + 120 * MINUTE;
    const at = (ms: number) => new Date(ms).toISOString();
    const inZone = (iso: string) => Date.parse(iso);
    const minutesFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / MINUTE;
    const book = async (who: typeof ann, start: number) => {
      const res = await api.post<Appointment>('/v1/appointments', { doctorId, start: at(start) }, who.token);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const checkIn = async (id: string) => {
      const res = await api.post<Appointment & { ticket: string }>(
        `/v1/appointments/${id}/check-in`,
        {},
        desk.token,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.ticket;
    };
    const queue = () => doctorQueue(hub, desk, clinic.id, doctorId);

    // Booked for later today: Ann, Ben and Cat half an hour apart. Eve's slot was an hour ago, Fay's 90 minutes.
    const annId = await book(ann, base);
    const benId = await book(ben, base + 30 * MINUTE);
    const catId = await book(cat, base + 60 * MINUTE);
    const eveId = await pastAppointment(hub, doctorId, eve.id, slotOf(now) - 60 * MINUTE);
    const fayId = await pastAppointment(hub, doctorId, fay.id, slotOf(now) - 90 * MINUTE);
    expect((await api.put(`/v1/doctors/${doctorId}/room`, { room: 'Room 3' }, desk.token)).status).toBe(200);

    let q = await queue();
    expect(q.waiting).toEqual([]);
    expect(q.expected.map((e) => [e.patientName, e.overdue])).toEqual([
      ['Fay', true],
      ['Eve', true],
      ['Ann', false],
      ['Ben', false],
      ['Cat', false],
    ]);
    expect(q.room).toBe('Room 3');

    // Arrivals out of order: Cat first, then Ann; Eve comes an hour after her slot, so she is late.
    expect(await checkIn(catId)).toBe('A-001');
    expect(await checkIn(annId)).toBe('A-002');
    expect(await checkIn(eveId)).toBe('A-003');
    q = await queue();
    // In line: on time by slot (Ann, Cat), then the late arrival. The doctor is free now and Ann's slot is
    // two hours off, so Eve fills that gap first (she is seen entirely before Ann's slot: nobody waits
    // longer for it); Ben, expected at his slot, is seen between Ann and Cat.
    expect(q.waiting.map((w) => [w.patientName, w.ticket, w.position, w.late])).toEqual([
      ['Eve', 'A-003', 1, true],
      ['Ann', 'A-002', 2, false],
      ['Cat', 'A-001', 3, false],
    ]);
    expect(Math.abs(minutesFromNow(q.waiting[0]!.estimatedStart))).toBeLessThanOrEqual(1.5);
    expect(q.waiting.slice(1).map((w) => inZone(w.estimatedStart))).toEqual([base, base + 60 * MINUTE]);
    expect(inZone(q.expected.find((e) => e.patientName === 'Ben')!.estimatedStart)).toBe(base + 30 * MINUTE);

    // A walk-in, registered at the desk: fitted into the gap now, first in line and seen at once; Eve
    // then fills the next half hour, still well before Ann's slot.
    const walkIn = await api.post<Appointment & { ticket: string; walkIn: boolean; status: string }>(
      `/v1/clinics/${clinic.id}/walk-ins`,
      { doctorId, patient: { name: 'Dan', phone: '+49 30 5550100' } },
      desk.token,
    );
    expect(walkIn.status, JSON.stringify(walkIn.body)).toBe(201);
    expect(walkIn.body).toMatchObject({ ticket: 'A-004', walkIn: true, status: 'checked_in' });
    expect(Date.parse(walkIn.body.start)).toBeLessThanOrEqual(slotOf(now) + 30 * MINUTE);
    q = await queue();
    expect(q.waiting.map((w) => [w.patientName, w.position])).toEqual([
      ['Dan', 1],
      ['Eve', 2],
      ['Ann', 3],
      ['Cat', 4],
    ]);
    const dan = inZone(q.waiting[0]!.estimatedStart);
    expect(dan).toBeGreaterThanOrEqual(Math.floor(now / MINUTE) * MINUTE);
    expect(dan).toBeLessThanOrEqual(Math.max(Date.parse(walkIn.body.start), Date.now()) + MINUTE);
    expect(inZone(q.waiting[1]!.estimatedStart)).toBe(dan + 30 * MINUTE);
    expect(q.waiting.slice(2).map((w) => inZone(w.estimatedStart))).toEqual([base, base + 60 * MINUTE]);

    // Call: Dan goes in. Calling again while he is inside is refused; complete him, and Eve is next.
    const called = await api.post<Appointment & { ticket: string; status: string }>(
      `/v1/doctors/${doctorId}/call-next`,
      {},
      desk.token,
    );
    expect(called.body).toMatchObject({ ticket: 'A-004', status: 'in_consultation' });
    const busy = await api.post(`/v1/doctors/${doctorId}/call-next`, {}, desk.token);
    expect([busy.status, busy.body.code]).toEqual([409, 'doctor_busy']);
    q = await queue();
    expect(q.current?.ticket).toBe('A-004');
    expect(q.waiting.map((w) => [w.ticket, w.position])).toEqual([
      ['A-003', 1],
      ['A-002', 2],
      ['A-001', 3],
    ]);
    expect((await api.post(`/v1/appointments/${walkIn.body.id}/complete`, {}, desk.token)).status).toBe(200);
    const second = await api.post<Appointment & { ticket: string }>(
      `/v1/doctors/${doctorId}/call-next`,
      {},
      desk.token,
    );
    expect(second.body.ticket).toBe('A-003');

    // Fay never came: a no-show. Ben's slot has not begun, so his cannot be recorded yet.
    expect((await api.post(`/v1/appointments/${fayId}/no-show`, {}, desk.token)).status).toBe(200);
    const early = await api.post(`/v1/appointments/${benId}/no-show`, {}, desk.token);
    expect([early.status, early.body.code]).toEqual([409, 'invalid_transition']);

    // Eve is inside from now, free again half an hour later, two hours before Ann's slot: Ann, Ben and
    // Cat keep their slot times; the one completed consultation is counted, the no-show is not.
    q = await queue();
    expect(q.current?.ticket).toBe('A-003');
    expect(q.done).toBe(1);
    expect(q.waiting.map((w) => [w.ticket, w.position, inZone(w.estimatedStart)])).toEqual([
      ['A-002', 1, base],
      ['A-001', 2, base + 60 * MINUTE],
    ]);
    expect(q.expected.map((e) => [e.patientName, inZone(e.estimatedStart)])).toEqual([
      ['Ben', base + 30 * MINUTE],
    ]);
    expect(timezone).toMatch(/^Etc\/GMT/);
  });
});
