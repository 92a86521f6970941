import { Select } from '../shared/form.js';
import type { Clinic } from './types.js';

/** The clinic a section works on (its doctors, its webhooks, a front-desk account's); one choice for the page. */
export function ClinicSelect(props: {
  clinics: Clinic[];
  clinicId: string;
  setClinicId: (id: string) => void;
}) {
  return (
    <Select
      label="Clinic"
      options={props.clinics.map((c) => ({ value: c.id, label: `${c.name} (${c.city})` }))}
      value={props.clinicId}
      onChange={props.setClinicId}
    />
  );
}
