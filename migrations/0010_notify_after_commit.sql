-- append_events no longer NOTIFYs: a NOTIFY inside a transaction makes Postgres serialize its commit with
-- every other NOTIFYing transaction's, holding the notification-queue lock until the commit record is on
-- disk, so concurrent bookings waited for each other's fsync. The relay is now told by a NOTIFY sent
-- right after COMMIT (src/infra/transaction.ts notifyAfterCommit). Otherwise as in 0008.
create function append_events(p_events jsonb) returns void
language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended(room, 0))
  from (select distinct e->>'room' collate "C" as room from jsonb_array_elements(p_events) e order by 1) sorted;

  insert into events (room, type, data)
  select e->>'room', e->>'type', e->'data'
  from jsonb_array_elements(p_events) with ordinality as t(e, n)
  order by n;
end
$$;

-- The two-argument form stays for hub processes of the previous release, which call it until a rolling
-- deploy has replaced them (it NOTIFYs inside the transaction, as before). Drop it in a later release.
create or replace function append_events(p_events jsonb, p_channel text) returns void
language plpgsql as $$
begin
  perform append_events(p_events);
  perform pg_notify(p_channel, '');
end
$$;
