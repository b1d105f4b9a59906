"""Export: the whole log, in recorded order, one event a line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

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
