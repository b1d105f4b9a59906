"""One event, one line: the JSONL interchange format (docs/interchange.md).

Each line is a JSON object with exactly these keys, in this order::

    {"topic": "learning_cycle/Finding.Raised", "class_version": 1,
     "originator_id": "...", "originator_version": 1,
     "effective_on": "2013-11-04", "recorded_at": "2026-11-26T07:00:00.123456+00:00",
     "recorded_by": "board business manager", "payload": {...}}

The payload is the event's own fields, as the one cattrs converter writes them (the same JSON the
event store keeps). Lines are written with no spaces and no escaping of non-ASCII text, so that
an export is a pure function of the log: export, import, export gives the same bytes.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from cattrs import transform_error
from cattrs.errors import ClassValidationError, IterableValidationError

from ..domain import event_classes, kind_of_topic
from ..domain.base import CycleAggregate
from ..eventlog.serialization import converter, event_payload, payload_fields, upcast
from ..reports.safe import json_text

ENVELOPE = (
    "topic",
    "class_version",
    "originator_id",
    "originator_version",
    "effective_on",
    "recorded_at",
    "recorded_by",
    "payload",
)
"""The keys of a line, in the order they are written."""
IN_ENVELOPE = ("effective_on", "recorded_by")
"""Event fields carried in the envelope rather than the payload."""

TOPICS: dict[str, type] = {cls.TOPIC: cls for cls in event_classes()}
"""Every event class by its stored topic."""


def class_version(cls: type) -> int:
    return getattr(cls, "class_version", 1)


def is_created(cls: type) -> bool:
    return issubclass(cls, CycleAggregate.Created)


def aggregate_topic(cls: type) -> str:
    """``learning_cycle/Finding.Raised`` -> ``learning_cycle/Finding``."""
    return kind_of_topic(cls.TOPIC).topic


def payload_of(cls: type) -> tuple[tuple[str, Any], ...]:
    """The payload fields of a line of ``cls`` (the event's fields but those in the envelope)."""
    return tuple((name, kind) for name, kind in payload_fields(cls) if name not in IN_ENVELOPE)


def event_line(event: Any) -> dict[str, Any]:
    """The line of an event (its class's current version)."""
    cls = type(event)
    values = event_payload(event)
    return {
        "topic": cls.TOPIC,
        "class_version": class_version(cls),
        "originator_id": str(event.originator_id),
        "originator_version": event.originator_version,
        "effective_on": values.pop("effective_on"),
        "recorded_at": event.timestamp.isoformat(),
        "recorded_by": values.pop("recorded_by"),
        "payload": values,
    }


def dumps(line: dict[str, Any]) -> str:
    """A line as JSON: exact, with control characters and bidirectional controls escaped (a store
    written past the rules may hold them; :func:`~learning_cycle.reports.safe.json_text`)."""
    return json_text(line, indent=None, separators=(",", ":"), allow_nan=False)


def make_event(cls: type, values: dict[str, Any], originator_id: UUID, version: int, timestamp: datetime) -> Any:
    """An event object from structured field values, as the event store would give it back."""
    values = dict(values)
    values["originator_id"] = originator_id
    values["originator_version"] = version
    values["timestamp"] = timestamp
    if is_created(cls):
        values["originator_topic"] = aggregate_topic(cls)
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", values)
    return event


def structure_state(cls: type, state: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """Structure an (upcast) event state into field values; problems as (path, reason, value).

    Paths name the envelope field (``effective_on``) or the payload field (``payload.level``,
    ``payload.voice_of_child.how``)."""
    plan = _plan(cls)
    if len(state) == len(plan):  # the usual case: every field once, each good (else the slow way)
        try:
            return {name: hook(state[name], kind) for name, kind, hook in plan}, []
        except Exception:  # the problems are found again, and described, the slow way
            pass
    return structure_fields(
        payload_fields(cls),
        state,
        path=lambda name: name if name in IN_ENVELOPE else f"payload.{name}",
        what=f"{cls.TOPIC} version {class_version(cls)}",
    )


@cache
def _plan(cls: type) -> tuple[tuple[str, Any, Callable[[Any, Any], Any]], ...]:
    """Each field of ``cls`` with its type and the converter's structuring function for it."""
    return tuple((name, kind, _hook(kind)) for name, kind in payload_fields(cls))


@cache
def _hook(kind: Any) -> Callable[[Any, Any], Any]:
    """The converter's structuring function for ``kind``, looked up once."""
    return converter.get_structure_hook(kind)


def structure_fields(
    fields: Sequence[tuple[str, Any]],
    state: dict[str, Any],
    *,
    path: Callable[[str], str],
    what: str,
    optional: Collection[str] = (),
) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """Structure each field of ``state``, collecting every problem rather than stopping at one."""
    names = {name for name, _ in fields}
    values: dict[str, Any] = {}
    problems: list[tuple[str, str, Any]] = []
    for extra in sorted(set(state) - names):
        problems.append((path(extra), f"is not a field of {what}", state[extra]))
    for name, kind in fields:
        if name not in state:
            if name not in optional:
                problems.append((path(name), f"is missing (expected {describe(kind)})", None))
            continue
        try:
            values[name] = _hook(kind)(state[name], kind)
        except (ClassValidationError, IterableValidationError) as exc:
            for message in transform_error(exc, path=path(name)):
                reason, _, where = message.rpartition(" @ ")
                problems.append((where or path(name), reason or message, state[name]))
        except Exception as exc:
            problems.append((path(name), f"{exc} (expected {describe(kind)})", state[name]))
    return values, problems


def describe(kind: Any) -> str:
    """A type as a person preparing a file would read it."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is str:
        return "text"
    if kind is int:
        return "a whole number"
    if kind is float:
        return "a number"
    if kind is bool:
        return "true or false"
    if kind is date:
        return "a date as YYYY-MM-DD"
    if kind is datetime:
        return "an ISO 8601 date-time with a time zone"
    if kind is UUID:
        return "a UUID"
    if isinstance(kind, type) and hasattr(kind, "__members__"):
        return "one of " + ", ".join(repr(m.value) for m in kind)
    if origin is tuple:
        return f"a list of {describe(args[0])}"
    if args and type(None) in args:
        other = [a for a in args if a is not type(None)]
        return f"{describe(other[0])}, or null"
    if hasattr(kind, "__attrs_attrs__"):
        return f"an object with {', '.join(a.name for a in kind.__attrs_attrs__)}"
    return str(kind)


def parse_state(line: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    """The event class and the upcast state (payload with the envelope's fields) of a line
    whose envelope has been checked."""
    cls = TOPICS[line["topic"]]
    state = dict(line["payload"])
    state["effective_on"] = line["effective_on"]
    state["recorded_by"] = line["recorded_by"]
    return cls, upcast(cls, state, line["class_version"])
