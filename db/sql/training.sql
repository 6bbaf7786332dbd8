-- Training, model registry, work queue and predictions.

-- name: training_tracks
-- Canonical recordings (duplicate releases excluded) of each artist's primary
-- credits, with one feature row per track: spotify > csv > reccobeats.
SELECT DISTINCT ON (t.id)
       t.id AS track_id, t.album_id, ta.artist_id, a.name AS artist, f.source AS feature_source,
       f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness,
       f.instrumentalness, f.liveness, f.valence, f.tempo, f.time_signature,
       coalesce(f.duration_ms, t.duration_ms) AS duration_ms
FROM tracks t
JOIN track_artists ta ON ta.track_id = t.id AND ta.is_primary
JOIN artists a ON a.id = ta.artist_id
JOIN audio_features f ON f.track_id = t.id
WHERE t.canonical_track_id IS NULL
ORDER BY t.id, CASE f.source WHEN 'spotify' THEN 0 WHEN 'csv' THEN 1 ELSE 2 END;

-- name: artists_by_name
SELECT id, name FROM artists WHERE lower(name) = ANY(:names);

-- name: all_artists
SELECT id, name FROM artists ORDER BY rank;

-- name: upsert_label_set
INSERT INTO label_sets (name, min_songs) VALUES (:name, :min_songs)
ON CONFLICT (name) DO UPDATE SET min_songs = EXCLUDED.min_songs
RETURNING id;

-- name: clear_label_groups
DELETE FROM label_groups WHERE label_set_id = :label_set_id;

-- name: insert_label_group
INSERT INTO label_groups (label_set_id, artist_id, group_label)
VALUES (:label_set_id, :artist_id, :group_label);

-- name: label_set_by_name
SELECT id, name, min_songs FROM label_sets WHERE name = :name;

-- name: label_groups
SELECT g.artist_id, a.name AS artist, g.group_label
FROM label_groups g JOIN artists a ON a.id = g.artist_id
WHERE g.label_set_id = :label_set_id
ORDER BY g.group_label, a.name;

-- name: insert_model
INSERT INTO models (name, kind, label_set_id, params, metrics, refit_metric, data_fingerprint,
                    library_versions, device, durations, artifact)
VALUES (:name, :kind, :label_set_id, :params, :metrics, :refit_metric, :data_fingerprint,
        :library_versions, :device, :durations, :artifact)
RETURNING id;

-- name: insert_grid_result
INSERT INTO grid_results (model_id, candidate, params, scores, fit_seconds)
VALUES (:model_id, :candidate, :params, :scores, :fit_seconds);

-- name: active_model_for_update
-- Locks the label set's active model so two finishing runs decide one at a time.
SELECT m.id, m.refit_metric, m.metrics, m.data_fingerprint
FROM label_sets s LEFT JOIN models m ON m.label_set_id = s.id AND m.is_active
WHERE s.id = :label_set_id
FOR UPDATE OF s;

-- name: deactivate_models
UPDATE models SET is_active = false WHERE label_set_id = :label_set_id AND is_active;

-- name: activate_model
UPDATE models SET is_active = true WHERE id = :model_id;

-- name: list_models
SELECT m.id, m.name, m.kind, s.name AS label_set, m.is_active, m.refit_metric,
       (m.metrics -> 'network' -> m.refit_metric ->> 'mean')::double precision AS score,
       m.device, m.created_at
FROM models m JOIN label_sets s ON s.id = m.label_set_id
ORDER BY m.id;

-- name: model_by_id
SELECT m.id, m.name, m.kind, m.label_set_id, s.name AS label_set, m.params, m.metrics,
       m.refit_metric, m.data_fingerprint, m.library_versions, m.device, m.durations,
       m.is_active, m.created_at, length(m.artifact) AS artifact_bytes
FROM models m JOIN label_sets s ON s.id = m.label_set_id
WHERE m.id = :model_id;

-- name: model_artifact
SELECT artifact FROM models WHERE id = :model_id;

-- name: grid_results
SELECT candidate, params, scores, fit_seconds FROM grid_results
WHERE model_id = :model_id ORDER BY candidate;

-- name: active_models
SELECT m.id FROM models m WHERE m.is_active ORDER BY m.id;

-- name: active_fingerprint
SELECT m.data_fingerprint FROM models m JOIN label_sets s ON s.id = m.label_set_id
WHERE s.name = :label_set AND m.is_active;

-- name: enqueue_run
INSERT INTO training_runs (request) VALUES (:request) RETURNING id;

-- name: claim_run
-- One queued run, or a running one whose worker stopped heartbeating; concurrent
-- workers skip rows another worker has locked.
UPDATE training_runs r
SET status = 'running', claimed_by = :worker, claimed_at = now(), heartbeat_at = now(),
    attempts = r.attempts + 1, error = NULL
WHERE r.id = (
    SELECT id FROM training_runs
    WHERE status = 'queued'
       OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => :stale_seconds))
    ORDER BY created_at, id
    FOR UPDATE SKIP LOCKED
    LIMIT 1)
RETURNING r.id, r.request, r.attempts;

-- name: heartbeat_run
UPDATE training_runs SET heartbeat_at = now()
WHERE id = :run_id AND claimed_by = :worker AND status = 'running';

-- name: finish_run
UPDATE training_runs
SET status = :status, finished_at = now(), error = :error, model_id = :model_id
WHERE id = :run_id AND claimed_by = :worker;

-- name: run_by_id
SELECT id, status, request, claimed_by, attempts, error, model_id FROM training_runs
WHERE id = :run_id;

-- name: beats_to_score
-- Beats without a prediction from this model (all beats when :all).
SELECT b.id, b.name, b.danceability, b.energy, b.key, b.loudness, b.mode, b.speechiness,
       b.acousticness, b.instrumentalness, b.liveness, b.valence, b.tempo, b.time_signature,
       b.duration_ms
FROM beats b
WHERE :all OR NOT EXISTS (
    SELECT 1 FROM predictions p WHERE p.beat_id = b.id AND p.model_id = :model_id)
ORDER BY b.id;

-- name: delete_predictions
DELETE FROM predictions WHERE model_id = :model_id AND beat_id = ANY(:beat_ids);

-- name: top_predictions
SELECT b.name AS beat, p.group_label, p.probability, p.rank
FROM predictions p JOIN beats b ON b.id = p.beat_id
WHERE p.model_id = :model_id AND p.rank <= :k
ORDER BY b.id, p.rank;
