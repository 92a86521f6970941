-- Doctor profiles: a doctor account practising at one clinic, with public fee and profile.
create table doctors (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references users (id),
  clinic_id uuid not null references clinics (id),
  fee_cents integer not null check (fee_cents >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  languages text[] not null default '{}',
  bio text,
  min_notice_minutes integer not null default 60 check (min_notice_minutes between 0 and 43200),
  horizon_days integer not null default 90 check (horizon_days between 1 and 730),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index doctors_clinic on doctors (clinic_id);
create index doctors_languages on doctors using gin (languages);

create table doctor_specialties (
  doctor_id uuid not null references doctors (id) on delete cascade,
  specialty_slug text not null references specialties (slug),
  primary key (doctor_id, specialty_slug)
);
create index doctor_specialties_slug on doctor_specialties (specialty_slug, doctor_id);
