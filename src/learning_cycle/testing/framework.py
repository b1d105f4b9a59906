"""The board's learning and improvement framework in the conformance kit's generated histories
(:func:`~.strategies.histories`), and every framework event recorded once (for the tests that
need each event type)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from ..application import LearningCycle
from ..domain import Principle

Add = Callable[[str, Callable[[LearningCycle, dict[str, Any]], Any], date], None]

principle_sets = st.lists(st.sampled_from(list(Principle)), min_size=1, unique=True).map(tuple)


def framework_steps(draw: st.DrawFn, add: Add, first_day: date) -> None:
    """Maybe adopt the board's framework, review it, correct it, and hold the stock-take of the
    first year with the framework's annual review after it."""
    if not draw(st.booleans()):
        return
    adopted = first_day + timedelta(days=draw(st.integers(0, 400)))
    principles = draw(principle_sets)
    add(
        f"adopt the framework on {adopted} with {[p.value for p in principles]}",
        lambda lc, r: lc.adopt_framework(
            r["board"],
            name="Framework (fictional)",
            agreed_by="the Board",
            principles=principles,
            summary="How the board learns",
            on=adopted,
        ),
        adopted,
    )
    day = adopted
    if draw(st.booleans()):
        day += timedelta(days=draw(st.integers(0, 700)))
        revised = draw(st.none() | principle_sets)
        outcome = "kept" if revised is None else "revised"
        reviewed_on = day

        def review(lc: LearningCycle, r: dict[str, Any]) -> None:
            lc.review_framework(
                r["board"], outcome=outcome, agreed_by="the Board", changes="Reviewed", principles=revised or (),
                on=reviewed_on,
            )  # fmt: skip

        add(f"review the framework on {day} ({outcome})", review, day)
    if draw(st.booleans()):
        day += timedelta(days=draw(st.integers(0, 300)))
        corrected_on = day

        def correct(lc: LearningCycle, r: dict[str, Any]) -> None:
            lc.correct_framework(r["board"], reason="Mistyped", summary="Corrected", on=corrected_on)

        add(f"correct the framework's summary on {day}", correct, day)
    if draw(st.booleans()):
        year = f"{first_day.year}/{(first_day.year + 1) % 100:02d}"
        held = max(day, date(first_day.year + 1, 4, 1)) + timedelta(days=draw(st.integers(0, 90)))
        reviewed = held + timedelta(days=draw(st.integers(0, 30)))
        add(
            f"hold the stock-take of {year} on {held}",
            lambda lc, r: lc.hold_stock_take(r["board"], year, on=held),
            held,
        )
        add(
            f"hold the framework's annual review of {year} on {reviewed}",
            lambda lc, r: lc.hold_annual_review(r["board"], year, agreed_by="the Board", changes="None", on=reviewed),
            reviewed,
        )


def record_framework_events(lc: LearningCycle, board: UUID, year: str, after: date) -> None:
    """Every framework event, once: adopt, review, correct, and the annual review of ``year``,
    whose stock-take is held by ``after``."""
    lc.adopt_framework(board, name="Framework (fictional)", agreed_by="the Board", principles=list(Principle),
                       summary="How the board learns", on=after - timedelta(days=400))  # fmt: skip
    lc.review_framework(board, outcome="revised", agreed_by="the Board", changes="Now six principles",
                        name="Learning and Improvement Framework (fictional)", on=after - timedelta(days=200))  # fmt: skip
    lc.correct_framework(board, reason="Mistyped", agreed_by="the Board's chair", on=after - timedelta(days=100))
    lc.hold_annual_review(board, year, agreed_by="Business planning day", changes="Kept as it is", on=after)
