"""Export: the whole log, in recorded order, one event a line."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..domain.errors import LearningCycleError
from ..eventlog.log import EventLog
from .lines import dumps, event_line


def export_log(log: EventLog, out: TextIO, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Write every event of ``log`` to ``out`` in recorded order; returns how many."""
    total = log.position()
    written = 0
    for notice in log.read(batch=2000):
        out.write(dumps(event_line(notice.event)))
        out.write("\n")
        written += 1
        if progress is not None and written % 1000 == 0:
            progress(written, total)
    if progress is not None:
        progress(written, total)
    return written


SQLITE_HEADER = b"SQLite format 3\x00"


def export_file(
    log: EventLog, path: str | os.PathLike[str], *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write every event of ``log`` to the file at ``path``, atomically: into a temporary file in
    the same folder, which then takes the target's place (a failed or killed export leaves the
    target as it was). A target that is the store itself, or any SQLite database, is refused."""
    target = Path(path)
    if target.is_dir():
        raise LearningCycleError(f"output: {str(target)!r} is a folder: name a file", field="output", value=str(target))
    if not target.parent.is_dir():
        raise LearningCycleError(
            f"output: the folder {str(target.parent)!r} does not exist", field="output", value=str(target)
        )
    store = log.store.path
    if store is not None and target.exists() and target.resolve() == store.resolve():
        raise LearningCycleError(
            f"output: {str(target)!r} is the store itself: export to another file", field="output", value=str(target)
        )
    if _is_sqlite(target):
        raise LearningCycleError(
            f"output: {str(target)!r} is a SQLite database: export to a .jsonl file, never over a database",
            field="output",
            value=str(target),
        )
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            count = export_log(log, out, progress=progress)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
