import { useEffect, useState } from 'preact/hooks';
import { api, type User } from '../shared/api.js';
import { handleSubmit, Input, Problem, Select } from '../shared/form.js';
import {
  type AuditItem,
  AuditList,
  type EncounterNote,
  NoteList,
  type PatientRecord,
  RecordFields,
  SEX_OPTIONS,
} from '../shared/record.js';
import { useAction } from '../shared/ui.js';

/**
 * The patient's own record: what their doctors keep (read-only), the profile fields they may change
 * (date of birth, sex), their encounter notes, and who else looked at the record (the audit trail).
 */
export function MyRecord({ user }: { user: User }) {
  const base = `/v1/patients/${user.id}`;
  const [record, setRecord] = useState<PatientRecord>();
  const [notes, setNotes] = useState<EncounterNote[]>([]);
  const [audit, setAudit] = useState<AuditItem[]>([]);
  const [form, setForm] = useState({ dateOfBirth: '', sex: '' });
  const [loadError, setLoadError] = useState<unknown>();
  const save = useAction();

  const load = async () => {
    const [r, n, a] = await Promise.all([
      api<PatientRecord>('GET', `${base}/record`),
      api<{ items: EncounterNote[] }>('GET', `${base}/notes`),
      api<{ items: AuditItem[] }>('GET', `${base}/audit?limit=50`),
    ]);
    setRecord(r);
    setNotes(n.items);
    setAudit(a.items);
    setForm({ dateOfBirth: r.dateOfBirth ?? '', sex: r.sex ?? '' });
  };
  useEffect(() => {
    load().catch(setLoadError);
  }, [user.id]);

  const submit = () =>
    save.run(async () => {
      await api('PUT', `${base}/record`, {
        dateOfBirth: form.dateOfBirth || null,
        sex: form.sex || null,
      });
      await load();
    });

  return (
    <section class="card" aria-labelledby="my-record-title">
      <h2 id="my-record-title">My record</h2>
      <Problem error={loadError} />
      {record && (
        <>
          <RecordFields record={record} />
          <form onSubmit={handleSubmit(submit)} aria-label="My details">
            <Input
              label="Date of birth"
              type="date"
              value={form.dateOfBirth}
              onInput={(v) => setForm({ ...form, dateOfBirth: v })}
            />
            <Select
              label="Sex"
              value={form.sex}
              onChange={(v) => setForm({ ...form, sex: v })}
              options={SEX_OPTIONS}
            />
            <Problem error={save.error} />
            <button type="submit" disabled={save.busy}>
              Save my details
            </button>
          </form>
          <h3>Notes from my visits</h3>
          <NoteList notes={notes} />
          <h3 id="who-looked">Who looked at my record</h3>
          <AuditList items={audit.filter((a) => a.actorId !== user.id)} label="Who looked at my record" />
        </>
      )}
    </section>
  );
}
