"""The exception hierarchy of learning-cycle.

Every error a user can cause is a :class:`LearningCycleError`. Each carries the
``field`` it is about and the offending ``value``, and its message names both, so
a caller can show it as it is. The application raises these before anything is
written: a failed command records nothing.

::

    LearningCycleError
    ├── InvalidValue          a value is malformed on its own (empty, future, bad choice)
    │   ├── UnknownAgency     not a current partner agency of the board
    │   ├── UnknownDistrict   not a district of the board
    │   └── UnknownMethod     kind or method not in the registered menu
    ├── RuleViolation         well-formed, but not allowed in the record's current state
    ├── NotFound              no such board, activity, finding, action, dissemination or indicator
    ├── AlreadyExists         an id or key is taken
    ├── BadInput              an input file has problems (each with file:line:column)
    └── ConcurrencyConflict   another writer got there first, and retrying did not help
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID


def show(value: Any) -> str:
    """A value as an error message shows it: dates as ISO text, ids and choices as text."""
    if isinstance(value, date):
        return repr(value.isoformat())
    if isinstance(value, UUID):
        return repr(str(value))
    if isinstance(value, Enum):
        return repr(value.value)
    if isinstance(value, (list, tuple)):
        if len(value) > 10:
            return "[" + ", ".join(show(v) for v in value[:10]) + f", ... ({len(value)} items)]"
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, (str, bytes)) and len(value) > SHOWN:
        return f"{value[: SHOWN - 20]!r}... ({len(value)} {'characters' if isinstance(value, str) else 'bytes'})"
    if value is None or isinstance(value, (str, bytes, int, float, dict)):
        return repr(value)
    return f"a {type(value).__name__}"  # any other object by its type, never its contents


SHOWN = 80
"""The longest text an error message shows whole."""


class LearningCycleError(Exception):
    """Base class of every error a user of learning-cycle can cause."""

    def __init__(self, message: str, *, field: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value

    def __str__(self) -> str:
        return self.message


class InvalidValue(LearningCycleError):
    """A value is malformed on its own: empty, in the future, not one of the choices."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(f"{field}: {reason} (got {show(value)})", field=field, value=value)
        self.reason = reason


class UnknownAgency(InvalidValue):
    """An agency key that is not a current partner of the board."""

    def __init__(self, field: str, value: str, known: tuple[str, ...]) -> None:
        listed = ", ".join(known) if known else "none"
        super().__init__(field, value, f"not a current partner agency of the board (known: {listed})")
        self.known = known


class UnknownDistrict(InvalidValue):
    """A district that the board does not have."""

    def __init__(self, field: str, value: str, known: tuple[str, ...]) -> None:
        listed = ", ".join(known) if known else "none"
        super().__init__(field, value, f"not a district of the board (known: {listed})")
        self.known = known


class UnknownMethod(InvalidValue):
    """A kind of activity or a review method that no installed plugin registers."""


class RuleViolation(LearningCycleError):
    """A well-formed command that the record's current state does not allow."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(f"{field}: {reason} (got {show(value)})", field=field, value=value)
        self.reason = reason


class NotFound(LearningCycleError):
    """No record of that kind with that id (on that board)."""

    def __init__(self, kind: str, ident: Any, *, field: str | None = None, by: str = "id") -> None:
        where = f"{field}: " if field else ""
        super().__init__(f"{where}no {kind} with {by} {str(ident)!r}", field=field or by, value=ident)
        self.kind = kind


class AlreadyExists(LearningCycleError):
    """The id or key is already taken."""

    def __init__(self, kind: str, field: str, value: Any) -> None:
        super().__init__(
            f"{field}: a {kind} with this {field} already exists (got {show(value)})", field=field, value=value
        )
        self.kind = kind


class ConcurrencyConflict(LearningCycleError):
    """Another writer changed the same record at the same time, and retrying did not help."""

    def __init__(self, kind: str, ident: Any, attempts: int) -> None:
        super().__init__(
            f"{kind}{'' if ident is None else ' ' + str(ident)}: changed by another writer at the same time; "
            f"gave up after {attempts} attempts",
            field="id",
            value=ident,
        )
        self.kind = kind
        self.attempts = attempts


class Where:
    """A place in an input: a file, a line (1-based) and, where known, a column (1-based)."""

    __slots__ = ("column", "file", "line")

    def __init__(self, file: str, line: int, column: int | None = None) -> None:
        self.file, self.line, self.column = file, line, column

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column is not None else "")

    def __repr__(self) -> str:
        return f"Where({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Where) and (self.file, self.line, self.column) == (
            other.file,
            other.line,
            other.column,
        )

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.column))


class Problem:
    """One thing wrong in an input, at a place: the field, the value, and what was expected."""

    __slots__ = ("field", "reason", "value", "where")

    def __init__(self, where: Where, field: str, value: Any, reason: str) -> None:
        self.where, self.field, self.value, self.reason = where, field, value, reason

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.reason} (got {show(self.value)})"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class BadInput(LearningCycleError):
    """An input file has problems; each names its file, line, column, field and value.
    Nothing was recorded."""

    def __init__(
        self, problems: list[Problem] | tuple[Problem, ...], *, more: int = 0, read: Sequence[Any] = ()
    ) -> None:
        self.problems = tuple(problems)
        self.more = more
        self.read = tuple(read)
        """What was read well despite the problems (an indicator source's good figures), so the
        host can check those too and report every problem in one pass."""
        first = self.problems[0]
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problems")
        total = len(self.problems) + more
        summary = f"{total} problem{'s' if total != 1 else ''} in the input; nothing was recorded"
        super().__init__("\n".join([*lines, summary]), field=first.field, value=first.value)
        self.where = first.where
