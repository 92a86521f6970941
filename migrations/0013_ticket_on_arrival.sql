-- A ticket is handed out by the arrival itself: when an appointment becomes checked_in (a check-in at the
-- desk, or a walk-in inserted already checked in) and has none, the next number of its clinic's local day
-- is taken from queue_tickets (0012) in the same statement. Every path and every hub process gets one, in
-- the one row-lock order (ticket counter first), and the answer to the check-in already carries it.
create function assign_ticket() returns trigger
language plpgsql as $$
declare
  local_day date;
  n integer;
begin
  select (now() at time zone c.timezone)::date into local_day from clinics c where c.id = new.clinic_id;
  insert into queue_tickets (clinic_id, day, last) values (new.clinic_id, local_day, 1)
  on conflict (clinic_id, day) do update set last = queue_tickets.last + 1
  returning last into n;
  new.ticket := 'A-' || case when n < 1000 then lpad(n::text, 3, '0') else n::text end;
  new.ticket_day := local_day;
  return new;
end $$;

create trigger appointments_assign_ticket before insert or update of status on appointments
  for each row when (new.status = 'checked_in' and new.ticket is null)
  execute function assign_ticket();
