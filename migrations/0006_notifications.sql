-- In-app notifications, the reminder delivery ledger (invariant 4), clinic webhooks and calendar feeds.
create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  title text not null,
  body text not null,
  data jsonb not null default '{}',
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user on notifications (user_id, created_at desc, id);
create index notifications_unread on notifications (user_id) where read_at is null;

-- One row per (appointment, kind, channel, version), claimed BEFORE sending: a job retried after a crash
-- or a stalled worker finds the row and does not send again. version follows appointments.version, so a
-- rescheduled appointment gets fresh reminders and the old ones are recognisably stale.
create table deliveries (
  id uuid primary key default gen_random_uuid(),
  appointment_id uuid not null references appointments (id) on delete cascade,
  kind text not null,
  channel text not null,
  version integer not null,
  status text not null check (status in ('sending', 'sent', 'failed')),
  attempts integer not null default 1,
  last_error text,
  -- A lease: while it is fresh, the claimer may be mid-send; a crashed sender's lease lapses and
  -- the retry takes over (with the same Message-ID / delivery id, so receivers can spot a resend).
  claimed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (appointment_id, kind, channel, version)
);

create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references clinics (id) on delete cascade,
  url text not null,
  -- The signing secret, AES-256-GCM encrypted with the row id as associated data.
  secret_ciphertext bytea not null,
  secret_key_id text not null,
  events text[] not null,
  consecutive_failures integer not null default 0,
  disabled_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index webhook_endpoints_clinic on webhook_endpoints (clinic_id) where disabled_at is null;

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  -- What is delivered, unique per endpoint: an outbox event id or a reminder ledger id.
  source_id text not null,
  event_type text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  response_status integer,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (endpoint_id, source_id)
);
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc);
create index webhook_deliveries_pending on webhook_deliveries (created_at) where status = 'pending';

-- A doctor's private calendar feed: only the token's hash is kept; deleting the row revokes it.
create table calendar_tokens (
  doctor_id uuid primary key references doctors (id) on delete cascade,
  token_hash bytea not null unique,
  created_at timestamptz not null default now()
);
