"""JSON Schemas (draft 2020-12) of the interchange format, generated from the code.

``tools/gen_schemas.py`` writes them to ``schemas/``; a test keeps the files and the code equal, and
proves both ways that they agree. A schema of an older class version is never rewritten or removed:
files of past versions stay, so a reader can still validate an old export.
"""

from __future__ import annotations

import collections.abc
import inspect
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import attrs

from ..domain import fields, rules
from ..domain.base import RecordedEvent
from .lines import ENVELOPE, TOPICS, class_version, describe, payload_of

BASE = "https://learning-cycle.example/schemas/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
NO_CONTROL = f"^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f{BIDI}]*$"
"""Text without control characters but tab and newline, nor bidirectional controls (as
:func:`~learning_cycle.domain.rules.check_text`)."""
ONE_LINE = f"^[^\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f{BIDI}]*$"
"""A name, title or label: as :data:`NO_CONTROL`, and no newline either."""


def rule_schema(rule: str | None) -> dict[str, Any]:
    """The JSON Schema keywords of a value rule (:mod:`learning_cycle.domain.rules`): the same
    limits, so the schemas and the code cannot drift apart. (NFC, and text that is not blank once
    invisible characters are taken away, are checked by the code alone.)"""
    if rule == "key":
        return {"pattern": rules.KEY_PATTERN.pattern, "maxLength": 64}
    if rule in ("short", "long", "note"):
        limit = rules.SHORT_TEXT if rule == "short" else rules.LONG_TEXT
        pattern = ONE_LINE if rule == "short" else NO_CONTROL
        return {"minLength": 0 if rule == "note" else 1, "maxLength": limit, "pattern": pattern}
    if rule == "count":
        return {"minimum": 0, "maximum": rules.MAX_COUNT}
    if rule == "year":
        return {"minimum": rules.FIRST_YEAR, "maximum": rules.LAST_YEAR}
    if rule == "figure":
        return {"minimum": -rules.MAX_FIGURE, "maximum": rules.MAX_FIGURE}
    return {}


def schema_for(kind: Any, owner: type | None = None, name: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a value of ``kind`` as the converter writes and reads it; for field
    ``name`` of ``owner`` (an event class, or a value type an event holds), with the limits of its
    declared value rule too (:mod:`learning_cycle.domain.fields`)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    limits = {} if owner is None or name is None else rule_schema(rules.rule_at(owner, name))
    if kind is object or kind is Any:
        return {}
    if kind is str:
        return {"type": "string", **limits}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer", **limits}
    if kind is float:
        return {"type": "number", **limits}
    if kind is date:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if kind is datetime:
        return {"type": "string", "format": "date-time"}
    if kind is UUID:
        return {"type": "string", "format": "uuid", "pattern": UUID_PATTERN}
    if isinstance(kind, type) and issubclass(kind, Enum):
        return {"enum": [m.value for m in kind]}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": schema_for(args[0], owner, None if name is None else f"{name}[]")}
    if origin is tuple:
        return {"type": "array", "prefixItems": [schema_for(a) for a in args], "items": False, "minItems": len(args)}
    if origin in (dict, collections.abc.Mapping):
        return {"type": "object", "additionalProperties": schema_for(args[1])}
    if args and type(None) in args:
        others = [a for a in args if a is not type(None)]
        return {"anyOf": [*(schema_for(o, owner, name) for o in others), {"type": "null"}]}
    if attrs.has(kind):
        hints = typing.get_type_hints(kind)
        attributes = attrs.fields(kind)
        inside = None if owner is None else kind
        return {
            "type": "object",
            "description": _doc(kind),
            "properties": {
                f.name: {
                    **schema_for(hints[f.name], inside, f.name),
                    "description": description(kind, f.name, hints[f.name]),
                }
                for f in attributes
            },
            "required": [f.name for f in attributes if f.default is attrs.NOTHING],
            "additionalProperties": False,
        }
    raise TypeError(f"no schema for {kind!r}")  # pragma: no cover - every event field type is above


def description(owner: type, name: str, kind: Any) -> str:
    """A field's description in words: what it is, as declared (:mod:`learning_cycle.domain.fields`),
    then what it holds (``due on: a date as YYYY-MM-DD``); a type no record declares says what it holds."""
    declared = fields.declared(owner).get(name)
    return describe(kind) if declared is None else f"{declared.label}: {describe(kind)}"


def _doc(cls: type) -> str:
    return " ".join((inspect.getdoc(cls) or cls.__name__).split())


def event_schema_name(cls: type, version: int | None = None) -> str:
    return f"events/{cls.TOPIC.split('/', 1)[1]}.v{version or class_version(cls)}.schema.json"


def event_schema(cls: type) -> dict[str, Any]:
    """The schema of a line of ``cls`` at its current class version."""
    version = class_version(cls)
    payload = {
        name: {**schema_for(kind, cls, name), "description": description(cls, name, kind)}
        for name, kind in payload_of(cls)
    }
    envelope = line_envelope()
    properties = dict(envelope["properties"])
    properties["topic"] = {"const": cls.TOPIC, "description": "The event's stable topic"}
    properties["class_version"] = {"const": version, "description": "The version of the event's shape"}
    properties["payload"] = {
        "type": "object",
        "description": "The event's own fields",
        "properties": payload,
        "required": list(payload),
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "$id": BASE + event_schema_name(cls),
        "title": f"{cls.TOPIC} version {version}",
        "description": _doc(cls),
        "type": "object",
        "properties": properties,
        "required": list(ENVELOPE),
        "additionalProperties": False,
    }


def line_envelope() -> dict[str, Any]:
    """The schema of any event line: the envelope, with the payload left to the event's schema."""
    return {
        "$schema": DRAFT,
        "$id": BASE + "event-line.schema.json",
        "title": "An event line of a learning-cycle JSONL log",
        "description": (
            "One event of the log: its stable topic and class version, the record it belongs to and "
            "its place in that record's history, when it took effect and when it was recorded, who "
            "recorded it, and its payload. The payload of each topic and version is described by "
            "events/<topic>.v<version>.schema.json."
        ),
        "type": "object",
        "properties": {
            "topic": {"enum": sorted(TOPICS), "description": "The event's stable topic"},
            "class_version": {"type": "integer", "minimum": 1, "description": "The version of the event's shape"},
            "originator_id": {**schema_for(UUID), "description": "The id of the record the event belongs to"},
            "originator_version": {
                "type": "integer",
                "minimum": 1,
                "description": "The event's place in its record's history, from 1",
            },
            "effective_on": {**schema_for(date), "description": "When it happened in the world"},
            "recorded_at": {**schema_for(datetime), "description": "When it was recorded (UTC)"},
            "recorded_by": {**schema_for(str, RecordedEvent, "recorded_by"), "description": "Who recorded it"},
            "payload": {"type": "object", "description": "The event's own fields"},
        },
        "required": list(ENVELOPE),
        "additionalProperties": False,
    }


def board_config_schema() -> dict[str, Any]:
    from .config import BoardConfig

    body = schema_for(BoardConfig)
    return {
        "$schema": DRAFT,
        "$id": BASE + "board-config.schema.json",
        "title": "A board configuration (learning-cycle init)",
        **body,
    }


def stocktake_schema() -> dict[str, Any]:
    from ..projections.stocktake import StockTake

    return {
        "$schema": DRAFT,
        "$id": BASE + "stocktake.schema.json",
        "title": "The stock-take report as JSON (learning-cycle stocktake --format json)",
        **schema_for(StockTake),
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every generated schema by its path under ``schemas/`` (current versions only)."""
    found = {
        "event-line.schema.json": line_envelope(),
        "board-config.schema.json": board_config_schema(),
        "stocktake.schema.json": stocktake_schema(),
    }
    for cls in TOPICS.values():
        found[event_schema_name(cls)] = event_schema(cls)
    return found
