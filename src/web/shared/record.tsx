import { useId } from 'preact/hooks';

/** The record API's shapes (README "Patient records"; the contract is /openapi.json). */
export interface PatientRecord {
  patient: { id: string; name: string; email: string | null; phone: string | null };
  scope: 'clinical' | 'contact';
  dateOfBirth?: string | null;
  sex?: string | null;
  allergies?: string[];
  conditions?: string[];
  medications?: string[];
  notes?: string | null;
  updatedAt?: string | null;
}

export interface EncounterNote {
  id: string;
  appointmentId: string;
  doctorId: string;
  doctorName: string;
  text: string;
  correctsId: string | null;
  correctedBy: string[];
  createdAt: string;
}

export interface AuditItem {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string;
  action: string;
  resource: string;
  reason?: string;
  outcome: 'allowed' | 'denied';
  breakGlass: boolean;
}

export const SEX_OPTIONS = [
  { value: '', label: 'Not given' },
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unknown', label: 'Unknown' },
] as const;

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const listed = (items: string[] | undefined) =>
  items && items.length > 0 ? items.join(', ') : 'None recorded';

/** The record's fields, read-only. */
export function RecordFields({ record }: { record: PatientRecord }) {
  const sex = SEX_OPTIONS.find((o) => o.value === (record.sex ?? ''))?.label;
  return (
    <dl class="record-fields" aria-label={`Record of ${record.patient.name}`}>
      <dt>Date of birth</dt>
      <dd>{record.dateOfBirth ?? 'Not given'}</dd>
      <dt>Sex</dt>
      <dd>{sex}</dd>
      <dt>Allergies</dt>
      <dd>{listed(record.allergies)}</dd>
      <dt>Conditions</dt>
      <dd>{listed(record.conditions)}</dd>
      <dt>Medications</dt>
      <dd>{listed(record.medications)}</dd>
      <dt>Notes</dt>
      <dd>{record.notes || 'None'}</dd>
    </dl>
  );
}

/** Encounter notes, oldest first; a corrected note says so, and `onCorrect` offers a correction. */
export function NoteList(props: { notes: EncounterNote[]; onCorrect?: (n: EncounterNote) => void }) {
  if (props.notes.length === 0) return <p class="muted">No encounter notes yet.</p>;
  return (
    <ol class="plain record-notes" aria-label="Encounter notes">
      {props.notes.map((n) => (
        <li key={n.id} class={n.correctedBy.length > 0 ? 'note corrected' : 'note'}>
          <p class="small muted">
            {when(n.createdAt)} · {n.doctorName}
            {n.correctsId && ' · correction'}
            {n.correctedBy.length > 0 && ' · corrected later'}
          </p>
          <p class="note-text">{n.text}</p>
          {props.onCorrect && n.correctedBy.length === 0 && (
            <button type="button" class="secondary" onClick={() => props.onCorrect?.(n)}>
              Correct this note
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}

const ACTIONS: Record<string, string> = {
  'read-record': 'read the record',
  'write-record': 'changed the record',
  'read-notes': 'read the notes',
  'write-note': 'wrote a note',
  'read-audit': 'read this list',
  'read-visit-reason': 'read a visit reason',
  'write-visit-reason': 'wrote a visit reason',
};

/** Audit rows, newest first: who, what, when; refusals and break-glass reads stand out. */
export function AuditList(props: { items: AuditItem[]; label: string }) {
  const id = useId();
  if (props.items.length === 0) return <p class="muted">Nobody yet.</p>;
  return (
    <ol class="plain audit-list" aria-label={props.label} id={id}>
      {props.items.map((a) => (
        <li key={a.id} class={a.outcome === 'denied' ? 'audit denied' : 'audit'}>
          <strong>
            {a.actorName ?? (a.actorRole === 'anonymous' ? 'Someone not signed in' : a.actorRole)}
          </strong>{' '}
          <span class="muted">({a.actorRole})</span> {a.outcome === 'denied' ? 'was refused: ' : ''}
          {ACTIONS[a.action] ?? a.action} · <time dateTime={a.at}>{when(a.at)}</time>
          {a.breakGlass && <span class="badge delay"> Emergency access</span>}
          {a.reason && <span class="small"> — reason given: “{a.reason}”</span>}
        </li>
      ))}
    </ol>
  );
}
