"""All configuration, read from the environment in one place.

No other module reads ``os.environ`` for settings: they take a ``Settings``
object (usually ``get_settings()``), so tests can build their own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url


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
        if self.database_url is not None:
            password = make_url(self.database_url.get_secret_value()).password
            if password:
                values.append(str(password))
        return values

    def redact(self, message: str) -> str:
        """``message`` with every known secret replaced by ``***``."""
        for secret in self.secret_values():
            message = message.replace(secret, "***")
        return message


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
