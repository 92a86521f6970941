import { useState } from 'preact/hooks';
import type { DoctorQueueView } from '../../events/queue-event-data.js';
import { api } from '../shared/api.js';
import { clock } from '../shared/clinic-time.js';
import { Problem } from '../shared/form.js';
import { WaitlistLength } from '../shared/waitlist-length.js';
import { type Appointment, useAct } from './act.js';
import { DoctorTools } from './doctor-tools.js';
import { Badges, ExpectedRow, Ticket, WaitingRow } from './entries.js';

/** How many expected patients show before "Show all" (the rest of the day is rarely needed at a glance). */
const EXPECTED_SHOWN = 5;

const matches = (filter: string, ...texts: (string | null | undefined)[]) =>
  !filter || texts.some((t) => t?.toLowerCase().includes(filter));

/**
 * One doctor's day at the desk: who is in (Complete), Call next, who waits in which order, who is
 * still expected (Check in, No-show), how many are done, and the doctor's delay and room.
 */
export function DoctorCard({ doctor, filter }: { doctor: DoctorQueueView; filter: string }) {
  const { act, error } = useAct();
  const [allExpected, setAllExpected] = useState(false);
  const d = doctor;
  const headingId = `doc-${d.doctorId}`;
  const current = d.current;
  const waiting = d.waiting.filter((w) => matches(filter, w.patientName, w.ticket));
  const expectedAll = d.expected.filter((e) => matches(filter, e.patientName));
  const expected = allExpected || filter ? expectedAll : expectedAll.slice(0, EXPECTED_SHOWN);
  // The one thing to do next for this doctor, drawn as the primary button.
  const callIsNext = !current && d.waiting.length > 0;

  const step = (id: string, segment: string) => api<Appointment>('POST', `/v1/appointments/${id}/${segment}`);
  const callNext = () =>
    act(
      () => api<Appointment>('POST', `/v1/doctors/${d.doctorId}/call-next`),
      (a) => `${a.ticket ?? a.patient.name} called in to ${d.room ?? d.name}: ${a.patient.name}`,
    );

  return (
    <section class="card doctor" aria-labelledby={headingId}>
      <header class="doctor-head">
        <h2 id={headingId}>{d.name}</h2>
        <p class="doctor-meta">
          {d.room ? <span class="badge room">{d.room}</span> : <span class="muted">No room set</span>}
          {d.delayMinutes > 0 && (
            <span class="badge delay">
              {d.delayMinutes} min late{d.delayNote ? ` — ${d.delayNote}` : ''}
            </span>
          )}
          <span>
            <strong>{d.done}</strong> done
          </span>
          <span class="muted">~{d.paceMinutes} min per patient</span>
          <WaitlistLength doctorId={d.doctorId} version={d} />
        </p>
      </header>

      <div class={`inside${current ? ' busy' : ''}`}>
        <h3>In consultation</h3>
        {current ? (
          <div class="entry current">
            <Ticket ticket={current.ticket} />
            <div class="person">
              <span class="name">{current.patientName}</span>
              <span class="meta">
                {current.startedAt ? `since ${clock(current.startedAt)}` : 'in now'}
                <Badges entry={current} />
              </span>
            </div>
            <span class="acts">
              <button
                type="button"
                class="primary"
                aria-label={`Complete ${current.patientName}`}
                onClick={() =>
                  act(
                    () => step(current.appointmentId, 'complete'),
                    (a) => `${a.ticket ?? ''} ${a.patient.name}: done`.trim(),
                  )
                }
              >
                Complete
              </button>
            </span>
          </div>
        ) : (
          <p class="muted">Nobody is in with {d.name}.</p>
        )}
        <button
          type="button"
          class={`call${callIsNext ? ' primary' : ' secondary'}`}
          aria-label={`Call next for ${d.name}`}
          onClick={callNext}
        >
          Call next
        </button>
        {d.waiting[0] && (
          <p class="next-up">
            Next: <strong>{d.waiting[0].ticket ?? '—'}</strong> {d.waiting[0].patientName}
          </p>
        )}
        <Problem
          error={error}
          messages={{
            queue_empty: `Nobody is waiting for ${d.name}: check a patient in first.`,
          }}
        />
      </div>

      <h3>
        Waiting <span class="count">{d.waiting.length}</span>
      </h3>
      {waiting.length === 0 ? (
        <p class="muted">{filter && d.waiting.length > 0 ? 'Nobody waiting matches.' : 'Nobody waiting.'}</p>
      ) : (
        <ol class="entries" aria-label={`Waiting for ${d.name}`}>
          {waiting.map((w) => (
            <WaitingRow key={w.appointmentId} entry={w} />
          ))}
        </ol>
      )}

      <h3>
        Expected today <span class="count">{d.expected.length}</span>
      </h3>
      {expected.length === 0 ? (
        <p class="muted">
          {filter && d.expected.length > 0 ? 'Nobody expected matches.' : 'Nobody else booked today.'}
        </p>
      ) : (
        <ul class="entries" aria-label={`Expected for ${d.name}`}>
          {expected.map((e) => (
            <ExpectedRow
              key={e.appointmentId}
              entry={e}
              onCheckIn={() =>
                act(
                  () => step(e.appointmentId, 'check-in'),
                  (a) => `${a.patient.name} checked in: ticket ${a.ticket ?? '—'}`,
                )
              }
              onNoShow={() =>
                act(
                  () => step(e.appointmentId, 'no-show'),
                  (a) => `${a.patient.name}: no-show recorded`,
                )
              }
            />
          ))}
        </ul>
      )}
      {expectedAll.length > expected.length && (
        <button type="button" class="link" onClick={() => setAllExpected(true)}>
          Show all {expectedAll.length} expected for {d.name}
        </button>
      )}
      {allExpected && !filter && expectedAll.length > EXPECTED_SHOWN && (
        <button type="button" class="link" onClick={() => setAllExpected(false)}>
          Show fewer
        </button>
      )}

      <DoctorTools doctor={d} />
    </section>
  );
}
