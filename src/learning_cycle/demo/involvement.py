"""The demo board's outcome measures chosen by the board, and the involvement of professionals,
children and families in its learning (issue 24 items 7 and 8). Fictional, as the whole demo is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from ..application import LearningCycle

#: each outcome statement's measure, and the indicators the board says it rests on
STATEMENTS = {
    "statement-early-help": ["health-outcomes-resuming-appointments"],
    "statement-statutory-services": ["cp-visits-on-time", "cp-safety-outcomes-at-closure"],
    "statement-parents-positive-difference": ["parents-positive-difference"],
}


def adopt_measures(lc: LearningCycle, board: UUID) -> None:
    """The board names, when it sets up its indicators, the indicators each outcome statement rests
    on (the first-party measures are reported by default; a plugin's needs adopting)."""
    for measure, indicators in STATEMENTS.items():
        lc.adopt_measure(board, measure, indicators=indicators, on=date(2013, 4, 1))


def record_involvement(lc: LearningCycle, board: UUID, ids: Callable[[str], UUID]) -> None:
    """2016/17 (recorded before the year's figures): who took part in the Child L review and the
    children in need deep dive, Child L's learning on social media (people reached, not
    attendances), and the briefing's feedback, satisfaction apart from impact on practice. ``ids``
    names the demo's records (its story's ids). First, the measures the board chose when it set up its
    indicators (:func:`adopt_measures`, effective 1 April 2013)."""
    adopt_measures(lc, board)
    lc.record_practitioner_involvement(
        board, ids("scr-l"), practitioners=14, how="learning_event", on=date(2015, 11, 4)
    )
    lc.record_sample(
        board, ids("dd-cin"), cases=24, criteria="Children in need plans open six months or more, in three districts",
        practitioners_spoken_to=11, young_people_spoken_to=6, parents_spoken_to=4, on=date(2016, 10, 14),
    )  # fmt: skip
    lc.record_dissemination(
        board, channel="social_media", title="Learning from Child L: seven points, posted by the board",
        audience="Practitioners and the public", reach=2300, finding_ids=[ids("l1")], on=date(2016, 6, 20),
        id=ids("l-social"),
    )  # fmt: skip
    lc.record_feedback(
        board, ids("c1-briefing"), "Leads said the briefing was clear; fewer had yet changed how they share risk",
        respondents=52, satisfied=47, impact=29, on=date(2017, 3, 10),
    )  # fmt: skip
