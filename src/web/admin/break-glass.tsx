import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { handleSubmit, Input, Problem, TextArea } from '../shared/form.js';
import { type EncounterNote, NoteList, type PatientRecord, RecordFields } from '../shared/record.js';
import { useAction } from '../shared/ui.js';

/**
 * Emergency access: an administrator reads a patient's record only by stating why. The reason travels
 * as X-Access-Reason, is kept in the audit log beside the read, and the patient sees the read flagged.
 */
export function BreakGlass() {
  const [patientId, setPatientId] = useState('');
  const [reason, setReason] = useState('');
  const [record, setRecord] = useState<PatientRecord>();
  const [notes, setNotes] = useState<EncounterNote[]>([]);
  const read = useAction();

  const submit = () =>
    read.run(async () => {
      setRecord(undefined);
      const headers = { 'x-access-reason': reason };
      const base = `/v1/patients/${encodeURIComponent(patientId.trim())}`;
      const [r, n] = await Promise.all([
        api<PatientRecord>('GET', `${base}/record`, undefined, headers),
        api<{ items: EncounterNote[] }>('GET', `${base}/notes`, undefined, headers),
      ]);
      setRecord(r);
      setNotes(n.items);
    });

  return (
    <>
      <p>
        Every emergency read is recorded with your reason, and the patient sees it in their record's access
        list.
      </p>
      <form onSubmit={handleSubmit(submit)} aria-label="Emergency record access">
        <Input label="Patient id" value={patientId} onInput={setPatientId} required />
        <TextArea
          label="Reason for access"
          rows={2}
          maxLength={500}
          required
          value={reason}
          onInput={setReason}
        />
        <Problem error={read.error} messages={{ not_found: 'No record found for that patient id.' }} />
        <button type="submit" disabled={read.busy || !reason.trim()}>
          Read the record (emergency access)
        </button>
      </form>
      {record && (
        <>
          <h3>{record.patient.name}</h3>
          <RecordFields record={record} />
          <h3>Encounter notes</h3>
          <NoteList notes={notes} />
        </>
      )}
    </>
  );
}
