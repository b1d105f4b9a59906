"""Indicator sources: where a board's performance figures come from, as plugins describe them.

A source reads a location (a file path, usually) and yields :class:`Figure` values, each with
the place it came from. The application records them idempotently: an unchanged figure records
nothing, a changed one records a correction, and one bad figure means nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

import attrs

from .errors import Where


@attrs.frozen
class Figure:
    """One figure for one period of one indicator, and where in the input it was read."""

    indicator: str
    period_start: date
    value: float
    where: Where = attrs.field(eq=False)
    """The row it was read from."""
    fields: Mapping[str, Where] = attrs.field(factory=dict, eq=False, repr=False)
    """Where each field was read (``indicator``, ``period_start``, ``value``), to name the column."""

    def at(self, field: str) -> Where:
        """The place of ``field`` in the input, or of the row if the source did not say."""
        return self.fields.get(field, self.where)


@attrs.frozen
class Column:
    """A field of a source's input, as documented for people preparing the file."""

    name: str
    description: str
    example: str


@attrs.frozen
class IndicatorSource:
    """A kind of input a board's figures can be pulled from.

    :param key: stable key (``csv``, ``jsonl``, ...), used on the command line.
    :param title: a short name.
    :param description: what the input looks like.
    :param read: reads a location and returns (or yields, as it reads them) its figures; then
        raises :class:`~learning_cycle.domain.errors.BadInput` naming file, line and column of every
        bad row, if any. It must not write anything.
    :param columns: the fields of each row, documented.
    :param suffixes: the file name endings it reads (for choosing a source from a file name).
    """

    key: str
    title: str
    description: str
    read: Callable[[str], Iterable[Figure]]
    columns: tuple[Column, ...] = attrs.field(converter=tuple)
    suffixes: tuple[str, ...] = attrs.field(default=(), converter=tuple)


@attrs.frozen
class PullResult:
    """What pulling from a source did."""

    recorded: int
    """Figures for periods that had none."""
    corrected: int
    """Figures that differed from the one held, recorded as corrections."""
    unchanged: int
    """Figures equal to the one held: nothing recorded."""

    @property
    def changed(self) -> bool:
        return bool(self.recorded or self.corrected)
