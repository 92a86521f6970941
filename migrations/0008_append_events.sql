-- The outbox append (invariant 3) in one round trip instead of one per room plus two.
--
-- Ids must grow per room in commit order, or a client resyncing "after id N" could miss a lower id that
-- committed later. So each room's appends are serialized by a transaction-scoped advisory lock, taken
-- before the rows get their ids, in one fixed order (byte order, whatever the collation) so that two
-- transactions never deadlock on them. Callers append last, just before commit, so the locks are held
-- only for the commit. NOTIFY is transactional: the relay hears it only if the transaction commits. The
-- channel is the caller's (OUTBOX_CHANNEL in src/events/outbox.ts, where the relay listens too).
create function append_events(p_events jsonb, p_channel text) returns void
language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended(room, 0))
  from (select distinct e->>'room' collate "C" as room from jsonb_array_elements(p_events) e order by 1) sorted;

  insert into events (room, type, data)
  select e->>'room', e->>'type', e->'data'
  from jsonb_array_elements(p_events) with ordinality as t(e, n)
  order by n;

  perform pg_notify(p_channel, '');
end
$$;
