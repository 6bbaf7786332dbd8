-- Reads of the reporting views (schema `reporting`, created by migration 0004).
-- Exports use only these, so the read-only reporting role is enough to run them.

-- name: read_tracks
SELECT * FROM reporting.tracks ORDER BY artist_rank NULLS LAST, release_date, album, track_id

-- name: read_minor_share_by_artist
SELECT * FROM reporting.minor_share_by_artist ORDER BY rank, artist_id

-- name: read_minor_share_regression
SELECT * FROM reporting.minor_share_regression

-- name: read_artist_feature_summary
SELECT * FROM reporting.artist_feature_summary ORDER BY artist_rank, artist_id, feature_order

-- name: read_song_correlations
SELECT * FROM reporting.song_correlations ORDER BY x_order, y_order

-- name: read_beat_correlations
SELECT * FROM reporting.beat_correlations ORDER BY x_order, y_order

-- name: read_correlation_comparison
SELECT * FROM reporting.correlation_comparison ORDER BY x_order, y_order

-- name: read_beat_predictions
SELECT * FROM reporting.beat_predictions ORDER BY beat, label_set, rank

-- name: read_model_leaderboard
SELECT * FROM reporting.model_leaderboard
ORDER BY label_set, is_active DESC, model_id, is_refit_metric DESC, metric

-- name: list_views
-- Every view in the schema, views created by later migrations included.
SELECT c.relname AS view, c.relkind = 'm' AS materialized
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'm')
ORDER BY c.relname

-- name: view_definition
SELECT pg_get_viewdef(to_regclass('reporting.' || :view), true)

-- name: role_exists
SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :role)

-- name: reporting_schema_exists
SELECT to_regnamespace('reporting') IS NOT NULL
