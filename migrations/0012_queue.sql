-- The front desk's day (src/queue): arrivals and tickets, consultation times, doctors' rooms and delays,
-- display tokens, delay notices and a revision per clinic and day.

-- Patients the front desk registers at the counter (walk-ins, phone bookings) have no login yet: a null
-- password_hash means "no login" (login already compares against a dummy hash when there is none, so it
-- simply fails), and their email is optional. Anyone who can sign in needs an email, and every role but
-- patient must be able to sign in. Null emails are distinct under the unique index, so two counter
-- patients without email never collide; a counter patient WITH an email holds it, and registering with
-- that email later is the place to claim the record (set a password) rather than create a second one.
alter table users alter column password_hash drop not null, alter column email drop not null;
alter table users
  add constraint users_login_needs_email check (password_hash is null or email is not null),
  add constraint users_only_patients_without_login check (role = 'patient' or password_hash is not null);

-- Until now a status change only touched updated_at, so nothing told how long a consultation took.
-- arrived_at: when the patient reached the desk (check-in or walk-in); ticket: the number called out,
-- unique per clinic and local day (ticket_day), never reused that day; walk_in: came without a booking,
-- fitted into a gap; started_at / completed_at: the consultation, for the doctor's live pace.
alter table appointments
  add column arrived_at timestamptz,
  add column walk_in boolean not null default false,
  add column ticket text check (ticket ~ '^[A-Z]-[0-9]{3,}$'),
  add column ticket_day date,
  add column started_at timestamptz,
  add column completed_at timestamptz,
  add constraint appointments_ticket_has_day check ((ticket is null) = (ticket_day is null));
-- The guard behind "concurrent check-ins never share a ticket", whatever hands the numbers out.
create unique index appointments_clinic_ticket on appointments (clinic_id, ticket_day, ticket)
  where ticket is not null;

-- Stamps the consultation times on the status change itself, whichever code path or hub process makes
-- it (as 0009 does for schedule versions), so no writer can forget to and the pace is never skewed by a
-- path that did. A patient in consultation has arrived even if nobody checked them in. Existing stamps
-- are kept: a repeated update never moves them.
create function stamp_queue_times() returns trigger
language plpgsql as $$
begin
  if new.status in ('checked_in', 'in_consultation') and new.arrived_at is null then
    new.arrived_at := now();
  end if;
  if new.status = 'in_consultation' and new.started_at is null then
    new.started_at := now();
  end if;
  if new.status = 'completed' and new.completed_at is null then
    new.completed_at := now();
  end if;
  return new;
end $$;

create trigger appointments_queue_times before insert or update of status on appointments
  for each row when (new.status in ('checked_in', 'in_consultation', 'completed'))
  execute function stamp_queue_times();

-- Ticket numbers per clinic and local day. nextTicket increments the row with INSERT … ON CONFLICT DO
-- UPDATE … RETURNING: the row lock queues concurrent check-ins, so none share a number (max()+1 would
-- let two read the same maximum). Unlike a sequence it is transactional: a rolled-back check-in gives its
-- number back, and a committed number is never handed out again.
create table queue_tickets (
  clinic_id uuid not null references clinics (id) on delete cascade,
  day date not null,
  last integer not null check (last > 0),
  primary key (clinic_id, day)
);

-- What the desk sets per doctor: the room patients are sent to (kept across days, as doctors keep their
-- rooms) and the declared delay. A delay counts only on the local day it was declared (delay_declared_at),
-- so yesterday's delay never leaks into today's estimates.
create table doctor_queue_state (
  doctor_id uuid primary key references doctors (id) on delete cascade,
  room text check (length(room) between 1 and 40),
  delay_minutes integer not null default 0 check (delay_minutes between 0 and 240),
  delay_note text check (length(delay_note) <= 500),
  delay_declared_at timestamptz,
  updated_at timestamptz not null default now()
);

-- Long-lived tokens that open one clinic's waiting-room display and nothing else. Only a SHA-256 hash of
-- the token is kept (it is shown once); revoking sets revoked_at, so the list keeps its history.
create table display_tokens (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references clinics (id) on delete cascade,
  label text not null check (length(label) between 1 and 100),
  token_hash bytea not null unique,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);
create index display_tokens_clinic on display_tokens (clinic_id, created_at desc);

-- The estimated start each patient was last told, so a moving estimate sends one notice when it has
-- moved 10 minutes or more since then, not one per change. No row: they know only their slot time.
create table queue_told_estimates (
  appointment_id uuid primary key references appointments (id) on delete cascade,
  told_estimate timestamptz not null,
  told_at timestamptz not null default now()
);

-- A counter per clinic and local day, bumped with every change to that day's queue, so clients (desk,
-- display) tell a stale view from a current one and skip repaints of the same revision.
create table queue_revisions (
  clinic_id uuid not null references clinics (id) on delete cascade,
  day date not null,
  revision integer not null check (revision > 0),
  primary key (clinic_id, day)
);
