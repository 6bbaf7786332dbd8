"""Alembic migrations. Landed revisions are immutable: fix forward with a new one."""
