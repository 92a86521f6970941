-- Background jobs of the single-process embedded mode (no Redis): reminders and webhook deliveries wait
-- here for their moment (src/jobs/table-queue.ts). With Redis, BullMQ keeps them and this table stays empty.
create table jobs (
  queue text not null,
  id text not null,
  data jsonb not null,
  run_at timestamptz not null,
  attempts integer not null default 0,
  max_attempts integer not null,
  backoff_ms integer not null,
  -- Set while an attempt runs; an attempt that died with its process is taken up again after it.
  locked_until timestamptz,
  failed_at timestamptz,
  last_error text,
  primary key (queue, id)
);
create index jobs_due on jobs (run_at) where failed_at is null;
