"""A rebuild of the views: the whole log folded into fresh tables, which then replace the old.

The log is read in batches (as plain tuples from a SQLite recorder), folded, and the rows written
to a temporary SQLite file written without a journal (it is thrown away if anything fails). The
view store copies it into staging tables, then puts them in place of its tables in one
transaction: readers see the old views until then, and a rebuild that fails or is killed leaves
them as they were. Records not touched for a while leave memory (least recently used first) and
are read back from the file if a later event needs them, so memory stays bounded at any scale.
One process, one mode, on every store (docs/performance.md says what that costs).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from ..eventlog.log import EventLog
from .batches import Codec, fold_batch
from .fold import Shell
from .viewdb import LOG_COLUMNS, RECORD_COLUMNS, TABLES, ViewStore, record_rows

BATCH = 5000
"""Events read at a time."""
KEEP = 50_000
"""Records kept in memory between batches (least recently used leave first, to be read back from
the file if a later event needs them): memory stays bounded at any scale."""


class Part:
    """The rebuilt rows, in a temporary SQLite file of their own."""

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


STALE = re.compile(r"^lc-(rebuild|verify)-(\d+)-")
"""Temporary files and folders of a rebuild or verify, named by the process that made them."""


def sweep_stale(folder: Path | None = None) -> int:
    """Remove what rebuilds and verifies of processes no longer running left in the temporary
    folder (a process killed with ``kill -9`` cannot clean up after itself); returns how many."""
    removed = 0
    for entry in Path(folder or tempfile.gettempdir()).glob("lc-*"):
        found = STALE.match(entry.name)
        if found is None or _alive(int(found.group(2))):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to touch
        return True
    return True


def rebuild(
    log: EventLog,
    store: ViewStore,
    codec: Codec,
    *,
    progress: Callable[[int, int], None] | None = None,
    until: int | None = None,
) -> int:
    """Fold ``log`` (up to position ``until``; all of it by default) into fresh tables and put
    them in place of ``store``'s (see the module's description); returns the position folded to."""
    head = log.position() if until is None else until
    sweep_stale()
    folder = Path(tempfile.mkdtemp(prefix=f"lc-rebuild-{os.getpid()}-"))
    try:
        path = folder / "rebuilt.sqlite"
        store.stage_begin()
        try:
            fold_log(log, codec, head, path, progress)
            store.stage(str(path))
            store.stage_finish(head)
        except BaseException:
            store.stage_abandon()
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return head


def fold_log(
    log: EventLog,
    codec: Codec,
    head: int,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Fold the log up to ``head`` into a new file at ``path``."""
    part = Part(path)
    kept: OrderedDict[int, Shell] = OrderedDict()
    start = 0
    try:
        while start < head:
            entries = log.entries(start, head, min(BATCH, head - start))
            if not entries:
                break
            start = entries[-1].id
            events = [log.decode(n) for n in entries]
            records, rows, shells = fold_batch([n.id for n in entries], events, kept, part.rows, codec)
            part.write(records, rows)
            for key, shell in shells.items():  # least recently used records leave first
                if shell is not None:
                    kept[key] = shell
                    kept.move_to_end(key)
            while len(kept) > KEEP:
                kept.popitem(last=False)
            if progress is not None:
                progress(start, head)
    finally:
        part.close()
