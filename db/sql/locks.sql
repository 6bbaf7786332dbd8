-- Session-level advisory locks: one per job, keyed (namespace, crc32 of the job name).
-- Held on a dedicated connection for the whole run; PostgreSQL releases them when that
-- connection ends, so a killed process never leaves a lock behind.

-- name: try_lock
SELECT pg_try_advisory_lock(:namespace, :key);

-- name: unlock
SELECT pg_advisory_unlock(:namespace, :key);

-- name: held_keys
-- The two-int form shows up in pg_locks as classid = namespace, objid = key, objsubid = 2.
SELECT objid::bigint AS key
FROM pg_locks
WHERE locktype = 'advisory'
  AND granted
  AND objsubid = 2
  AND classid::bigint = :namespace
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
