-- Weekly availability in the clinic's local time, time off as instants, and booking settings.
-- btree_gist lets gist indexes and exclusion constraints mix equality (uuid) with ranges.
create extension if not exists btree_gist;

alter table doctors add column buffer_minutes integer not null default 0 check (buffer_minutes between 0 and 240);

create table availability_rules (
  id uuid primary key default gen_random_uuid(),
  doctor_id uuid not null references doctors (id) on delete cascade,
  weekday smallint not null check (weekday between 1 and 7),
  start_time text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time text not null check (end_time ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
  slot_minutes integer not null check (slot_minutes between 5 and 240),
  valid_from date,
  valid_to date,
  check (end_time > start_time),
  check (valid_to is null or valid_from is null or valid_to >= valid_from)
);
create index availability_rules_doctor on availability_rules (doctor_id, weekday);

create table time_off (
  id uuid primary key default gen_random_uuid(),
  doctor_id uuid not null references doctors (id) on delete cascade,
  during tstzrange not null check (not isempty(during)),
  reason text,
  created_at timestamptz not null default now()
);
create index time_off_doctor on time_off using gist (doctor_id, during);
