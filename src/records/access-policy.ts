/**
 * Who may do what with a patient's record: the one place the rules live (a pure function, tested as a
 * table over every role and relation). The service works out the relation from the database, asks here,
 * and audits the answer; anyone refused learns nothing (404), an anonymous caller is asked to sign in.
 */

/** How the caller stands to the patient. */
export type Relation =
  | 'anonymous'
  | 'self'
  /** Another patient. */
  | 'other-patient'
  /** A doctor with an appointment with the patient that took place (or its time has passed). */
  | 'doctor-past'
  /** A doctor with an upcoming appointment with the patient. */
  | 'doctor-upcoming'
  /** A doctor whose only appointments with the patient were cancelled. */
  | 'doctor-cancelled'
  | 'doctor-none'
  /** Front desk of a clinic where the patient has an appointment. */
  | 'staff-clinic'
  | 'staff-elsewhere'
  | 'admin';

export type RecordAction =
  | 'read-record'
  | 'write-record'
  | 'read-notes'
  /** Writing a note on one appointment: the relation is the caller's to that appointment (see below). */
  | 'write-note'
  | 'read-audit';

/** What an allowed caller sees or changes of the record. */
export type Scope =
  /** Everything clinical. */
  | 'clinical'
  /** The patient's own profile fields (date of birth, sex) to edit; reading still sees everything. */
  | 'profile'
  /** Name and contact details only. */
  | 'contact'
  /** The audit trail. */
  | 'audit';

export type Decision =
  | { allowed: true; scope: Scope; breakGlass: boolean }
  | { allowed: false; answer: 'unauthorized' | 'not_found' };

/** The fields a patient may change in their own record. */
export const PROFILE_FIELDS = ['dateOfBirth', 'sex'] as const;

const allow = (scope: Scope, breakGlass = false): Decision => ({ allowed: true, scope, breakGlass });
const hidden: Decision = { allowed: false, answer: 'not_found' };

/**
 * The rules. A doctor's relation counts from appointments that were not cancelled: a booking cancelled
 * before it took place leaves no care relation behind. For `write-note` the relation is the caller's to
 * the appointment written on: only its own doctor (past or upcoming), never on a cancelled one. An admin
 * reads (record, notes) only with a stated reason, which is break-glass and flagged in the audit; the
 * audit trail itself is theirs to read without one. Admins do not write clinical data.
 */
export function decide(relation: Relation, action: RecordAction, statedReason: string | undefined): Decision {
  if (relation === 'anonymous') return { allowed: false, answer: 'unauthorized' };
  switch (relation) {
    case 'self':
      if (action === 'write-record') return allow('profile');
      if (action === 'read-audit') return allow('audit');
      return action === 'write-note' ? hidden : allow('clinical');
    case 'doctor-past':
    case 'doctor-upcoming':
      return action === 'read-audit' ? hidden : allow('clinical');
    case 'staff-clinic':
      return action === 'read-record' ? allow('contact') : hidden;
    case 'admin':
      if (action === 'read-audit') return allow('audit');
      if (action === 'read-record' || action === 'read-notes')
        return statedReason ? allow('clinical', true) : hidden;
      return hidden;
    default:
      return hidden;
  }
}
