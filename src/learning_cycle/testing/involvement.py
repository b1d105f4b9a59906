"""The conformance kit's steps for issue 24 items 7 and 8, drawn into :func:`.strategies.histories`:
the outcome measures a board adopts and drops (with the indicators an outcome statement rests on),
learning on any channel with feedback that tells satisfaction from impact, and a review's sample and
practitioners' involvement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from ..domain.errors import NotFound
from ..domain.involvement import Involvement
from ..domain.values import Channel

#: measures a generated board may choose: a first-party statement, a first-party measure, a plugin's
MEASURES = ("statement-early-help", "actions-on-time", "feedback-coverage")
Add = Callable[[str, Callable[[Any, dict[str, Any]], Any], date], None]


def involvement_steps(draw: st.DrawFn, add: Add, first_day: date, indicators: int, activities: int) -> None:
    """The steps of both items: measures, then learning with feedback, then who took part."""
    measure_steps(draw, add, first_day, indicators)
    learning_steps(draw, add, first_day)
    review_steps(draw, add, first_day, activities)


def learning_steps(draw: st.DrawFn, add: Add, first_day: date) -> None:
    """Learning on a drawn channel (social media too), and feedback on it: of the respondents, some
    satisfied and some reporting an impact on practice, each perhaps not asked."""
    if not draw(st.booleans()):
        return
    channel = draw(st.sampled_from(list(Channel)))
    delivered = first_day + timedelta(days=draw(st.integers(0, 1500)))
    reach = draw(st.integers(0, 5000))
    respondents = draw(st.integers(0, 60))
    satisfied = draw(st.none() | st.integers(0, respondents))
    impact = draw(st.none() | st.integers(0, respondents))
    heard = delivered + timedelta(days=draw(st.integers(0, 200)))

    def run(lc: Any, r: dict[str, Any]) -> None:
        d = lc.record_dissemination(
            r["board"], channel=channel, title="Learning for all", audience="Everyone", reach=reach, on=delivered
        )
        lc.record_feedback(r["board"], d, "Said", respondents=respondents, satisfied=satisfied, impact=impact, on=heard)

    add(f"deliver learning by {channel.value} on {delivered} to {reach}, feedback {satisfied}/{impact} of {respondents}", run, heard)  # fmt: skip


def review_steps(draw: st.DrawFn, add: Add, first_day: date, activities: int) -> None:
    """A sample and practitioners' involvement for a drawn activity of the history, if it has it."""
    if not activities or not draw(st.booleans()):
        return
    name = f"activity{draw(st.integers(0, activities - 1))}"
    on = first_day + timedelta(days=draw(st.integers(1501, 1700)))  # after the history's commissions
    cases, spoken = draw(st.integers(0, 200)), draw(st.tuples(*[st.integers(0, 50)] * 3))
    practitioners, how = draw(st.integers(0, 80)), draw(st.sampled_from(list(Involvement)))

    def run(lc: Any, r: dict[str, Any]) -> None:
        if name in r:  # the history commissioned it
            lc.record_sample(r["board"], r[name], cases=cases, criteria="Drawn cases", practitioners_spoken_to=spoken[0],
                             young_people_spoken_to=spoken[1], parents_spoken_to=spoken[2], on=on)  # fmt: skip
            lc.record_practitioner_involvement(r["board"], r[name], practitioners=practitioners, how=how, on=on)

    add(f"record {name}'s sample of {cases} and {practitioners} practitioners involved {how.value} on {on}", run, on)


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
        have = [k for k in keys if _defined(lc, r["board"], k)]  # a statement rests on indicators the board has
        lc.adopt_measure(r["board"], measure, indicators=have, on=on)

    return run


def _defined(lc: Any, board: Any, key: str) -> bool:
    try:
        lc.indicator(board, key)
    except NotFound:
        return False
    return True


def _drop(measure: str, on: date) -> Callable[[Any, dict[str, Any]], Any]:
    def run(lc: Any, r: dict[str, Any]) -> None:
        lc.drop_measure(r["board"], measure, "No longer reported", on=on)

    return run
