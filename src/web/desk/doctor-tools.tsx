import { useState } from 'preact/hooks';
import type { DoctorQueueView } from '../../events/queue-event-data.js';
import { api } from '../shared/api.js';
import { handleSubmit, Input, Problem } from '../shared/form.js';
import { useAct } from './act.js';

/** The doctor's declared delay and room, folded away under the card (set a few times a day). */
export function DoctorTools({ doctor }: { doctor: DoctorQueueView }) {
  return (
    <details class="tools">
      <summary>
        Delay and room<span class="sr-only"> for {doctor.name}</span>
      </summary>
      <div class="tools-body">
        <DelayForm doctor={doctor} />
        <RoomForm doctor={doctor} />
      </div>
    </details>
  );
}

function DelayForm({ doctor: d }: { doctor: DoctorQueueView }) {
  const [minutes, setMinutes] = useState(d.delayMinutes > 0 ? String(d.delayMinutes) : '');
  const [note, setNote] = useState(d.delayNote ?? '');
  const { act, error, busy } = useAct();
  const declare = (value: number, text?: string) =>
    act(
      () =>
        api('POST', `/v1/doctors/${d.doctorId}/delay`, {
          minutes: value,
          ...(text?.trim() ? { note: text.trim() } : {}),
        }),
      () => (value === 0 ? `${d.name}: delay cleared` : `${d.name}: running ${value} minutes late`),
    );
  return (
    <form
      class="tool"
      aria-label={`Delay for ${d.name}`}
      onSubmit={handleSubmit(() => declare(Number(minutes), note))}
    >
      <Input
        label="Running late by (minutes)"
        autocomplete="off"
        type="number"
        inputMode="numeric"
        min={0}
        max={240}
        value={minutes}
        onInput={setMinutes}
        required
        hint="Waiting patients whose time moves 10 minutes or more are told."
      />
      <Input
        label="Note"
        autocomplete="off"
        value={note}
        onInput={setNote}
        maxLength={500}
        optional
        hint="For the desk and the doctor; not shown in the waiting room."
      />
      <Problem error={error} />
      <div class="row">
        <button type="submit" disabled={busy} aria-label={`Declare delay for ${d.name}`}>
          Declare delay
        </button>
        {d.delayMinutes > 0 && (
          <button
            type="button"
            class="secondary"
            aria-label={`Clear delay for ${d.name}`}
            onClick={() => {
              setMinutes('');
              setNote('');
              void declare(0);
            }}
          >
            Clear delay
          </button>
        )}
      </div>
    </form>
  );
}

function RoomForm({ doctor: d }: { doctor: DoctorQueueView }) {
  const [room, setRoom] = useState(d.room ?? '');
  const { act, error, busy } = useAct();
  const save = (value: string | null) =>
    act(
      () => api('PUT', `/v1/doctors/${d.doctorId}/room`, { room: value }),
      () => (value ? `${d.name} is in ${value}` : `${d.name}: room cleared`),
    );
  return (
    <form
      class="tool"
      aria-label={`Room for ${d.name}`}
      onSubmit={handleSubmit(() => save(room.trim() || null))}
    >
      <Input
        label="Room"
        autocomplete="off"
        value={room}
        onInput={setRoom}
        maxLength={40}
        hint='Shown in the waiting room when a ticket is called ("Room 3").'
      />
      <Problem error={error} />
      <div class="row">
        <button type="submit" disabled={busy} aria-label={`Set room for ${d.name}`}>
          Set room
        </button>
        {d.room && (
          <button
            type="button"
            class="secondary"
            aria-label={`Clear room for ${d.name}`}
            onClick={() => {
              setRoom('');
              void save(null);
            }}
          >
            Clear room
          </button>
        )}
      </div>
    </form>
  );
}
