from __future__ import annotations

import pytest
from pydantic import ValidationError

from beatclassifier.settings import Settings
from db.connection import masked


def test_plain_postgres_urls_are_driven_by_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://me:pw@db.example/beats")
    url = Settings().database_url
    assert url is not None
    assert url.get_secret_value() == "postgresql+psycopg://me:pw@db.example/beats"


def test_other_databases_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://me@db/beats")
    with pytest.raises(ValidationError, match="postgresql"):
        Settings()


def test_the_password_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://me:s3cr3t-pw@db/beats")
    settings = Settings()
    assert "s3cr3t-pw" not in repr(settings)
    assert "s3cr3t-pw" not in masked(settings.database_url.get_secret_value())
    assert settings.redact("could not connect with s3cr3t-pw") == "could not connect with ***"


def test_data_dir_and_log_level_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("BEATCLASSIFIER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BEATCLASSIFIER_LOG_LEVEL", "debug")
    settings = Settings()
    assert settings.data_dir == tmp_path and settings.log_level == "DEBUG"
    monkeypatch.setenv("BEATCLASSIFIER_LOG_LEVEL", "chatty")
    with pytest.raises(ValidationError):
        Settings()
