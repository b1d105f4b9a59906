"""The demo board's learning and improvement framework (fictional, as all of Northshire): its
quality assurance framework, in place since June 2011 (recorded from the board's first day in the
log, April 2013: no record of a board begins before the board), revised into the Learning and
Improvement Framework in November 2013 and reviewed in November 2016, and the annual review after
each stock-take at the business planning day (framework §5 d)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ..application import LearningCycle

ANNUAL_REVIEWS = (
    ("2013/14", date(2014, 5, 15), "Neglect kept as a priority; the menu of methods gains light-touch reviews."),
    ("2014/15", date(2015, 5, 14), "A deep dive on child sexual exploitation added to the programme."),
    ("2015/16", date(2016, 5, 12), "Children in need added as a priority; publication decisions reviewed yearly."),
    ("2016/17", date(2017, 5, 11), "Domestic abuse added as a priority; return interviews escalated to the board."),
)


def framework(lc: LearningCycle, board: UUID) -> None:
    """Record the demo board's framework, its reviews and its annual reviews."""
    lc.adopt_framework(
        board,
        name="Quality Assurance Framework (fictional)",
        agreed_by="the Board",
        principles=["continuous_improvement", "sustained_improvement"],
        summary="In place since June 2011: audits and performance reports tell the board how well partners "
        "safeguard children.",
        on=date(2013, 4, 1),  # the board's first day in the log
    )
    lc.review_framework(
        board,
        outcome="revised",
        agreed_by="the Board",
        changes="Revised in line with Working Together 2013: a menu of proportionate methods and systems learning.",
        name="Learning and Improvement Framework (fictional)",
        principles=[
            "systems_learning",
            "continuous_improvement",
            "proportionality",
            "professionals_involved",
            "transparency",
            "sustained_improvement",
        ],
        on=date(2013, 11, 4),
    )
    lc.review_framework(
        board,
        outcome="revised",
        agreed_by="the Board",
        changes="Reviewed against Working Together 2015; peer review added to the checks on sustained improvement.",
        on=date(2016, 11, 7),
    )
    for year, on, changes in ANNUAL_REVIEWS:
        lc.hold_annual_review(board, year, agreed_by="Business planning day", changes=changes, on=on)
