import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { clock } from '../shared/clinic-time.js';
import { handleSubmit, Problem, Select } from '../shared/form.js';
import { type Appointment, useAct } from './act.js';
import { useDesk } from './context.js';
import { NO_VISIT, type Visit, VisitFields, visitBody } from './visit-fields.js';

/** Someone at the counter without a booking: fitted into the doctor's next free gap today and checked in. */
export function WalkInForm() {
  const desk = useDesk();
  const [doctorId, setDoctorId] = useState('');
  const [visit, setVisit] = useState<Visit>(NO_VISIT);
  const [added, setAdded] = useState<Appointment>();
  const { act, error, busy } = useAct();
  const chosen = doctorId || desk.doctors[0]?.doctorId || '';

  return (
    <section class="card" aria-labelledby="walk-in-title">
      <h2 id="walk-in-title">Walk-in</h2>
      <form
        onSubmit={handleSubmit(async () => {
          setAdded(undefined);
          const a = await act(
            () =>
              api<Appointment>('POST', `/v1/clinics/${desk.clinicId}/walk-ins`, {
                doctorId: chosen,
                ...visitBody(visit),
              }),
            (a) => `Walk-in ${a.patient.name}: ticket ${a.ticket ?? '—'}`,
          );
          if (a) {
            setAdded(a);
            setVisit(NO_VISIT);
          }
        })}
      >
        <Select label="Doctor" value={chosen} onChange={setDoctorId} required>
          {desk.doctors.map((d) => (
            <option key={d.doctorId} value={d.doctorId}>
              {d.name}
              {d.waiting.length > 0 ? ` (${d.waiting.length} waiting)` : ''}
            </option>
          ))}
        </Select>
        <VisitFields value={visit} onChange={setVisit} />
        <Problem error={error} />
        <button type="submit" class="primary" disabled={busy || !chosen}>
          Add walk-in
        </button>
        {added && (
          <p class="done-note" role="status">
            <strong>{added.ticket}</strong> — {added.patient.name}, {added.doctor.name}, about{' '}
            {clock(added.start)}
          </p>
        )}
      </form>
    </section>
  );
}
