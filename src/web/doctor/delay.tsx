import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { handleSubmit, Input, Problem } from '../shared/form.js';
import { useAction } from '../shared/ui.js';

interface Delay {
  doctorId: string;
  delayMinutes: number;
  note?: string;
}

/**
 * "Running late": tells the waiting room and today's waiting patients (their estimates move; each is
 * told once it moves 10 minutes or more). 0 minutes, "On time again", clears it.
 */
export function DelayPanel(props: { doctorId: string }) {
  const [minutes, setMinutes] = useState('15');
  const [note, setNote] = useState('');
  const [current, setCurrent] = useState<Delay>();
  const { error, busy, run } = useAction();
  const declare = (m: number) =>
    run(async () => {
      const body = { minutes: m, ...(m > 0 && note.trim() ? { note: note.trim() } : {}) };
      setCurrent(await api<Delay>('POST', `/v1/doctors/${props.doctorId}/delay`, body));
    });

  return (
    <form onSubmit={handleSubmit(() => declare(Number(minutes)))}>
      <div class="row">
        <Input
          label="Minutes late"
          type="number"
          min="0"
          max="240"
          step="5"
          required
          value={minutes}
          onInput={setMinutes}
          class="doc-narrow"
        />
        <Input label="Note for patients" optional value={note} onInput={setNote} />
      </div>
      <Problem error={error} />
      <div class="row">
        <button type="submit" disabled={busy}>
          I'm running late
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void declare(0)}>
          On time again
        </button>
      </div>
      <p role="status" class="doc-ok">
        {current &&
          (current.delayMinutes > 0
            ? `Patients now see that you are running ${current.delayMinutes} minutes late${current.note ? ` (${current.note})` : ''}.`
            : 'No delay is shown any more.')}
      </p>
    </form>
  );
}
