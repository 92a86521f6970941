import { useState } from 'preact/hooks';
import { api, idempotencyKey } from '../shared/api.js';
import { addDays, clock, day, dayTime } from '../shared/clinic-time.js';
import { handleSubmit, Problem, Select } from '../shared/form.js';
import { useLive } from '../shared/live.js';
import type { Slot } from '../shared/types.js';
import { type Appointment, useAct } from './act.js';
import { useDesk } from './context.js';
import { NO_VISIT, type Visit, VisitFields, visitBody } from './visit-fields.js';

/** How far ahead a caller is offered times: today and the next six days. */
const DAYS = 7;

/** The doctor's free times for the next days, kept live (`slots:<doctorId>`), by clinic-local day. */
function useFreeSlots(doctorId: string, from: string) {
  const [byDay, setByDay] = useState<Map<string, Slot[]>>(new Map());
  const [error, setError] = useState<unknown>();
  const load = () => {
    if (!doctorId) return;
    const to = addDays(from, DAYS - 1);
    api<{ slots: Slot[] }>('GET', `/v1/doctors/${doctorId}/slots?from=${from}&to=${to}`).then(
      (board) => {
        const now = Date.now();
        const days = new Map<string, Slot[]>();
        for (const s of board.slots) {
          if (s.status !== 'free' || Date.parse(s.start) <= now) continue;
          const date = s.start.slice(0, 10);
          days.set(date, [...(days.get(date) ?? []), s]);
        }
        setByDay(days);
        setError(undefined);
      },
      (err: unknown) => setError(err),
    );
  };
  useLive({ rooms: doctorId ? [`slots:${doctorId}`] : [], load, onEvent: load });
  return { byDay, error, load };
}

/** A phone caller: pick the doctor and a free time, say who they are, book. */
export function PhoneBooking() {
  const desk = useDesk();
  const [doctorId, setDoctorId] = useState('');
  const chosenDoctor = doctorId || desk.doctors[0]?.doctorId || '';
  const { byDay, error: slotsError, load } = useFreeSlots(chosenDoctor, desk.date);
  const [date, setDate] = useState('');
  const [start, setStart] = useState('');
  const [visit, setVisit] = useState<Visit>(NO_VISIT);
  const [booked, setBooked] = useState<Appointment>();
  const { act, error, busy } = useAct();

  const days = [...byDay.keys()];
  const chosenDay = byDay.has(date) ? date : (days[0] ?? '');
  const times = byDay.get(chosenDay) ?? [];
  const chosenStart = times.some((s) => s.start === start) ? start : (times[0]?.start ?? '');

  return (
    <section class="card" aria-labelledby="phone-title">
      <h2 id="phone-title">Phone booking</h2>
      <form
        onSubmit={handleSubmit(async () => {
          setBooked(undefined);
          const a = await act(
            () =>
              api<Appointment>(
                'POST',
                '/v1/appointments',
                { doctorId: chosenDoctor, start: chosenStart, ...visitBody(visit) },
                idempotencyKey(),
              ),
            (a) => `Booked ${a.patient.name} with ${a.doctor.name}, ${dayTime(a.start)}`,
          );
          load();
          if (a) {
            setBooked(a);
            setVisit(NO_VISIT);
          }
        })}
      >
        <Select label="Doctor" value={chosenDoctor} onChange={setDoctorId} required>
          {desk.doctors.map((d) => (
            <option key={d.doctorId} value={d.doctorId}>
              {d.name}
            </option>
          ))}
        </Select>
        <div class="row two">
          <Select label="Day" value={chosenDay} onChange={setDate} required disabled={days.length === 0}>
            {days.map((d) => (
              <option key={d} value={d}>
                {d === desk.date ? 'Today' : day(d)} ({byDay.get(d)?.length} free)
              </option>
            ))}
          </Select>
          <Select label="Time" value={chosenStart} onChange={setStart} required disabled={times.length === 0}>
            {times.map((s) => (
              <option key={s.start} value={s.start}>
                {clock(s.start)}–{clock(s.end)}
              </option>
            ))}
          </Select>
        </div>
        {days.length === 0 && !slotsError && (
          <p class="muted">No free time in the next {DAYS} days for this doctor.</p>
        )}
        <Problem error={slotsError} />
        <VisitFields value={visit} onChange={setVisit} />
        <Problem error={error} />
        <button type="submit" class="primary" disabled={busy || !chosenStart}>
          Book
        </button>
        {booked && (
          <p class="done-note" role="status">
            Booked: <strong>{booked.patient.name}</strong> with {booked.doctor.name}, {day(booked.start)} at{' '}
            {clock(booked.start)}
          </p>
        )}
      </form>
    </section>
  );
}
