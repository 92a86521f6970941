-- No release before this one is deployed anywhere, so the two-argument append_events that 0010 kept for
-- hub processes of a "previous release" during a rolling deploy has no caller: drop it.
drop function if exists append_events(jsonb, text);
