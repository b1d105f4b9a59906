"""The tables the read models live in: eventsourcing's tracking recorders, extended with the views' tables.

The views' store is a :class:`~eventsourcing.persistence.TrackingRecorder` of the engine, for SQLite
(:class:`SQLiteViewStore`, extending :class:`~eventsourcing.sqlite.SQLiteTrackingRecorder`) and
PostgreSQL (:class:`~.viewdb_postgres.PostgresViewStore`), the way eventsourcing's own examples keep a
materialised view: its tracking table holds the last log position folded in (a
:class:`~eventsourcing.persistence.Tracking` of the event log, :data:`APPLICATION`), and beside it

* ``lc_view_records``: the current state of every record (sealed JSON), by board;
* ``lc_view_log``: one row per event, keyed by its position: board, record, version, recorded and
  effective. (The hash chain that ``verify`` checks is written with the events, in the event log:
  :mod:`learning_cycle.eventlog`.)

Every batch changes the rows and records its tracking (the position of its last event, with the
base's ``_insert_tracking``) in one transaction, which first checks the position is the one the
batch started from; the engine's tracking only ever moves forward, so a batch another process
folded first is never written over newer rows.

The tables' layout has a number, :data:`LAYOUT`, kept as a tracking row of its own
(:data:`LAYOUT_NAME`). Views are folded from the log and can always be made again, so a store
whose views have another layout has them dropped and made anew when it is opened. A store made
before the views used the engine's tracking (its position in ``lc_view_tracking``) has that
position moved into the engine's table when opened, if its layout is this one, else its views are
made anew; either way ``lc_view_tracking`` is dropped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError, PersistenceError, Tracking, TrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from ..domain.errors import LearningCycleError
from ..eventlog.store import storage_failure

APPLICATION = "learning-cycle"
"""The name the views' tracking gives the event log they follow."""
LAYOUT_NAME = "learning-cycle views layout"
LAYOUT = 4
"""The layout of the view tables. 1: the log keyed by board and position, with the chain apart
(learning-cycle 0.1). 2: the log keyed by position, with the chain's links in it. 3: the log without
links (the chain is written with the events). 4: states hold checks, progress and feedback in date
order and linked ids in one order, however they were recorded."""
OLD_TRACKING = "lc_view_tracking"
"""Where the views kept their position before they used the engine's tracking table."""


class Moved(Exception):
    """Another process moved the tracking position during a batch."""


TABLES = {
    "lc_view_records": (
        "record_id TEXT PRIMARY KEY, board_id TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL, "
        "position {big} NOT NULL, state {blob} NOT NULL"
    ),
    "lc_view_log": (
        "position {big} PRIMARY KEY, board_id TEXT, record_id TEXT NOT NULL, version INTEGER NOT NULL, "
        "recorded_us {big} NOT NULL, effective_on TEXT NOT NULL"
    ),
}
STAGED = {"lc_view_records": "lc_view_records_next", "lc_view_log": "lc_view_log_next"}
"""Where a rebuild puts its rows before they replace the views' (:meth:`ViewStore.stage_finish`)."""
DROPPED = ("lc_view_chain", *STAGED.values())
"""Tables of earlier layouts, and a failed rebuild's staging tables."""
INDEXES = (
    "CREATE INDEX IF NOT EXISTS lc_view_records_board ON lc_view_records (board_id, kind)",
    "CREATE INDEX IF NOT EXISTS lc_view_log_board ON lc_view_log (board_id, position)",
)
RECORD_COLUMNS = "record_id, board_id, kind, version, position, state"
LOG_COLUMNS = "position, board_id, record_id, version, recorded_us, effective_on"


def plain(row: Any) -> tuple:
    """A row as a tuple (PostgreSQL's cursors give the engine's rows as dicts)."""
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)


def record_rows(
    query: Callable[[str, list[str]], Iterable[tuple]], table: str, ids: list[str]
) -> dict[str, tuple[str, str, int, bytes]]:
    """The stored rows of the records ``ids`` in ``table`` (board, kind, version, state), by id;
    ``query`` runs SQL with ``?`` marks. Read 500 at a time (SQL's limit on marks)."""
    found: dict[str, tuple[str, str, int, bytes]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for record_id, board_id, kind, version, state in query(
            f"SELECT record_id, board_id, kind, version, state FROM {table} WHERE record_id IN ({marks})", chunk
        ):
            found[record_id] = (board_id, kind, version, bytes(state))
    return found


class ViewStore(TrackingRecorder):
    """The views' tables on a tracking recorder of the engine: the SQL is shared, the connection,
    the tracking table's name and the upserts are the dialect's. Mixed in before the engine's
    recorder class of the dialect (which gives ``_insert_tracking``, ``_max_tracking_id``,
    ``max_tracking_id`` and ``wait``)."""

    mark = "?"
    big = "INTEGER"
    blob = "BLOB"
    tracking = "tracking"

    # what the engine's recorder of each dialect gives (declared here for the type checker)
    _insert_tracking: Callable[[Any, Tracking], None]
    _max_tracking_id: Callable[[str, Any], int | None]

    def create_table(self) -> None:
        """The engine's tracking table, then the views' tables (made anew if of another layout)."""
        super().create_table()  # type: ignore[misc]  # the engine's recorder, after this in the MRO
        with self._transaction() as cur:
            self._establish(cur)

    def _establish(self, cur: Any) -> None:
        layout = self._max_tracking_id(LAYOUT_NAME, cur)
        if self._has_table(cur, OLD_TRACKING):  # made before the views used the engine's tracking
            cur.execute(f"SELECT name, position FROM {OLD_TRACKING}")
            old = dict(plain(r) for r in cur.fetchall())
            cur.execute(f"DROP TABLE {OLD_TRACKING}")
            if layout is None and old.get("layout") == LAYOUT and all(self._has_table(cur, t) for t in TABLES):
                self._insert_tracking(cur, Tracking(LAYOUT_NAME, LAYOUT))
                if old.get("records"):
                    self._insert_tracking(cur, Tracking(APPLICATION, old["records"]))
                layout = LAYOUT
            else:
                layout = None
        if layout != LAYOUT:  # new, or made by another version: made anew
            for table in (*TABLES, *DROPPED):
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(
                self._q(f"DELETE FROM {self.tracking} WHERE application_name IN (?, ?)"), (APPLICATION, LAYOUT_NAME)
            )
            self._insert_tracking(cur, Tracking(LAYOUT_NAME, LAYOUT))
        for table, columns in TABLES.items():
            cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns.format(big=self.big, blob=self.blob)})")
        for statement in INDEXES:
            cur.execute(statement)

    # -- the dialect ---------------------------------------------------------------------

    @contextmanager
    def _transaction(self, connection: Any = None) -> Iterator[Any]:  # pragma: no cover - each dialect has its own
        raise NotImplementedError
        yield

    @contextmanager
    def _reading(self) -> Iterator[Any]:  # pragma: no cover - each dialect has its own
        raise NotImplementedError
        yield

    def _has_table(self, cur: Any, name: str) -> bool:  # pragma: no cover - each dialect has its own
        raise NotImplementedError

    def _locked_position(self, cur: Any) -> int:  # pragma: no cover - each dialect has its own
        raise NotImplementedError

    def _upsert(self, table: str, columns: str, key: str) -> str:
        raise NotImplementedError  # pragma: no cover

    def _q(self, sql: str) -> str:
        return sql.replace("?", self.mark)

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- reading and writing -----------------------------------------------------------

    def _all(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        with self._reading() as cur:
            cur.execute(self._q(sql), args)
            return [plain(r) for r in cur.fetchall()]

    def position(self) -> int:
        """The last log position folded in (the engine's tracking), 0 before any."""
        return self.max_tracking_id(APPLICATION) or 0

    def rows(self, ids: list[str]) -> dict[str, tuple[str, str, int, bytes]]:
        return record_rows(self._all, "lc_view_records", ids)

    def commit(self, start: int, end: int, records: list[tuple], log: list[tuple]) -> None:
        """Write a batch and record its tracking (``end``) in one transaction, if the position
        is still ``start``; :class:`Moved` (and nothing written) if another writer moved it first."""
        with self._transaction() as cur:
            if self._locked_position(cur) != start:
                raise Moved
            try:
                self._insert_tracking(cur, Tracking(APPLICATION, end))
            except IntegrityError:  # another writer tracked this far first (the engine's tracking only moves on)
                raise Moved from None
            cur.executemany(self._q(self._upsert("lc_view_records", RECORD_COLUMNS, "record_id")), records)
            cur.executemany(self._q(self._upsert("lc_view_log", LOG_COLUMNS, "position")), log)

    def board_rows(self, board_id: UUID) -> list[tuple[str, bytes]]:
        return [
            (k, bytes(s))
            for k, s in self._all("SELECT kind, state FROM lc_view_records WHERE board_id = ?", (str(board_id),))
        ]

    def board_versions(self, board_id: UUID, recorded_until: int | None) -> list[tuple[str, int]]:
        """Each record of the board with the last version recorded by then."""
        sql = "SELECT record_id, MAX(version) FROM lc_view_log WHERE board_id = ?"
        args: list[Any] = [str(board_id)]
        if recorded_until is not None:
            sql += " AND recorded_us <= ?"
            args.append(recorded_until)
        return self._all(sql + " GROUP BY record_id ORDER BY record_id", args)

    def board_states(self) -> list[bytes]:
        """The sealed state of every board."""
        return [bytes(r[0]) for r in self._all("SELECT state FROM lc_view_records WHERE kind = 'Board'")]

    def board_ids(self) -> list[UUID]:
        return [
            UUID(r[0])
            for r in self._all("SELECT record_id FROM lc_view_records WHERE kind = 'Board' ORDER BY record_id")
        ]

    def version_gaps(self) -> list[tuple[str, int, int, int]]:
        """Records whose versions are not 1, 2, ... without gaps: (id, count, lowest, highest)."""
        return self._all(
            "SELECT record_id, COUNT(*), MIN(version), MAX(version) FROM lc_view_log GROUP BY record_id "
            "HAVING MIN(version) <> 1 OR MAX(version) <> COUNT(*) ORDER BY record_id"
        )

    def last_logged(self) -> int:
        """The last position with a row in the view log (never past the tracking position, unless
        the tracking row was moved back)."""
        return self._all("SELECT COALESCE(MAX(position), 0) FROM lc_view_log")[0][0]

    def position_recorded_by(self, recorded_until: int) -> int:
        """The last log position recorded by then (microseconds), or 0."""
        return self._all(
            "SELECT COALESCE(MAX(position), 0) FROM lc_view_log WHERE recorded_us <= ?", (recorded_until,)
        )[0][0]

    # -- a rebuild: fresh tables, filled from the parts, then put in place ----------------

    def stage_begin(self) -> None:
        """Make empty staging tables for a rebuild's rows (dropping any a failed rebuild left)."""
        with self._transaction() as cur:
            for live, staged in STAGED.items():
                cur.execute(f"DROP TABLE IF EXISTS {staged}")
                cur.execute(f"CREATE TABLE {staged} ({TABLES[live].format(big=self.big, blob=self.blob)})")

    def stage(self, part: str) -> None:
        """Copy the rows of one part of a rebuild (a SQLite file, see :mod:`.rebuild`) into the
        staging tables, in a transaction of its own: readers do not see them."""
        with self._attached([part]) as (connection, sources), self._transaction(connection) as cur:
            self._load(cur, sources)

    def stage_finish(self, head: int) -> None:
        """Put the staging tables in place of the views' and set the tracking to ``head``, in one
        transaction: readers see the old views until it commits. The indexes are made now that the
        rows are in (cheaper than keeping them up to date row by row)."""
        with self._transaction() as cur:
            for live, staged in STAGED.items():
                cur.execute(f"DROP TABLE {live}")
                cur.execute(f"ALTER TABLE {staged} RENAME TO {live}")
            for statement in INDEXES:
                cur.execute(statement)
            # the rows are now those of ``head``, which may be behind a catch-up's: tracked anew
            cur.execute(self._q(f"DELETE FROM {self.tracking} WHERE application_name = ?"), (APPLICATION,))
            if head:
                self._insert_tracking(cur, Tracking(APPLICATION, head))

    def stage_abandon(self) -> None:
        """Drop the staging tables of a rebuild that failed."""
        with self._transaction() as cur:
            for staged in STAGED.values():
                cur.execute(f"DROP TABLE IF EXISTS {staged}")

    @contextmanager
    def _attached(self, parts: list[str]) -> Iterator[tuple[Any, list[Any]]]:  # pragma: no cover - per dialect
        raise NotImplementedError
        yield

    def _load(self, cur: Any, sources: list[Any]) -> None:  # pragma: no cover - each dialect has its own
        raise NotImplementedError

    def dump(self) -> tuple[dict[str, tuple], dict[int, tuple]]:
        """Every record row by id, and every log row by position."""
        records = {r[0]: (*r[1:5], bytes(r[5])) for r in self._all(f"SELECT {RECORD_COLUMNS} FROM lc_view_records")}
        log = {r[0]: tuple(r[1:]) for r in self._all(f"SELECT {LOG_COLUMNS} FROM lc_view_log")}
        return records, log


class SQLiteViewStore(ViewStore, SQLiteTrackingRecorder):
    """The view tables in a SQLite file (the events' file) or in memory, with the engine's
    ``tracking`` table. Its transactions begin ``IMMEDIATE``: the write lock is held from the
    start, so the tracking read at a batch's start is the one its commit moves on from."""

    def __init__(self, datastore: SQLiteDatastore, *, label: str) -> None:
        super().__init__(datastore)
        self.path = label

    @contextmanager
    def _transaction(self, connection: Any = None) -> Iterator[sqlite3.Cursor]:
        if connection is None:
            with self.datastore.get_connection(commit=True) as connection, self._transaction(connection) as cur:
                yield cur
            return
        with connection.cursor() as cur:  # (the engine's cursor; entered, the sqlite3 cursor)
            cur.row_factory = None
            # the views can always be rebuilt: commits need not wait for the disk (WAL keeps them
            # atomic), and a larger page cache keeps the indexes in memory as the log grows
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-131072")
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:  # locked beyond the timeout by another process
                raise LearningCycleError(
                    f"store: the SQLite file is busy ({exc}); another process holds it: try again",
                    field="store",
                    value=self.path,
                ) from None
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error):  # SQLite rolled back already (a failed COMMIT, a full disk)
                    cur.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):  # the disk under the views failed: say so in words
                    raise LearningCycleError(
                        f"store: the views could not be written ({storage_failure(str(exc))}); "
                        "the log is unchanged, and the views catch up the next time",
                        field="store",
                        value=self.path,
                    ) from None
                raise

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self.datastore.get_connection(commit=False) as connection, connection.cursor() as cur:
            cur.row_factory = None  # plain tuples (the engine's connections make sqlite3.Row objects)
            yield cur  # (one statement each: read as SQLite commits them)

    def _has_table(self, cur: Any, name: str) -> bool:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return cur.fetchone() is not None

    def _locked_position(self, cur: Any) -> int:
        return self._max_tracking_id(APPLICATION, cur) or 0  # (the transaction holds the write lock)

    def _upsert(self, table: str, columns: str, key: str) -> str:
        return f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({','.join('?' * len(columns.split(',')))})"

    @contextmanager
    def _attached(self, parts: list[str]) -> Iterator[tuple[Any, list[str]]]:
        names = [f"lc_part_{i}" for i in range(len(parts))]
        with self.datastore.get_connection(commit=True) as connection, connection.cursor() as cur:
            for name, path in zip(names, parts, strict=True):
                cur.execute(f"ATTACH DATABASE ? AS {name}", (path,))
            try:
                yield connection, names
            finally:
                for name in names:
                    cur.execute(f"DETACH DATABASE {name}")

    def _load(self, cur: sqlite3.Cursor, sources: list[str]) -> None:
        records, log = STAGED["lc_view_records"], STAGED["lc_view_log"]
        for name in sources:
            cur.execute(f"INSERT INTO {records} ({RECORD_COLUMNS}) SELECT {RECORD_COLUMNS} FROM {name}.records")
            cur.execute(f"INSERT INTO {log} ({LOG_COLUMNS}) SELECT {LOG_COLUMNS} FROM {name}.log")

    def close(self) -> None:
        self.datastore.close()


def sqlite_view_store(path: str, *, lock_timeout: int = 10) -> SQLiteViewStore:
    """The views in the SQLite file ``path`` (``:memory:``: a database of their own in memory)."""
    label = path
    if path == ":memory:":  # one database that the engine's pool of connections shares
        path = f"file:lc-views-{uuid4().hex}?mode=memory&cache=shared"
    try:
        for attempt in (1, 2):
            store = SQLiteViewStore(SQLiteDatastore(path, lock_timeout=lock_timeout), label=label)
            try:
                store.create_table()
                break
            except IntegrityError:  # another process made the engine's tracking table first: opened again
                store.close()
                if attempt == 2:
                    raise
    except PersistenceError as exc:
        raise LearningCycleError(
            f"store: the views could not be written ({storage_failure(str(exc))}); the log is unchanged, and the "
            "views catch up the next time",
            field="store",
            value=label,
        ) from None
    return store
