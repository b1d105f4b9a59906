"""Every action command refuses bad input by naming the field and the value, and writes nothing."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from learning_cycle import ActionStatus, InvalidValue, RuleViolation

from .conftest import SmallBoard, assert_refused
from .test_rules import _cancelled_action as _cancelled
from .test_rules import _completed_action as _completed
from .test_rules import _open_action as _action


def _assured(b: SmallBoard) -> UUID:
    action = _completed(b)
    b.lc.assure_action(b.board_id, action, "Audited", on=date(2015, 1, 5))
    return action


OPEN_ID = object()  # stands for the action's own id, which the closed-action errors name


@pytest.mark.parametrize(
    ("setup", "command", "error", "field", "value", "words"),
    [
        (_action, lambda b, x: b.lc.report_progress(b.board_id, x, " "), InvalidValue, "note", " ", "must not be blank"),
        (_cancelled, lambda b, x: b.lc.report_progress(b.board_id, x, "Late"), RuleViolation, "note", OPEN_ID, "the action is cancelled: it can no longer change"),
        (_action, lambda b, x: b.lc.reschedule_action(b.board_id, x, "2015-06-30", "Later"), InvalidValue, "due_on", "2015-06-30", "date"),
        (_action, lambda b, x: b.lc.reschedule_action(b.board_id, x, date(2014, 9, 30), "Earlier"), InvalidValue, "due_on", date(2014, 9, 30), "the date the action was raised"),
        (_action, lambda b, x: b.lc.reschedule_action(b.board_id, x, date(2015, 6, 30), "", on=date(2015, 1, 5)), InvalidValue, "reason", "", "must not be blank"),
        (_completed, lambda b, x: b.lc.reschedule_action(b.board_id, x, date(2015, 6, 30), "Later"), RuleViolation, "due_on", OPEN_ID, "the action is completed: it can no longer change"),
        (_action, lambda b, x: b.lc.complete_action(b.board_id, x, "\t"), InvalidValue, "evidence", "\t", "must not be blank"),
        (_action, lambda b, x: b.lc.assure_action(b.board_id, x, "Audited"), RuleViolation, "assurance", "Audited", "only a completed action can be assured (it is open)"),
        (_completed, lambda b, x: b.lc.assure_action(b.board_id, x, " "), InvalidValue, "assurance", " ", "must not be blank"),
        (_assured, lambda b, x: b.lc.assure_action(b.board_id, x, "Again"), RuleViolation, "assurance", "Again", "the action was already assured on 2015-01-05"),
        (_action, lambda b, x: b.lc.cancel_action(b.board_id, x, " "), InvalidValue, "reason", " ", "must not be blank"),
        (_completed, lambda b, x: b.lc.cancel_action(b.board_id, x, "Oops"), RuleViolation, "reason", OPEN_ID, "the action is completed: it can no longer change"),
        (_action, lambda b, x: b.lc.supersede_action(b.board_id, x, ""), InvalidValue, "reason", "", "must not be blank"),
        (_cancelled, lambda b, x: b.lc.supersede_action(b.board_id, x, "Replaced"), RuleViolation, "reason", OPEN_ID, "the action is cancelled: it can no longer change"),
        (_completed, lambda b, x: b.lc.complete_action(b.board_id, x, "Again"), RuleViolation, "evidence", OPEN_ID, "evidence: the action is completed: it can no longer change"),
        (_action, lambda b, x: b.lc.reschedule_action(b.board_id, x, date(2014, 9, 30), "Earlier"), InvalidValue, "due_on", date(2014, 9, 30), "due_on: is before the date the action was raised (2014-10-01)"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_the_value_and_writes_nothing(
    board: SmallBoard, setup, command, error, field, value, words
):
    action = setup(board)
    expected = str(action) if value is OPEN_ID else value
    problem = assert_refused(board.lc, lambda: command(board, action), error, field, expected)
    assert words in str(problem)


def test_a_superseded_action_names_what_replaced_it(board: SmallBoard):
    old, new = _action(board), _action(board)
    board.lc.supersede_action(
        board.board_id, old, "Replaced by a joint protocol", superseded_by=new, on=date(2014, 11, 1)
    )
    state = board.lc.action(board.board_id, old)
    assert state.status is ActionStatus.SUPERSEDED
    superseded = board.lc.history(old)[-1]
    assert (superseded.superseded_by, superseded.reason) == (new, "Replaced by a joint protocol")


def _raise(b: SmallBoard, **change):
    args = {"owner": "csc", "description": "Fix it", "due_on": date(2015, 1, 1), "on": date(2014, 10, 1)} | change
    return b.lc.raise_action(b.board_id, b.finding_id, **args)


@pytest.mark.parametrize(
    ("change", "error", "field", "value", "message"),
    [
        ({"description": " "}, InvalidValue, "description", " ", "description: must not be blank"),
        ({"due_on": "2015-01-01"}, InvalidValue, "due_on", "2015-01-01", "due_on: "),
        ({"due_on": date(2014, 8, 31)}, InvalidValue, "due_on", date(2014, 8, 31), "due_on: is before the date its finding was raised (2014-09-01)"),
        ({"on": date(2014, 8, 31)}, InvalidValue, "on", date(2014, 8, 31), "on: is before the date its finding was raised (2014-09-01)"),
        ({"single_agency": "yes"}, RuleViolation, "single_agency", "yes", "single_agency: must be true or false"),
    ],
)  # fmt: skip
def test_raising_an_action_with_a_bad_value_names_it_and_writes_nothing(board: SmallBoard, change, error, field, value, message):  # fmt: skip
    assert_refused(board.lc, lambda: _raise(board, **change), error, field, value, message)


def test_an_action_is_overdue_from_the_day_after_it_is_due_until_the_day_it_is_done(board: SmallBoard):
    action = _raise(board, due_on=date(2015, 1, 1))
    board.lc.complete_action(board.board_id, action, "Done late", on=date(2015, 1, 10))
    state = board.lc.action(board.board_id, action)
    assert [state.is_overdue(day) for day in (date(2015, 1, 1), date(2015, 1, 2), date(2015, 1, 9), date(2015, 1, 10))] == [
        False, True, True, False,
    ]  # fmt: skip


def test_an_action_keeps_the_id_it_was_raised_with(board: SmallBoard):
    chosen = UUID("11111111-2222-4333-8444-555555555555")
    assert _raise(board, id=chosen) == chosen
    assert board.lc.action(board.board_id, chosen).action_id == chosen
