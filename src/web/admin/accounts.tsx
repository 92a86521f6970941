import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { bindFields, handleSubmit, Input, Problem, Select } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import { ClinicSelect } from './clinic-select.js';
import type { Account, Clinic } from './types.js';

const ROLES = [
  { value: 'staff', label: 'Front desk (staff of one clinic)' },
  { value: 'admin', label: 'Administrator' },
];
const ROLE_NAMES: Record<string, string> = { staff: 'Front desk', admin: 'Administrator', doctor: 'Doctor' };

interface Form {
  role: string;
  name: string;
  email: string;
  password: string;
}
const empty: Form = { role: 'staff', name: '', email: '', password: '' };

/**
 * Front-desk and admin accounts (POST /v1/users), and the accounts created on this page in this
 * session: the API cannot list accounts yet, so that is all there is to show.
 */
export function Accounts(props: {
  clinics: Clinic[];
  clinicId: string;
  setClinicId: (id: string) => void;
  created: Account[];
  onAccount: (a: Account) => void;
}) {
  const [form, setForm] = useState<Form>(empty);
  const [done, setDone] = useState<string>();
  const { error, busy, run } = useAction();
  const staff = form.role === 'staff';
  const clinicName = (id: string | null) => props.clinics.find((c) => c.id === id)?.name ?? '';
  const create = () =>
    run(async () => {
      setDone(undefined);
      const account = await api<Account>('POST', '/v1/users', {
        role: form.role,
        name: form.name,
        email: form.email,
        password: form.password,
        ...(staff ? { clinicId: props.clinicId } : {}),
      });
      props.onAccount(account);
      setForm({ ...empty, role: form.role });
      setDone(`${account.name} (${account.email}) can sign in now.`);
    });
  const field = bindFields(form, setForm);

  return (
    <>
      <form class="adm-form" aria-labelledby="new-account-title" onSubmit={handleSubmit(create)}>
        <h3 id="new-account-title">New account</h3>
        <div class="adm-fields">
          <Select
            label="Role"
            options={ROLES}
            value={form.role}
            onChange={(role) => setForm({ ...form, role })}
          />
          {staff && (
            <ClinicSelect clinics={props.clinics} clinicId={props.clinicId} setClinicId={props.setClinicId} />
          )}
          <Input label="Full name" required autocomplete="off" {...field('name')} />
          <Input label="Email" type="email" required autocomplete="off" {...field('email')} />
          <Input
            label="Password"
            type="password"
            required
            autocomplete="new-password"
            hint="At least 10 characters."
            {...field('password')}
          />
        </div>
        <Problem error={error} />
        <button type="submit" disabled={busy || (staff && !props.clinicId)}>
          Create account
        </button>
        <p role="status" class="adm-ok">
          {done}
        </p>
      </form>
      <h3 id="created-title">Created in this session</h3>
      <p class="hint">
        The API has no list of accounts yet: these are the accounts created on this page since you signed in
        on this tab (doctors included).
      </p>
      {props.created.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul class="plain" aria-labelledby="created-title">
          {props.created.map((a) => (
            <li key={a.id} class="adm-item">
              <strong>{a.name}</strong> · {ROLE_NAMES[a.role] ?? a.role}
              {a.clinicId && `, ${clinicName(a.clinicId)}`}
              <div class="muted">{a.email}</div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
