import { useEffect, useRef, useState } from 'preact/hooks';
import { api, sessionEnded } from '../shared/api.js';
import { bookedSound, cancelledSound } from '../shared/audio-cue.js';
import { clock, day, todayIn } from '../shared/clinic-time.js';
import { fetchAll } from '../shared/fetch-all.js';
import { Problem } from '../shared/form.js';
import { type LiveEvent, useLive } from '../shared/live.js';
import { OfflineBanner, Toasts, useToasts } from '../shared/ui.js';
import type { Appointment, DoctorProfile } from './types.js';

const STATUS: Record<string, string> = {
  booked: 'Booked',
  checked_in: 'Arrived',
  in_consultation: 'With you',
  completed: 'Done',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** The later of two versions of an appointment; events carry no visit reason, so a known one is kept. */
function merge(old: Appointment | undefined, next: Appointment): Appointment {
  if (old && old.updatedAt > next.updatedAt) return old;
  return { ...next, ...(next.reason === undefined && old?.reason ? { reason: old.reason } : {}) };
}

/**
 * Today's appointments (the clinic's today), live from the doctor's room: a booking, cancellation,
 * move or status change shows at once, with a toast, and a sound for bookings and cancellations.
 * The list is the server's: fetched on start, again once the room is joined, at the clinic's midnight and
 * when the hub cannot replay a gap.
 */
export function Agenda(props: { doctor: DoctorProfile; onSignedOut: () => void }) {
  const { doctor } = props;
  const timezone = doctor.clinic.timezone;
  const [today, setToday] = useState(() => todayIn(timezone));
  const [book, setBook] = useState<Map<string, Appointment>>();
  const [error, setError] = useState<unknown>();
  const [toasts, toast] = useToasts();
  const loads = useRef(0);
  /** Appointments events changed while a fetch was on its way: the fetch may predate them. */
  const touched = useRef(new Set<string>());

  const upsert = (a: Appointment) => {
    touched.current.add(a.id);
    setBook((old) => {
      const next = new Map(old);
      if (a.start.slice(0, 10) === today) next.set(a.id, merge(next.get(a.id), a));
      else next.delete(a.id); // moved to another day
      return next;
    });
  };

  const load = async () => {
    const mine = ++loads.current;
    touched.current.clear();
    try {
      const items = await fetchAll<Appointment>(`/v1/appointments?date=${today}&doctorId=${doctor.id}`);
      if (mine !== loads.current) return;
      setBook((old) => {
        const next = new Map(items.map((a) => [a.id, a]));
        for (const id of touched.current) {
          const live = old?.get(id);
          if (live) next.set(id, merge(next.get(id), live));
          else next.delete(id); // an event took it off today while the fetch was out
        }
        return next;
      });
      setError(undefined);
    } catch (err) {
      if (sessionEnded(err)) props.onSignedOut();
      else setError(err);
    }
  };

  // The clinic's day turns over at its midnight, not the browser's: that day's list then (the first
  // day's is useLive's `load`).
  const shownDay = useRef(today);
  useEffect(() => {
    if (shownDay.current === today) return;
    shownDay.current = today;
    setBook(undefined);
    void load();
  }, [today]);
  useEffect(() => {
    const timer = setInterval(() => setToday(todayIn(timezone)), 30_000);
    return () => clearInterval(timer);
  }, [timezone]);

  const when = (iso: string) => `${iso.slice(0, 10) === today ? 'today' : day(iso)} at ${clock(iso)}`;

  const onEvent = (e: LiveEvent) => {
    if (
      e.type !== 'appointment.booked' &&
      e.type !== 'appointment.cancelled' &&
      e.type !== 'appointment.rescheduled' &&
      e.type !== 'appointment.status_changed'
    )
      return;
    const a: Appointment = { ...e.data.appointment, doctor: e.data.doctor, patient: e.data.patient };
    upsert(a);
    if (e.type === 'appointment.booked') {
      toast(`New booking: ${a.patient.name}, ${when(a.start)}`);
      bookedSound();
      // The event leaves the visit reason out; the appointment itself has it for the doctor.
      if (a.start.slice(0, 10) === today) {
        api<Appointment>('GET', `/v1/appointments/${a.id}`).then(upsert, () => {});
      }
    } else if (e.type === 'appointment.cancelled') {
      toast(`Cancelled: ${a.patient.name}, ${when(a.start)}`);
      cancelledSound();
    } else if (e.type === 'appointment.rescheduled') {
      toast(`Moved: ${a.patient.name}, from ${when(e.data.previous.start)} to ${when(a.start)}`);
    }
  };

  const online = useLive({
    rooms: [`doctor:${doctor.id}`],
    onEvent,
    load: () => void load(),
    onSessionLost: props.onSignedOut,
  });

  const list = [...(book?.values() ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const active = list.filter((a) => a.status !== 'cancelled').length;
  return (
    <section class="card" aria-labelledby="agenda-title">
      <h2 id="agenda-title">Today, {day(today)}</h2>
      <p class="muted">
        {doctor.clinic.name} · clinic time ({timezone})
        {book && ` · ${active} appointment${active === 1 ? '' : 's'}`}
      </p>
      <OfflineBanner online={online} />
      <Problem error={error} />
      {!book ? (
        <p>Loading today's appointments…</p>
      ) : list.length === 0 ? (
        <p>No appointments today.</p>
      ) : (
        <ol class="plain doc-agenda" aria-label="Today's appointments">
          {list.map((a) => (
            <li key={a.id} class={`doc-appt status-${a.status}`}>
              <span class="doc-time">
                {clock(a.start)}–{clock(a.end)}
              </span>
              <span class="doc-who">
                <strong>{a.patient.name}</strong>
                {a.walkIn && <span class="muted"> (walk-in)</span>}
                {a.reason && <span class="doc-reason">{a.reason}</span>}
              </span>
              <span class="badge">
                {STATUS[a.status] ?? a.status}
                {a.ticket ? ` · ${a.ticket}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
      <Toasts items={toasts} />
    </section>
  );
}
