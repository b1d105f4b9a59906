"""Shared fixtures: small, real boards on a real SQLite file or in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import attrs
import pytest

from learning_cycle import LearningCycle, Menu, MethodRule, Timescale

pytest_plugins = ["learning_cycle.testing"]

TODAY = date(2026, 11, 26)

MENU = Menu.of(
    [
        MethodRule(
            "systems",
            {"serious_case_review", "case_review"},
            min_agencies=2,
            timescales=[Timescale(15, "commissioned", "completed")],
        ),
        MethodRule("survey", {"light_touch_review"}, min_agencies=2),
        MethodRule("scie", {"serious_case_review"}, min_agencies=1, finding_tags={"handover", "supervision"}),
        MethodRule("audit", {"safeguarding_self_assessment"}, min_agencies=1),
    ]
)


def open_cycle(store: str | Path) -> LearningCycle:
    return LearningCycle(str(store), menu=MENU, user="test analyst", today=lambda: TODAY)


@attrs.frozen
class SmallBoard:
    """A board with two agencies, one started activity and one finding."""

    lc: LearningCycle
    board_id: UUID
    activity_id: UUID
    finding_id: UUID


def small_board(lc: LearningCycle) -> SmallBoard:
    board_id = lc.create_board(
        "test-board",
        "Test Board (fictional)",
        agencies=[("csc", "Social Care"), ("police", "Police")],
        districts=["north", "south"],
        on=date(2014, 4, 1),
    )
    activity_id = lc.commission_activity(
        board_id,
        kind="serious_case_review",
        method="systems",
        title="Review A",
        why="Harm",
        decided_by="Chair",
        proportionality="Complex",
        agencies=["csc", "police"],
        on=date(2014, 5, 1),
    )
    lc.start_activity(board_id, activity_id, on=date(2014, 6, 1))
    finding_id = lc.raise_finding(
        board_id, activity_id, statement="Information was not shared", level="operational", on=date(2014, 9, 1)
    )
    return SmallBoard(lc, board_id, activity_id, finding_id)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "board.sqlite"


@pytest.fixture
def lc(sqlite_path: Path) -> Iterator[LearningCycle]:
    cycle = open_cycle(sqlite_path)
    yield cycle
    cycle.close()


@pytest.fixture
def memory_lc() -> Iterator[LearningCycle]:
    cycle = open_cycle("memory:")
    yield cycle
    cycle.close()


@pytest.fixture
def board(lc: LearningCycle) -> SmallBoard:
    return small_board(lc)
