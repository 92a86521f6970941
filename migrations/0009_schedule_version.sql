-- A doctor's schedule (rules, time off, notice, horizon, buffer, the clinic's zone) changes rarely and is
-- read on every hold and booking, so the hub keeps it in memory. A booking proves, in the statement that
-- writes it, that the schedule its slot was checked against is still the current one: it names the
-- schedule_version it saw. Triggers bump the version on every change that shapes a doctor's slots,
-- whichever code path or hub process makes it, so no writer can forget to.
alter table doctors add column schedule_version integer not null default 1;

create function bump_schedule_version_of_rows() returns trigger
language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    update doctors set schedule_version = schedule_version + 1 where id = old.doctor_id;
  end if;
  if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.doctor_id is distinct from old.doctor_id) then
    update doctors set schedule_version = schedule_version + 1 where id = new.doctor_id;
  end if;
  return null;
end $$;

create trigger availability_rules_schedule_version after insert or update or delete on availability_rules
  for each row execute function bump_schedule_version_of_rows();
create trigger time_off_schedule_version after insert or update or delete on time_off
  for each row execute function bump_schedule_version_of_rows();

create function bump_schedule_version_of_settings() returns trigger
language plpgsql as $$
begin
  new.schedule_version := old.schedule_version + 1;
  return new;
end $$;

create trigger doctors_schedule_version before update on doctors
  for each row
  when ((old.buffer_minutes, old.min_notice_minutes, old.horizon_days, old.clinic_id)
        is distinct from (new.buffer_minutes, new.min_notice_minutes, new.horizon_days, new.clinic_id))
  execute function bump_schedule_version_of_settings();

create function bump_schedule_version_of_clinic() returns trigger
language plpgsql as $$
begin
  update doctors set schedule_version = schedule_version + 1 where clinic_id = new.id;
  return null;
end $$;

create trigger clinics_schedule_version after update on clinics
  for each row when (old.timezone is distinct from new.timezone)
  execute function bump_schedule_version_of_clinic();
