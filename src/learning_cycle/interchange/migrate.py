"""Moving a log between stores (SQLite to PostgreSQL, or under a new key), checked by comparing exports."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import attrs

from ..domain.errors import LearningCycleError
from ..eventlog.log import EventLog
from .exporter import export_log
from .importer import import_log


@attrs.frozen
class Migration:
    recorded: int
    already: int
    size: int
    """Bytes of the export both logs give."""
    digest: str
    """SHA-256 of that export."""


def _export(log: EventLog, path: Path) -> str:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        export_log(log, f)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def migrate(source: EventLog, target: EventLog, *, progress: Callable[[int, int], None] | None = None) -> Migration:
    """Copy ``source``'s whole log into ``target`` (empty, or holding a prefix of it) through the
    interchange format, then export both and compare: any difference is an error. Stores with
    different cipher keys can be used on each side: this is how a key is rotated."""
    folder = Path(tempfile.mkdtemp(prefix="lc-migrate-"))
    try:
        before = folder / "source.jsonl"
        wanted = _export(source, before)
        result = import_log(target, before, progress=progress)
        after = folder / "target.jsonl"
        got = _export(target, after)
        if got != wanted:
            raise LearningCycleError(
                "migrate: the target's log differs from the source's after the copy; the target holds other "
                "events too (a store for one log only can be migrated into)",
                field="to",
            )
        return Migration(result.recorded, result.already, before.stat().st_size, wanted)
    finally:
        for path in folder.iterdir():
            path.unlink()
        os.rmdir(folder)
