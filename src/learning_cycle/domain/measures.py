"""A board's choice of the outcome measures it reports (framework §4; docs/plugins.md, "Which
measures a board reports"): the value the board's ``MeasureAdopted`` and ``MeasureDropped`` events
fold into."""

from __future__ import annotations

from datetime import date

import attrs

from . import fields as field


@attrs.frozen
class MeasureChoice:
    """The board's choice about an outcome measure, from ``on``: adopted for its reports (with the
    indicators an outcome statement rests on, if it names them) or dropped."""

    measure: str
    on: date
    adopted: bool
    indicators: tuple[str, ...] = ()


def chosen(made: tuple[MeasureChoice, ...], choice: MeasureChoice) -> tuple[MeasureChoice, ...]:
    """The choices in the order they took effect, however recorded (a backfilled one in its place)."""
    return tuple(sorted((*made, choice), key=_on))


def _on(choice: MeasureChoice) -> date:
    return choice.on


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    MeasureChoice,
    measure=field.key("outcome measure"),
    on=field.plain("from"),
    adopted=field.plain("adopted"),
    indicators=field.key("indicators it rests on"),
)
