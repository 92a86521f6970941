import { Input } from '../shared/form.js';

export interface PatientInput {
  name: string;
  phone: string;
  email: string;
}

export const NO_PATIENT: PatientInput = { name: '', phone: '', email: '' };

/** The body's `patient`: empty fields left out (a desk patient needs only a name). */
export function patientBody(p: PatientInput) {
  return {
    name: p.name.trim(),
    ...(p.phone.trim() ? { phone: p.phone.trim() } : {}),
    ...(p.email.trim() ? { email: p.email.trim() } : {}),
  };
}

/** Name, phone and email of a patient the desk registers (an email already on file is that patient). */
export function PatientFields(props: { value: PatientInput; onChange: (p: PatientInput) => void }) {
  const set = (field: keyof PatientInput) => (v: string) => props.onChange({ ...props.value, [field]: v });
  return (
    <fieldset class="patient">
      <legend>Patient</legend>
      <Input
        label="Name"
        autocomplete="off"
        value={props.value.name}
        onInput={set('name')}
        required
        maxLength={200}
      />
      <Input
        label="Phone"
        autocomplete="off"
        type="tel"
        value={props.value.phone}
        onInput={set('phone')}
        optional
        pattern="\+?[0-9][0-9 \(\)\-]{4,24}"
      />
      <Input
        label="Email"
        autocomplete="off"
        type="email"
        value={props.value.email}
        onInput={set('email')}
        optional
        hint="With an email already on file, the booking goes to that patient."
      />
    </fieldset>
  );
}
