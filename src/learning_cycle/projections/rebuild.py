"""A rebuild of the views: the whole log folded into fresh tables, which then replace the old.

The log is split between one or more *parts* by record (the last 16 bits of a record's id, modulo
the number of parts: :func:`part_of`). Each part reads the whole log in batches, decodes and folds
only its own records' events, and writes its rows to a temporary SQLite
file of its own, written without a journal (it is thrown away if anything fails). The view store
copies each part into staging tables as it is done (the first while the others finish), then puts
them in place of its tables in one transaction: readers see the old views until then, and a rebuild
that fails or is killed leaves them as they were.

With two or more cores, the second part runs in a forked process (:mod:`learning_cycle.processes`),
so a rebuild takes about half the time. It forks only where that is safe (Linux, a process of one
thread) and when the event store is a SQLite file, which the child opens again. Elsewhere there is
one part, folded in this process.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from .. import processes
from ..domain.errors import LearningCycleError
from ..eventlog.recorders import LogEntry
from ..serialization import UndecodableEvent, paused_collector
from .fold import Shell
from .viewdb import LOG_COLUMNS, RECORD_COLUMNS, TABLES, record_rows

if TYPE_CHECKING:
    from collections.abc import Callable

    from .store import Views

BATCH = 5000
"""Events read at a time."""
KEEP = 50_000
"""Records each part keeps in memory between batches (least recently used leave first, to be read
back from the part's file if a later event needs them): memory stays bounded at any scale."""
FORK_FROM = 2_000
"""Below this many events a second process costs more than it saves."""


class Part:
    """One part's rows, in a temporary SQLite file of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")  # a part that fails is thrown away whole
        self._db.execute("PRAGMA synchronous=OFF")
        # the views' own tables, under short names
        self._db.execute(f"CREATE TABLE records ({TABLES['lc_view_records'].format(big='INTEGER', blob='BLOB')})")
        self._db.execute(f"CREATE TABLE log ({TABLES['lc_view_log'].format(big='INTEGER', blob='BLOB')})")

    def rows(self, ids: list[str]) -> dict[str, tuple[str, str, int, bytes]]:
        return record_rows(self._db.execute, "records", ids)

    def write(self, records: list[tuple], log: list[tuple]) -> None:
        self._db.execute("BEGIN")
        self._db.executemany(f"INSERT OR REPLACE INTO records ({RECORD_COLUMNS}) VALUES (?,?,?,?,?,?)", records)
        self._db.executemany(f"INSERT INTO log ({LOG_COLUMNS}) VALUES (?,?,?,?,?,?)", log)
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


def rebuild(
    views: Views,
    *,
    progress: Callable[[int, int], None] | None = None,
    parts: int | None = None,
    until: int | None = None,
) -> int:
    """Fold the log (up to position ``until``; all of it by default) into fresh tables and put
    them in place of the views' (see the module's description); returns the position folded to.
    ``parts`` defaults to two where forking is safe and the log is long enough, else one."""
    lc = views.lc
    head = lc.position() if until is None else until
    count = parts if parts is not None else default_parts(views, head)
    if count > 1 and not can_fork(views):
        raise LearningCycleError(
            "parts: a rebuild in more than one process needs Linux, a SQLite event store, and no other thread",
            field="parts",
            value=count,
        )
    folder = Path(tempfile.mkdtemp(prefix="lc-rebuild-"))
    try:
        paths = [folder / f"part-{k}.sqlite" for k in range(count)]
        store = views.store
        store.stage_begin()
        children = [
            processes.fork(functools.partial(_fold_in_child, views, k, count, head, paths[k]), _kind)
            for k in range(1, count)
        ]
        try:
            with paused_collector():
                fold_part(views, lc.recorder, lc.mapper, 0, count, head, paths[0], progress)
            store.stage(str(paths[0]))  # while the other parts finish
            for child, path in zip(children, paths[1:], strict=True):
                try:
                    child.join()
                except processes.ChildFailed as failed:
                    if failed.kind == "undecodable":
                        raise UndecodableEvent(failed.message) from None
                    raise
                store.stage(str(path))
            store.stage_finish(head)
        except BaseException:
            store.stage_abandon()
            raise
        finally:
            for child in children:
                child.release()  # (stops it, if its work is not done: it is not wanted)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return head


def default_parts(views: Views, events: int) -> int:
    """Two parts where forking is safe and the log is long enough to gain by it; else one."""
    return 2 if events >= FORK_FROM and can_fork(views) else 1


def can_fork(views: Views) -> bool:
    """A second process where forking is safe and it can open the event store again: a SQLite file."""
    store = views.lc.store
    return (
        processes.can_fork()
        and not store.startswith(("postgresql://", "postgres://"))
        and store not in ("memory:", ":memory:")
    )


def fold_part(
    views: Views,
    recorder: Any,
    mapper: Any,
    k: int,
    count: int,
    head: int,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Fold part ``k`` of ``count`` of the log up to ``head`` into a new file at ``path``."""
    part = Part(path)
    kept: OrderedDict[int, Shell] = OrderedDict()
    keep = max(1, KEEP // count)
    start = 0
    read_log = getattr(recorder, "read_log", None)
    try:
        while start < head:
            limit = min(BATCH, head - start)
            if read_log is not None:  # plain tuples: each part reads every event, and decodes its own
                entries = read_log(start, head, limit)
            else:
                entries = recorder.select_notifications(start=start, limit=limit, stop=head, inclusive_of_start=False)
            if not entries:
                break
            start = entries[-1].id
            notifications = [_with_uuid(n) for n in entries if part_of(n.originator_id, count) == k]
            events = [mapper.to_domain_event(n) for n in notifications]
            records, log, shells = views._fold_batch(notifications, events, kept, part.rows)
            part.write(records, log)
            for key, shell in shells.items():  # least recently used records leave first
                if shell is not None:
                    kept[key] = shell
                    kept.move_to_end(key)
            while len(kept) > keep:
                kept.popitem(last=False)
            if progress is not None:
                progress(start, head)
    finally:
        part.close()


def part_of(record: UUID | str, count: int) -> int:
    """The part a record is folded in: the last 16 bits of its id (a UUID, or its 32 hex digits)
    modulo ``count`` (the same for both forms)."""
    digits = record.hex if isinstance(record, UUID) else record
    return int(digits[-4:], 16) % count


def _with_uuid(entry: Any) -> Any:
    """A log entry whose record id is a UUID, as events and error messages have it."""
    if isinstance(entry, LogEntry):
        return entry._replace(originator_id=UUID(hex=entry.originator_id))
    return entry


def _fold_in_child(views: Views, k: int, count: int, head: int, path: Path) -> None:
    app = views.lc.reopened()  # connections of its own
    try:
        with paused_collector():
            fold_part(views, app.recorder, app.mapper, k, count, head, path)
    finally:
        app.close()


def _kind(exc: BaseException) -> str:
    return "undecodable" if isinstance(exc, UndecodableEvent) else "error"
