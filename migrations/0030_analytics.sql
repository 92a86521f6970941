-- Practice analytics (src/analytics): when a cancellation happened, an index for a doctor's appointments
-- by start, and a daily rollup per doctor and clinic-local day that is refreshed incrementally.

-- "How long before the start" needs the moment of the cancellation; updated_at moves with any later
-- change. Stamped by trigger on the status change itself (as 0012 stamps the queue times), whichever code
-- path makes it; existing cancellations get their last update as the best record there is.
alter table appointments add column cancelled_at timestamptz;
update appointments set cancelled_at = updated_at where status = 'cancelled';

create function stamp_cancelled_at() returns trigger
language plpgsql as $$
begin
  if new.cancelled_at is null then
    new.cancelled_at := now();
  end if;
  return new;
end $$;

create trigger appointments_cancelled_at before insert or update of status on appointments
  for each row when (new.status = 'cancelled')
  execute function stamp_cancelled_at();

-- A doctor's appointments in time order: every per-doctor figure reads a range of these.
create index appointments_doctor_start on appointments (doctor_id, lower(during));

-- One row per (clinic, doctor, clinic-local day) with the day's figures, built by the same query that
-- answers short ranges directly (src/analytics/analytics.store.ts), so the two cannot disagree in
-- definition. The *_minutes arrays keep every value (whole minutes) so percentiles over a year are exact.
create table analytics_doctor_days (
  clinic_id uuid not null references clinics (id) on delete cascade,
  doctor_id uuid not null references doctors (id) on delete cascade,
  day date not null,
  bookings integer not null,
  booked_minutes integer not null,
  completed integer not null,
  cancelled integer not null,
  no_shows integer not null,
  cancelled_by_patient integer not null,
  cancelled_by_doctor integer not null,
  cancelled_by_staff integer not null,
  cancelled_by_admin integer not null,
  cancelled_by_system integer not null,
  revenue_cents bigint not null,
  start_hours integer[] not null,
  lead_minutes integer[] not null,
  wait_minutes integer[] not null,
  consultation_minutes integer[] not null,
  cancel_notice_minutes integer[] not null,
  primary key (doctor_id, day, clinic_id)
);
create index analytics_doctor_days_clinic on analytics_doctor_days (clinic_id, day);

-- The (doctor, day) pairs whose appointments changed since their rollup row was built. A reader
-- rebuilds the dirty days of its range before reading (incremental refresh); nothing else keeps counts.
create table analytics_dirty_days (
  clinic_id uuid not null,
  doctor_id uuid not null,
  day date not null,
  primary key (doctor_id, day, clinic_id)
);

-- Statement-level triggers with transition tables: a bulk insert (the seed, the bench) marks each day
-- once, not once per row.
create function analytics_mark_new_days() returns trigger
language plpgsql as $$
begin
  insert into analytics_dirty_days (clinic_id, doctor_id, day)
  select distinct n.clinic_id, n.doctor_id, (lower(n.during) at time zone c.timezone)::date
  from new_rows n join clinics c on c.id = n.clinic_id
  on conflict do nothing;
  return null;
end $$;

create function analytics_mark_old_days() returns trigger
language plpgsql as $$
begin
  insert into analytics_dirty_days (clinic_id, doctor_id, day)
  select distinct o.clinic_id, o.doctor_id, (lower(o.during) at time zone c.timezone)::date
  from old_rows o join clinics c on c.id = o.clinic_id
  on conflict do nothing;
  return null;
end $$;

create trigger appointments_analytics_insert after insert on appointments
  referencing new table as new_rows for each statement execute function analytics_mark_new_days();
create trigger appointments_analytics_update_new after update on appointments
  referencing new table as new_rows for each statement execute function analytics_mark_new_days();
create trigger appointments_analytics_update_old after update on appointments
  referencing old table as old_rows for each statement execute function analytics_mark_old_days();
create trigger appointments_analytics_delete after delete on appointments
  referencing old table as old_rows for each statement execute function analytics_mark_old_days();

-- A cancellation's "by whom" is the canceller's role, so a role change reshapes their past days.
create function analytics_mark_canceller_days() returns trigger
language plpgsql as $$
begin
  insert into analytics_dirty_days (clinic_id, doctor_id, day)
  select distinct a.clinic_id, a.doctor_id, (lower(a.during) at time zone c.timezone)::date
  from appointments a join clinics c on c.id = a.clinic_id
  where a.cancelled_by = new.id
  on conflict do nothing;
  return null;
end $$;

create trigger users_analytics_role after update of role on users
  for each row when (old.role is distinct from new.role)
  execute function analytics_mark_canceller_days();

-- A clinic moving to another time zone moves every local day: its rollup is rebuilt from scratch.
create function analytics_reset_clinic() returns trigger
language plpgsql as $$
begin
  delete from analytics_doctor_days where clinic_id = new.id;
  insert into analytics_dirty_days (clinic_id, doctor_id, day)
  select distinct a.clinic_id, a.doctor_id, (lower(a.during) at time zone new.timezone)::date
  from appointments a where a.clinic_id = new.id
  on conflict do nothing;
  return null;
end $$;

create trigger clinics_analytics_timezone after update on clinics
  for each row when (old.timezone is distinct from new.timezone)
  execute function analytics_reset_clinic();
