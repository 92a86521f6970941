-- Accounts an admin can deactivate (sessions revoked, login refused, history kept), a preferred language
-- per user, and single-use password-reset tokens (stored hashed, like refresh tokens).
alter table users add column active boolean not null default true;
alter table users add column language text check (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$');
create index users_name on users (lower(name));

create table password_resets (
  token_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_resets_user on password_resets (user_id);
