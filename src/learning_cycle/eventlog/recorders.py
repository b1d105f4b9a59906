"""The event store's recorders: eventsourcing's for SQLite and PostgreSQL, each writing the chain.

Each writes every event's link of the hash chain (:mod:`.chain`) in the transaction that records the
event: after the insert it reads the events after the chain's last link (the ones just inserted, as
stored) and links them. The SQLite recorder also offers eventsourcing's batched insert to the bulk
import (:meth:`SQLiteRecorder.insert_many`), chained the same way, and one check a writer can ask for:

A save may pass ``expected_head``: the log position it was decided against. Inside the write
transaction (which holds SQLite's write lock, so no other writer can commit meanwhile), the
recorder checks that the first position it was given follows the expected one; if not, it raises
:class:`HeadMoved` and the transaction writes nothing. A writer that knows its cached records are current as of a
position can then decide commands without reading them again, and still never act on state another
process has changed since (see :mod:`learning_cycle.application.unit_of_work`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder, SQLiteCursor

from ..domain.errors import LearningCycleError
from .chain import CHAIN_TABLE, Head, Row, links, record_text

READ_BATCH = 5000


class HeadMoved(Exception):
    """Another writer recorded events after the position a save was decided against."""

    def __init__(self, expected: int, head: int) -> None:
        super().__init__(f"the log's head is {head}, not {expected}")
        self.expected, self.head = expected, head


class Unchained(LearningCycleError):
    """Events were to be chained after a log that holds events and no chain: refused, nothing written."""

    def __init__(self, first: int) -> None:
        super().__init__(
            f"store: the log holds events 1 to {first - 1} and no chain: nothing was recorded; a store an earlier "
            "version made is chained once with `learning-cycle chain` (verify reports one whose chain was removed)",
            field="store",
            value=first - 1,
        )


class NotChainable(LearningCycleError):
    """``learning-cycle chain`` refused: the store has a chain, records its signing, or holds nothing."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"store: {reason}: nothing was chained", field="store", value=reason)


SIGNING_SETTING = "signing"
"""The setting a store records about its links (:func:`~.chain.signing_fingerprint`)."""


class LogEntry(NamedTuple):
    """A stored event as the log holds it: the fields of eventsourcing's ``Notification``, as a
    plain tuple (see :meth:`ChainedRecorder.read_log`)."""

    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class ChainedRecorder:
    """What both recorders share: the signing key, the chain's head, and the walk's reads. A
    dialect gives :meth:`_select` (SQL with ``?`` marks, run in a transaction of its own or on a
    cursor) and the names of its tables."""

    signing_key: bytes | None = None
    """Set by the application from the environment (:func:`~learning_cycle.eventlog.signing_key`)."""

    def _select(self, sql: str, args: tuple, cursor: Any = None) -> list[tuple]:  # pragma: no cover - per dialect
        raise NotImplementedError

    def _chain_sql(self) -> str:  # pragma: no cover - per dialect
        raise NotImplementedError

    def _rows(self, after: int, limit: int, cursor: Any = None) -> list[Row]:  # pragma: no cover - per dialect
        """Up to ``limit`` stored events after position ``after``, in order."""
        raise NotImplementedError

    def read_log(self, after: int, stop: int, limit: int) -> list[LogEntry]:
        """The stored events after position ``after``, up to ``stop``, at most ``limit``, in order
        (a dialect may read them more cheaply)."""
        found = self.select_notifications(start=after, limit=limit, stop=stop, inclusive_of_start=False)  # type: ignore[attr-defined]
        return [LogEntry(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in found]

    def store_setting(self, name: str, cursor: Any = None) -> str | None:
        """A setting the store recorded about itself, or ``None``."""
        found = self._select(f"SELECT value FROM {self._settings_sql()} WHERE name = ?", (name,), cursor)
        return found[0][0] if found else None

    def _settings_sql(self) -> str:  # pragma: no cover - per dialect
        raise NotImplementedError

    def chain_head(self, cursor: Any = None) -> Head | None:
        """The last link written, or ``None`` for an empty log."""
        found = self._select(
            f"SELECT position, link FROM {self._chain_sql()} ORDER BY position DESC LIMIT 1", (), cursor
        )
        return Head(*found[0]) if found else None

    def chain_at(self, position: int) -> str | None:
        found = self._select(f"SELECT link FROM {self._chain_sql()} WHERE position = ?", (position,))
        return found[0][0] if found else None

    def _link(self, cursor: Any, first: int, last: int, late: bool = False) -> list[tuple[int, str, int]]:
        """The links of the events at positions ``first`` to ``last`` (the ones this transaction
        inserted), read as stored, going on from the chain's head. Only these: a row someone added
        to the table by hand is never chained by a later insert, so ``verify`` finds it."""
        head = self.chain_head(cursor)
        if head is None and self._rows(0, 1, cursor)[0].position != first:
            # events before these and no chain (PostgreSQL may start a log after 1: a transaction
            # rolled back still used up the positions it was given)
            raise Unchained(first)
        previous = head.digest if head else ""
        made: list[tuple[int, str, int]] = []
        position = first - 1
        while position < last:
            rows = [r for r in self._rows(position, min(READ_BATCH, last - position), cursor) if r.position <= last]
            if not rows:
                break
            for at, made_link in links(self.signing_key, previous, rows):
                made.append((at, made_link, int(late)))
                previous = made_link
            position = rows[-1].position
        return made

    def _link_stored(
        self, cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> list[tuple[int, str, int]]:
        """The links of events this transaction just inserted at ``positions``, from the stored
        events in hand (the bytes the insert wrote), going on from the chain's head."""
        head = self.chain_head(cursor)
        if head is None and positions and positions[0] != 1:
            raise Unchained(positions[0])
        rows = [
            Row(p, record_text(s.originator_id), s.originator_version, s.topic, s.state)
            for p, s in zip(positions, stored_events, strict=True)
        ]
        return [(p, made, 0) for p, made in links(self.signing_key, head.digest if head else "", rows)]

    def _late_links(self, cursor: Any, last: int | None) -> list[tuple[int, str, int]]:
        """For ``learning-cycle chain`` on a store an earlier version made: every event's link up to
        ``last``, made late and marked so. Refused (:class:`NotChainable`) for a store with any link
        (an event after its head was not recorded through a recorder: ``verify`` reports it), one
        that records its signing (made by a version that chains: its chain was removed), or an empty one."""
        if self.chain_head(cursor) is not None:
            raise NotChainable("the store is chained already")
        if not last:
            raise NotChainable("the store holds no events")
        recorded = self.store_setting(SIGNING_SETTING, cursor)
        if recorded is not None:
            raise NotChainable(
                f"the store was made chained (signing {recorded}) and its chain is gone: it was tampered with"
            )
        return self._link(cursor, 1, last, late=True)

    def events(self, after: int = 0, until: int | None = None) -> Iterator[Row]:
        """Every stored event after position ``after`` (up to ``until``), as stored, in order."""
        while True:
            rows = self._rows(after, READ_BATCH)
            for row in rows:
                if until is not None and row.position > until:
                    return
                yield row
            if len(rows) < READ_BATCH:
                return
            after = rows[-1].position

    def chain(self, after: int = 0, until: int | None = None) -> Iterator[tuple[int, str, bool]]:
        """Every link after position ``after`` (up to ``until``): (position, link, made late), in order."""
        while True:
            found = self._chain_rows(after, READ_BATCH)
            for position, made, late in found:
                if until is not None and position > until:
                    return
                yield position, made, bool(late)
            if len(found) < READ_BATCH:
                return
            after = found[-1][0]

    def append_many(
        self, chunks: Iterable[Sequence[StoredEvent]], on_chunk: Callable[[int], None] | None = None
    ) -> int:
        """Insert stored events in chunks with the dialect's batched insert (:meth:`insert_many`,
        chained), all in one transaction; returns how many."""
        done = 0
        with self.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
            for chunk in chunks:
                self.insert_many(cursor, chunk)  # type: ignore[attr-defined]
                done += len(chunk)
                if on_chunk is not None:
                    on_chunk(done)
        return done

    def _chain_rows(self, after: int, limit: int) -> list[tuple[int, str, int]]:
        return self._select(
            f"SELECT position, link, late FROM {self._chain_sql()} WHERE position > ? ORDER BY position LIMIT ?",
            (after, limit),
        )


CHAIN_COLUMNS = "position {big} PRIMARY KEY, link TEXT NOT NULL, late SMALLINT NOT NULL DEFAULT 0"
SETTINGS_TABLE = "lc_store"
"""What a store records about itself when it is made (today: ``cipher``, see :func:`.log.cipher_fingerprint`)."""
SETTINGS_COLUMNS = "name TEXT PRIMARY KEY, value TEXT NOT NULL"


class SQLiteRecorder(ChainedRecorder, SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ({CHAIN_COLUMNS.format(big='INTEGER')})",
            f"CREATE TABLE IF NOT EXISTS {SETTINGS_TABLE} ({SETTINGS_COLUMNS})",
        ]

    def _settings_sql(self) -> str:
        return SETTINGS_TABLE

    def put_setting(self, name: str, value: str) -> str:
        """Record a setting unless one is recorded already; returns the one recorded."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT OR IGNORE INTO {SETTINGS_TABLE} (name, value) VALUES (?, ?)", (name, value))
            c.execute(f"SELECT value FROM {SETTINGS_TABLE} WHERE name = ?", (name,))
            return c.fetchone()[0]

    def _select(self, sql: str, args: tuple, cursor: Any = None) -> list[tuple]:
        if cursor is not None:
            cursor.execute(sql, args)
            return [tuple(r) for r in cursor.fetchall()]
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, args)
            return [tuple(r) for r in c.fetchall()]

    def _chain_sql(self) -> str:
        return CHAIN_TABLE

    def _rows(self, after: int, limit: int, cursor: Any = None) -> list[Row]:
        sql = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events_table_name} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
        return [Row(p, record_text(r), v, t, bytes(s)) for p, r, v, t, s in self._select(sql, (after, limit), cursor)]

    def _write_links(self, c: SQLiteCursor, made: list[tuple[int, str, int]]) -> int:
        c.executemany(f"INSERT INTO {CHAIN_TABLE} (position, link, late) VALUES (?, ?, ?)", made)
        return len(made)

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
        if positions:
            self._write_links(c, self._link_stored(c, positions, stored_events))
        return positions

    def insert_many(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> None:
        """eventsourcing's batched insert (one ``executemany`` of the same statement), which does
        not collect each event's position as the application recorder's insert does, one
        statement per event: for a bulk import, which needs no positions. Chained like any insert."""
        SQLiteAggregateRecorder._insert_events(self, c, stored_events)
        inserted = len(stored_events)  # every one, or the insert raised
        if inserted:  # the last rows: this transaction holds the write lock since its first insert
            c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
            (last,) = c.fetchone()
            self._write_links(c, self._link(c, last - inserted + 1, last))

    def chain_late(self, stored_events: Sequence[StoredEvent], signing: str) -> int:
        """Chain a store an earlier version made, in one transaction: every event linked late (see
        :meth:`ChainedRecorder._late_links`), the store's signing recorded, then ``stored_events``
        (the record of this chaining) inserted and chained as any; returns how many were linked late."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")  # (a writer since fails the commit)
            (last,) = c.fetchone()
            done = self._write_links(c, self._late_links(c, last))
            c.execute(f"INSERT INTO {SETTINGS_TABLE} (name, value) VALUES (?, ?)", (SIGNING_SETTING, signing))
            self.insert_many(c, stored_events)
            return done

    def read_log(self, after: int, stop: int, limit: int) -> list[LogEntry]:
        """The stored events after position ``after``, up to ``stop``, at most ``limit``, as plain
        tuples: what ``select_notifications`` reads, without an object and a UUID made for each
        (a rebuild reads every event)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events_table_name} "
                "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
                (after, stop, limit),
            )
            return [LogEntry(i, UUID(hex=r), v, t, s) for i, r, v, t, s in c.fetchall()]
