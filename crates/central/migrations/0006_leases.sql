-- Background tasks on several centrals sharing one database, and rows that fail for good.
-- A task claims a row by setting `lease_until` (and its `lease_owner`, the central's instance
-- id); no other central takes the row before the lease runs out, so a row interrupted by a crash
-- waits out its lease. A row whose processing panicked or failed permanently gets `failed_at`
-- (with the reason in `error_kind` / `last_error`): it is no longer due, and is listed by
-- `admin tickets` and counted in /metrics.
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN failed_at TEXT;
ALTER TABLE outbox ADD COLUMN error_kind TEXT;
ALTER TABLE forwards ADD COLUMN lease_until TEXT;
ALTER TABLE forwards ADD COLUMN lease_owner TEXT;
ALTER TABLE forwards ADD COLUMN failed_at TEXT;
