-- A patient's rating of a completed appointment: one per appointment, editable for 14 days. The doctor's
-- public average counts only these rows, so only completed visits count.
create table ratings (
  appointment_id uuid primary key references appointments (id),
  doctor_id uuid not null references doctors (id),
  patient_id uuid not null references users (id),
  stars smallint not null check (stars between 1 and 5),
  comment text check (length(comment) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index ratings_doctor on ratings (doctor_id, created_at desc);
