"""Working-day timescales: England and Wales bank holidays, pauses, deadlines from recorded events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import DeadlineStatus, InvalidValue, RuleViolation, Timescale, WorkingCalendar
from learning_cycle.domain.timescales import ClockPause, deadline

from .conftest import TODAY

ENGLAND = WorkingCalendar()
NO_HOLIDAYS = WorkingCalendar(lambda day: False)
RAPID = Timescale(15, "commissioned", "completed")

days = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


def test_easter_2016_is_skipped_as_bank_holidays():
    # Friday 18 March 2016 + 15 working days: Good Friday (25th) and Easter Monday (28th) do not count.
    assert ENGLAND.add_working_days(date(2016, 3, 18), 15) == date(2016, 4, 12)
    assert NO_HOLIDAYS.add_working_days(date(2016, 3, 18), 15) == date(2016, 4, 8)


def test_christmas_2020_substitute_days_come_from_the_library():
    # Boxing Day 2020 fell on a Saturday: Monday 28 December was the substitute bank holiday.
    assert not ENGLAND.is_working_day(date(2020, 12, 25))
    assert not ENGLAND.is_working_day(date(2020, 12, 28))
    assert not ENGLAND.is_working_day(date(2021, 1, 1))
    assert ENGLAND.add_working_days(date(2020, 12, 23), 3) == date(2020, 12, 30)


def test_a_pause_stops_the_clock_and_the_paused_days_do_not_count():
    pause = ClockPause(date(2016, 3, 22), "Criminal proceedings", resumed_on=date(2016, 4, 4))
    # 21 March counts (1); 22 March to 3 April are paused; 4 April is day 2 ... 21 April is day 15.
    assert ENGLAND.add_working_days(date(2016, 3, 18), 15, [pause]) == date(2016, 4, 21)
    assert ENGLAND.add_working_days(date(2016, 3, 18), 15, [attrs_open(pause)]) is None


def attrs_open(pause: ClockPause) -> ClockPause:
    return ClockPause(pause.paused_on, pause.reason)


@given(days, st.integers(1, 60))
def test_the_due_day_is_the_nth_working_day(start, n):
    due = ENGLAND.add_working_days(start, n)
    assert ENGLAND.is_working_day(due)
    assert ENGLAND.working_days_between(start, due) == n
    assert ENGLAND.working_days_between(start, due - timedelta(days=1)) == n - 1


@given(days, st.integers(1, 40), days, st.integers(0, 30))
def test_pausing_never_brings_a_deadline_forward(start, n, paused_on, length):
    pause = ClockPause(paused_on, "reason", resumed_on=paused_on + timedelta(days=length))
    plain = ENGLAND.add_working_days(start, n)
    paused = ENGLAND.add_working_days(start, n, [pause])
    assert paused >= plain
    assert ENGLAND.working_days_between(start, paused, [pause]) == n


@given(days, st.integers(1, 40))
def test_bank_holidays_never_bring_a_deadline_forward(start, n):
    assert ENGLAND.add_working_days(start, n) >= NO_HOLIDAYS.add_working_days(start, n)


def test_deadline_statuses_over_a_reviews_life():
    start = date(2016, 3, 18)
    milestones = {"commissioned": start, "completed": None}
    at = lambda on, **m: deadline({**milestones, **m}, (), RAPID, on, ENGLAND)
    assert at(date(2016, 3, 17)).status is DeadlineStatus.NOT_STARTED
    assert at(date(2016, 4, 12)).status is DeadlineStatus.ON_TRACK
    assert at(date(2016, 4, 12)).due_on == date(2016, 4, 12)
    assert at(date(2016, 4, 13)).status is DeadlineStatus.OVERDUE
    assert at(date(2016, 5, 1), completed=date(2016, 4, 11)).status is DeadlineStatus.MET
    assert at(date(2016, 5, 1), completed=date(2016, 4, 14)).status is DeadlineStatus.MET_LATE
    # As of a date before completion, the completion is not yet known.
    assert at(date(2016, 4, 13), completed=date(2016, 4, 14)).status is DeadlineStatus.OVERDUE


def test_a_pause_recorded_later_is_not_known_earlier():
    pause = ClockPause(date(2016, 3, 22), "Proceedings", resumed_on=date(2016, 4, 4))
    d = lambda on: deadline({"commissioned": date(2016, 3, 18)}, [pause], RAPID, on, ENGLAND)
    assert d(date(2016, 3, 21)).due_on == date(2016, 4, 12)
    assert d(date(2016, 3, 30)).status is DeadlineStatus.PAUSED
    assert d(date(2016, 4, 20)).due_on == date(2016, 4, 21)


def test_timescales_name_real_milestones():
    with pytest.raises(ValueError, match="'notified' is not an activity milestone"):
        Timescale(15, "notified")


def test_deadlines_come_from_the_recorded_events(board):
    memory_lc, board = board.lc, board.board_id
    a = memory_lc.commission_activity(
        board,
        kind="serious_case_review",
        method="systems",
        title="Review",
        why="Harm",
        decided_by="Chair",
        proportionality="Complex",
        agencies=["csc", "police"],
        on=date(2016, 3, 18),
    )
    menu_timescales = memory_lc.menu.timescales("systems")
    assert menu_timescales == (RAPID,)
    (before,) = memory_lc.deadlines(board, a, on=date(2016, 3, 21))
    assert before.due_on == date(2016, 4, 12)
    memory_lc.start_activity(board, a, on=date(2016, 3, 21))
    memory_lc.pause_activity_clock(board, a, "Parallel criminal proceedings", on=date(2016, 3, 22))
    with pytest.raises(RuleViolation, match="clock: the clock is already paused since 2016-03-22"):
        memory_lc.pause_activity_clock(board, a, "Again", on=date(2016, 3, 23))
    (paused,) = memory_lc.deadlines(board, a, on=date(2016, 3, 30))
    assert paused.status is DeadlineStatus.PAUSED and paused.due_on is None
    with pytest.raises(InvalidValue, match="on: is before the day the clock was paused"):
        memory_lc.resume_activity_clock(board, a, on=date(2016, 3, 21))
    memory_lc.resume_activity_clock(board, a, on=date(2016, 4, 4))
    (resumed,) = memory_lc.deadlines(board, a, on=date(2016, 4, 20))
    assert resumed.due_on == date(2016, 4, 21) and resumed.status is DeadlineStatus.ON_TRACK
    with pytest.raises(RuleViolation, match="clock: the clock is not paused"):
        memory_lc.resume_activity_clock(board, a, on=date(2016, 4, 5))
    memory_lc.complete_activity(board, a, on=date(2016, 4, 22))
    (late,) = memory_lc.deadlines(board, a, on=TODAY)
    assert late.status is DeadlineStatus.MET_LATE and late.working_days_used == 16


def test_an_unknown_method_has_no_deadlines_rather_than_failing(sqlite_path):
    from learning_cycle import LearningCycle, Menu

    from .conftest import open_cycle, small_board

    with open_cycle(sqlite_path) as lc:
        b = small_board(lc).board_id
        a = lc.commission_activity(
            b,
            kind="serious_case_review",
            method="systems",
            title="Review",
            why="Harm",
            decided_by="Chair",
            proportionality="Complex",
            agencies=["csc", "police"],
            on=date(2016, 3, 18),
        )
    with LearningCycle(str(sqlite_path), menu=Menu(), today=lambda: TODAY) as without:
        assert without.activity(b, a).method == "systems"
        assert without.deadlines(b, a) is None
