"""Export: the whole log, in recorded order, one event a line."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TextIO
from uuid import UUID

import attrs

from ..domain import fields
from ..eventlog.log import EventLog
from ..eventlog.outputs import write_output
from ..eventlog.serialization import payload_fields
from .lines import dumps, event_line


def export_log(
    log: EventLog,
    out: TextIO,
    *,
    progress: Callable[[int, int], None] | None = None,
    redact: Mapping[UUID, str] | None = None,
) -> int:
    """Write every event of ``log`` to ``out`` in recorded order; returns how many.

    This is the developer's export: the log as stored, restricted material included unless
    ``redact`` is given, and no read is recorded. The command line's ``export`` is the logged way
    out (redacted unless ``--include-restricted``, which records a read first).

    With ``redact`` (record id to placeholder, see
    :func:`learning_cycle.projections.disclosure.redactions`), every free-text field of those
    records' events is the placeholder instead: the same ids, versions and dates, importable,
    with none of the restricted material."""
    total = log.position()
    written = 0
    for notice in log.read(batch=2000):
        line = event_line(notice.event)
        if redact:
            text = redact.get(notice.event.originator_id)
            if text is not None:
                line["payload"] = redacted_payload(type(notice.event), line["payload"], text)
        out.write(dumps(line))
        out.write("\n")
        written += 1
        if progress is not None and written % 1000 == 0:
            progress(written, total)
    if progress is not None:
        progress(written, total)
    return written


def redacted_payload(cls: type, payload: dict[str, Any], text: str) -> dict[str, Any]:
    """``payload`` (of an event of ``cls``) with every value declared free text
    (:mod:`learning_cycle.domain.fields`) replaced by ``text``, but in a value declared ``kept``
    (the publication decision: its reason for not publishing is what the placeholder points to);
    keys, choices, numbers, dates and ids are kept, so the line still passes every rule."""
    return {
        name: _redacted(cls, name, kind, payload[name], text) for name, kind in payload_fields(cls) if name in payload
    }


def _redacted(owner: type, name: str, kind: Any, value: Any, text: str) -> Any:
    declared = fields.field_of(owner, name)
    inner = fields.inner(kind)
    if declared.kept or value is None:
        return value
    if isinstance(value, list):
        return [_redacted_value(owner, declared, inner, v, text) for v in value]
    return _redacted_value(owner, declared, inner, value, text)


def _redacted_value(owner: type, declared: fields.Field, kind: Any, value: Any, text: str) -> Any:
    if isinstance(value, str):
        return text if declared.text and value else value
    if isinstance(value, dict) and attrs.has(kind):
        hints = fields.hints(kind)
        return {k: _redacted(kind, k, hints[k], v, text) if k in hints else v for k, v in value.items()}
    return value


def export_file(
    log: EventLog,
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    redact: Mapping[UUID, str] | None = None,
) -> int:
    """Write every event of ``log`` to the file at ``path`` (:func:`~learning_cycle.eventlog.outputs.write_output`:
    atomically, never over the store, any SQLite database or through a link). A log is as
    sensitive as its store, redacted or not (who recorded and who read what), so the file is made
    readable by its owner alone (mode 0600)."""
    return write_output(
        path,
        lambda out: export_log(log, out, progress=progress, redact=redact),
        store=log.store,
        restricted=True,
    )
