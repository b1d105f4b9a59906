"""An activity's clock and closing: each refusal names the field and the value, and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from learning_cycle import InvalidValue, LearningCycle, RuleViolation, WorkingCalendar

from .conftest import MENU, TODAY, SmallBoard


def _completed(b: SmallBoard) -> None:
    b.lc.complete_activity(b.board_id, b.activity_id, on=date(2014, 12, 1))


def _closed(b: SmallBoard) -> None:
    _completed(b)
    b.lc.close_activity(b.board_id, b.activity_id, on=date(2015, 1, 5))


def _paused(b: SmallBoard) -> None:
    b.lc.pause_activity_clock(b.board_id, b.activity_id, "Criminal proceedings", on=date(2014, 7, 1))


@pytest.mark.parametrize(
    ("setup", "command", "error", "field", "value", "message"),
    [
        (lambda b: None, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, " "), InvalidValue, "reason", " ", "reason: must not be empty (got ' ')"),
        (_completed, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, "Late"), RuleViolation, "status", "completed", "status: the clock of a finished activity cannot be paused (got 'completed')"),
        (_closed, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, "Late"), RuleViolation, "status", "closed", "status: the clock of a finished activity cannot be paused (got 'closed')"),
        (_paused, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, "Again", on=date(2014, 7, 2)), RuleViolation, "clock", "paused", "clock: the clock is already paused since 2014-07-01 (got 'paused')"),
        (lambda b: None, lambda b: b.lc.resume_activity_clock(b.board_id, b.activity_id), RuleViolation, "clock", "running", "clock: the clock is not paused (got 'running')"),
        (_paused, lambda b: b.lc.resume_activity_clock(b.board_id, b.activity_id, on=date(2014, 6, 30)), InvalidValue, "on", date(2014, 6, 30), "on: is before the day the clock was paused (2014-07-01) (got '2014-06-30')"),
        (lambda b: None, lambda b: b.lc.close_activity(b.board_id, b.activity_id), RuleViolation, "status", "started", "status: only a completed activity can be closed (got 'started')"),
    ],
)  # fmt: skip
def test_clock_and_closing_refusals_name_the_field_and_value(board: SmallBoard, setup, command, error, field, value, message):  # fmt: skip
    setup(board)
    before = board.lc.position()
    with pytest.raises(error) as refused:
        command(board)
    assert (refused.value.field, refused.value.value) == (field, value)
    assert str(refused.value) == message
    assert board.lc.position() == before


def test_deadlines_count_working_days_of_the_cycle_s_own_calendar(sqlite_path):
    # 15 working days from Friday 18 March 2016: Good Friday (25 March) and Easter Monday (28 March)
    # are bank holidays in England and Wales; a calendar with no holidays counts them.
    def deadline_with(calendar: WorkingCalendar) -> date:
        with LearningCycle(str(sqlite_path), menu=MENU, today=lambda: TODAY, calendar=calendar) as lc:
            if not lc.boards():
                b = lc.create_board("cal", "Calendar Board (fictional)", agencies=[("csc", "CSC"), ("police", "Police")], on=date(2016, 1, 4))  # fmt: skip
                lc.commission_activity(
                    b, kind="serious_case_review", method="systems", title="Review", why="Harm", decided_by="Chair",
                    proportionality="Complex", agencies=["csc", "police"], on=date(2016, 3, 18),
                )  # fmt: skip
            b = lc.board_id("cal")
            (a,) = lc.activities(b)
            (d,) = lc.deadlines(b, a.activity_id, on=date(2016, 3, 21))
            return d.due_on

    assert deadline_with(WorkingCalendar()) == date(2016, 4, 12)
    assert deadline_with(WorkingCalendar(holiday=lambda day: False)) == date(2016, 4, 8)
