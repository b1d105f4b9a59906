"""The board configuration file: a board set up from JSON (``learning-cycle init board.json``).

::

    {
      "key": "northshire",
      "name": "Northshire Safeguarding Children Board",
      "year_start": {"month": 4, "day": 1},
      "agencies": [{"key": "csc", "name": "Children's Social Care"}],
      "districts": ["north-vale"],
      "subgroups": ["Case Review Sub-group"],
      "started_on": "2013-04-01",
      "priorities": [{"year": "2013/14", "priorities": [{"key": "neglect", "title": "Neglect"}]}],
      "measures": [{"measure": "statement-early-help", "indicators": ["early-help-assessments"]}]
    }

``measures`` names the outcome measures the board reports, adopted from ``started_on``, and for a
measure of an outcome statement the indicators the statement rests on (docs/plugins.md).

Its schema is ``schemas/board-config.schema.json``, generated from :class:`BoardConfig`.
"""

from __future__ import annotations

import json
import typing
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import attrs

from ..domain.errors import AlreadyExists, BadInput, InvalidValue, LearningCycleError, Problem, RuleViolation, Where
from ..domain.values import Agency, Priority, ReportingYear, YearStart
from ..eventlog.files import read_small
from ..eventlog.serialization import converter
from .lines import structure_fields

if TYPE_CHECKING:
    from ..application import LearningCycle


@attrs.frozen
class YearPriorities:
    """The board's priorities for one reporting year."""

    year: str
    priorities: tuple[Priority, ...]


@attrs.frozen
class MeasureAdoption:
    """An outcome measure the board reports, and the indicators an outcome statement rests on."""

    measure: str
    indicators: tuple[str, ...] = ()


@attrs.frozen
class BoardConfig:
    """A board's set-up: its key and name, partners, districts, sub-groups and priorities."""

    key: str
    name: str
    agencies: tuple[Agency, ...]
    started_on: date
    year_start: YearStart = attrs.field(factory=YearStart)
    districts: tuple[str, ...] = ()
    subgroups: tuple[str, ...] = ()
    priorities: tuple[YearPriorities, ...] = ()
    measures: tuple[MeasureAdoption, ...] = ()


def read_config(path: str | Path) -> BoardConfig:
    """Read and check a board configuration file; :class:`BadInput` names every problem."""
    path = Path(path)
    name = path.name
    try:
        text = read_small(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput([Problem(Where(name, 1), "encoding", None, f"is not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise LearningCycleError(
            f"file: cannot be read: {exc.strerror or exc} ({path})", field="file", value=str(path)
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput([Problem(Where(name, exc.lineno, exc.colno), "json", None, exc.msg)]) from None
    except RecursionError:
        raise BadInput([Problem(Where(name, 1, 1), "json", None, "is nested too deeply")]) from None
    except ValueError as exc:  # e.g. a number of thousands of digits
        raise BadInput([Problem(Where(name, 1, 1), "json", None, " ".join(str(exc).split()))]) from None
    if not isinstance(raw, dict):
        raise BadInput([Problem(Where(name, 1, 1), "config", raw, "must be a JSON object")])
    hints = typing.get_type_hints(BoardConfig)
    fields = [(f.name, hints[f.name]) for f in attrs.fields(BoardConfig)]
    optional = {f.name for f in attrs.fields(BoardConfig) if f.default is not attrs.NOTHING}
    _, problems = structure_fields(fields, raw, path=str, what="a board configuration", optional=optional)
    if problems:
        raise BadInput([Problem(_where(name, text, p), p, value, reason) for p, reason, value in problems])
    try:
        config = converter.structure(raw, BoardConfig)
    except Exception as exc:  # a value type's own rule, e.g. an agency key with spaces
        raise BadInput([Problem(Where(name, 1), "config", None, str(exc))]) from None
    for i, entry in enumerate(config.priorities):
        try:
            ReportingYear.parse(entry.year, config.year_start)
        except LearningCycleError as exc:
            raise BadInput(
                [Problem(_where(name, text, entry.year), f"priorities[{i}].year", entry.year, str(exc))]
            ) from None
    return config


def _where(name: str, text: str, needle: str) -> Where:
    """The line of the first mention of a field (or value) in the file, for the message."""
    key = needle.rsplit(".", 1)[-1]
    for number, line in enumerate(text.splitlines(), 1):
        column = line.find(f'"{key}"')
        if column >= 0:
            return Where(name, number, column + 1)
    return Where(name, 1)


def apply_config(lc: LearningCycle, config: BoardConfig, *, source: str | Path | None = None) -> UUID:
    """Set up the board a configuration describes, in one command (all of it or nothing); returns
    its id. With ``source`` (the configuration file), a refusal is a :class:`BadInput` naming the
    file, the line of the field and the field's path in the configuration."""
    try:
        return lc.set_up_board(
            config.key,
            config.name,
            agencies=config.agencies,
            districts=config.districts,
            subgroups=config.subgroups,
            year_start=config.year_start,
            priorities=[(entry.year, entry.priorities) for entry in config.priorities],
            measures=[(m.measure, m.indicators) for m in config.measures],
            on=config.started_on,
        )
    except (InvalidValue, RuleViolation, AlreadyExists) as exc:
        if source is None:
            raise
        path = Path(source)
        field = {"on": "started_on", "effective_on": "started_on"}.get(exc.field or "", exc.field or "config")
        try:
            text = read_small(path).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        where = _where(path.name, text, field)
        if exc.field == "year":  # name the entry of the list, and the line of its year
            years = [str(entry.year) for entry in config.priorities]
            index = years.index(str(exc.value)) if str(exc.value) in years else None
            field = f"priorities[{'' if index is None else index}].year"
            where = _where_value(path.name, text, str(exc.value)) or _where(path.name, text, "priorities")
        reason = str(exc).removeprefix(f"{exc.field}: ") if exc.field else str(exc)
        reason = reason.rsplit(" (got ", 1)[0]
        raise BadInput([Problem(where, field, exc.value, reason)]) from None


def _where_value(name: str, text: str, value: str) -> Where | None:
    """The place of the first string equal to ``value`` in the file, if any."""
    needle = json.dumps(value)
    for number, line in enumerate(text.splitlines(), 1):
        column = line.find(needle)
        if column >= 0:
            return Where(name, number, column + 1)
    return None
