"""All configuration, read from the environment in one place.

No other module reads ``os.environ`` for settings: they take a ``Settings``
object (usually ``get_settings()``), so tests can build their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

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

    model_config = SettingsConfigDict(env_prefix="BEATCLASSIFIER_", extra="ignore")

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

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log level must be DEBUG, INFO, WARNING or ERROR")
        return level

    def secret_values(self) -> list[str]:
        """Every secret this process knows, so messages can be scrubbed of them."""
        values = []
        if self.database_url is not None:
            password = make_url(self.database_url.get_secret_value()).password
            if password:
                values.append(str(password))
        return values

    def redact(self, message: str) -> str:
        """``message`` with every known secret, and any password in a URL, replaced by ``***``."""
        for secret in self.secret_values():
            message = message.replace(secret, "***")
        return _URL_PASSWORD.sub(r"\1***@", message)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
