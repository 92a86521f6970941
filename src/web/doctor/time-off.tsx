import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { dayTime, instantOf } from '../shared/clinic-time.js';
import { handleSubmit, Input, Problem } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import type { TimeOff } from './types.js';

const span = (t: TimeOff) => `${dayTime(t.start)} – ${dayTime(t.end)}`;

/** Upcoming time off: the list from the server, a form to add (clinic time) and a delete per entry. */
export function TimeOffPanel(props: { doctorId: string; timezone: string; onChanged: () => void }) {
  const path = `/v1/doctors/${props.doctorId}/time-off`;
  const [items, setItems] = useState<TimeOff[]>();
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const listing = useAction();
  const adding = useAction();

  const load = () =>
    listing.run(async () => {
      setItems((await api<{ items: TimeOff[] }>('GET', path)).items);
    });
  useEffect(() => {
    void load();
  }, [path]);

  const add = () =>
    adding.run(async () => {
      await api('POST', path, {
        start: instantOf(start, props.timezone),
        end: instantOf(end, props.timezone),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setStart('');
      setEnd('');
      setReason('');
      props.onChanged();
      await load();
    });
  const remove = (t: TimeOff) =>
    listing.run(async () => {
      await api('DELETE', `${path}/${t.id}`);
      props.onChanged();
      setItems((await api<{ items: TimeOff[] }>('GET', path)).items);
    });

  return (
    <>
      <Problem error={listing.error} />
      {!items ? (
        !listing.error && <p>Loading time off…</p>
      ) : items.length === 0 ? (
        <p>No time off planned.</p>
      ) : (
        <ul class="plain" aria-label="Planned time off">
          {items.map((t) => (
            <li key={t.id} class="doc-off">
              <span>
                {span(t)}
                {t.reason && <span class="muted"> · {t.reason}</span>}
              </span>
              <button
                type="button"
                class="secondary"
                disabled={listing.busy}
                aria-label={`Delete time off ${span(t)}`}
                onClick={() => void remove(t)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="doc-off-form" onSubmit={handleSubmit(add)}>
        <h3>Add time off</h3>
        <p class="hint">In clinic time ({props.timezone}). Booked appointments in it stay booked.</p>
        <div class="row">
          <Input label="From" type="datetime-local" required value={start} onInput={setStart} />
          <Input label="Until" type="datetime-local" required value={end} onInput={setEnd} />
        </div>
        <Input label="Reason" optional value={reason} onInput={setReason} />
        <Problem error={adding.error} />
        <button type="submit" disabled={adding.busy}>
          Add time off
        </button>
      </form>
    </>
  );
}
