"""All configuration, read from the environment in one place.

No other module reads ``os.environ`` for settings: they take a ``Settings``
object (usually ``get_settings()``), so tests can build their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url

_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")


def _default_data_dir() -> Path:
    """Per-user data directory (XDG on Linux) holding the embedded database."""
    return Path(user_data_dir("beatclassifier", appauthor=False))


class Settings(BaseSettings):
    """Typed settings. Environment variable names are given in each field's alias."""

    model_config = SettingsConfigDict(
        env_prefix="BEATCLASSIFIER_", extra="ignore", populate_by_name=True
    )

    database_url: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "BEATCLASSIFIER_DATABASE_URL"),
        description="postgresql+psycopg://user:password@host/db; unset = embedded PostgreSQL",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="where the embedded database and model artifacts live",
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    ingest_csv_dir: Path | None = Field(
        default=None,
        description="BEATCLASSIFIER_INGEST_CSV_DIR: the seed-format directory `run ingest` imports",
    )
    artists_file: Path | None = Field(
        default=None,
        description="BEATCLASSIFIER_ARTISTS_FILE: the artist list (name, Spotify id) that "
        "`run ingest` fetches through the Spotify API; unset: import INGEST_CSV_DIR instead",
    )
    train_groups_file: Path | None = Field(
        default=None,
        description="BEATCLASSIFIER_TRAIN_GROUPS_FILE: artist,group CSV that scheduled training "
        "uses; unset: one class per artist",
    )
    train_grid: str = Field(
        default="seed",
        description="BEATCLASSIFIER_TRAIN_GRID: grid preset (seed, binary, quick) or JSON file "
        "that scheduled training searches",
    )
    train_min_songs: int = Field(
        default=100,
        ge=1,
        description="BEATCLASSIFIER_TRAIN_MIN_SONGS: artists with fewer canonical tracks are "
        "left out of scheduled training",
    )
    schedule: str = Field(
        default="pipeline=cron:0 3 * * *",
        description="BEATCLASSIFIER_SCHEDULE: `JOB=cron:MIN HOUR DOM MON DOW` or "
        "`JOB=interval:SECONDS` entries separated by ';' (see `beatclassifier scheduler -h`)",
    )
    schedule_file: Path | None = Field(
        default=None,
        description="BEATCLASSIFIER_SCHEDULE_FILE: a TOML schedule (wins over SCHEDULE)",
    )
    misfire_grace_s: int = Field(
        default=3600,
        ge=1,
        description="BEATCLASSIFIER_MISFIRE_GRACE_S: how late a missed run may still start",
    )

    # Spotify / ReccoBeats ingestion (docs/ingest.md)
    spotify_client_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SPOTIPY_CLIENT_ID", "BEATCLASSIFIER_SPOTIFY_CLIENT_ID"),
        description="the Spotify app's client id (client-credentials flow)",
    )
    spotify_client_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "SPOTIPY_CLIENT_SECRET", "BEATCLASSIFIER_SPOTIFY_CLIENT_SECRET"
        ),
        description="the Spotify app's client secret; never logged",
    )
    spotify_api_url: str = Field(
        default="https://api.spotify.com/v1/",
        description="BEATCLASSIFIER_SPOTIFY_API_URL: Web API base (a simulator's, in tests)",
    )
    spotify_token_url: str = Field(
        default="https://accounts.spotify.com/api/token",
        description="BEATCLASSIFIER_SPOTIFY_TOKEN_URL: client-credentials token endpoint",
    )
    reccobeats_url: str = Field(
        default="https://api.reccobeats.com/v1",
        description="BEATCLASSIFIER_RECCOBEATS_URL: ReccoBeats API base",
    )
    spotify_api_mode: Literal["extended", "development", "auto"] = Field(
        default="auto",
        description="BEATCLASSIFIER_SPOTIFY_API_MODE: the app's quota mode; auto detects it",
    )
    feature_providers: str = Field(
        default="spotify,reccobeats,csv",
        description="BEATCLASSIFIER_FEATURE_PROVIDERS: audio-feature providers, in order",
    )
    feature_recheck_days: float = Field(
        default=30,
        ge=0,
        description="BEATCLASSIFIER_FEATURE_RECHECK_DAYS: wait before asking again for "
        "features no provider had",
    )
    http_timeout_s: float = Field(default=20, gt=0, description="per-request timeout")
    http_max_retries: int = Field(
        default=6, ge=0, description="retries of one request on 5xx, 429 or a dropped connection"
    )
    http_backoff_s: float = Field(
        default=0.5, ge=0, description="first backoff delay; doubles per retry, with jitter"
    )
    rate_limit_max_wait_s: float = Field(
        default=120,
        ge=0,
        description="BEATCLASSIFIER_RATE_LIMIT_MAX_WAIT_S: longest Retry-After honoured; a "
        "longer one stops the run cleanly (resume later)",
    )
    keras_backend: str = Field(
        default="auto",
        validation_alias=AliasChoices("KERAS_BACKEND", "BEATCLASSIFIER_KERAS_BACKEND"),
        description="Keras 3 backend: tensorflow, jax, torch, or auto (jax when the "
        "optional jax extra is installed: ~20x less per-epoch overhead on small MLPs; "
        "else tensorflow)",
    )

    @field_validator("database_url")
    @classmethod
    def _require_psycopg_driver(cls, value: SecretStr | None) -> SecretStr | None:
        """Accept plain postgresql:// URLs but always talk through psycopg 3."""
        if value is None:
            return None
        url = value.get_secret_value()
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
        if not url.startswith("postgresql+psycopg://"):
            raise ValueError("DATABASE_URL must look like postgresql+psycopg://user@host/db")
        return SecretStr(url)

    @field_validator("feature_providers")
    @classmethod
    def _known_providers(cls, value: str) -> str:
        names = [n.strip() for n in value.split(",") if n.strip()]
        unknown = sorted(set(names) - {"spotify", "reccobeats", "csv"})
        if unknown or not names:
            raise ValueError(
                f"unknown provider(s) {unknown}; use a comma list of spotify, reccobeats, csv"
            )
        return ",".join(dict.fromkeys(names))

    @property
    def provider_chain(self) -> tuple[str, ...]:
        return tuple(self.feature_providers.split(","))

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log level must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("keras_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in {"auto", "tensorflow", "jax", "torch"}:
            raise ValueError("KERAS_BACKEND must be auto, tensorflow, jax or torch")
        return value

    def secret_values(self) -> list[str]:
        """Every secret this process knows, so messages can be scrubbed of them."""
        values = []
        if self.spotify_client_secret is not None:
            values.append(self.spotify_client_secret.get_secret_value())
        if self.database_url is not None:
            password = make_url(self.database_url.get_secret_value()).password
            if password:
                values.append(str(password))
        return [v for v in values if v]

    def redact(self, message: str) -> str:
        """``message`` with every known secret, and any password in a URL, replaced by ``***``."""
        for secret in self.secret_values():
            message = message.replace(secret, "***")
        return _URL_PASSWORD.sub(r"\1***@", message)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
