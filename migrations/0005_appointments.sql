-- Appointments. The two exclusion constraints ARE the guard against double booking (invariant 1):
-- no check-then-insert in the application. Every active status is listed in both WHERE clauses.
create table appointments (
  id uuid primary key default gen_random_uuid(),
  doctor_id uuid not null references doctors (id),
  patient_id uuid not null references users (id),
  clinic_id uuid not null references clinics (id),
  during tstzrange not null check (not isempty(during) and lower_inc(during) and not upper_inc(during)),
  status text not null default 'booked'
    check (status in ('booked', 'checked_in', 'in_consultation', 'completed', 'cancelled', 'no_show')),
  fee_cents integer not null check (fee_cents >= 0),
  currency text not null,
  -- Reason for the visit is health data: AES-256-GCM ciphertext, key id beside it (invariant 5).
  reason_ciphertext bytea,
  reason_key_id text,
  -- Bumped by every reschedule; reminder jobs carry it and drop themselves when it moved on.
  version integer not null default 1,
  cancelled_by uuid references users (id),
  cancel_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint appointments_no_doctor_overlap exclude using gist (doctor_id with =, during with &&)
    where (status in ('booked', 'checked_in', 'in_consultation')),
  constraint appointments_no_patient_overlap exclude using gist (patient_id with =, during with &&)
    where (status in ('booked', 'checked_in', 'in_consultation'))
);
create index appointments_patient on appointments (patient_id, lower(during));
create index appointments_clinic_day on appointments (clinic_id, lower(during));

-- The outbox (invariant 3): one row per room-message, written in the same transaction as the change.
-- The relay (src/realtime/event-relay.ts) emits unpublished rows and marks them; clients resync by id.
create table events (
  id bigint generated always as identity primary key,
  room text not null,
  type text not null,
  data jsonb not null,
  occurred_at timestamptz not null default now(),
  published_at timestamptz
);
create index events_room on events (room, id);
create index events_unpublished on events (id) where published_at is null;
