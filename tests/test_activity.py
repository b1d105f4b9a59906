"""An activity's clock and closing: each refusal names the field and the value, and writes nothing."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from learning_cycle import (
    InvalidValue,
    LearningCycle,
    PublicationDecision,
    PublicationStatus,
    RuleViolation,
    VoiceOfChild,
    WorkingCalendar,
)
from learning_cycle.domain.action import Action
from learning_cycle.domain.activity import Activity

from .conftest import MENU, TODAY, SmallBoard, assert_refused, boards, records


def _completed(b: SmallBoard) -> None:
    b.lc.complete_activity(b.board_id, b.activity_id, on=date(2014, 12, 1))


def _closed(b: SmallBoard) -> None:
    _completed(b)
    b.lc.close_activity(b.board_id, b.activity_id, on=date(2015, 1, 5))


def _approved(b: SmallBoard) -> None:
    _completed(b)
    b.lc.approve_report(b.board_id, b.activity_id, on=date(2014, 12, 10))


def _published(b: SmallBoard) -> None:
    _approved(b)
    b.lc.decide_publication(b.board_id, b.activity_id, PublicationDecision("published", reference="R-1"), on=date(2015, 1, 2))  # fmt: skip


def _paused(b: SmallBoard) -> None:
    b.lc.pause_activity_clock(b.board_id, b.activity_id, "Criminal proceedings", on=date(2014, 7, 1))


ACTIVITY = object()  # stands for the activity's own id


@pytest.mark.parametrize(
    ("setup", "command", "error", "field", "value", "message"),
    [
        (lambda b: None, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, " "), InvalidValue, "reason", " ", "reason: must not be blank (got ' ')"),
        (_completed, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, "Late"), RuleViolation, "status", "completed", "status: the clock of a finished activity cannot be paused (got 'completed')"),
        (_closed, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, "Late"), RuleViolation, "status", "closed", "status: the clock of a finished activity cannot be paused (got 'closed')"),
        (_paused, lambda b: b.lc.pause_activity_clock(b.board_id, b.activity_id, "Again", on=date(2014, 7, 2)), RuleViolation, "clock", "paused", "clock: the clock is already paused since 2014-07-01 (got 'paused')"),
        (lambda b: None, lambda b: b.lc.resume_activity_clock(b.board_id, b.activity_id), RuleViolation, "clock", "running", "clock: the clock is not paused (got 'running')"),
        (_paused, lambda b: b.lc.resume_activity_clock(b.board_id, b.activity_id, on=date(2014, 6, 30)), InvalidValue, "on", date(2014, 6, 30), "on: is before the day the clock was paused (2014-07-01) (got '2014-06-30')"),
        (lambda b: None, lambda b: b.lc.close_activity(b.board_id, b.activity_id), RuleViolation, "status", "started", "status: only a completed activity can be closed (got 'started')"),
        (_completed, lambda b: b.lc.complete_activity(b.board_id, b.activity_id), RuleViolation, "status", "completed", "status: only a started activity can be completed (got 'completed')"),
        (lambda b: None, lambda b: b.lc.approve_report(b.board_id, b.activity_id), RuleViolation, "status", "started", "status: a report can be approved only once the activity is completed (got 'started')"),
        (_approved, lambda b: b.lc.approve_report(b.board_id, b.activity_id), RuleViolation, "report_approved_on", date(2014, 12, 10), "report_approved_on: the report is already approved (got '2014-12-10')"),
        (_completed, lambda b: b.lc.decide_publication(b.board_id, b.activity_id, PublicationDecision("published", reference="R-1")), RuleViolation, "publication", "published", "publication: publication can be decided only after the report is approved (got 'published')"),
        (_published, lambda b: b.lc.decide_publication(b.board_id, b.activity_id, PublicationDecision("withheld", reason="Late objection")), RuleViolation, "publication", "withheld", "publication: the report is already published (got 'withheld')"),
        (_closed, lambda b: b.lc.record_activity_voice(b.board_id, b.activity_id, VoiceOfChild(False)), RuleViolation, "activity_id", ACTIVITY, "activity_id: the activity is closed"),
        (lambda b: None, lambda b: b.lc.correct_activity(b.board_id, b.activity_id, reason="Nothing"), RuleViolation, "correction", None, "correction: say what to correct (title, why or themes)"),
        (lambda b: None, lambda b: b.lc.correct_activity(b.board_id, b.activity_id, reason=" ", title="T"), InvalidValue, "reason", " ", "reason: must not be blank (got ' ')"),
        (lambda b: None, lambda b: b.lc.correct_activity(b.board_id, b.activity_id, reason="R", title=""), InvalidValue, "title", "", "title: must not be blank (got '')"),
        (lambda b: None, lambda b: b.lc.correct_activity(b.board_id, b.activity_id, reason="R", why="\n"), InvalidValue, "why", "\n", "why: must not be blank (got '\\n')"),
        (lambda b: None, lambda b: b.lc.correct_activity(b.board_id, b.activity_id, reason="R", themes=["Not A Key"]), InvalidValue, "themes", "Not A Key", "themes:"),
    ],
)  # fmt: skip
def test_clock_and_closing_refusals_name_the_field_and_value(board: SmallBoard, setup, command, error, field, value, message):  # fmt: skip
    setup(board)
    expected = str(board.activity_id) if value is ACTIVITY else value
    assert_refused(board.lc, lambda: command(board), error, field, expected, message)


def test_deadlines_count_working_days_of_the_cycle_s_own_calendar(sqlite_path):
    # 15 working days from Friday 18 March 2016: Good Friday (25 March) and Easter Monday (28 March)
    # are bank holidays in England and Wales; a calendar with no holidays counts them.
    def deadline_with(calendar: WorkingCalendar) -> date:
        with LearningCycle(str(sqlite_path), menu=MENU, today=lambda: TODAY, calendar=calendar) as lc:
            if not boards(lc):
                b = lc.create_board("cal", "Calendar Board (fictional)", agencies=[("csc", "CSC"), ("police", "Police")], on=date(2016, 1, 4))  # fmt: skip
                lc.commission_activity(
                    b, kind="serious_case_review", method="systems", title="Review", why="Harm", decided_by="Chair",
                    proportionality="Complex", agencies=["csc", "police"], on=date(2016, 3, 18),
                )  # fmt: skip
            b = lc.board_id("cal")
            (a,) = list(records(lc, b).activities)
            (d,) = lc.deadlines(b, a.activity_id, on=date(2016, 3, 21))
            return d.due_on

    assert deadline_with(WorkingCalendar()) == date(2016, 4, 12)
    assert deadline_with(WorkingCalendar(holiday=lambda day: False)) == date(2016, 4, 8)


def test_a_withheld_report_may_later_be_published(board: SmallBoard):
    _approved(board)
    lc, b, a = board.lc, board.board_id, board.activity_id
    lc.decide_publication(b, a, PublicationDecision("withheld", reason="Criminal trial"), on=date(2015, 1, 2))
    lc.decide_publication(b, a, PublicationDecision("published", reference="R-1"), on=date(2016, 1, 4))
    assert lc.activity(b, a).publication.status is PublicationStatus.PUBLISHED


@pytest.mark.parametrize(
    ("change", "field"), [({"title": "Review A (corrected)"}, "title"), ({"why": "Serious harm"}, "why"), ({"themes": ["neglect"]}, "themes")]
)  # fmt: skip
def test_any_one_commissioning_field_can_be_corrected_alone_and_each_correction_is_counted(board: SmallBoard, change, field):  # fmt: skip
    lc, b, a = board.lc, board.board_id, board.activity_id
    before = lc.activity(b, a)
    lc.correct_activity(b, a, reason="Typo", on=date(2014, 5, 2), **change)
    once = lc.activity(b, a)
    assert getattr(once, field) == (tuple(change[field]) if field == "themes" else change[field])
    assert once.corrections == before.corrections + 1
    untouched = {"title", "why", "themes"} - {field}
    assert {k: getattr(once, k) for k in untouched} == {k: getattr(before, k) for k in untouched}
    corrected = lc.history(a)[-1]
    assert (corrected.reason, corrected.recorded_by) == ("Typo", "test analyst")


def test_the_voice_of_the_child_is_recorded_on_an_open_activity(board: SmallBoard):
    lc, b, a = board.lc, board.board_id, board.activity_id
    voice = VoiceOfChild(True, "Two young people met the reviewer")
    lc.record_activity_voice(b, a, voice, on=date(2014, 7, 1))
    assert lc.activity(b, a).voice_of_child == voice


def _commission(b: SmallBoard, **change):
    args = {
        "kind": "serious_case_review", "method": "systems", "title": "Review B", "why": "Harm", "decided_by": "Chair",
        "proportionality": "Complex", "agencies": ["csc", "police"], "on": date(2014, 5, 2),
    } | change  # fmt: skip
    return b.lc.commission_activity(b.board_id, **args)


@pytest.mark.parametrize(
    ("change", "error", "field", "value", "message"),
    [
        ({"title": " "}, InvalidValue, "title", " ", "title: must not be blank"),
        ({"why": ""}, InvalidValue, "why", "", "why: must not be blank"),
        ({"decided_by": "\t"}, InvalidValue, "decided_by", "\t", "decided_by: must not be blank"),
        ({"proportionality": " "}, InvalidValue, "proportionality", " ", "proportionality: must not be blank"),
        ({"themes": ["Not A Key"]}, InvalidValue, "themes", "Not A Key", "themes:"),
        ({"planned_start": "2014-06-01"}, InvalidValue, "planned_start", "2014-06-01", "planned_start:"),
        ({"planned_completion": "2014-12-01"}, InvalidValue, "planned_completion", "2014-12-01", "planned_completion:"),
        ({"planned_start": date(2014, 6, 1), "planned_completion": date(2014, 5, 31)}, RuleViolation, "planned_completion", date(2014, 5, 31), "planned_completion: is before the planned start 2014-06-01"),
    ],
)  # fmt: skip
def test_commissioning_with_a_bad_value_names_it_and_writes_nothing(board: SmallBoard, change, error, field, value, message):  # fmt: skip
    assert_refused(board.lc, lambda: _commission(board, **change), error, field, value, message)


def test_an_activity_keeps_the_id_and_plan_it_was_commissioned_with(board: SmallBoard):
    chosen = UUID("87654321-4321-4123-8321-cba987654321")
    made = _commission(board, id=chosen, planned_start=date(2014, 6, 1), planned_completion=date(2014, 6, 1))  # one day
    assert made == chosen
    state = board.lc.activity(board.board_id, chosen)
    assert (state.activity_id, state.planned_start, state.planned_completion) == (chosen, date(2014, 6, 1), date(2014, 6, 1))  # fmt: skip


def test_only_a_commissioned_activity_starts_and_only_a_started_one_raises_findings(board: SmallBoard):
    new = _commission(board)
    before = board.lc.position()
    with pytest.raises(RuleViolation) as refused:
        board.lc.raise_finding(board.board_id, new, statement="Early", level="operational", on=date(2014, 5, 3))
    assert (refused.value.field, refused.value.value) == ("activity_id", str(new))
    assert str(refused.value).startswith("activity_id: the activity has not started: findings come from work done")
    with pytest.raises(RuleViolation) as refused:
        board.lc.start_activity(board.board_id, board.activity_id, on=date(2014, 6, 2))  # started already
    assert (refused.value.field, refused.value.value) == ("status", "started")
    assert str(refused.value).startswith("status: only a commissioned activity can be started")
    assert board.lc.position() == before


def test_the_domain_refuses_a_blank_recorder_for_an_activity_and_an_action():
    with pytest.raises(InvalidValue) as refused:
        Activity.commission(
            board_id=uuid4(), kind="serious_case_review", method="systems", title="T", why="W", decided_by="Chair",
            proportionality="P", agencies=("csc",), themes=(), planned_start=None, planned_completion=None,
            voice_of_child=VoiceOfChild(False), on=date(2014, 5, 2), by=" ",
        )  # fmt: skip
    assert (refused.value.field, refused.value.value) == ("recorded_by", " ")
    with pytest.raises(InvalidValue) as refused:
        Action.raise_action(
            board_id=uuid4(), finding_id=uuid4(), finding_raised_on=date(2014, 9, 1), owner="csc", description="D",
            due_on=date(2015, 1, 1), single_agency=False, on=date(2014, 10, 1), by="",
        )  # fmt: skip
    assert (refused.value.field, refused.value.value) == ("recorded_by", "")
