"""The view tables in the events' PostgreSQL database and schema: eventsourcing's
:class:`~eventsourcing.postgres.PostgresTrackingRecorder`, extended with the views' tables
(:class:`~.viewdb.ViewStore`). Imported only for a PostgreSQL store (it needs psycopg)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, PersistenceError
from eventsourcing.postgres import PostgresFactory, PostgresTrackingRecorder
from eventsourcing.utils import Environment
from psycopg import sql

from ..domain.errors import LearningCycleError
from ..eventlog.store import Store
from .viewdb import APPLICATION, LOG_COLUMNS, RECORD_COLUMNS, STAGED, ViewStore

NAME = "lc_views"
"""The views' name for the engine's factory: their tracking table is ``lc_views_tracking``."""


class PostgresViewStore(ViewStore, PostgresTrackingRecorder):
    """The view tables in the events' PostgreSQL database (and schema), with the engine's
    tracking table. Each transaction reads and writes the views' tables in the store's schema."""

    mark = "%s"
    big = "BIGINT"
    blob = "BYTEA"

    def __init__(self, datastore: Any, *, tracking_table_name: str) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name)
        self.tracking = tracking_table_name
        self._path = sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(self.datastore.schema))

    @contextmanager
    def _transaction(self, connection: Any = None) -> Iterator[Any]:
        try:
            with self.datastore.transaction(commit=True) as cur:
                cur.execute(self._path)
                yield cur
        except (psycopg.OperationalError, OperationalError, InterfaceError) as exc:  # nothing of it was written
            raise LearningCycleError(
                f"store: the PostgreSQL connection was lost ({' '.join(str(exc).split())}); nothing of this "
                "batch was written: try again",
                field="store",
            ) from None

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cur:
            cur.execute(self._path)
            yield cur

    def _has_table(self, cur: Any, name: str) -> bool:
        cur.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            (self.datastore.schema, name),
        )
        return cur.fetchone() is not None

    def _locked_position(self, cur: Any) -> int:
        cur.execute(
            f"SELECT notification_id FROM {self.tracking} WHERE application_name = %s FOR UPDATE", (APPLICATION,)
        )
        found = cur.fetchone()
        return 0 if found is None else found["notification_id"]

    def _establish(self, cur: Any) -> None:
        cur.execute(f"LOCK TABLE {self.tracking} IN SHARE ROW EXCLUSIVE MODE")  # one process makes the tables
        super()._establish(cur)

    def _upsert(self, table: str, columns: str, key: str) -> str:
        names = [c.strip() for c in columns.split(",")]
        keys = {k.strip() for k in key.split(",")}
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in keys)
        marks = ",".join("?" * len(names))
        return f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({key}) DO UPDATE SET {updates}"

    @contextmanager
    def _attached(self, parts: list[str]) -> Iterator[tuple[Any, list[sqlite3.Connection]]]:
        sources = [sqlite3.connect(path) for path in parts]
        try:
            yield None, sources
        finally:
            for source in sources:
                source.close()

    def _load(self, cur: Any, sources: list[sqlite3.Connection]) -> None:
        for table, columns, source_table in (
            (STAGED["lc_view_records"], RECORD_COLUMNS, "records"),
            (STAGED["lc_view_log"], LOG_COLUMNS, "log"),
        ):
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for source in sources:
                    for row in source.execute(f"SELECT {columns} FROM {source_table}"):
                        copy.write_row(row)

    def close(self) -> None:
        self.datastore.close()


def postgres_view_store(store: Store) -> PostgresViewStore:
    """The views of a PostgreSQL store, made with the engine's factory from the store's settings."""
    settings = {k: v for k, v in store.settings.items() if k.startswith("POSTGRES_")}
    for attempt in range(8):  # two processes creating the tables at once (the engine's tracking table and
        # its migration row, or the views'): the loser tries again
        factory = PostgresFactory(Environment(NAME, {**settings, "CREATE_TABLE": "n"}))
        views = factory.tracking_recorder(PostgresViewStore)
        try:
            views.create_table()
            return views
        except (psycopg.Error, PersistenceError) as exc:
            views.close()
            text = str(exc)
            raced = ("concurrently updated", "duplicate key value", "already exists",  # CREATE ... IF NOT EXISTS racing
                     "Failed to record tracking for __migration__")  # fmt: skip
            if attempt < 7 and any(words in text for words in raced):
                time.sleep(0.05 * (attempt + 1))
                continue
            if isinstance(exc, OperationalError | InterfaceError):
                raise LearningCycleError(
                    f"store: cannot reach PostgreSQL for the views: {exc}", field="store"
                ) from None
            raise
    raise AssertionError("unreachable")  # pragma: no cover
