-- Patient records (issue 16). Every clinical value is AES-256-GCM ciphertext sealed in the application
-- with the patient's own data key (envelope encryption); the associated data is "<table>.<column>:<row id>",
-- so a ciphertext copied to another row or column does not open. Nothing here is readable without the
-- master key (ENCRYPTION_KEY), which never reaches the database.

-- One data key per patient, wrapped (AES-256-GCM) by the master key named in master_key_id. Rotation
-- re-wraps these rows only; the data itself is never re-encrypted.
create table patient_keys (
  patient_id uuid primary key references users (id),
  wrapped_key bytea not null,
  master_key_id text not null,
  created_at timestamptz not null default now(),
  rewrapped_at timestamptz
);
create index patient_keys_master on patient_keys (master_key_id);

-- The record: one row per patient, each field sealed on its own (allergies, conditions and medications
-- as a JSON array before sealing).
create table patient_records (
  patient_id uuid primary key references users (id),
  date_of_birth bytea,
  sex bytea,
  allergies bytea,
  conditions bytea,
  medications bytea,
  notes bytea,
  updated_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Encounter notes: written by the appointment's doctor, never changed; a correction is a new note that
-- points at the one it corrects.
create table encounter_notes (
  id uuid primary key,
  appointment_id uuid not null references appointments (id),
  patient_id uuid not null references users (id),
  doctor_id uuid not null references doctors (id),
  corrects_id uuid references encounter_notes (id),
  text_ciphertext bytea not null,
  created_at timestamptz not null default now()
);
create index encounter_notes_patient on encounter_notes (patient_id, created_at);
create index encounter_notes_appointment on encounter_notes (appointment_id);

-- The cancel reason joins the visit reason as ciphertext; the old text column is left for rows written
-- before this migration, which `npm run rotate-keys` seals and clears.
alter table appointments
  add column cancel_reason_ciphertext bytea,
  add column cancel_reason_key_id text;

-- The audit log: append-only and hash-chained. id is assigned by the appender under an advisory lock,
-- so ids have no gaps; hash = sha256(prev_hash ‖ canonical row), checked by `npm run verify-audit`.
-- No foreign keys: the log outlives the accounts it names.
create table audit_log (
  id bigint primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_role text not null,
  patient_id uuid,
  action text not null,
  resource text not null,
  reason text,
  outcome text not null check (outcome in ('allowed', 'denied')),
  request_id text,
  break_glass boolean not null default false,
  prev_hash bytea not null,
  hash bytea not null
);
create index audit_log_patient on audit_log (patient_id, id);
create index audit_log_actor on audit_log (actor_id, id);

create function refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = '42501';
end $$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function refuse_change();
create trigger encounter_notes_append_only before update or delete on encounter_notes
  for each row execute function refuse_change();
