"""The PostgreSQL recorder (imported by its topic only when a store is on PostgreSQL: psycopg is optional)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import sql

from .chain import CHAIN_TABLE, Row, record_text
from .recorders import (
    CHAIN_COLUMNS,
    SETTINGS_COLUMNS,
    SETTINGS_TABLE,
    SIGNING_SETTING,
    ChainedRecorder,
    HeadMoved,
    Unchained,
)


class PostgresRecorder(ChainedRecorder, PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL application recorder, writing the chain in the insert's
    transaction (after eventsourcing has locked the events table, so links are made one writer at a time)."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table = sql.SQL("{}.{}").format(sql.Identifier(datastore.schema), sql.Identifier(CHAIN_TABLE))
        self.events_table = sql.SQL("{}.{}").format(sql.Identifier(datastore.schema), sql.Identifier(events_table_name))
        self.sql_create_statements.append(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (" + CHAIN_COLUMNS.format(big="bigint") + ")").format(
                self.chain_table
            )
        )

        self.settings_table = sql.SQL("{}.{}").format(sql.Identifier(datastore.schema), sql.Identifier(SETTINGS_TABLE))
        self.sql_create_statements.append(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (" + SETTINGS_COLUMNS + ")").format(self.settings_table)
        )

    def _chain_sql(self) -> str:
        return self.chain_table.as_string(None)

    def _settings_sql(self) -> str:
        return self.settings_table.as_string(None)

    def put_setting(self, name: str, value: str) -> str:
        """Record a setting unless one is recorded already; returns the one recorded."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL("INSERT INTO {} (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING").format(
                    self.settings_table
                ),
                (name, value),
            )
            curs.execute(sql.SQL("SELECT value FROM {} WHERE name = %s").format(self.settings_table), (name,))
            return curs.fetchone()["value"]

    def _select(self, statement: str, args: tuple, cursor: Any = None) -> list[tuple]:
        statement = statement.replace("?", "%s")
        if cursor is not None:
            cursor.execute(statement, args)
            return [tuple(r.values()) for r in cursor.fetchall()]
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, args)
            return [tuple(r.values()) for r in curs.fetchall()]

    def _rows(self, after: int, limit: int, cursor: Any = None) -> list[Row]:
        statement = (
            "SELECT notification_id, originator_id, originator_version, topic, state FROM "
            f"{self.events_table.as_string(None)} WHERE notification_id > ? ORDER BY notification_id LIMIT ?"
        )
        return [
            Row(p, record_text(r), v, t, bytes(s)) for p, r, v, t, s in self._select(statement, (after, limit), cursor)
        ]

    def _write_links(self, curs: Any, made: list[tuple[int, str, int]]) -> int:
        if made:
            curs.executemany(
                sql.SQL("INSERT INTO {} (position, link, late) VALUES (%s, %s, %s)").format(self.chain_table), made
            )
        return len(made)

    def _insert_stored_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        """eventsourcing's insert (which locks the events table first), with the check a save may
        ask for: ``expected_head``, the log position the command was decided against. With the
        table locked no one else can record, so the head read here is the true one; if it moved,
        :class:`~learning_cycle.eventlog.recorders.HeadMoved` and the transaction writes nothing.
        A log with events and no chain is refused as well (:class:`~.recorders.Unchained`)."""
        expected = kwargs.get("expected_head")
        self._lock_table(curs)
        curs.execute(sql.SQL("SELECT COALESCE(MAX(notification_id), 0) AS head FROM {}").format(self.events_table))
        head = curs.fetchone()["head"]
        if expected is not None and head != expected:
            raise HeadMoved(expected, head)
        if head and self.chain_head(curs) is None:
            # checked before the insert: eventsourcing commits what was inserted before an exception
            # raised after it (it re-raises it once the pipeline's transaction has ended)
            raise Unchained(head + 1)
        super()._insert_stored_events(curs, stored_events, **kwargs)

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if ids:
            self._write_links(curs, self._link(curs, min(ids), max(ids)))
        return ids

    def insert_many(self, curs: Any, stored_events: Sequence[StoredEvent]) -> None:
        """eventsourcing's insert (the table locked, listeners notified, positions returned) on a
        cursor of a transaction the caller holds, chained like any insert: for a bulk import."""
        self._insert_stored_events(curs, stored_events)
        ids = super()._fetch_ids_after_insert_events(curs, stored_events)
        if ids:
            self._write_links(curs, self._link(curs, min(ids), max(ids)))

    def chain_late(self, stored_events: Sequence[StoredEvent], signing: str) -> int:
        """Chain a store an earlier version made, in one transaction, the table locked (see
        :meth:`~learning_cycle.eventlog.recorders.SQLiteRecorder.chain_late`)."""
        with self.datastore.transaction(commit=True) as curs:
            self._lock_table(curs)
            curs.execute(sql.SQL("SELECT MAX(notification_id) AS last FROM {}").format(self.events_table))
            done = self._write_links(curs, self._late_links(curs, curs.fetchone()["last"]))
            curs.execute(
                sql.SQL("INSERT INTO {} (name, value) VALUES (%s, %s)").format(self.settings_table),
                (SIGNING_SETTING, signing),
            )
            self.insert_many(curs, stored_events)
            return done
