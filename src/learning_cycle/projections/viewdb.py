"""The tables the read models live in, in SQLite or in PostgreSQL (the same kind of store as the events).

* ``lc_view_tracking``: the last log position folded in;
* ``lc_view_records``: the current state of every record (sealed JSON), by board;
* ``lc_view_log``: one row per event, keyed by its position: board, record, version, recorded and
  effective. (The hash chain that ``verify`` checks is written with the events, in the event log:
  :mod:`learning_cycle.eventlog`.)

Every batch changes the rows and moves the tracking position in one transaction, which first checks
the position is the one the batch started from.

The tables' layout has a number, :data:`LAYOUT`, kept in ``lc_view_tracking``. Views are folded from
the log and can always be made again, so a store whose views have another layout (written by another
version of learning-cycle) has them dropped and made anew when it is opened; the next catch-up
folds the whole log into them.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any
from uuid import UUID

from ..domain.errors import LearningCycleError
from ..eventlog.store import storage_failure

TRACKING = "records"
LAYOUT_ROW = "layout"
LAYOUT = 4
"""The layout of the view tables. 1: the log keyed by board and position, with the chain apart
(learning-cycle 0.1). 2: the log keyed by position, with the chain's links in it. 3: the log without
links (the chain is written with the events). 4: states hold checks, progress and feedback in date
order and linked ids in one order, however they were recorded."""


class Moved(Exception):
    """Another process moved the tracking position during a batch."""


TABLES = {
    "lc_view_tracking": "name TEXT PRIMARY KEY, position {big} NOT NULL",
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


class ViewStore:
    """The view tables; the SQL is shared, the connection and upserts are the dialect's."""

    mark = "?"
    big = "INTEGER"
    blob = "BLOB"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        with self._transaction() as cur:
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS lc_view_tracking ({TABLES['lc_view_tracking'].format(big=self.big)})"
            )
            cur.execute(self._q("SELECT position FROM lc_view_tracking WHERE name = ?"), (LAYOUT_ROW,))
            found = cur.fetchone()
            if found is None or found[0] != LAYOUT:  # new, or made by another version: made anew
                for table in (*TABLES, *DROPPED):
                    if table != "lc_view_tracking":
                        cur.execute(f"DROP TABLE IF EXISTS {table}")
                cur.execute(self._q("DELETE FROM lc_view_tracking WHERE name IN (?, ?)"), (TRACKING, LAYOUT_ROW))
                cur.execute(
                    self._q("INSERT INTO lc_view_tracking (name, position) VALUES (?, ?)"), (LAYOUT_ROW, LAYOUT)
                )
            for table, columns in TABLES.items():
                cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns.format(big=self.big, blob=self.blob)})")
            for statement in INDEXES:
                cur.execute(statement)
            cur.execute(self._q(self._ignore("lc_view_tracking", "name, position", "name")), (TRACKING, 0))

    # -- the dialect ---------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[Any]:  # pragma: no cover - each dialect has its own
        raise NotImplementedError
        yield

    def _upsert(self, table: str, columns: str, key: str) -> str:
        raise NotImplementedError  # pragma: no cover

    def _ignore(self, table: str, columns: str, key: str) -> str:
        raise NotImplementedError  # pragma: no cover

    def _q(self, sql: str) -> str:
        return sql.replace("?", self.mark)

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- reading and writing -----------------------------------------------------------

    def _all(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        with self._transaction() as cur:
            cur.execute(self._q(sql), args)
            return [tuple(r) for r in cur.fetchall()]

    def position(self) -> int:
        return self._all("SELECT position FROM lc_view_tracking WHERE name = ?", (TRACKING,))[0][0]

    def rows(self, ids: list[str]) -> dict[str, tuple[str, str, int, bytes]]:
        return record_rows(self._all, "lc_view_records", ids)

    def commit(self, start: int, end: int, records: list[tuple], log: list[tuple]) -> None:
        """Write a batch and move the tracking position from ``start`` to ``end`` in one
        transaction; :class:`Moved` (and nothing written) if another writer moved it first."""
        with self._transaction() as cur:
            cur.execute(
                self._q("UPDATE lc_view_tracking SET position = ? WHERE name = ? AND position = ?"),
                (end, TRACKING, start),
            )
            if cur.rowcount != 1:
                raise Moved
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
        with self._attached([part]) as sources, self._transaction() as cur:
            self._load(cur, sources)

    def stage_finish(self, head: int) -> None:
        """Put the staging tables in place of the views' and move the tracking position to
        ``head``, in one transaction: readers see the old views until it commits. The indexes are
        made now that the rows are in (cheaper than keeping them up to date row by row)."""
        with self._transaction() as cur:
            for live, staged in STAGED.items():
                cur.execute(f"DROP TABLE {live}")
                cur.execute(f"ALTER TABLE {staged} RENAME TO {live}")
            for statement in INDEXES:
                cur.execute(statement)
            cur.execute(self._q("UPDATE lc_view_tracking SET position = ? WHERE name = ?"), (head, TRACKING))

    def stage_abandon(self) -> None:
        """Drop the staging tables of a rebuild that failed."""
        with self._transaction() as cur:
            for staged in STAGED.values():
                cur.execute(f"DROP TABLE IF EXISTS {staged}")

    @contextmanager
    def _attached(self, parts: list[str]) -> Iterator[list[Any]]:  # pragma: no cover - each dialect has its own
        raise NotImplementedError
        yield

    def _load(self, cur: Any, sources: list[Any]) -> None:  # pragma: no cover - each dialect has its own
        raise NotImplementedError

    def dump(self) -> tuple[dict[str, tuple], dict[int, tuple]]:
        """Every record row by id, and every log row by position."""
        records = {r[0]: (*r[1:5], bytes(r[5])) for r in self._all(f"SELECT {RECORD_COLUMNS} FROM lc_view_records")}
        log = {r[0]: tuple(r[1:]) for r in self._all(f"SELECT {LOG_COLUMNS} FROM lc_view_log")}
        return records, log


class SQLiteViewStore(ViewStore):
    """The view tables in a SQLite file (the events' file) or in memory."""

    def __init__(self, path: str, *, timeout: float = 10.0) -> None:
        self.path = path
        self._db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            # the views can always be rebuilt: commits need not wait for the disk (WAL keeps them
            # atomic), and a larger page cache keeps the indexes in memory as the log grows
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA cache_size=-131072")
        super().__init__()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:  # locked beyond the timeout by another process
                raise LearningCycleError(
                    f"store: the SQLite file is busy ({exc}); another process holds it: try again",
                    field="store",
                    value=self.path,
                ) from None
            cur = self._db.cursor()
            try:
                yield cur
                self._db.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error):  # SQLite rolled back already (a failed COMMIT, a full disk)
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):  # the disk under the views failed: say so in words
                    raise LearningCycleError(
                        f"store: the views could not be written ({storage_failure(str(exc))}); "
                        "the log is unchanged, and the views catch up the next time",
                        field="store",
                        value=self.path,
                    ) from None
                raise

    def _upsert(self, table: str, columns: str, key: str) -> str:
        return f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({','.join('?' * len(columns.split(',')))})"

    @contextmanager
    def _attached(self, parts: list[str]) -> Iterator[list[str]]:
        names = [f"lc_part_{i}" for i in range(len(parts))]
        with self._lock:
            for name, path in zip(names, parts, strict=True):
                self._db.execute(f"ATTACH DATABASE ? AS {name}", (path,))
            try:
                yield names
            finally:
                for name in names:
                    self._db.execute(f"DETACH DATABASE {name}")

    def _load(self, cur: sqlite3.Cursor, sources: list[str]) -> None:
        records, log = STAGED["lc_view_records"], STAGED["lc_view_log"]
        for name in sources:
            cur.execute(f"INSERT INTO {records} ({RECORD_COLUMNS}) SELECT {RECORD_COLUMNS} FROM {name}.records")
            cur.execute(f"INSERT INTO {log} ({LOG_COLUMNS}) SELECT {LOG_COLUMNS} FROM {name}.log")

    def _ignore(self, table: str, columns: str, key: str) -> str:
        return f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({','.join('?' * len(columns.split(',')))})"

    def close(self) -> None:
        self._db.close()


class PostgresViewStore(ViewStore):
    """The view tables in the events' PostgreSQL database (and schema)."""

    mark = "%s"
    big = "BIGINT"
    blob = "BYTEA"

    def __init__(self, dsn: str, schema: str | None = None) -> None:
        import psycopg

        self._dsn, self._schema = dsn, schema
        self._psycopg = psycopg
        self._db = self._connect()
        for attempt in range(8):  # two processes creating the tables at once: the loser tries again
            try:
                super().__init__()
                return
            except psycopg.Error as exc:
                text = str(exc)
                if attempt == 7 or not ("concurrently updated" in text or "duplicate key value" in text):
                    raise
                time.sleep(0.05 * (attempt + 1))

    def _connect(self):
        db = self._psycopg.connect(self._dsn)
        if self._schema:
            from psycopg import sql

            db.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self._schema)))
            db.commit()
        return db

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._db.closed or self._db.broken:
                        self._db = self._connect()
                    break
                except self._psycopg.OperationalError as exc:
                    if attempt == 2:
                        raise LearningCycleError(
                            f"store: cannot reach PostgreSQL for the views: {exc}", field="store"
                        ) from None
            try:
                with self._db.transaction(), self._db.cursor() as cur:
                    yield cur
            except self._psycopg.OperationalError as exc:  # the connection dropped: nothing of this batch was written
                raise LearningCycleError(
                    f"store: the PostgreSQL connection was lost ({' '.join(str(exc).split())}); nothing of this "
                    "batch was written: try again",
                    field="store",
                ) from None

    def _upsert(self, table: str, columns: str, key: str) -> str:
        names = [c.strip() for c in columns.split(",")]
        keys = {k.strip() for k in key.split(",")}
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in keys)
        marks = ",".join("?" * len(names))
        return f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({key}) DO UPDATE SET {updates}"

    def _ignore(self, table: str, columns: str, key: str) -> str:
        marks = ",".join("?" * len(columns.split(",")))
        return f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({key}) DO NOTHING"

    @contextmanager
    def _attached(self, parts: list[str]) -> Iterator[list[sqlite3.Connection]]:
        sources = [sqlite3.connect(path) for path in parts]
        try:
            yield sources
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
        self._db.close()
