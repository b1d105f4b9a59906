"""The one set of value rules: what any event may hold, whichever way it comes in.

Commands check every field of the event they are about to record with :func:`check_event`
(:meth:`~.base.CycleAggregate.record`, :meth:`~.base.CycleAggregate.begin`); an import checks every
line's fields with the same function; the JSON Schemas of the interchange format are generated from
the same declarations (each field's rule is declared once, with the record: :mod:`.fields`). So what
one way in accepts, the others accept too, and an export of it imports again unchanged.

The rules, by the kind of value (docs/interchange.md lists them, generated from here):

* **text**: in Unicode normal form NFC (commands normalise it, an import requires it); no control
  character but tab and newline (names, titles and labels are one line: no newline either); no
  bidirectional control (:data:`BIDI_CONTROLS`); no lone surrogate; not blank once spaces and invisible characters
  (zero-width spaces, joiners, byte-order marks) are taken away; at most :data:`SHORT_TEXT`
  characters for names, titles and labels, :data:`LONG_TEXT` for statements and notes;
* **keys**: lower-case letters, digits, ``_``, ``-``, ``.``; at most 64, starting with a letter or digit;
* **numbers**: finite, and no bigger than :data:`MAX_FIGURE` either way; counts (reach,
  respondents) whole and from 0 to :data:`MAX_COUNT`; years from 1900 to 2199;
* **dates**: effective dates from :data:`EARLIEST` to today; planned, due and review dates, and
  periods, from :data:`EARLIEST` to :data:`HORIZON_YEARS` years after the effective date; due and
  review dates (deadlines) not before the effective date either: nothing is due before it was set.

Rules about a value in its context (an agency that was a partner on that date, a figure within its
indicator's unit, a due date not before its finding was raised) are the aggregates' own.
"""

from __future__ import annotations

import math
import re
import typing
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import attrs

from . import fields
from .errors import InvalidValue
from .fields import Rule

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")

EARLIEST = date(1900, 1, 1)
"""No effective date, period or due date before this."""
HORIZON_YEARS = 25
"""A planned, due or review date, or a period, at most this many years after its event took effect."""
SHORT_TEXT = 300
"""The most characters a name, title or label may have."""
LONG_TEXT = 20_000
"""The most characters a statement, note or other free text may have (an import line holds up to
1 MiB, so a line with several such fields still fits)."""
MAX_FIGURE = 1e12
"""No figure (an indicator's value or target) beyond this either way."""
MAX_COUNT = 10_000_000
"""The most a count (a dissemination's reach, a feedback's respondents) may be."""
FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Reporting years (named by the calendar year they start in) are within these."""

INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
"""Characters that show nothing though they are not spaces or format characters."""


def rule_at(owner: type, path: str) -> Rule | None:
    """The value rule of the field at ``path`` of ``owner`` (an event class, or a value type an
    event holds; ``name``, ``name[]`` for a list's items, ``name.part`` inside a value type): as
    declared (:mod:`.fields`), for values that are text, numbers or dates (optional or not);
    ``None`` (its type says it all) for ids, choices, flags, lists and value types."""
    if _optional(_type_at(owner, path)) not in (str, int, float, date):
        return None
    return fields.field_at(owner, path).rule


def _optional(kind: Any) -> Any:
    args = typing.get_args(kind)
    return next(a for a in args if a is not type(None)) if args and type(None) in args else kind


def _type_at(owner: type, path: str) -> Any:
    """The type of the value at ``path`` of ``owner`` (a list's items for ``name[]``)."""
    head, _, rest = path.partition(".")
    name = head.removesuffix("[]")
    kind = fields.hints(owner)[name]
    if head != name:
        kind = typing.get_args(_optional(kind))[0]
    return kind if not rest else _type_at(fields.inner(kind), rest)


BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""The bidirectional controls (as a regular expression's character class, without brackets): the
marks (U+061C, U+200E, U+200F), embeddings and overrides (U+202A to U+202E) and isolates (U+2066
to U+2069). They reorder what is shown, so text can read other than it is; no text holds one, and
every output neutralises them (:mod:`learning_cycle.reports.safe`)."""
FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{BIDI_CONTROLS}]")
"""Control characters but tab and newline (Unicode category Cc), lone surrogates, and bidirectional controls."""
VISIBLE = re.compile("[^\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0]")
"""A character that is neither a space nor one of :data:`INVISIBLE` (format characters are checked apart)."""


def check_text(
    field: str, value: Any, limit: int = LONG_TEXT, *, normalise: bool = True, one_line: bool = False
) -> str:
    """Text as every way in takes it: NFC (made so, or with ``normalise=False`` required so), no
    control character but tab and newline (and no newline either if ``one_line``: a name, title or
    label), no bidirectional control, no lone surrogate, not blank, at most ``limit`` characters."""
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be text")
    if one_line and "\n" in value:
        at = value.index("\n") + 1
        raise InvalidValue(field, value, f"holds a line break (at character {at}): a name, title or label is one line")
    bad = FORBIDDEN.search(value)
    if bad is not None:
        code, at = ord(bad.group()), bad.start() + 1
        if 0xD800 <= code <= 0xDFFF:
            raise InvalidValue(
                field, value, f"holds a lone surrogate (U+{code:04X} at character {at}), which is not text"
            )
        if re.match(f"[{BIDI_CONTROLS}]", bad.group()):
            raise InvalidValue(
                field, value, f"holds a bidirectional control (U+{code:04X} at character {at}), which reorders text"
            )
        raise InvalidValue(field, value, f"holds a control character (U+{code:04X} at character {at})")
    text = value
    if not unicodedata.is_normalized("NFC", value):
        if not normalise:
            raise InvalidValue(field, value, "is not in Unicode normal form NFC (as every export writes it)")
        text = unicodedata.normalize("NFC", value)
    if not _visible(text):
        raise InvalidValue(field, value, "must not be blank")
    if len(text) > limit:
        raise InvalidValue(field, value, f"is longer than {limit} characters ({len(text)})")
    return text


def _visible(text: str) -> bool:
    """Whether ``text`` has a character that shows (not a space, not invisible, not a format character)."""
    for found in VISIBLE.finditer(text):  # noqa: SIM110 - a loop makes no generator for each text an import checks
        if unicodedata.category(found.group()) != "Cf":
            return True
    return False


def check_key(field: str, value: Any) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        raise InvalidValue(field, value, "must be a key of lower-case letters, digits, '_', '-' or '.' (at most 64)")
    return value


LATEST_VIEW = date(LAST_YEAR, 12, 31)
"""The latest date a view can be asked for (reporting years end by then)."""


def check_view_day(field: str, value: Any) -> date:
    """A date a view is asked for (``as_of``, or the day of ``as_known_at``): from
    :data:`EARLIEST` to the end of :data:`LAST_YEAR`."""
    if not isinstance(value, date):
        raise InvalidValue(field, value, "must be a date")
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if not EARLIEST <= day <= LATEST_VIEW:
        raise InvalidValue(field, value, f"must be from {EARLIEST.isoformat()} to {LATEST_VIEW.isoformat()}")
    return value


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_value(field: str, rule: Rule | None, value: Any, effective_on: date | None, *, normalise: bool) -> Any:
    """One value by its rule (see the module's description); the value as recorded."""
    if rule is None or value is None:
        return value
    if rule == "key":
        return check_key(field, value)
    if rule == "note" and value == "":
        return value
    if rule in ("short", "long", "note"):
        short = rule == "short"
        return check_text(field, value, SHORT_TEXT if short else LONG_TEXT, normalise=normalise, one_line=short)
    if rule == "count":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise InvalidValue(field, value, f"must be a whole number from 0 to {MAX_COUNT:,}")
        return value
    if rule == "year":
        if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
            raise InvalidValue(field, value, f"must be a year from {FIRST_YEAR} to {LAST_YEAR}")
        return value
    if rule == "figure":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidValue(field, value, "must be a finite number")
        if abs(value) > MAX_FIGURE:
            raise InvalidValue(field, value, f"must be between -{MAX_FIGURE:.0e} and {MAX_FIGURE:.0e}")
        return value
    if not isinstance(value, date):
        raise InvalidValue(field, value, "must be a date")
    if value < EARLIEST:
        raise InvalidValue(field, value, f"is before {EARLIEST.isoformat()}")
    if rule == "deadline" and isinstance(effective_on, date) and value < effective_on:
        raise InvalidValue(field, value, f"is before the day it was set ({effective_on.isoformat()})")
    if rule in ("due", "deadline") and effective_on is not None:
        latest = add_years(effective_on, HORIZON_YEARS)
        if value > latest:
            raise InvalidValue(
                field, value, f"is more than {HORIZON_YEARS} years after the day it was set ({latest.isoformat()})"
            )
    return value


Checker = Callable[[Any, Any, bool], Any]
"""Checks one value (with the event's effective date, and whether to normalise text); returns it as recorded."""


def check_event(
    event_class: type, values: dict[str, Any], *, today: date | None = None, normalise: bool = True
) -> dict[str, Any]:
    """Every field of an event of ``event_class`` by the rules: the values as they are to be
    recorded (text NFC-normalised), or :class:`InvalidValue` naming the first field that breaks one.
    With ``today``, the effective date may not be after it. ``normalise=False`` (an import)
    requires text to be NFC already."""
    effective_on = values.get("effective_on")
    checked = dict(values)
    for name, checker in _plan(event_class):
        if name in values:
            checked[name] = checker(values[name], effective_on, normalise)
    if today is not None and isinstance(effective_on, date) and effective_on > today:
        raise InvalidValue("effective_on", effective_on, f"is in the future (today is {today.isoformat()})")
    return checked


def check_field(owner: type, path: str, value: Any, effective_on: Any = None, normalise: bool = False) -> Any:
    """The value of the field at ``path`` of ``owner`` (an event class or a value type), as
    :func:`check_event` checks it."""
    head, _, rest = path.partition(".")
    name = head.removesuffix("[]")
    if rest:
        return check_field(fields.inner(fields.hints(owner)[name]), rest, value, effective_on, normalise)
    checker = _checker(path, owner, name, _type_at(owner, head))
    return value if checker is None else checker(value, effective_on, normalise)


@cache
def _plan(event_class: type) -> tuple[tuple[str, Checker], ...]:
    """Each ruled field of an event class with its checker, worked out once from its declarations."""
    plan = ((name, _checker(name, event_class, name, kind)) for name, kind in fields.hints(event_class).items())
    return tuple((name, checker) for name, checker in plan if checker is not None)


@cache
def _checker(field: str, owner: type, name: str, kind: Any) -> Checker | None:
    """The checker of values of ``kind`` held by field ``name`` of ``owner`` (None: nothing to
    check), made once; ``field`` is how errors name it."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if args and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        optional = _checker(field, owner, name, inner)
        if optional is None:
            return None
        return lambda v, e, n: None if v is None else optional(v, e, n)
    if origin is tuple:
        item = _checker(field, owner, name, args[0])
        if item is None:
            return None
        return lambda v, e, n: tuple(item(x, e, n) for x in v)
    if attrs.has(kind):
        hints = fields.hints(kind)
        parts = [
            (a.name, checker)
            for a in attrs.fields(kind)
            if (checker := _checker(f"{field}.{a.name}", kind, a.name, hints[a.name])) is not None
        ]
        if not parts:
            return None

        def check_object(value: Any, e: Any, n: bool) -> Any:
            changes = {}
            for part, checker in parts:
                before = getattr(value, part)
                after = checker(before, e, n)
                if after is not before:
                    changes[part] = after
            return attrs.evolve(value, **changes) if changes else value

        return check_object
    if kind not in (str, int, float, date):
        return None
    rule = fields.field_of(owner, name).rule
    if rule is None:
        return None
    return lambda v, e, n: None if v is None else check_value(field, rule, v, e, normalise=n)


PERCENT_UNITS = frozenset({"%", "percent", "per cent", "percentage"})
COUNT_UNITS = frozenset({"count", "n", "number"})


def check_figure_in_unit(field: str, value: float, unit: str, kind: str | None = None) -> float:
    """A figure within its indicator's unit and kind: a percentage (``%``) from 0 to 100; a count
    (``count``, ``n``, ``number``) a whole number from 0; a rate (a unit beginning ``rate`` or
    ``per``) from 0; any figure of a "how much" indicator (it counts something: children, audits,
    hours) from 0, whatever its unit. Other figures take any value the value rules take."""
    name = unit.strip().lower()
    if name in PERCENT_UNITS and not 0 <= value <= 100:
        raise InvalidValue(field, value, f"is a percentage ({unit}): it must be from 0 to 100")
    if name in COUNT_UNITS and (value < 0 or not float(value).is_integer()):
        raise InvalidValue(field, value, f"is a count ({unit}): it must be a whole number, 0 or more")
    if name.startswith(("rate", "per ")) and value < 0:
        raise InvalidValue(field, value, f"is a rate ({unit}): it must be 0 or more")
    if kind is not None and str(kind) == "how_much" and value < 0:
        raise InvalidValue(field, value, f"counts how much ({unit}): it must be 0 or more")
    return value
