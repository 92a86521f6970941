import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { dayTime } from '../shared/clinic-time.js';
import { downloadFile } from '../shared/download.js';
import { Problem } from '../shared/form.js';
import { money, useAction } from '../shared/ui.js';
import type { Appointment } from './types.js';

const STATUS: Record<Appointment['status'], string> = {
  booked: 'booked',
  checked_in: 'checked in',
  in_consultation: 'with the doctor',
  completed: 'done',
  cancelled: 'cancelled',
  no_show: 'missed',
};

/** The patient's appointments: the coming ones with cancel, reschedule and a calendar file; then the rest. */
export function MyAppointments(props: {
  items: Appointment[] | undefined;
  error: unknown;
  onChanged: () => void;
  onReschedule: (a: Appointment) => void;
}) {
  const { items } = props;
  const upcoming = items?.filter((a) => a.status === 'booked' || a.status === 'checked_in') ?? [];
  const past = items?.filter((a) => !upcoming.includes(a)).reverse() ?? [];
  return (
    <section class="card" aria-labelledby="appointments-title">
      <h2 id="appointments-title">My appointments</h2>
      <Problem error={props.error} />
      {!items ? (
        <p>Loading…</p>
      ) : upcoming.length === 0 ? (
        <p class="muted">Nothing booked yet.</p>
      ) : (
        <ul class="plain appointments">
          {upcoming.map((a) => (
            <AppointmentItem key={a.id} a={a} onChanged={props.onChanged} onReschedule={props.onReschedule} />
          ))}
        </ul>
      )}
      {past.length > 0 && (
        <details>
          <summary>Past and cancelled ({past.length})</summary>
          <ul class="plain appointments">
            {past.map((a) => (
              <li key={a.id}>
                {dayTime(a.start)} · {a.doctor.name} · {STATUS[a.status]}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function AppointmentItem(props: {
  a: Appointment;
  onChanged: () => void;
  onReschedule: (a: Appointment) => void;
}) {
  const { a } = props;
  const [confirming, setConfirming] = useState(false);
  // The Cancel button goes away when it is pressed: focus moves to the safe answer.
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  const { error, busy, run } = useAction();
  const label = `${dayTime(a.start)} with ${a.doctor.name}`;
  return (
    <li>
      <p>
        <strong>{dayTime(a.start)}</strong> · {a.doctor.name}
        {a.ticket && ` · ticket ${a.ticket}`}
      </p>
      <p class="muted">
        {money(a.feeCents, a.currency)} · {STATUS[a.status]}
        {a.reason && ` · “${a.reason}”`}
      </p>
      <Problem error={error} />
      {confirming ? (
        <fieldset class="confirm">
          <legend>Cancel {label}?</legend>
          <div class="row">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await api('POST', `/v1/appointments/${a.id}/cancel`, {});
                  setConfirming(false);
                  props.onChanged();
                })
              }
            >
              Yes, cancel
            </button>
            <button type="button" class="secondary" ref={keep} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </fieldset>
      ) : (
        <div class="row">
          {a.status === 'booked' && (
            <>
              <button
                type="button"
                class="secondary"
                aria-label={`Reschedule ${label}`}
                onClick={() => props.onReschedule(a)}
              >
                Reschedule
              </button>
              <button
                type="button"
                class="secondary"
                aria-label={`Cancel ${label}`}
                onClick={() => setConfirming(true)}
              >
                Cancel
              </button>
            </>
          )}
          <button
            type="button"
            class="secondary"
            aria-label={`Add to calendar (.ics): ${label}`}
            disabled={busy}
            onClick={() =>
              void run(() =>
                downloadFile(
                  `/v1/appointments/${a.id}/calendar.ics`,
                  `appointment-${a.start.slice(0, 10)}.ics`,
                ),
              )
            }
          >
            Add to calendar (.ics)
          </button>
        </div>
      )}
    </li>
  );
}
