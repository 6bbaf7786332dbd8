"""What every command needs: settings and a migrated database, resolved lazily."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine

from beatclassifier.settings import Settings
from db import connection, migrate

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    _migrated: bool = field(default=False, init=False)

    @cached_property
    def url(self) -> str:
        return connection.database_url(self.settings)

    @cached_property
    def _engine(self) -> Engine:
        return connection.make_engine(self.url)

    def engine(self, *, migrated: bool = True) -> Engine:
        """The engine; by default the schema is first brought up to date (idempotent)."""
        if migrated and not self._migrated:
            migrate.upgrade(self._engine)
            self._migrated = True
        return self._engine

    def close(self) -> None:
        if "_engine" in self.__dict__:
            self._engine.dispose()
