import { describe, expect, it } from 'vitest';
import type { DisplayView, QueueView } from '../../src/events/queue-event-data.js';
import { type Appointment, AROUND_THE_CLOCK } from '../helpers/booking.js';
import { deskBook, freeSlotsToday, morningClinic, todayIn } from '../helpers/front-desk.js';
import { createAccount, useTestApi } from '../helpers/harness.js';
import { doctorWithHours } from '../helpers/scene.js';

type Arrival = Appointment & { ticket?: string; arrivedAt?: string };

const CROWD = 50;
const ticket = (n: number) => `A-${String(n).padStart(3, '0')}`;

describe('tickets at the front desk', () => {
  const { hub, api } = useTestApi();

  it(`${CROWD} concurrent check-ins in one clinic → ${CROWD} distinct tickets A-001…${ticket(CROWD)}; another clinic starts at A-001`, async () => {
    // A busy morning: two doctors open around the clock, fifty phone callers booked by the desk for today.
    const clinic = await morningClinic(hub, 'Busy Morning Practice');
    const desk = await createAccount(hub, 'staff', { clinicId: clinic.id });
    const doctors = [
      await doctorWithHours(hub, clinic.id, { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0 }),
      await doctorWithHours(hub, clinic.id, { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0 }),
    ];
    const perDoctor = CROWD / doctors.length;
    const openings = await Promise.all(doctors.map((d) => freeSlotsToday(hub, d.id, clinic)));
    for (const free of openings) expect(free.length).toBeGreaterThanOrEqual(perDoctor);
    const booked = await Promise.all(
      doctors.flatMap((d, i) =>
        openings[i]!.slice(0, perDoctor).map((slot, j) =>
          deskBook(hub, desk.token, {
            doctorId: d.id,
            start: slot.start,
            patient: { name: `Caller ${i}-${j}`, phone: `+49 30 5550 ${i}${String(j).padStart(3, '0')}` },
          }),
        ),
      ),
    );
    expect(booked).toHaveLength(CROWD);

    // Next door, another clinic has one patient of its own today.
    const other = await morningClinic(hub, 'Quiet Practice Next Door');
    const otherDesk = await createAccount(hub, 'staff', { clinicId: other.id });
    const otherDoctor = await doctorWithHours(hub, other.id, {
      hours: AROUND_THE_CLOCK,
      minNoticeMinutes: 0,
    });
    const [otherSlot] = await freeSlotsToday(hub, otherDoctor.id, other);
    const otherBooking = await deskBook(hub, otherDesk.token, {
      doctorId: otherDoctor.id,
      start: otherSlot!.start,
      patient: { name: 'Solo Caller' },
    });

    // Everyone arrives at once: fifty check-ins at the busy desk and one next door, all in flight together.
    const checkIn = (id: string, token: string) =>
      api.post<Arrival>(`/v1/appointments/${id}/check-in`, undefined, token);
    const [otherArrival, ...arrivals] = await Promise.all([
      checkIn(otherBooking.id, otherDesk.token),
      ...booked.map((a) => checkIn(a.id, desk.token)),
    ]);

    for (const res of arrivals) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ status: 'checked_in', ticket: expect.stringMatching(/^A-\d{3}$/) });
      expect(res.body.arrivedAt).toBeTruthy();
    }
    const tickets = arrivals.map((r) => r.body.ticket!);
    const expected = Array.from({ length: CROWD }, (_, i) => ticket(i + 1));
    expect(new Set(tickets).size).toBe(CROWD);
    expect([...tickets].sort()).toEqual(expected);

    // The clinic next door counts on its own.
    expect(otherArrival!.status, JSON.stringify(otherArrival!.body)).toBe(200);
    expect(otherArrival!.body.ticket).toBe('A-001');

    // The rows agree with the answers: each appointment keeps the ticket it was answered with, for today.
    const rows = await hub.sql<{ id: string; ticket: string; ticketDay: string }[]>`
      select id, ticket, ticket_day::text from appointments where clinic_id = ${clinic.id}`;
    expect(rows).toHaveLength(CROWD);
    const answered = new Map(arrivals.map((r) => [r.body.id, r.body.ticket]));
    for (const row of rows) {
      expect(row.ticket).toBe(answered.get(row.id));
      expect(row.ticketDay).toBe(todayIn(clinic));
    }

    // The desk's queue shows all fifty waiting, with exactly those tickets, nobody still expected.
    const queue = await api.get<QueueView>(`/v1/clinics/${clinic.id}/queue`, desk.token);
    expect(queue.status, JSON.stringify(queue.body)).toBe(200);
    expect(queue.body.date).toBe(todayIn(clinic));
    const waiting = queue.body.doctors.flatMap((d) => d.waiting);
    expect(waiting).toHaveLength(CROWD);
    expect(waiting.every((w) => w.status === 'checked_in')).toBe(true);
    expect(waiting.map((w) => w.ticket).sort()).toEqual(expected);
    expect(new Set(waiting.map((w) => w.appointmentId))).toEqual(new Set(booked.map((a) => a.id)));
    for (const d of queue.body.doctors) {
      expect(d.current).toBeNull();
      expect(d.expected).toEqual([]);
      expect(d.waiting.map((w) => w.position)).toEqual(d.waiting.map((_, i) => i + 1));
      expect(d.waiting).toHaveLength(perDoctor);
    }

    // The waiting room's board lists the same fifty tickets.
    const board = await api.get<DisplayView>(`/v1/clinics/${clinic.id}/display`, desk.token);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    expect(board.body.next.map((n) => n.ticket).sort()).toEqual(expected);

    // A late arrival the same day takes the next number: none is handed out twice.
    const [lateSlot] = (await freeSlotsToday(hub, doctors[0]!.id, clinic)).slice(0, 1);
    const late = await deskBook(hub, desk.token, {
      doctorId: doctors[0]!.id,
      start: lateSlot!.start,
      patient: { name: 'Late Caller' },
    });
    const lateArrival = await checkIn(late.id, desk.token);
    expect(lateArrival.status).toBe(200);
    expect(lateArrival.body.ticket).toBe(ticket(CROWD + 1));
  });
});
