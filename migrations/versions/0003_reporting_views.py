"""reporting views: the study's four questions, flat tracks, summaries, predictions, leaderboard

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 02:30:00

Everything Tableau, Excel and the exports read lives in schema ``reporting``.
Views over the whole catalog are materialized (refreshed by ``report refresh`` and
after each ingest that changes data); views over small tables stay plain, so they
are always current. Feature lists are written out here, not imported, because a
migration must replay the same way forever.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Features with data in the catalog; time_signature is left out of the correlations
# (the seed CSV has none) but kept in the flat tracks view.
CORRELATION_FEATURES = (
    "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
    "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
)  # fmt: skip
SUMMARY_FEATURES = CORRELATION_FEATURES
BASELINES = ("network", "majority", "logistic_regression", "gradient_boosting")

TRACKS = """
CREATE MATERIALIZED VIEW reporting.tracks AS
SELECT t.id AS track_id,
       t.spotify_id AS track_spotify_id,
       t.title,
       a.id AS artist_id,
       a.name AS artist,
       a.rank AS artist_rank,
       al.id AS album_id,
       al.name AS album,
       al.album_type,
       al.release_date,
       extract(year FROM al.release_date)::integer AS release_year,
       f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness,
       f.acousticness, f.instrumentalness, f.liveness, f.valence, f.tempo,
       f.time_signature,
       coalesce(f.duration_ms, t.duration_ms) AS duration_ms,
       f.source AS feature_source
FROM tracks t
JOIN albums al ON al.id = t.album_id
LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.is_primary
LEFT JOIN artists a ON a.id = ta.artist_id
LEFT JOIN (
    -- one provider per track: spotify > csv > reccobeats, so nothing counts twice
    SELECT DISTINCT ON (track_id) *
    FROM audio_features
    ORDER BY track_id,
             CASE source WHEN 'spotify' THEN 0 WHEN 'csv' THEN 1 ELSE 2 END
) f ON f.track_id = t.id
WHERE t.canonical_track_id IS NULL
"""

MINOR_SHARE = """
CREATE MATERIALIZED VIEW reporting.minor_share_by_artist AS
SELECT a.id AS artist_id,
       a.name AS artist,
       a.rank,
       count(t.track_id) AS canonical_tracks,
       count(t.mode) AS tracks_with_mode,
       count(*) FILTER (WHERE t.mode = 0) AS minor_tracks,
       (count(*) FILTER (WHERE t.mode = 0))::double precision
           / nullif(count(t.mode), 0) AS minor_share
FROM artists a
LEFT JOIN reporting.tracks t ON t.artist_id = a.id
GROUP BY a.id, a.name, a.rank
"""

MINOR_REGRESSION = """
CREATE VIEW reporting.minor_share_regression AS
SELECT regr_slope(minor_share, rank) AS slope,
       regr_intercept(minor_share, rank) AS intercept,
       regr_r2(minor_share, rank) AS r_squared,
       regr_count(minor_share, rank) AS n
FROM reporting.minor_share_by_artist
"""

COMPARISON = """
CREATE VIEW reporting.correlation_comparison AS
SELECT s.feature_x, s.feature_y, s.x_order, s.y_order,
       s.r AS r_songs,
       b.r AS r_beats,
       s.r - b.r AS difference,
       sign(s.r) = sign(b.r) AS same_sign,
       s.n AS n_songs,
       b.n AS n_beats
FROM reporting.song_correlations s
JOIN reporting.beat_correlations b USING (feature_x, feature_y)
"""

BEAT_PREDICTIONS = """
CREATE VIEW reporting.beat_predictions AS
SELECT b.id AS beat_id,
       b.name AS beat,
       ls.name AS label_set,
       m.id AS model_id,
       m.name AS model,
       p.rank,
       p.group_label,
       p.probability,
       max(p.group_label) FILTER (WHERE p.rank = 1)
           OVER (PARTITION BY p.beat_id, p.model_id) || ' Type Beat' AS title,
       p.created_at AS predicted_at
FROM predictions p
JOIN models m ON m.id = p.model_id AND m.is_active
JOIN label_sets ls ON ls.id = m.label_set_id
JOIN beats b ON b.id = p.beat_id
WHERE p.rank <= 3
"""


def _correlations(source: str) -> str:
    """Pearson r of every ordered feature pair in long format, from one scan of ``source``.

    ``corr`` is NULL for fewer than two rows or a constant feature, never an error.
    """
    features = CORRELATION_FEATURES
    aggregates = []
    for i, x in enumerate(features):
        for j in range(i, len(features)):
            y = features[j]
            aggregates.append(
                f"corr({x}, {y}) AS r_{i}_{j}, "
                f"count(*) FILTER (WHERE {x} IS NOT NULL AND {y} IS NOT NULL) AS n_{i}_{j}"
            )
    rows = []
    for i, x in enumerate(features):
        for j, y in enumerate(features):
            lo, hi = min(i, j), max(i, j)
            rows.append(f"('{x}', '{y}', {i + 1}, {j + 1}, a.r_{lo}_{hi}, a.n_{lo}_{hi})")
    return (
        "SELECT v.feature_x, v.feature_y, v.x_order, v.y_order, v.r, v.n\n"
        f"FROM (SELECT {', '.join(aggregates)} FROM {source}) a\n"
        "CROSS JOIN LATERAL (VALUES\n    "
        + ",\n    ".join(rows)
        + "\n) v(feature_x, feature_y, x_order, y_order, r, n)"
    )


def _feature_summary() -> str:
    values = ", ".join(
        f"({i + 1}, '{name}', t.{name}::double precision)"
        for i, name in enumerate(SUMMARY_FEATURES)
    )
    return f"""
CREATE MATERIALIZED VIEW reporting.artist_feature_summary AS
SELECT t.artist_id, t.artist, t.artist_rank, v.feature, v.feature_order,
       count(v.value) AS n,
       avg(v.value) AS mean,
       stddev_samp(v.value) AS std,
       min(v.value) AS min,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY v.value) AS q1,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY v.value) AS median,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY v.value) AS q3,
       max(v.value) AS max
FROM reporting.tracks t
CROSS JOIN LATERAL (VALUES {values}) v(feature_order, feature, value)
WHERE t.artist_id IS NOT NULL
GROUP BY t.artist_id, t.artist, t.artist_rank, v.feature_order, v.feature
"""


def _json_number(path: str) -> str:
    """A JSON number as float8, NULL when absent or not a number (never a cast error)."""
    return f"CASE WHEN jsonb_typeof({path}) = 'number' THEN ({path})::text::double precision END"


def _leaderboard() -> str:
    columns = []
    for baseline in BASELINES:
        for stat in ("mean", "std"):
            path = f"m.metrics -> '{baseline}' -> k.metric -> '{stat}'"
            columns.append(f"{_json_number(path)} AS {baseline}_{stat}")
    return f"""
CREATE VIEW reporting.model_leaderboard AS
SELECT m.id AS model_id,
       m.name AS model,
       m.kind,
       ls.name AS label_set,
       m.is_active,
       m.refit_metric,
       k.metric,
       k.metric = m.refit_metric AS is_refit_metric,
       {", ".join(columns)},
       {_json_number("m.metrics -> 'folds'")}::integer AS folds,
       m.created_at
FROM models m
JOIN label_sets ls ON ls.id = m.label_set_id
LEFT JOIN LATERAL jsonb_object_keys(
    CASE WHEN jsonb_typeof(m.metrics -> 'network') = 'object'
         THEN m.metrics -> 'network' ELSE '{{}}'::jsonb END
) AS k(metric) ON true
"""


def upgrade() -> None:
    op.execute("CREATE SCHEMA reporting")
    op.execute(TRACKS)
    op.execute("CREATE UNIQUE INDEX ON reporting.tracks (track_id)")
    op.execute("CREATE INDEX ON reporting.tracks (artist_id)")
    op.execute(MINOR_SHARE)
    op.execute("CREATE UNIQUE INDEX ON reporting.minor_share_by_artist (artist_id)")
    op.execute(MINOR_REGRESSION)
    op.execute(_feature_summary())
    op.execute("CREATE UNIQUE INDEX ON reporting.artist_feature_summary (artist_id, feature)")
    op.execute(
        "CREATE MATERIALIZED VIEW reporting.song_correlations AS\n"
        + _correlations("reporting.tracks")
    )
    op.execute("CREATE UNIQUE INDEX ON reporting.song_correlations (feature_x, feature_y)")
    op.execute("CREATE VIEW reporting.beat_correlations AS\n" + _correlations("beats"))
    op.execute(COMPARISON)
    op.execute(BEAT_PREDICTIONS)
    op.execute(_leaderboard())


def downgrade() -> None:
    op.execute("DROP SCHEMA reporting CASCADE")
