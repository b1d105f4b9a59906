"""Each field of a record declared once: its value rule, whether it is free text, and its words.

A record's module declares its fields next to its events and state (:func:`declare`), by the
field's name, for the classes that hold it (the record's events, its state, its value types).
Everything else derives from these declarations rather than from a field's name:

* the value rules (:func:`learning_cycle.domain.rules.check_event`) take each field's ``rule``;
* disclosure blanks, and a redacted export replaces, exactly the fields declared free ``text``;
* the JSON Schemas (``tools/gen_schemas.py``) and docs describe each field by its ``label``;
* reports name a field, and each of its values, by :func:`label` and :func:`value_words`.

The type of a field is its annotation on the event or state (attrs and eventsourcing read it);
a test checks that every field of every event, state and value type is declared here, and that
each declared choice has words for every value of its type.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from enum import Enum
from functools import cache
from typing import Any, Literal

import attrs

Rule = Literal["key", "short", "long", "note", "count", "year", "figure", "date", "due", "deadline"]
"""The value rules (see :mod:`learning_cycle.domain.rules`)."""

TEXT_RULES = frozenset({"short", "long", "note"})
"""The rules of free text: what disclosure blanks and every output escapes."""


def _words(words: Mapping[str, str]) -> dict[str, str]:
    return dict(words)


@attrs.frozen
class Field:
    """One field as declared.

    :ivar label: the plain words reports and the schemas use for it (``"due date"``).
    :ivar rule: its value rule (``None``: its type says it all, as for ids, choices, flags).
    :ivar words: for a choice, the plain words for each of its values (by value); a value without
        words here is shown with its underscores as spaces.
    :ivar kept: kept as recorded where a record's material is restricted, free text in it too (the
        publication decision, whose reason the placeholder reports).
    """

    label: str
    rule: Rule | None = None
    words: Mapping[str, str] = attrs.field(factory=dict, converter=_words, hash=False)
    kept: bool = False

    @property
    def text(self) -> bool:
        """Whether it is free text: disclosure blanks it, every output escapes it."""
        return self.rule in TEXT_RULES


def key(label: str, **words: str) -> Field:
    """A key (``key``): lower-case letters, digits, ``_``, ``-``, ``.``; with plain words for
    those of its values that need more than their underscores made spaces."""
    return Field(label, "key", words)


def short(label: str) -> Field:
    """A name, title or label: one line of free text (``short``)."""
    return Field(label, "short")


def long(label: str) -> Field:
    """A statement or note: free text (``long``)."""
    return Field(label, "long")


def note(label: str) -> Field:
    """Free text that may be empty (``note``)."""
    return Field(label, "note")


def count(label: str) -> Field:
    return Field(label, "count")


def year(label: str) -> Field:
    return Field(label, "year")


def figure(label: str) -> Field:
    return Field(label, "figure")


def effective(label: str) -> Field:
    """An effective date (``date``): not before the earliest date, not after today."""
    return Field(label, "date")


def due(label: str) -> Field:
    """A planned date or a period (``due``): within the horizon after the event took effect."""
    return Field(label, "due")


def deadline(label: str) -> Field:
    """A due or review date (``deadline``): not before the event took effect either."""
    return Field(label, "deadline")


def plain(label: str) -> Field:
    """A value its type says all about: an id, a flag, a date the record keeps, a number it counts."""
    return Field(label)


def kept(label: str) -> Field:
    """A value that disclosure and a redacted export keep as recorded (see :attr:`Field.kept`)."""
    return Field(label, kept=True)


def choice(label: str, **words: str) -> Field:
    """One of a set of values (an enumeration), with plain words for those that need more than
    their underscores made spaces."""
    return Field(label, None, words)


_DECLARED: dict[type, dict[str, Field]] = {}


def declare(*owners: type, **fields: Field) -> None:
    """Declare ``fields`` (by name) for each of ``owners``: a record's events (their base class),
    its state, its value types. A name declared twice for one owner must be declared the same."""
    for owner in owners:
        table = _DECLARED.setdefault(owner, {})
        for name, field in fields.items():
            if table.get(name, field) != field:
                raise ValueError(f"{owner.__qualname__}.{name} is declared twice, differently")
            table[name] = field
    _merged.cache_clear()


def declared(owner: type) -> Mapping[str, Field]:
    """The fields declared for ``owner`` and the classes it extends (the nearest wins)."""
    return _merged(owner)


@cache
def _merged(owner: type) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for cls in reversed(getattr(owner, "__mro__", (owner,))):
        found.update(_DECLARED.get(cls, {}))
    return found


def field_of(owner: type, name: str) -> Field:
    """The declaration of field ``name`` of ``owner``; :class:`LookupError` if there is none (every
    field is declared: nothing is guessed from a name)."""
    found = declared(owner).get(name)
    if found is None:
        raise LookupError(f"the field {name!r} of {owner.__qualname__} is not declared (domain/fields.py)")
    return found


def inner(kind: Any) -> Any:
    """The type of the values of a field of type ``kind``: an optional's value, a list's items."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if args and type(None) in args:
        (kind,) = [a for a in args if a is not type(None)]
        origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return inner(args[0])
    return kind


def is_list(kind: Any) -> bool:
    """Whether a field of type ``kind`` holds a list (``tuple[X, ...]``, optional or not)."""
    args = typing.get_args(kind)
    if args and type(None) in args:
        (kind,) = [a for a in args if a is not type(None)]
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def hints(owner: type) -> dict[str, Any]:
    """The type of each field of ``owner`` (an event, a state or a value type), as annotated."""
    return _hints(owner)


@cache
def _hints(owner: type) -> dict[str, Any]:
    names = getattr(owner, "__dataclass_fields__", None) or {a.name for a in attrs.fields(owner)}
    return {k: v for k, v in typing.get_type_hints(owner).items() if k in names}


def field_at(owner: type, path: str) -> Field:
    """The declaration of the field at ``path`` from ``owner``: ``name``, ``name[]`` (a list's
    items, as the list is declared) or ``name.part`` (a field of the value type ``name`` holds)."""
    head, _, rest = path.partition(".")
    name = head.removesuffix("[]")
    if not rest:
        return field_of(owner, name)
    return field_at(inner(_hints(owner)[name]), rest)


def label(owner: type, name: str) -> str:
    """The plain words for field ``name`` of ``owner`` (a record's event, state or value type)."""
    return field_of(owner, name).label


def value_words(owner: type, name: str, value: Any) -> str:
    """The plain words for a ``value`` of field ``name`` of ``owner``: the declared words of that
    choice, else the value with underscores as spaces (``no_evidence_yet``: "no evidence yet")."""
    raw = value.value if isinstance(value, Enum) else value
    text = str(raw)
    return field_of(owner, name).words.get(text, text.replace("_", " "))


def all_value_words() -> dict[str, str]:
    """The plain words every declaration gives for a value (a value declared with words in two
    places must read the same in both: a test holds them to it)."""
    found: dict[str, str] = {}
    for table in _DECLARED.values():
        for field in table.values():
            found.update(field.words)
    return found


__all__ = [
    "TEXT_RULES",
    "all_value_words",
    "Field",
    "Rule",
    "choice",
    "count",
    "deadline",
    "declare",
    "declared",
    "due",
    "effective",
    "field_at",
    "field_of",
    "figure",
    "hints",
    "inner",
    "is_list",
    "kept",
    "key",
    "label",
    "long",
    "note",
    "plain",
    "short",
    "value_words",
    "year",
]
