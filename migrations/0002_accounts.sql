-- Accounts, roles and refresh-token families. Staff belong to exactly one clinic.
create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text not null,
  name text not null,
  phone text,
  role text not null check (role in ('patient', 'doctor', 'staff', 'admin')),
  clinic_id uuid references clinics (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_staff_clinic check ((role = 'staff') = (clinic_id is not null))
);
create unique index users_email_key on users (lower(email));

-- One family per login; every refresh rotates the token inside its family. Presenting a rotated
-- token again means it was stolen or replayed: the whole family is revoked.
create table refresh_families (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_reason text
);
create index refresh_families_user on refresh_families (user_id);

create table refresh_tokens (
  token_hash bytea primary key,
  family_id uuid not null references refresh_families (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz
);
create index refresh_tokens_family on refresh_tokens (family_id);
