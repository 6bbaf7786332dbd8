-- The job ledger (job_runs): one row per run of a batch job, whatever started it.

-- name: start_run
INSERT INTO job_runs (job, trigger, host, pid)
VALUES (:job, :trigger, :host, :pid)
RETURNING id;

-- name: record_counts
UPDATE job_runs SET counts = CAST(:counts AS jsonb) WHERE id = :id;

-- name: finish_run
UPDATE job_runs
SET status = :status, finished_at = now(), counts = CAST(:counts AS jsonb), error = :error
WHERE id = :id;

-- name: abandon_running
-- Only called while holding the job's lock: no live process owns these rows.
UPDATE job_runs
SET status = 'abandoned',
    finished_at = now(),
    error = concat_ws('; ', error, CAST(:note AS text))
WHERE job = :job AND status = 'running'
RETURNING id, host, pid, started_at;

-- name: running_run
SELECT id, trigger, host, pid, started_at
FROM job_runs
WHERE job = :job AND status = 'running'
ORDER BY started_at DESC, id DESC
LIMIT 1;

-- name: recent_runs
SELECT id, job, trigger, status, started_at, finished_at, counts, error, host, pid
FROM job_runs
WHERE CAST(:job AS text) IS NULL OR job = :job
ORDER BY started_at DESC, id DESC
LIMIT :limit;

-- name: latest_per_job
SELECT DISTINCT ON (job) id, job, trigger, status, started_at, finished_at, counts, error, host, pid
FROM job_runs
ORDER BY job, started_at DESC, id DESC;
