"""The one cattrs converter, and the event mapper that stores events through it.

Stored events, the JSONL interchange format and query results share one JSON shape, made
here: dates as ISO strings, enums by value, UUIDs as canonical strings, tuples as arrays,
attrs value types as objects. The converter is strict: a string is never silently made from
a number, extra keys are refused, so bad input fails loudly with the path to the bad value.

The :class:`EventMapper` replaces eventsourcing's default mapper so that events are stored as
exactly this JSON (then compressed and encrypted when those are configured), and so that
stored events of an older ``class_version`` are upcast on the raw JSON before structuring.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID

import cattrs
from cattrs.errors import ClassValidationError
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from ..domain.base import RecordedEvent
from ..domain.errors import LearningCycleError

#: Fields every stored event has that eventsourcing manages, not the payload.
BASE_FIELDS = ("originator_id", "originator_version", "timestamp", "originator_topic")


def _strict(kind: type, name: str):
    def structure(value: Any, cl: Any) -> Any:
        if cl is not kind and isinstance(cl, type) and issubclass(cl, Enum):
            return _structure_enum(value, cl)
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {name}, got a boolean")
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise TypeError(f"expected {name}, got {type(value).__name__} {value!r}")
        return value

    return structure


class _Remembered(dict):
    """Values made once and looked up after: dates and UUIDs parsed from their text, and UUIDs'
    texts. The same ids and dates recur event after event (a board's id in every one), and they
    are immutable, so one object serves. Bounded: past 65,536 it starts again."""

    def remember(self, key: Any, value: Any) -> Any:
        if len(self) >= 65_536:
            self.clear()
        self[key] = value
        return value


_DATES = _Remembered()
_UUIDS = _Remembered()
_UUID_TEXTS = _Remembered()


def _structure_date(value: Any, _: Any) -> date:
    if type(value) is str:
        found = _DATES.get(value)
        if found is not None:
            return found
    if not isinstance(value, str):
        raise TypeError(f"expected a date as YYYY-MM-DD text, got {value!r}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None
    if len(value) != 10:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    return _DATES.remember(value, parsed)


def _structure_datetime(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected a date-time as ISO 8601 text, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date-time, got {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"expected a date-time with a time zone, got {value!r}")
    return parsed


def _structure_uuid(value: Any, _: Any) -> UUID:
    if type(value) is str:
        found = _UUIDS.get(value)
        if found is not None:
            return found
    if not isinstance(value, str):
        raise TypeError(f"expected a UUID as text, got {value!r}")
    try:
        return _UUIDS.remember(value, UUID(value))
    except ValueError:
        raise ValueError(f"expected a UUID, got {value!r}") from None


def parse_uuid(value: Any) -> UUID:
    """A UUID from its text (remembered, as the converter's are); ValueError or TypeError if it is not one."""
    return _structure_uuid(value, UUID)


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(UUID, str)
    converter.register_structure_hook(UUID, _structure_uuid)
    for kind, name in ((str, "text"), (int, "a whole number"), (float, "a number"), (bool, "true or false")):
        # registered by class, which cattrs consults first (its own hooks would turn 7 into "7");
        # a str-based Enum reaches the str hook too, and is handed on to the enum hook
        converter.register_structure_hook(kind, _strict(kind, name))
    converter.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, Enum), _structure_enum)
    converter.register_structure_hook_func(_is_homogeneous_tuple, lambda v, t: _structure_list(converter, v, t))
    return converter


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_list(converter: cattrs.Converter, value: Any, kind: Any) -> tuple:
    """A JSON array into a tuple; text is not a list of characters."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list, got {type(value).__name__} {value!r}")
    item = typing.get_args(kind)[0]
    hook = _item_hook(converter, item)
    items = []
    for index, element in enumerate(value):
        try:
            items.append(hook(element, item))
        except Exception as exc:
            raise ValueError(f"item {index}: {exc}") from exc
    return tuple(items)


@cache
def _item_hook(converter: cattrs.Converter, item: Any) -> Callable[[Any, Any], Any]:
    return converter.get_structure_hook(item)


def _structure_enum(value: Any, enum: type[Enum]) -> Enum:
    if type(value) is str:  # the usual case, looked up directly
        found = enum._value2member_map_.get(value)
        if found is not None:
            return found
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(repr(e.value) for e in enum)
        raise ValueError(f"expected one of {choices}, got {value!r}") from None


converter = make_converter()


def uuid_text(value: UUID) -> str:
    """``str(value)``, remembered by the UUID's integer (a UUID's text is made in Python)."""
    found = _UUID_TEXTS.get(value.int)
    return found if found is not None else _UUID_TEXTS.remember(value.int, str(value))


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps_state(value: Any) -> str:
    """An attrs value as compact JSON, through the one converter (cattrs' own generated
    unstructuring). The read models encode every record they write through this."""
    return _compact.encode(converter.unstructure(value))


@cache
def payload_fields(event_class: type) -> tuple[tuple[str, Any], ...]:
    """The payload fields of an event class (name, type), in declaration order."""
    hints = typing.get_type_hints(event_class)
    names = [f for f in event_class.__dataclass_fields__ if f not in BASE_FIELDS]
    return tuple((name, hints[name]) for name in names)


def event_payload(event: RecordedEvent) -> dict[str, Any]:
    """The JSON-ready payload of an event (every field but the ones eventsourcing manages)."""
    values = vars(event)
    return {name: converter.unstructure(values[name], kind) for name, kind in payload_fields(type(event))}


def structure_payload(event_class: type, payload: dict[str, Any]) -> dict[str, Any]:
    """Structure a JSON payload into the typed field values of ``event_class``.

    Raises ``cattrs`` validation errors (with paths) for missing, extra or mistyped fields.
    """
    fields = payload_fields(event_class)
    names = {name for name, _ in fields}
    errors: list[Exception] = []
    values: dict[str, Any] = {}
    for extra in sorted(set(payload) - names):
        errors.append(cattrs.ForbiddenExtraKeysError(f"extra field {extra!r}", event_class, {extra}))
    for name, kind in fields:
        if name not in payload:
            err = KeyError(name)
            err.__notes__ = [f"Structuring class {event_class.__qualname__} @ attribute {name}"]
            errors.append(err)
            continue
        try:
            values[name] = converter.structure(payload[name], kind)
        except Exception as exc:
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                f"Structuring class {event_class.__qualname__} @ attribute {name}",
            ]
            errors.append(exc)
    if errors:
        raise ClassValidationError(f"While structuring {event_class.__qualname__}", errors, event_class)
    return values


def upcast(event_class: type, state: dict[str, Any], from_version: int) -> dict[str, Any]:
    """Bring the stored JSON ``state`` of an older class version up to the current one."""
    target = getattr(event_class, "class_version", 1)
    while from_version < target:
        getattr(event_class, f"upcast_v{from_version}_v{from_version + 1}")(state)
        from_version += 1
    return state


class UndecodableEvent(LearningCycleError, MapperDeserialisationError):
    """A stored event cannot be read: a wrong or missing cipher key, or bytes altered in the database."""

    def __init__(self, message: str) -> None:
        LearningCycleError.__init__(self, message, field="store")


class EventMapper(Mapper):
    """Stores learning-cycle events as the interchange JSON (then compressed, then encrypted)."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        state: dict[str, Any] = {"timestamp": domain_event.timestamp.isoformat()}
        if "originator_topic" in vars(domain_event):
            state["originator_topic"] = domain_event.originator_topic
        state["class_version"] = getattr(cls, "class_version", 1)
        state.update(event_payload(domain_event))
        data = self.seal(json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(cls),
            state=data,
        )

    def seal(self, data: bytes) -> bytes:
        """Bytes as they are stored: compressed, then encrypted, when those are configured.
        Read models store their rows through this too, so nothing is kept in clear that the
        event store would not keep in clear."""
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return data

    def unseal(self, data: bytes) -> bytes:
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        return data

    def decode_state(self, stored_event: StoredEvent) -> dict[str, Any]:
        """The stored JSON of an event, decrypted and decompressed, not yet upcast."""
        try:
            return json.loads(self.unseal(stored_event.state).decode("utf-8"))
        except Exception as exc:
            raise self._undecodable(stored_event, exc) from exc

    def undecodable(self, what: str, exc: Exception) -> UndecodableEvent:
        """The error for sealed bytes that cannot be read back: ``what`` they are, why not, and
        the likely cause (a wrong or missing cipher key, or an edit in the database)."""
        reason = " ".join(str(exc).split()) or type(exc).__name__
        hint = (
            "the cipher key is not the store's key"
            if self.cipher
            else "if the store is encrypted, set LEARNING_CYCLE_CIPHER_KEY (or _KEY_FILE) to its key"
        )
        return UndecodableEvent(f"store: cannot read {what}: {reason}; {hint}, or it was altered in the database")

    def _undecodable(self, stored_event: StoredEvent, exc: Exception) -> UndecodableEvent:
        return self.undecodable(
            f"the stored event {stored_event.originator_id} version {stored_event.originator_version} "
            f"({stored_event.topic})",
            exc,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        state = self.decode_state(stored_event)
        try:  # JSON that is not an event of its topic (altered in the database) is undecodable too
            timestamp = datetime.fromisoformat(state.pop("timestamp"))
            originator_topic = state.pop("originator_topic", None)
            upcast(cls, state, state.pop("class_version", 1))
            values = structure_payload(cls, state)
        except Exception as exc:
            raise self._undecodable(stored_event, exc) from exc
        originator_id = stored_event.originator_id
        values["originator_id"] = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
        values["originator_version"] = stored_event.originator_version
        values["timestamp"] = timestamp
        if originator_topic is not None:
            values["originator_topic"] = originator_topic
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", values)
        return event
