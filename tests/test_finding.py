"""A finding's stage and its dates come from the evidence, whatever order it is recorded in."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from learning_cycle import InvalidValue, Level, Nature, RuleViolation, Stage, VoiceOfChild
from learning_cycle.domain.finding import Finding

from .conftest import SmallBoard


def test_a_stage_is_dated_by_its_earliest_evidence_when_evidence_is_backdated(board: SmallBoard):
    lc, b, f = board.lc, board.board_id, board.finding_id  # raised 2014-09-01
    lc.respond_to_finding(b, f, "Agreed", on=date(2015, 6, 1))
    assert lc.finding(b, f).reached(Stage.ACT) == date(2015, 6, 1)
    # an action raised earlier, recorded later: the finding was acted on from then
    lc.raise_action(b, f, owner="csc", description="Protocol", due_on=date(2015, 9, 1), on=date(2015, 3, 1))
    assert lc.finding(b, f).reached(Stage.ACT) == date(2015, 3, 1)
    # later evidence of a stage already reached changes nothing
    lc.raise_action(b, f, owner="csc", description="Audit", due_on=date(2016, 9, 1), on=date(2015, 8, 1))
    lc.record_dissemination(b, channel="alert", title="Alert", audience="All", finding_ids=[f], on=date(2015, 10, 1))
    lc.record_check(b, f, kind="re_audit", result="improved", evidence="Audit", on=date(2016, 5, 1))
    lc.record_check(b, f, kind="peer_review", result="improved", evidence="Review", on=date(2016, 2, 1))  # backdated
    finding = lc.finding(b, f)
    assert finding.stage_dates == (
        (Stage.LEARN, date(2014, 9, 1)),
        (Stage.ACT, date(2015, 3, 1)),
        (Stage.TRAIN, date(2015, 10, 1)),
        (Stage.MONITOR, date(2016, 2, 1)),
    )
    assert finding.stage is Stage.MONITOR
    assert (finding.responded_on, len(finding.action_ids), len(finding.checks)) == (date(2015, 6, 1), 2, 2)


def test_a_dissemination_that_names_a_finding_twice_is_refused(board: SmallBoard):
    lc, b, f = board.lc, board.board_id, board.finding_id
    lc.respond_to_finding(b, f, "Agreed", on=date(2014, 10, 1))
    before = lc.position()
    with pytest.raises(RuleViolation, match="finding_ids: must not repeat a finding"):
        lc.record_dissemination(b, channel="alert", title="Alert", audience="All", finding_ids=[f, f], on=date(2014, 11, 1))  # fmt: skip
    assert lc.position() == before
    assert lc.finding(b, f).dissemination_ids == ()


def test_good_practice_may_go_straight_to_training_a_problem_may_not(board: SmallBoard):
    lc, b = board.lc, board.board_id
    good = lc.raise_finding(b, board.activity_id, statement="Good practice", level="operational", nature="good_practice", on=date(2014, 9, 2))  # fmt: skip
    lc.record_dissemination(b, channel="alert", title="Alert", audience="All", finding_ids=[good], on=date(2014, 10, 1))  # fmt: skip
    assert lc.finding(b, good).stage is Stage.TRAIN
    with pytest.raises(RuleViolation, match="stage skipped: the board must respond"):
        lc.record_dissemination(b, channel="alert", title="Alert", audience="All", finding_ids=[board.finding_id], on=date(2014, 10, 1))  # fmt: skip
    lc.record_check(b, good, kind="re_audit", result="improved", evidence="Audit", on=date(2015, 10, 1))
    assert lc.finding(b, good).stage is Stage.MONITOR  # disseminated is enough to be checked


@pytest.mark.parametrize(
    ("change", "read"),
    [
        ({"statement": "Information was not shared at transfer"}, lambda f: f.statement),
        ({"level": "strategic"}, lambda f: f.level),
        ({"themes": ["transfers"]}, lambda f: f.themes),
    ],
)
def test_any_one_field_can_be_corrected_alone_and_each_correction_is_counted(board: SmallBoard, change, read):
    lc, b, f = board.lc, board.board_id, board.finding_id
    before = lc.finding(b, f)
    lc.correct_finding(b, f, reason="Typo", on=date(2014, 9, 2), **change)
    once = lc.finding(b, f)
    assert read(once) != read(before)
    assert once.corrections == 1
    lc.correct_finding(b, f, reason="Again", on=date(2014, 9, 3), **change)
    assert lc.finding(b, f).corrections == 2
    # what was not named stays as it was
    untouched = {"statement", "level", "themes"} - set(change)
    assert {k: getattr(once, k) for k in untouched} == {k: getattr(before, k) for k in untouched}


def test_a_correction_that_names_nothing_to_correct_is_refused(board: SmallBoard):
    lc, b, f = board.lc, board.board_id, board.finding_id
    before = lc.position()
    with pytest.raises(RuleViolation, match=r"correction: say what to correct \(statement, level or themes\)"):
        lc.correct_finding(b, f, reason="Nothing")
    assert lc.position() == before
    assert lc.finding(b, f).level is Level.OPERATIONAL


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"reason": " ", "level": "strategic"}, "reason", " "),
        ({"reason": "Typo", "statement": "\n"}, "statement", "\n"),
        ({"reason": "Typo", "themes": ["Not A Key"]}, "themes", "Not A Key"),
    ],
)
def test_a_correction_with_a_bad_value_names_the_field_and_writes_nothing(board: SmallBoard, change, field, value):
    lc, b, f = board.lc, board.board_id, board.finding_id
    before = lc.position()
    with pytest.raises(InvalidValue) as refused:
        lc.correct_finding(b, f, **change)
    assert (refused.value.field, refused.value.value) == (field, value)
    assert lc.position() == before


def test_a_correction_keeps_its_reason_and_who_made_it(board: SmallBoard):
    lc, b, f = board.lc, board.board_id, board.finding_id
    lc.correct_finding(b, f, reason="The review said strategic", level="strategic", on=date(2014, 9, 5))
    corrected = lc.history(f)[-1]
    assert (corrected.reason, corrected.level, corrected.statement, corrected.themes) == (
        "The review said strategic", Level.STRATEGIC, None, None,
    )  # fmt: skip
    assert (corrected.effective_on, corrected.recorded_by) == (date(2014, 9, 5), "test analyst")


@pytest.mark.parametrize(
    ("command", "field", "value"),
    [
        (lambda b: b.lc.respond_to_finding(b.board_id, b.finding_id, " "), "response", " "),
        (lambda b: b.lc.record_check(b.board_id, b.finding_id, kind="re_audit", result="improved", evidence=""), "evidence", ""),
    ],
)  # fmt: skip
def test_a_blank_response_or_evidence_is_refused_by_name(board: SmallBoard, command, field, value):
    board.lc.raise_action(board.board_id, board.finding_id, owner="csc", description="Fix", due_on=date(2015, 1, 1), on=date(2014, 10, 1))  # fmt: skip
    before = board.lc.position()
    with pytest.raises(InvalidValue) as refused:
        command(board)
    assert (refused.value.field, refused.value.value) == (field, value)
    assert board.lc.position() == before


def test_a_check_keeps_the_indicator_it_read(board: SmallBoard):
    lc, b, f = board.lc, board.board_id, board.finding_id
    lc.respond_to_finding(b, f, "Agreed", on=date(2014, 10, 1))
    lc.define_indicator(
        b, key="visits", title="Visits", kind="how_well", unit="%", polarity="higher_is_better", cadence="quarterly",
        on=date(2014, 4, 1),
    )  # fmt: skip
    lc.record_check(b, f, kind="indicator_review", result="no_change", evidence="Flat", indicator_key="visits", on=date(2015, 4, 1))  # fmt: skip
    (check,) = lc.finding(b, f).checks
    assert (check.kind.value, check.result.value, check.evidence, check.indicator_key) == (
        "indicator_review", "no_change", "Flat", "visits",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"challenge": " "}, "challenge", " "),
        ({"themes": ["Not A Key"]}, "themes", "Not A Key"),
        ({"patterns": ["Not A Key"]}, "patterns", "Not A Key"),
        ({"statement": ""}, "statement", ""),
    ],
)
def test_raising_a_finding_with_a_bad_value_names_it_and_writes_nothing(board: SmallBoard, change, field, value):
    args = {"statement": "Handover notes were lost", "level": "operational", "on": date(2014, 9, 2)} | change
    before = board.lc.position()
    with pytest.raises(InvalidValue) as refused:
        board.lc.raise_finding(board.board_id, board.activity_id, **args)
    assert (refused.value.field, refused.value.value) == (field, value)
    assert board.lc.position() == before


def test_a_finding_keeps_the_id_and_challenge_it_was_raised_with(board: SmallBoard):
    chosen = UUID("12345678-1234-4321-8123-123456789abc")
    made = board.lc.raise_finding(
        board.board_id, board.activity_id, statement="Transfers were not followed up", level="strategic",
        challenge="How will the board know?", on=date(2014, 9, 2), id=chosen,
    )  # fmt: skip
    assert made == chosen
    finding = board.lc.finding(board.board_id, chosen)
    assert (finding.finding_id, finding.challenge) == (chosen, "How will the board know?")


def test_the_domain_refuses_a_blank_recorder():
    with pytest.raises(InvalidValue) as refused:
        Finding.raise_finding(
            board_id=uuid4(), activity_id=uuid4(), statement="S", level=Level.OPERATIONAL, nature=Nature.PROBLEM,
            themes=(), agencies=(), patterns=(), challenge=None, voice_of_child=VoiceOfChild(False),
            on=date(2014, 9, 2), by=" ",
        )  # fmt: skip
    assert (refused.value.field, refused.value.value) == ("recorded_by", " ")
