import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { bindFields, handleSubmit, Input, Problem, Select } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import type { Clinic } from './types.js';

interface Form {
  name: string;
  address: string;
  city: string;
  timezone: string;
  lat: string;
  lon: string;
  phone: string;
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = [...new Set([browserZone, ...Intl.supportedValuesOf('timeZone')])]
  .sort()
  .map((z) => ({ value: z, label: z.replaceAll('_', ' ') }));

const empty: Form = { name: '', address: '', city: '', timezone: browserZone, lat: '', lon: '', phone: '' };
const formOf = (c: Clinic): Form => ({
  name: c.name,
  address: c.address,
  city: c.city,
  timezone: c.timezone,
  lat: String(c.lat),
  lon: String(c.lon),
  phone: c.phone ?? '',
});
const bodyOf = (f: Form) => ({
  name: f.name,
  address: f.address,
  city: f.city,
  timezone: f.timezone,
  lat: Number(f.lat.replace(',', '.')),
  lon: Number(f.lon.replace(',', '.')),
  ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
});

const LABELS: Record<string, string> = {
  name: 'Clinic name',
  address: 'Street address',
  city: 'City',
  timezone: 'Time zone',
  lat: 'Latitude',
  lon: 'Longitude',
  phone: 'Phone',
};

/** The fields of a clinic (the new-clinic form and each edit form). */
function ClinicFields(props: { form: Form; set: (f: Form) => void }) {
  const { form, set } = props;
  const field = bindFields(form, set);
  return (
    <div class="adm-fields">
      <Input label="Clinic name" required {...field('name')} />
      <Input label="Street address" required autocomplete="off" {...field('address')} />
      <Input label="City" required {...field('city')} />
      <Select
        label="Time zone"
        options={ZONES}
        value={form.timezone}
        onChange={(v) => set({ ...form, timezone: v })}
      />
      <Input label="Latitude" inputMode="decimal" required hint="e.g. 52.52" {...field('lat')} />
      <Input label="Longitude" inputMode="decimal" required hint="e.g. 13.405" {...field('lon')} />
      <Input label="Phone" optional type="tel" autocomplete="off" {...field('phone')} />
    </div>
  );
}

/** One clinic in the list, with its edit form (PATCH sends only what changed). */
function ClinicItem(props: { clinic: Clinic; onSaved: () => Promise<void> }) {
  const { clinic } = props;
  const [form, setForm] = useState<Form>();
  const { error, busy, run } = useAction();
  const save = (f: Form) =>
    run(async () => {
      const before = bodyOf(formOf(clinic)) as Record<string, unknown>;
      const changed = Object.fromEntries(Object.entries(bodyOf(f)).filter(([k, v]) => before[k] !== v));
      if (Object.keys(changed).length > 0) await api('PATCH', `/v1/clinics/${clinic.id}`, changed);
      await props.onSaved();
      setForm(undefined);
    });
  return (
    <li class="adm-item">
      <div class="adm-line">
        <div>
          <strong>{clinic.name}</strong>
          <span class="muted">
            {' '}
            · {clinic.city} · {clinic.timezone}
          </span>
          <div class="muted">
            {clinic.address}
            {clinic.phone && ` · ${clinic.phone}`}
          </div>
        </div>
        {!form && (
          <button
            type="button"
            class="secondary"
            aria-label={`Edit ${clinic.name}`}
            onClick={() => setForm(formOf(clinic))}
          >
            Edit
          </button>
        )}
      </div>
      {form && (
        <form aria-label={`Edit ${clinic.name}`} onSubmit={handleSubmit(() => save(form))}>
          <ClinicFields form={form} set={setForm} />
          <p class="hint">A phone number can be changed here but not removed.</p>
          <Problem error={error} fieldName={LABELS} />
          <div class="row">
            <button type="submit" disabled={busy}>
              Save changes
            </button>
            <button type="button" class="secondary" onClick={() => setForm(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

/** Clinics: the server's list, a form to add one, and an edit form per clinic. */
export function Clinics(props: {
  clinics: Clinic[] | undefined;
  error: unknown;
  reload: () => Promise<void>;
  onCreated: (c: Clinic) => void;
}) {
  const [form, setForm] = useState<Form>(empty);
  const [created, setCreated] = useState<string>();
  const { error, busy, run } = useAction();
  const create = () =>
    run(async () => {
      setCreated(undefined);
      const clinic = await api<Clinic>('POST', '/v1/clinics', bodyOf(form));
      setForm(empty);
      await props.reload();
      setCreated(`${clinic.name} was added.`);
      props.onCreated(clinic);
    });
  return (
    <>
      <Problem error={props.error} />
      {!props.clinics ? (
        !props.error && <p>Loading clinics…</p>
      ) : props.clinics.length === 0 ? (
        <p>No clinics yet.</p>
      ) : (
        <ul class="plain" aria-label="Clinics">
          {props.clinics.map((c) => (
            <ClinicItem key={c.id} clinic={c} onSaved={props.reload} />
          ))}
        </ul>
      )}
      <form class="adm-form" aria-labelledby="new-clinic-title" onSubmit={handleSubmit(create)}>
        <h3 id="new-clinic-title">New clinic</h3>
        <ClinicFields form={form} set={setForm} />
        <Problem error={error} fieldName={LABELS} />
        <button type="submit" disabled={busy}>
          Add clinic
        </button>
        <p role="status" class="adm-ok">
          {created}
        </p>
      </form>
    </>
  );
}
