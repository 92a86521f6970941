import { bindFields, Input } from '../shared/form.js';

/** Who comes and why, as the desk types it for a walk-in or a phone booking. */
export interface Visit {
  name: string;
  phone: string;
  email: string;
  reason: string;
}

export const NO_VISIT: Visit = { name: '', phone: '', email: '', reason: '' };

/** The body's `patient` (empty fields left out: a desk patient needs only a name) and `reason`, if any. */
export function visitBody(v: Visit) {
  return {
    patient: {
      name: v.name.trim(),
      ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
      ...(v.email.trim() ? { email: v.email.trim() } : {}),
    },
    ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
  };
}

/**
 * Name, phone and email of a patient the desk registers (an email already on file is that patient),
 * then the reason for the visit.
 */
export function VisitFields(props: { value: Visit; onChange: (v: Visit) => void }) {
  const field = bindFields(props.value, props.onChange);
  return (
    <>
      <fieldset class="patient">
        <legend>Patient</legend>
        <Input label="Name" autocomplete="off" {...field('name')} required maxLength={200} />
        <Input
          label="Phone"
          autocomplete="off"
          type="tel"
          {...field('phone')}
          optional
          pattern="\+?[0-9][0-9 \(\)\-]{4,24}"
        />
        <Input
          label="Email"
          autocomplete="off"
          type="email"
          {...field('email')}
          optional
          hint="With an email already on file, the booking goes to that patient."
        />
      </fieldset>
      <Input label="Reason for the visit" autocomplete="off" {...field('reason')} optional maxLength={1000} />
    </>
  );
}
