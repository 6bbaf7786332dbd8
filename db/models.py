"""The declared schema: SQLAlchemy 2.0 typed models, the single source of truth.

Migrations in ``migrations/versions`` must replay to exactly this metadata
(``tests/migration`` proves it). Feature range CHECKs come from ``db.features``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.features import FEATURES

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SPOTIFY_ID_CHECK = "{col} ~ '^[0-9A-Za-z]{{22}}$'"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _now() -> Any:
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _feature_checks() -> list[CheckConstraint]:
    return [CheckConstraint(f.check_sql(), name=f"{f.name}_range") for f in FEATURES]


class Artist(Base):
    __tablename__ = "artists"
    __table_args__ = (
        CheckConstraint(SPOTIFY_ID_CHECK.format(col="spotify_id"), name="spotify_id_format"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    spotify_id: Mapped[str] = mapped_column(String(22), unique=True)
    name: Mapped[str] = mapped_column(Text)
    rank: Mapped[int] = mapped_column(Integer, doc="position in the user's artist list, 1 = first")
    albums_synced_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), doc="last time the artist's album list was read from Spotify"
    )
    created_at: Mapped[dt.datetime] = _now()


class Album(Base):
    __tablename__ = "albums"
    __table_args__ = (
        CheckConstraint(SPOTIFY_ID_CHECK.format(col="spotify_id"), name="spotify_id_format"),
        CheckConstraint(
            "album_type IS NULL OR album_type IN ('album', 'single', 'compilation')",
            name="album_type_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    spotify_id: Mapped[str] = mapped_column(String(22), unique=True)
    name: Mapped[str] = mapped_column(Text)
    album_type: Mapped[str | None] = mapped_column(Text)
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    release_date_precision: Mapped[str | None] = mapped_column(Text)
    total_tracks: Mapped[int | None] = mapped_column(Integer)
    tracks_fetched_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True),
        doc="set once every track of the album is stored; albums never change after that",
    )
    created_at: Mapped[dt.datetime] = _now()


class ArtistAlbum(Base):
    """An album in an artist's Spotify discography (the artist-albums listing).

    Lets a re-run tell from one page whether the listing changed, and links albums
    that credit the artist only through ``appears_on``.
    """

    __tablename__ = "artist_albums"
    __table_args__ = (
        CheckConstraint(
            "album_group IN ('album', 'single', 'compilation', 'appears_on')",
            name="album_group_known",
        ),
        Index(None, "album_id"),
    )

    artist_id: Mapped[int] = mapped_column(
        ForeignKey("artists.id", ondelete="CASCADE"), primary_key=True
    )
    album_id: Mapped[int] = mapped_column(
        ForeignKey("albums.id", ondelete="CASCADE"), primary_key=True
    )
    album_group: Mapped[str] = mapped_column(Text)


class Track(Base):
    __tablename__ = "tracks"
    __table_args__ = (
        CheckConstraint(SPOTIFY_ID_CHECK.format(col="spotify_id"), name="spotify_id_format"),
        CheckConstraint("duration_ms IS NULL OR duration_ms > 0", name="duration_positive"),
        CheckConstraint("canonical_track_id <> id", name="canonical_not_self"),
        Index(None, "album_id"),
        Index(None, "canonical_track_id"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    spotify_id: Mapped[str] = mapped_column(String(22), unique=True)
    title: Mapped[str] = mapped_column(Text)
    normalized_title: Mapped[str] = mapped_column(
        Text, doc="title without case, punctuation and release suffixes; the dedup key"
    )
    album_id: Mapped[int] = mapped_column(ForeignKey("albums.id", ondelete="RESTRICT"))
    disc_number: Mapped[int | None] = mapped_column(SmallInteger)
    track_number: Mapped[int | None] = mapped_column(SmallInteger)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    isrc: Mapped[str | None] = mapped_column(String(12))
    canonical_track_id: Mapped[int | None] = mapped_column(
        ForeignKey("tracks.id", ondelete="SET NULL"),
        doc="NULL for a canonical recording; else the canonical row this release duplicates",
    )
    created_at: Mapped[dt.datetime] = _now()


class TrackArtist(Base):
    __tablename__ = "track_artists"
    __table_args__ = (
        Index(
            "uq_track_artists_one_primary",
            "track_id",
            unique=True,
            postgresql_where=text("is_primary"),
        ),
        Index(None, "artist_id"),
    )

    track_id: Mapped[int] = mapped_column(
        ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    artist_id: Mapped[int] = mapped_column(
        ForeignKey("artists.id", ondelete="CASCADE"), primary_key=True
    )
    is_primary: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class FeatureColumns:
    """The audio features (``db.features.FEATURES``), shared by tracks' features and beats.

    NULL where a provider does not give a feature: missing is never invented.
    """

    danceability: Mapped[float | None] = mapped_column(Double)
    energy: Mapped[float | None] = mapped_column(Double)
    key: Mapped[int | None] = mapped_column(SmallInteger)
    loudness: Mapped[float | None] = mapped_column(Double)
    mode: Mapped[int | None] = mapped_column(SmallInteger)
    speechiness: Mapped[float | None] = mapped_column(Double)
    acousticness: Mapped[float | None] = mapped_column(Double)
    instrumentalness: Mapped[float | None] = mapped_column(Double)
    liveness: Mapped[float | None] = mapped_column(Double)
    valence: Mapped[float | None] = mapped_column(Double)
    tempo: Mapped[float | None] = mapped_column(Double)
    time_signature: Mapped[int | None] = mapped_column(SmallInteger)
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class AudioFeatures(FeatureColumns, Base):
    """One provider's features for one track; a track may have several providers."""

    __tablename__ = "audio_features"
    __table_args__ = (
        UniqueConstraint("track_id", "source"),
        CheckConstraint("source IN ('spotify', 'reccobeats', 'csv')", name="source_known"),
        *_feature_checks(),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[dt.datetime] = _now()


class FeatureCheck(Base):
    """A provider was asked for a track's features: found or not, and when.

    Lets the ingester skip tracks no provider covers until a retry interval passes.
    """

    __tablename__ = "feature_checks"

    track_id: Mapped[int] = mapped_column(
        ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(Text, primary_key=True)
    found: Mapped[bool] = mapped_column(Boolean)
    checked_at: Mapped[dt.datetime] = _now()


class Beat(FeatureColumns, Base):
    """The producer's own instrumental, with the same features as a track."""

    __tablename__ = "beats"
    __table_args__ = (
        CheckConstraint(
            "spotify_id IS NULL OR " + SPOTIFY_ID_CHECK.format(col="spotify_id"),
            name="spotify_id_format",
        ),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),
        *_feature_checks(),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    spotify_id: Mapped[str | None] = mapped_column(String(22), unique=True)
    audio_path: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, doc="where the features came from")
    created_at: Mapped[dt.datetime] = _now()


class LabelSet(Base):
    """A named grouping of artists into target classes (e.g. the study's 19 pairs)."""

    __tablename__ = "label_sets"
    __table_args__ = (CheckConstraint("min_songs >= 1", name="min_songs_positive"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    min_songs: Mapped[int] = mapped_column(Integer, server_default=text("100"))
    created_at: Mapped[dt.datetime] = _now()


class LabelGroup(Base):
    __tablename__ = "label_groups"
    __table_args__ = (UniqueConstraint("label_set_id", "artist_id"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    label_set_id: Mapped[int] = mapped_column(ForeignKey("label_sets.id", ondelete="CASCADE"))
    artist_id: Mapped[int] = mapped_column(ForeignKey("artists.id", ondelete="CASCADE"))
    group_label: Mapped[str] = mapped_column(Text)


class Model(Base):
    """A trained classifier. ``metrics`` holds CV means/stds for the network and baselines."""

    __tablename__ = "models"
    __table_args__ = (
        Index(
            "uq_models_one_active_per_label_set",
            "label_set_id",
            unique=True,
            postgresql_where=text("is_active"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    label_set_id: Mapped[int] = mapped_column(ForeignKey("label_sets.id", ondelete="RESTRICT"))
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONB)
    refit_metric: Mapped[str] = mapped_column(Text)
    data_fingerprint: Mapped[str] = mapped_column(Text)
    library_versions: Mapped[dict[str, Any]] = mapped_column(JSONB)
    device: Mapped[str] = mapped_column(Text)
    durations: Mapped[dict[str, Any]] = mapped_column(JSONB)
    artifact: Mapped[bytes] = mapped_column(LargeBinary)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[dt.datetime] = _now()


class GridResult(Base):
    """One GridSearch candidate of a model's search."""

    __tablename__ = "grid_results"
    __table_args__ = (UniqueConstraint("model_id", "candidate"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    candidate: Mapped[int] = mapped_column(Integer)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONB, doc="per metric: mean, std, rank")
    fit_seconds: Mapped[float | None] = mapped_column(Double)


class TrainingRun(Base):
    """A queued training request, claimed by workers with FOR UPDATE SKIP LOCKED."""

    __tablename__ = "training_runs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        Index("ix_training_runs_queued", "created_at", postgresql_where=text("status = 'queued'")),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    status: Mapped[str] = mapped_column(Text, server_default=text("'queued'"))
    request: Mapped[dict[str, Any]] = mapped_column(JSONB, doc="the train command's options")
    claimed_by: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    error: Mapped[str | None] = mapped_column(Text)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = _now()


class Prediction(Base):
    """One beat's probability for one group under one model, and its rank among the groups.

    The natural key is the primary key: no surrogate id, one index less to maintain on
    the bulk writes (predictions are rewritten per beat and model, never updated).
    """

    __tablename__ = "predictions"
    __table_args__ = (
        UniqueConstraint("beat_id", "model_id", "rank"),
        CheckConstraint("probability >= 0 AND probability <= 1", name="probability_range"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    beat_id: Mapped[int] = mapped_column(
        ForeignKey("beats.id", ondelete="CASCADE"), primary_key=True
    )
    model_id: Mapped[int] = mapped_column(
        ForeignKey("models.id", ondelete="CASCADE"), primary_key=True
    )
    group_label: Mapped[str] = mapped_column(Text, primary_key=True)
    probability: Mapped[float] = mapped_column(Double)
    rank: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = _now()


class JobRun(Base):
    """The ledger: one row per batch job run, whatever started it."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running', 'done', 'failed', 'abandoned')", name="status_known"
        ),
        Index(None, "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    job: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(Text, server_default=text("'cli'"))
    status: Mapped[str] = mapped_column(Text, server_default=text("'running'"))
    started_at: Mapped[dt.datetime] = _now()
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(Text)
    pid: Mapped[int | None] = mapped_column(Integer)
