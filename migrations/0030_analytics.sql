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
  -- The distinct patients seen that day (not cancelled), so a range counts its patients without
  -- reading the appointments again.
  patient_ids uuid[] not null,
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

-- Each patient's first appointment (not cancelled) with each doctor and at each clinic: "new vs
-- returning" over a range is then a count of first visits inside it, not a search of every patient's
-- past. Derived from the appointments like the rollup, kept by the same statement triggers (below) for
-- exactly the (doctor, patient) and (clinic, patient) pairs a statement touched.
create table analytics_first_visits (
  doctor_id uuid not null references doctors (id) on delete cascade,
  patient_id uuid not null references users (id) on delete cascade,
  first_start timestamptz not null,
  primary key (doctor_id, patient_id)
);
create index analytics_first_visits_doctor on analytics_first_visits (doctor_id, first_start);

create table analytics_first_clinic_visits (
  clinic_id uuid not null references clinics (id) on delete cascade,
  patient_id uuid not null references users (id) on delete cascade,
  first_start timestamptz not null,
  primary key (clinic_id, patient_id)
);
create index analytics_first_clinic_visits_clinic on analytics_first_clinic_visits (clinic_id, first_start);

insert into analytics_first_visits (doctor_id, patient_id, first_start)
select doctor_id, patient_id, min(lower(during)) from appointments where status <> 'cancelled' group by 1, 2;
insert into analytics_first_clinic_visits (clinic_id, patient_id, first_start)
select clinic_id, patient_id, min(lower(during)) from appointments where status <> 'cancelled' group by 1, 2;

-- Marks what a statement's changed rows touch (four equal-length arrays: doctor, clinic, patient and
-- start of each row, old and new): their days dirty, and the first visits of their (doctor, patient) and
-- (clinic, patient) pairs recomputed.
create function analytics_mark_rows(doctor_ids uuid[], clinic_ids uuid[], patient_ids uuid[], starts timestamptz[])
returns void
language plpgsql as $$
begin
  insert into analytics_dirty_days (clinic_id, doctor_id, day)
  select distinct t.clinic_id, t.doctor_id, (t.start at time zone c.timezone)::date
  from unnest(clinic_ids, doctor_ids, starts) as t(clinic_id, doctor_id, start) join clinics c on c.id = t.clinic_id
  on conflict do nothing;

  with pairs as (select distinct doctor_id, patient_id from unnest(doctor_ids, patient_ids) as t(doctor_id, patient_id)),
  firsts as (
    select a.doctor_id, a.patient_id, min(lower(a.during)) as first_start
    from appointments a join pairs p on p.doctor_id = a.doctor_id and p.patient_id = a.patient_id
    where a.status <> 'cancelled' group by 1, 2
  ),
  gone as (
    delete from analytics_first_visits f using pairs p
    where f.doctor_id = p.doctor_id and f.patient_id = p.patient_id
      and not exists (select 1 from firsts x where x.doctor_id = p.doctor_id and x.patient_id = p.patient_id)
  )
  insert into analytics_first_visits select * from firsts
  on conflict (doctor_id, patient_id) do update set first_start = excluded.first_start;

  with pairs as (select distinct clinic_id, patient_id from unnest(clinic_ids, patient_ids) as t(clinic_id, patient_id)),
  firsts as (
    select a.clinic_id, a.patient_id, min(lower(a.during)) as first_start
    from appointments a join pairs p on p.clinic_id = a.clinic_id and p.patient_id = a.patient_id
    where a.status <> 'cancelled' group by 1, 2
  ),
  gone as (
    delete from analytics_first_clinic_visits f using pairs p
    where f.clinic_id = p.clinic_id and f.patient_id = p.patient_id
      and not exists (select 1 from firsts x where x.clinic_id = p.clinic_id and x.patient_id = p.patient_id)
  )
  insert into analytics_first_clinic_visits select * from firsts
  on conflict (clinic_id, patient_id) do update set first_start = excluded.first_start;
end $$;

-- Statement-level triggers with transition tables: a bulk insert (the seed) marks each day once, not
-- once per row. One scan per transition table fills the arrays, so their elements stay aligned.
create function analytics_mark_changed() returns trigger
language plpgsql as $$
declare
  doctors uuid[];
  clinics uuid[];
  patients uuid[];
  starts timestamptz[];
begin
  if tg_op <> 'DELETE' then
    select array_agg(r.doctor_id), array_agg(r.clinic_id), array_agg(r.patient_id), array_agg(lower(r.during))
      into doctors, clinics, patients, starts from new_rows r;
  end if;
  if tg_op <> 'INSERT' then
    select doctors || array_agg(r.doctor_id), clinics || array_agg(r.clinic_id),
           patients || array_agg(r.patient_id), starts || array_agg(lower(r.during))
      into doctors, clinics, patients, starts from old_rows r;
  end if;
  perform analytics_mark_rows(doctors, clinics, patients, starts);
  return null;
end $$;

create trigger appointments_analytics_insert after insert on appointments
  referencing new table as new_rows for each statement execute function analytics_mark_changed();
create trigger appointments_analytics_update after update on appointments
  referencing old table as old_rows new table as new_rows for each statement execute function analytics_mark_changed();
create trigger appointments_analytics_delete after delete on appointments
  referencing old table as old_rows for each statement execute function analytics_mark_changed();

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
