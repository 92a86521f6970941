import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { dayTime } from '../shared/clinic-time.js';
import { fetchAll } from '../shared/fetch-all.js';
import { bindFields, CheckGroup, handleSubmit, Input, Problem } from '../shared/form.js';
import type { Specialty } from '../shared/types.js';
import { money, useAction } from '../shared/ui.js';
import { ClinicSelect } from './clinic-select.js';
import type { Account, Clinic, Doctor } from './types.js';

interface Form {
  name: string;
  email: string;
  password: string;
  specialties: string[];
  fee: string;
  currency: string;
  languages: string;
}
const empty: Form = {
  name: '',
  email: '',
  password: '',
  specialties: [],
  fee: '50',
  currency: 'EUR',
  languages: 'en',
};

const LABELS: Record<string, string> = {
  name: 'Full name',
  email: 'Email',
  password: 'Temporary password',
  specialties: 'Specialties',
  feeCents: 'Fee',
  currency: 'Currency',
  languages: 'Languages',
};

/** Minor units of an amount typed in major units ("49.50" EUR → 4950; JPY has none). */
function minorUnits(amount: string, currency: string): number {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    // an unknown currency: the API refuses it with its own message
  }
  return Math.round(Number(amount.replace(',', '.')) * 10 ** digits);
}

/**
 * Doctors of a clinic (GET /v1/doctors?clinicId=) and a form that adds one: the doctor's account
 * first (POST /v1/users, role doctor), then the profile (POST /v1/doctors). When the profile is
 * refused, the account stays: submitting again with the same email only retries the profile.
 */
export function Doctors(props: {
  clinics: Clinic[];
  clinicId: string;
  setClinicId: (id: string) => void;
  onAccount: (a: Account) => void;
}) {
  const { clinicId } = props;
  const [doctors, setDoctors] = useState<Doctor[]>();
  const [listError, setListError] = useState<unknown>();
  const [specialties, setSpecialties] = useState<Specialty[]>([]);
  const [form, setForm] = useState<Form>(empty);
  const [pending, setPending] = useState<Account>();
  const [done, setDone] = useState<string>();
  const { error, busy, run } = useAction();

  const load = async () => {
    if (!clinicId) return;
    try {
      setDoctors(await fetchAll<Doctor>(`/v1/doctors?clinicId=${clinicId}`));
      setListError(undefined);
    } catch (err) {
      setListError(err);
    }
  };
  useEffect(() => {
    setDoctors(undefined);
    void load();
  }, [clinicId]);
  useEffect(() => {
    api<{ items: Specialty[] }>('GET', '/v1/specialties').then((s) => setSpecialties(s.items), setListError);
  }, []);

  const clinic = props.clinics.find((c) => c.id === clinicId);
  const create = () =>
    run(async () => {
      setDone(undefined);
      const email = form.email.trim().toLowerCase();
      let account = pending?.email === email ? pending : undefined;
      if (!account) {
        account = await api<Account>('POST', '/v1/users', {
          role: 'doctor',
          email,
          password: form.password,
          name: form.name,
        });
        setPending(account);
        props.onAccount(account);
      }
      const doctor = await api<Doctor>('POST', '/v1/doctors', {
        userId: account.id,
        clinicId,
        specialties: form.specialties,
        feeCents: minorUnits(form.fee, form.currency.trim().toUpperCase()),
        currency: form.currency.trim().toUpperCase(),
        languages: form.languages
          .split(/[\s,]+/)
          .map((l) => l.trim())
          .filter(Boolean),
      });
      props.onAccount({ ...account, clinicId }); // shown with the clinic the profile is at
      setPending(undefined);
      setForm(empty);
      await load();
      setDone(`${doctor.name} was added to ${doctor.clinic.name}. They sign in at /doctor with ${email}.`);
    });
  const field = bindFields(form, setForm);

  return (
    <>
      <ClinicSelect clinics={props.clinics} clinicId={props.clinicId} setClinicId={props.setClinicId} />
      <Problem error={listError} />
      {!doctors ? (
        !listError && <p>Loading doctors…</p>
      ) : doctors.length === 0 ? (
        <p>No doctors at {clinic?.name ?? 'this clinic'} yet.</p>
      ) : (
        <ul class="plain" aria-label={`Doctors at ${clinic?.name ?? 'the clinic'}`}>
          {doctors.map((d) => (
            <li key={d.id} class="adm-item">
              <strong>{d.name}</strong>
              <span class="muted"> · {d.specialties.map((s) => s.name).join(', ')}</span>
              <div class="muted">
                {money(d.feeCents, d.currency)} · speaks {d.languages.join(', ') || '—'} ·{' '}
                {d.nextAvailable
                  ? `next free ${dayTime(d.nextAvailable)}`
                  : 'no free slot in the next 62 days'}
              </div>
            </li>
          ))}
        </ul>
      )}
      <form class="adm-form" aria-labelledby="new-doctor-title" onSubmit={handleSubmit(create)}>
        <h3 id="new-doctor-title">New doctor{clinic ? ` at ${clinic.name}` : ''}</h3>
        <div class="adm-fields">
          <Input label="Full name" required autocomplete="off" {...field('name')} />
          <Input label="Email" type="email" required autocomplete="off" {...field('email')} />
          <Input
            label="Temporary password"
            type="password"
            required
            autocomplete="new-password"
            hint="At least 10 characters; give it to the doctor."
            {...field('password')}
          />
          <Input
            label="Fee"
            inputMode="decimal"
            required
            hint="In the currency's units, e.g. 49.50"
            {...field('fee')}
          />
          <Input label="Currency" required hint="ISO code, e.g. EUR" {...field('currency')} />
          <Input label="Languages" hint="Codes, comma-separated: en, de" {...field('languages')} />
        </div>
        <CheckGroup
          legend="Specialties"
          options={specialties.map((s) => ({ value: s.slug, label: s.name }))}
          checked={form.specialties}
          onChange={(specialties) => setForm({ ...form, specialties })}
        />
        {pending && (
          <p class="hint">
            The account {pending.email} exists; submitting again adds its profile (keep the same email).
          </p>
        )}
        <Problem error={error} fieldName={LABELS} />
        <button type="submit" disabled={busy || !clinicId}>
          Add doctor
        </button>
        <p role="status" class="adm-ok">
          {done}
        </p>
      </form>
    </>
  );
}
