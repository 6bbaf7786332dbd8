"""Migrations replay to exactly the declared models, and walk down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from db import migrate
from db.models import Base


def _diff(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_replayed_migrations_equal_models(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    migrate.upgrade(engine)
    engine.dispose()
    assert _diff(empty_db_url) == []


def test_downgrade_to_base_and_upgrade_again(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    engine.dispose()
    assert _diff(empty_db_url) == []
