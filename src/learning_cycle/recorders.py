"""The event store's recorder for SQLite: eventsourcing's, with one check a writer can ask for.

It also offers eventsourcing's batched insert to the bulk import (:meth:`SQLiteRecorder.insert_many`).

A save may pass ``expected_head``: the log position it was decided against. Inside the write
transaction (which holds SQLite's write lock, so no other writer can commit meanwhile), the
recorder checks that the first position it was given follows the expected one; if not, it raises
:class:`HeadMoved` and the transaction writes nothing. A writer that knows its cached records are current as of a
position can then decide commands without reading them again, and still never act on state another
process has changed since (see ``LearningCycle._run``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder, SQLiteCursor


class HeadMoved(Exception):
    """Another writer recorded events after the position a save was decided against."""

    def __init__(self, expected: int, head: int) -> None:
        super().__init__(f"the log's head is {head}, not {expected}")
        self.expected, self.head = expected, head


class LogEntry(NamedTuple):
    """A stored event as the log holds it: the fields of eventsourcing's ``Notification``, with the
    record's id as the 32 hex digits stored (see :meth:`SQLiteRecorder.read_log`)."""

    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


class SQLiteRecorder(SQLiteApplicationRecorder):
    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        expected = kwargs.get("expected_head")
        if expected is not None and positions and min(positions) != expected + 1:
            # the first position SQLite gave is the one after the last recorded: someone recorded
            # since. (Reading the head first would make this a read transaction that SQLite may
            # then refuse to upgrade without waiting; the insert takes the write lock at once.)
            raise HeadMoved(expected, min(positions) - 1)
        return positions

    def insert_many(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> None:
        """eventsourcing's batched insert (one ``executemany`` of the same statement), which does
        not collect each event's position as the application recorder's insert does, one
        statement per event: for a bulk import, which needs no positions."""
        SQLiteAggregateRecorder._insert_events(self, c, stored_events)

    def read_log(self, after: int, stop: int, limit: int) -> list[LogEntry]:
        """The stored events after position ``after``, up to ``stop``, at most ``limit``, as plain
        tuples: what ``select_notifications`` reads, without an object and a UUID made for each
        (a rebuild reads every event in each of its processes, and folds only its own)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events_table_name} "
                "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
                (after, stop, limit),
            )
            return [LogEntry(*row) for row in c.fetchall()]
