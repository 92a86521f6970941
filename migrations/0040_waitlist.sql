-- The waitlist (src/waitlist). Entries wait in join order (seq); an offer is an exclusive hold on one freed
-- slot for one entry. Postgres decides who is offered what: at most one open offer per slot and per patient
-- (the two partial unique indexes), whatever number of hub processes free slots at once.
create table waitlist_entries (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity,
  patient_id uuid not null references users (id),
  doctor_id uuid not null references doctors (id),
  from_date date not null,
  to_date date not null,
  time_start time,
  time_end time,
  status text not null default 'waiting'
    check (status in ('waiting', 'offered', 'booked', 'expired', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (to_date >= from_date),
  check ((time_start is null) = (time_end is null)),
  check (time_start is null or time_start < time_end)
);
create index waitlist_entries_line on waitlist_entries (doctor_id, seq) where status in ('waiting', 'offered');
create index waitlist_entries_patient on waitlist_entries (patient_id, seq);

create table waitlist_offers (
  id uuid primary key default gen_random_uuid(),
  entry_id uuid not null references waitlist_entries (id),
  patient_id uuid not null references users (id),
  doctor_id uuid not null references doctors (id),
  slot_start timestamptz not null,
  slot_end timestamptz not null,
  hold_id uuid not null,
  status text not null default 'offered'
    check (status in ('offered', 'accepted', 'lapsed', 'declined', 'withdrawn')),
  -- clock_timestamp: the moment the offer was decided (under the doctor's lock), not when its transaction began.
  offered_at timestamptz not null default clock_timestamp(),
  expires_at timestamptz not null,
  closed_at timestamptz
);
create unique index waitlist_one_offer_per_slot on waitlist_offers (doctor_id, slot_start) where status = 'offered';
create unique index waitlist_one_offer_per_patient on waitlist_offers (patient_id) where status = 'offered';
create index waitlist_offers_entry on waitlist_offers (entry_id, slot_start);
create index waitlist_offers_history on waitlist_offers (doctor_id, offered_at desc);
