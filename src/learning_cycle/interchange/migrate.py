"""Moving a log between stores (SQLite to PostgreSQL, or under a new key), checked by comparing exports."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import attrs

from ..domain.errors import InvalidValue, LearningCycleError
from ..eventlog.log import EventLog
from .importer import Lines, import_lines
from .lines import dumps, event_line


@attrs.frozen
class Migration:
    recorded: int
    already: int
    size: int
    """Bytes of the export both logs give."""
    digest: str
    """SHA-256 of that export."""


def _export_lines(log: EventLog) -> Lines:
    """The log's export, line by line, numbered (made as it is read: nothing on disk)."""

    def lines() -> Iterator[tuple[int, bytes]]:
        for number, notice in enumerate(log.read(batch=2000), 1):
            yield number, (dumps(event_line(notice.event)) + "\n").encode("utf-8")

    return lines


def _digest(log: EventLog) -> tuple[str, int]:
    """SHA-256 and size of the log's export, made without writing it anywhere."""
    digest, size = hashlib.sha256(), 0
    for _, raw in _export_lines(log)():
        digest.update(raw)
        size += len(raw)
    return digest.hexdigest(), size


def _check_target(source: EventLog, target: EventLog) -> int:
    """How many events the target holds, all of them the start of the source's log (compared line
    by line as both export them, read as a stream); :class:`LearningCycleError` if the target holds
    anything else. Checked before anything is written, so a refused target is left as it was."""
    theirs = _export_lines(source)()
    held = 0
    for number, raw in _export_lines(target)():
        other = next(theirs, None)
        if other is None or other[1] != raw:
            where = "more events than the source" if other is None else f"event {number} differs from the source's"
            raise InvalidValue(
                "to",
                target.store.label,
                f"already holds a log that is not the start of {source.store.label}'s ({where}); migrate copies "
                "into an empty store, or one holding the start of the same log (re-running copies nothing); "
                "nothing was written",
            )
        held = number
    return held


def migrate(source: EventLog, target: EventLog, *, progress: Callable[[int, int], None] | None = None) -> Migration:
    """Copy ``source``'s whole log into ``target`` (empty, or holding a prefix of it), checked line
    by line as an import is, then compare both logs' exports: any difference is an error. The
    lines go from store to store in memory: no file is written, so nothing of an encrypted store is
    ever on disk in plain text. Stores with different cipher keys can be used on each side: this is
    how a key is rotated."""
    _check_target(source, target)
    wanted, size = _digest(source)
    result = import_lines(
        target,
        f"the log of {source.store.label}",
        _export_lines(source),
        total=source.position(),
        progress=progress,
        value=source.store.label,
    )
    got, _ = _digest(target)
    if got != wanted:
        raise LearningCycleError(
            "migrate: the target's log differs from the source's after the copy; the target holds other "
            "events too (a store for one log only can be migrated into)",
            field="to",
        )
    return Migration(result.recorded, result.already, size, wanted)
