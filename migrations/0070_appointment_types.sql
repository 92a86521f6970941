-- Appointment types: what a doctor offers (a first visit, a follow-up, a procedure), each with its own
-- length, fee, buffer and who may book it. Every doctor has exactly one default type, created with the
-- doctor: its length, buffer and fee are null, meaning "the weekly rules' slot length, the availability
-- buffer and the profile fee" — the behaviour from before types existed.
create table appointment_types (
  id uuid primary key default gen_random_uuid(),
  doctor_id uuid not null references doctors (id) on delete cascade,
  name text not null check (length(name) between 1 and 80),
  duration_minutes integer check (duration_minutes between 5 and 480),
  fee_cents integer check (fee_cents >= 0),
  currency text check (currency ~ '^[A-Z]{3}$'),
  online boolean not null default true,
  audience text not null default 'any' check (audience in ('any', 'new', 'returning')),
  buffer_minutes integer check (buffer_minutes between 0 and 240),
  is_default boolean not null default false,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (is_default or duration_minutes is not null),
  check ((fee_cents is null) = (currency is null))
);
create unique index appointment_types_one_default on appointment_types (doctor_id) where is_default;
create index appointment_types_doctor on appointment_types (doctor_id);

insert into appointment_types (doctor_id, name, is_default) select id, 'Consultation', true from doctors;

create function add_default_appointment_type() returns trigger
language plpgsql as $$
begin
  insert into appointment_types (doctor_id, name, is_default) values (new.id, 'Consultation', true);
  return null;
end $$;

create trigger doctors_default_appointment_type after insert on doctors
  for each row execute function add_default_appointment_type();

-- A type's length and buffer shape its slots: the schedule version (migrations/0009) moves with them.
create trigger appointment_types_schedule_version after insert or update or delete on appointment_types
  for each row execute function bump_schedule_version_of_rows();

-- An appointment names its type and keeps the buffer it was booked with: the gap after it that other
-- slots leave free. The fee was already copied at booking time (fee_cents, currency).
alter table appointments add column type_id uuid references appointment_types (id);
alter table appointments add column buffer_minutes integer not null default 0 check (buffer_minutes between 0 and 240);
update appointments a set type_id = t.id from appointment_types t where t.doctor_id = a.doctor_id and t.is_default;
create index appointments_type on appointments (type_id);
