"""The conformance kit's steps for issue 24 items 7 and 8: the outcome measures a board adopts and
drops (with the indicators an outcome statement rests on), drawn into :func:`.strategies.histories`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

#: measures a generated board may choose: a first-party statement, a first-party measure, a plugin's
MEASURES = ("statement-early-help", "actions-on-time", "feedback-coverage")
Add = Callable[[str, Callable[[Any, dict[str, Any]], Any], date], None]


def measure_steps(draw: st.DrawFn, add: Add, first_day: date, indicators: int) -> None:
    """Adopt some measures, each on a drawn day (a statement's with some of the board's indicators),
    and drop some of them later."""
    for measure in draw(st.lists(st.sampled_from(MEASURES), max_size=2, unique=True)):
        adopted = first_day + timedelta(days=draw(st.integers(0, 1500)))
        named = draw(st.lists(st.integers(0, max(indicators - 1, 0)), max_size=indicators, unique=True))
        keys = [f"indicator-{n}" for n in sorted(named)]
        add(f"adopt measure {measure} on {adopted} resting on {keys}", _adopt(measure, keys, adopted), adopted)
        if draw(st.booleans()):
            dropped = adopted + timedelta(days=draw(st.integers(1, 800)))
            add(f"drop measure {measure} on {dropped}", _drop(measure, dropped), dropped)


def _adopt(measure: str, keys: list[str], on: date) -> Callable[[Any, dict[str, Any]], Any]:
    def run(lc: Any, r: dict[str, Any]) -> None:
        lc.adopt_measure(r["board"], measure, indicators=keys, on=on)

    return run


def _drop(measure: str, on: date) -> Callable[[Any, dict[str, Any]], Any]:
    def run(lc: Any, r: dict[str, Any]) -> None:
        lc.drop_measure(r["board"], measure, "No longer reported", on=on)

    return run
