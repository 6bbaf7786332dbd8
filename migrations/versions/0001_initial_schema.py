"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 02:08:30.527015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "albums",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("spotify_id", sa.String(length=22), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("album_type", sa.Text(), nullable=True),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("release_date_precision", sa.Text(), nullable=True),
        sa.Column("total_tracks", sa.Integer(), nullable=True),
        sa.Column("tracks_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "album_type IS NULL OR album_type IN ('album', 'single', 'compilation')",
            name=op.f("ck_albums_album_type_known"),
        ),
        sa.CheckConstraint(
            "spotify_id ~ '^[0-9A-Za-z]{22}$'", name=op.f("ck_albums_spotify_id_format")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_albums")),
        sa.UniqueConstraint("spotify_id", name=op.f("uq_albums_spotify_id")),
    )
    op.create_table(
        "artists",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("spotify_id", sa.String(length=22), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("albums_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "spotify_id ~ '^[0-9A-Za-z]{22}$'", name=op.f("ck_artists_spotify_id_format")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_artists_rank_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artists")),
        sa.UniqueConstraint("spotify_id", name=op.f("uq_artists_spotify_id")),
    )
    op.create_table(
        "beats",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("spotify_id", sa.String(length=22), nullable=True),
        sa.Column("audio_path", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("danceability", sa.Double(), nullable=True),
        sa.Column("energy", sa.Double(), nullable=True),
        sa.Column("key", sa.SmallInteger(), nullable=True),
        sa.Column("loudness", sa.Double(), nullable=True),
        sa.Column("mode", sa.SmallInteger(), nullable=True),
        sa.Column("speechiness", sa.Double(), nullable=True),
        sa.Column("acousticness", sa.Double(), nullable=True),
        sa.Column("instrumentalness", sa.Double(), nullable=True),
        sa.Column("liveness", sa.Double(), nullable=True),
        sa.Column("valence", sa.Double(), nullable=True),
        sa.Column("tempo", sa.Double(), nullable=True),
        sa.Column("time_signature", sa.SmallInteger(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "spotify_id IS NULL OR spotify_id ~ '^[0-9A-Za-z]{22}$'",
            name=op.f("ck_beats_spotify_id_format"),
        ),
        sa.CheckConstraint(
            "acousticness IS NULL OR (acousticness >= 0 AND acousticness <= 1)",
            name=op.f("ck_beats_acousticness_range"),
        ),
        sa.CheckConstraint(
            "danceability IS NULL OR (danceability >= 0 AND danceability <= 1)",
            name=op.f("ck_beats_danceability_range"),
        ),
        sa.CheckConstraint(
            "duration_ms IS NULL OR (duration_ms > 0)", name=op.f("ck_beats_duration_ms_range")
        ),
        sa.CheckConstraint(
            "energy IS NULL OR (energy >= 0 AND energy <= 1)", name=op.f("ck_beats_energy_range")
        ),
        sa.CheckConstraint(
            "instrumentalness IS NULL OR (instrumentalness >= 0 AND instrumentalness <= 1)",
            name=op.f("ck_beats_instrumentalness_range"),
        ),
        sa.CheckConstraint(
            "key IS NULL OR (key >= -1 AND key <= 11)", name=op.f("ck_beats_key_range")
        ),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_beats_name_not_blank")),
        sa.CheckConstraint(
            "liveness IS NULL OR (liveness >= 0 AND liveness <= 1)",
            name=op.f("ck_beats_liveness_range"),
        ),
        sa.CheckConstraint(
            "loudness IS NULL OR (loudness >= -60 AND loudness <= 5)",
            name=op.f("ck_beats_loudness_range"),
        ),
        sa.CheckConstraint(
            "mode IS NULL OR (mode >= 0 AND mode <= 1)", name=op.f("ck_beats_mode_range")
        ),
        sa.CheckConstraint(
            "speechiness IS NULL OR (speechiness >= 0 AND speechiness <= 1)",
            name=op.f("ck_beats_speechiness_range"),
        ),
        sa.CheckConstraint(
            "tempo IS NULL OR (tempo >= 0 AND tempo <= 300)", name=op.f("ck_beats_tempo_range")
        ),
        sa.CheckConstraint(
            "time_signature IS NULL OR (time_signature >= 0 AND time_signature <= 7)",
            name=op.f("ck_beats_time_signature_range"),
        ),
        sa.CheckConstraint(
            "valence IS NULL OR (valence >= 0 AND valence <= 1)",
            name=op.f("ck_beats_valence_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beats")),
        sa.UniqueConstraint("name", name=op.f("uq_beats_name")),
        sa.UniqueConstraint("spotify_id", name=op.f("uq_beats_spotify_id")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("job", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), server_default=sa.text("'cli'"), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'running'"), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "counts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("host", sa.Text(), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'done', 'failed', 'abandoned')",
            name=op.f("ck_job_runs_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    op.create_index(
        op.f("ix_job_runs_job_started_at"), "job_runs", ["job", "started_at"], unique=False
    )
    op.create_table(
        "label_sets",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("min_songs", sa.Integer(), server_default=sa.text("100"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("min_songs >= 1", name=op.f("ck_label_sets_min_songs_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_sets")),
        sa.UniqueConstraint("name", name=op.f("uq_label_sets_name")),
    )
    op.create_table(
        "label_groups",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("label_set_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("group_label", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artists.id"],
            name=op.f("fk_label_groups_artist_id_artists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["label_set_id"],
            ["label_sets.id"],
            name=op.f("fk_label_groups_label_set_id_label_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_groups")),
        sa.UniqueConstraint(
            "label_set_id", "artist_id", name=op.f("uq_label_groups_label_set_id_artist_id")
        ),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("label_set_id", sa.Integer(), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("refit_metric", sa.Text(), nullable=False),
        sa.Column("data_fingerprint", sa.Text(), nullable=False),
        sa.Column("library_versions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("durations", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("artifact", sa.LargeBinary(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["label_set_id"],
            ["label_sets.id"],
            name=op.f("fk_models_label_set_id_label_sets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
    )
    op.create_index(
        "uq_models_one_active_per_label_set",
        "models",
        ["label_set_id"],
        unique=True,
        postgresql_where=sa.text("is_active"),
    )
    op.create_table(
        "tracks",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("spotify_id", sa.String(length=22), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("normalized_title", sa.Text(), nullable=False),
        sa.Column("album_id", sa.Integer(), nullable=False),
        sa.Column("disc_number", sa.SmallInteger(), nullable=True),
        sa.Column("track_number", sa.SmallInteger(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("isrc", sa.String(length=12), nullable=True),
        sa.Column("canonical_track_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "spotify_id ~ '^[0-9A-Za-z]{22}$'", name=op.f("ck_tracks_spotify_id_format")
        ),
        sa.CheckConstraint("canonical_track_id <> id", name=op.f("ck_tracks_canonical_not_self")),
        sa.CheckConstraint(
            "duration_ms IS NULL OR duration_ms > 0", name=op.f("ck_tracks_duration_positive")
        ),
        sa.ForeignKeyConstraint(
            ["album_id"], ["albums.id"], name=op.f("fk_tracks_album_id_albums"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["canonical_track_id"],
            ["tracks.id"],
            name=op.f("fk_tracks_canonical_track_id_tracks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracks")),
        sa.UniqueConstraint("spotify_id", name=op.f("uq_tracks_spotify_id")),
    )
    op.create_index(op.f("ix_tracks_album_id"), "tracks", ["album_id"], unique=False)
    op.create_index(
        op.f("ix_tracks_canonical_track_id"), "tracks", ["canonical_track_id"], unique=False
    )
    op.create_table(
        "audio_features",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column(
            "fetched_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("danceability", sa.Double(), nullable=True),
        sa.Column("energy", sa.Double(), nullable=True),
        sa.Column("key", sa.SmallInteger(), nullable=True),
        sa.Column("loudness", sa.Double(), nullable=True),
        sa.Column("mode", sa.SmallInteger(), nullable=True),
        sa.Column("speechiness", sa.Double(), nullable=True),
        sa.Column("acousticness", sa.Double(), nullable=True),
        sa.Column("instrumentalness", sa.Double(), nullable=True),
        sa.Column("liveness", sa.Double(), nullable=True),
        sa.Column("valence", sa.Double(), nullable=True),
        sa.Column("tempo", sa.Double(), nullable=True),
        sa.Column("time_signature", sa.SmallInteger(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "source IN ('spotify', 'reccobeats', 'csv')",
            name=op.f("ck_audio_features_source_known"),
        ),
        sa.CheckConstraint(
            "acousticness IS NULL OR (acousticness >= 0 AND acousticness <= 1)",
            name=op.f("ck_audio_features_acousticness_range"),
        ),
        sa.CheckConstraint(
            "danceability IS NULL OR (danceability >= 0 AND danceability <= 1)",
            name=op.f("ck_audio_features_danceability_range"),
        ),
        sa.CheckConstraint(
            "duration_ms IS NULL OR (duration_ms > 0)",
            name=op.f("ck_audio_features_duration_ms_range"),
        ),
        sa.CheckConstraint(
            "energy IS NULL OR (energy >= 0 AND energy <= 1)",
            name=op.f("ck_audio_features_energy_range"),
        ),
        sa.CheckConstraint(
            "instrumentalness IS NULL OR (instrumentalness >= 0 AND instrumentalness <= 1)",
            name=op.f("ck_audio_features_instrumentalness_range"),
        ),
        sa.CheckConstraint(
            "key IS NULL OR (key >= -1 AND key <= 11)", name=op.f("ck_audio_features_key_range")
        ),
        sa.CheckConstraint(
            "liveness IS NULL OR (liveness >= 0 AND liveness <= 1)",
            name=op.f("ck_audio_features_liveness_range"),
        ),
        sa.CheckConstraint(
            "loudness IS NULL OR (loudness >= -60 AND loudness <= 5)",
            name=op.f("ck_audio_features_loudness_range"),
        ),
        sa.CheckConstraint(
            "mode IS NULL OR (mode >= 0 AND mode <= 1)", name=op.f("ck_audio_features_mode_range")
        ),
        sa.CheckConstraint(
            "speechiness IS NULL OR (speechiness >= 0 AND speechiness <= 1)",
            name=op.f("ck_audio_features_speechiness_range"),
        ),
        sa.CheckConstraint(
            "tempo IS NULL OR (tempo >= 0 AND tempo <= 300)",
            name=op.f("ck_audio_features_tempo_range"),
        ),
        sa.CheckConstraint(
            "time_signature IS NULL OR (time_signature >= 0 AND time_signature <= 7)",
            name=op.f("ck_audio_features_time_signature_range"),
        ),
        sa.CheckConstraint(
            "valence IS NULL OR (valence >= 0 AND valence <= 1)",
            name=op.f("ck_audio_features_valence_range"),
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_audio_features_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audio_features")),
        sa.UniqueConstraint("track_id", "source", name=op.f("uq_audio_features_track_id_source")),
    )
    op.create_table(
        "feature_checks",
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column(
            "checked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_feature_checks_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("track_id", "provider", name=op.f("pk_feature_checks")),
    )
    op.create_table(
        "grid_results",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("candidate", sa.Integer(), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("fit_seconds", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_grid_results_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_results")),
        sa.UniqueConstraint(
            "model_id", "candidate", name=op.f("uq_grid_results_model_id_candidate")
        ),
    )
    op.create_table(
        "predictions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("beat_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("group_label", sa.Text(), nullable=False),
        sa.Column("probability", sa.Double(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "probability >= 0 AND probability <= 1", name=op.f("ck_predictions_probability_range")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_predictions_rank_positive")),
        sa.ForeignKeyConstraint(
            ["beat_id"], ["beats.id"], name=op.f("fk_predictions_beat_id_beats"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_predictions_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predictions")),
        sa.UniqueConstraint(
            "beat_id",
            "model_id",
            "group_label",
            name=op.f("uq_predictions_beat_id_model_id_group_label"),
        ),
        sa.UniqueConstraint(
            "beat_id", "model_id", "rank", name=op.f("uq_predictions_beat_id_model_id_rank")
        ),
    )
    op.create_table(
        "track_artists",
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artists.id"],
            name=op.f("fk_track_artists_artist_id_artists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_track_artists_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("track_id", "artist_id", name=op.f("pk_track_artists")),
    )
    op.create_index(
        op.f("ix_track_artists_artist_id"), "track_artists", ["artist_id"], unique=False
    )
    op.create_index(
        "uq_track_artists_one_primary",
        "track_artists",
        ["track_id"],
        unique=True,
        postgresql_where=sa.text("is_primary"),
    )
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'queued'"), nullable=False),
        sa.Column("request", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_training_runs_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_training_runs_model_id_models"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_runs")),
    )
    op.create_index(
        "ix_training_runs_queued",
        "training_runs",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("status = 'queued'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_training_runs_queued",
        table_name="training_runs",
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.drop_table("training_runs")
    op.drop_index(
        "uq_track_artists_one_primary",
        table_name="track_artists",
        postgresql_where=sa.text("is_primary"),
    )
    op.drop_index(op.f("ix_track_artists_artist_id"), table_name="track_artists")
    op.drop_table("track_artists")
    op.drop_table("predictions")
    op.drop_table("grid_results")
    op.drop_table("feature_checks")
    op.drop_table("audio_features")
    op.drop_index(op.f("ix_tracks_canonical_track_id"), table_name="tracks")
    op.drop_index(op.f("ix_tracks_album_id"), table_name="tracks")
    op.drop_table("tracks")
    op.drop_index(
        "uq_models_one_active_per_label_set",
        table_name="models",
        postgresql_where=sa.text("is_active"),
    )
    op.drop_table("models")
    op.drop_table("label_groups")
    op.drop_table("label_sets")
    op.drop_index(op.f("ix_job_runs_job_started_at"), table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_table("beats")
    op.drop_table("artists")
    op.drop_table("albums")
