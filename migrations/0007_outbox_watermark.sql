-- Pruning removes published events by id up to a watermark and records it, so a resync "after id N"
-- can tell exactly whether anything it asks for is gone (N < pruned_through → answer reset).
create table outbox_state (
  singleton boolean primary key default true check (singleton),
  pruned_through bigint not null default 0
);
insert into outbox_state default values;
