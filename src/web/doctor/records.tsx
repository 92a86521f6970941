import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { day } from '../shared/clinic-time.js';
import { fetchAll } from '../shared/fetch-all.js';
import { handleSubmit, Problem, Select, TextArea } from '../shared/form.js';
import { type EncounterNote, NoteList, type PatientRecord, RecordFields } from '../shared/record.js';
import { useAction } from '../shared/ui.js';
import type { Appointment, DoctorProfile } from './types.js';

/**
 * The doctor's patients' records: choose a patient they have seen or will see, read the record and
 * the encounter notes, and write a note on one of their consultations (or correct an earlier note;
 * notes never change, a correction is a new note pointing at the old one).
 */
export function PatientRecords({ doctor }: { doctor: DoctorProfile }) {
  const [appointments, setAppointments] = useState<Appointment[]>([]);
  const [patientId, setPatientId] = useState('');
  const [record, setRecord] = useState<PatientRecord>();
  const [notes, setNotes] = useState<EncounterNote[]>([]);
  const [appointmentId, setAppointmentId] = useState('');
  const [text, setText] = useState('');
  const [correcting, setCorrecting] = useState<EncounterNote>();
  const [error, setError] = useState<unknown>();
  const save = useAction();

  useEffect(() => {
    fetchAll<Appointment>(`/v1/appointments?doctorId=${doctor.id}`, 3).then(setAppointments, setError);
  }, [doctor.id]);

  const patients = [...new Map(appointments.map((a) => [a.patient.id, a.patient.name])).entries()].sort(
    (a, b) => a[1].localeCompare(b[1]),
  );
  const consultations = appointments
    .filter((a) => a.patient.id === patientId && a.status !== 'cancelled')
    .sort((a, b) => b.start.localeCompare(a.start));

  const open = async (id: string) => {
    setPatientId(id);
    setRecord(undefined);
    setCorrecting(undefined);
    setError(undefined);
    if (!id) return;
    try {
      const [r, n] = await Promise.all([
        api<PatientRecord>('GET', `/v1/patients/${id}/record`),
        api<{ items: EncounterNote[] }>('GET', `/v1/patients/${id}/notes`),
      ]);
      setRecord(r);
      setNotes(n.items);
      const first = appointments.find((a) => a.patient.id === id && a.status !== 'cancelled');
      setAppointmentId(first?.id ?? '');
    } catch (err) {
      setError(err);
    }
  };

  const write = () =>
    save.run(async () => {
      const target = correcting?.appointmentId ?? appointmentId;
      await api('POST', `/v1/appointments/${target}/notes`, {
        text,
        ...(correcting ? { correctsId: correcting.id } : {}),
      });
      setText('');
      setCorrecting(undefined);
      const n = await api<{ items: EncounterNote[] }>('GET', `/v1/patients/${patientId}/notes`);
      setNotes(n.items);
    });

  return (
    <section class="card" aria-labelledby="records-title">
      <h2 id="records-title">Patient records</h2>
      <Select
        label="Patient"
        value={patientId}
        onChange={(v) => void open(v)}
        options={[
          { value: '', label: 'Choose a patient' },
          ...patients.map(([value, label]) => ({ value, label })),
        ]}
      />
      <Problem error={error} />
      {record && (
        <>
          <RecordFields record={record} />
          <h3>Encounter notes</h3>
          <NoteList
            notes={notes}
            onCorrect={(n) => {
              setCorrecting(n);
              setText(n.text);
            }}
          />
          <form onSubmit={handleSubmit(write)} aria-label={correcting ? 'Correct a note' : 'Write a note'}>
            {!correcting && (
              <Select
                label="Consultation"
                value={appointmentId}
                onChange={setAppointmentId}
                options={consultations.map((a) => ({
                  value: a.id,
                  label: `${day(a.start)} ${a.start.slice(11, 16)}`,
                }))}
              />
            )}
            <TextArea
              label={correcting ? 'Corrected note' : 'Note'}
              rows={4}
              maxLength={20000}
              required
              value={text}
              onInput={setText}
            />
            <Problem error={save.error} />
            <div class="row">
              <button type="submit" disabled={save.busy || (!correcting && !appointmentId)}>
                {correcting ? 'Save correction' : 'Save note'}
              </button>
              {correcting && (
                <button type="button" class="secondary" onClick={() => setCorrecting(undefined)}>
                  Cancel correction
                </button>
              )}
            </div>
          </form>
        </>
      )}
    </section>
  );
}
