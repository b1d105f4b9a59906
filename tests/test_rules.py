"""Every rule of the domain: a clear error naming the field and the value, and nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from learning_cycle import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    PublicationDecision,
    RuleViolation,
    UnknownAgency,
    UnknownDistrict,
    UnknownMethod,
)

from .conftest import SmallBoard, records

MISSING = UUID("00000000-0000-4000-8000-000000000000")


def _open_action(b: SmallBoard) -> UUID:
    return b.lc.raise_action(
        b.board_id, b.finding_id, owner="csc", description="Fix it", due_on=date(2015, 1, 1), on=date(2014, 10, 1)
    )


def _completed_action(b: SmallBoard) -> UUID:
    action = _open_action(b)
    b.lc.complete_action(b.board_id, action, "Done", on=date(2014, 12, 1))
    return action


def _cancelled_action(b: SmallBoard) -> UUID:
    action = _open_action(b)
    b.lc.cancel_action(b.board_id, action, "No longer needed", on=date(2014, 11, 1))
    return action


def _closed_activity(b: SmallBoard) -> UUID:
    b.lc.complete_activity(b.board_id, b.activity_id, on=date(2014, 12, 1))
    b.lc.close_activity(b.board_id, b.activity_id, on=date(2015, 1, 5))
    return b.activity_id


def _completed_activity(b: SmallBoard) -> UUID:
    b.lc.complete_activity(b.board_id, b.activity_id, on=date(2014, 12, 1))
    return b.activity_id


def _quarterly_indicator(b: SmallBoard) -> str:
    b.lc.define_indicator(
        b.board_id,
        key="visits",
        title="Visits on time",
        kind="how_well",
        unit="%",
        polarity="higher_is_better",
        cadence="quarterly",
        on=date(2014, 4, 1),
    )
    b.lc.record_measurement(b.board_id, "visits", date(2014, 4, 1), 70, on=date(2014, 7, 10))
    return "visits"


def _commission(b: SmallBoard, **changes) -> Callable[[], object]:
    args = dict(
        kind="serious_case_review",
        method="systems",
        title="Review B",
        why="Harm",
        decided_by="Chair",
        proportionality="Complex",
        agencies=["csc", "police"],
        on=date(2015, 1, 1),
    )
    args.update(changes)
    return lambda: b.lc.commission_activity(b.board_id, **args)


def _scie_activity(b: SmallBoard) -> UUID:
    activity = b.lc.commission_activity(
        b.board_id,
        kind="serious_case_review",
        method="scie",
        title="T",
        why="W",
        decided_by="C",
        proportionality="P",
        agencies=["csc"],
        on=date(2014, 9, 1),
    )
    b.lc.start_activity(b.board_id, activity, on=date(2014, 9, 2))
    return activity


# (rule, setup returning context, command given board and context, error type, message pattern)
RULES = [
    (
        "unknown agency",
        lambda b: None,
        lambda b, _: _commission(b, agencies=["csc", "fire"])(),
        UnknownAgency,
        r"agencies: not a current partner agency of the board \(known: csc, police\) \(got 'fire'\)",
    ),
    (
        "agency that left the board",
        lambda b: b.lc.leave_agency(b.board_id, "police", "Merged", on=date(2014, 12, 1)),
        lambda b, _: b.lc.raise_action(
            b.board_id, b.finding_id, owner="police", description="x", due_on=date(2015, 6, 1), on=date(2015, 1, 1)
        ),
        UnknownAgency,
        r"owner: not a current partner agency of the board \(known: csc\) \(got 'police'\)",
    ),
    (
        "unknown district",
        lambda b: None,
        lambda b, _: b.lc.record_dissemination(
            b.board_id, channel="roadshow", title="Roadshow", audience="All", districts=["east"]
        ),
        UnknownDistrict,
        r"districts: not a district of the board \(known: north, south\) \(got 'east'\)",
    ),
    (
        "unknown kind of activity",
        lambda b: None,
        lambda b, _: _commission(b, kind="seance")(),
        UnknownMethod,
        r"kind: not a kind of learning activity on the menu \(known: case_review, light_touch_review, safeguarding_self_assessment, serious_case_review\) \(got 'seance'\)",
    ),
    (
        "method that does not serve the kind",
        lambda b: None,
        lambda b, _: _commission(b, method="survey")(),
        UnknownMethod,
        r"method: does not serve activities of kind 'serious_case_review' \(got 'survey'\)",
    ),
    (
        "too few agencies for the method",
        lambda b: None,
        lambda b, _: _commission(b, agencies=["csc"])(),
        InvalidValue,
        r"agencies: the systems method needs at least 2 agencies \(got \['csc'\]\)",
    ),
    (
        "finding tag outside the method's taxonomy",
        _scie_activity,
        lambda b, a: b.lc.raise_finding(b.board_id, a, statement="S", level="strategic", patterns=["weather"]),
        InvalidValue,
        r"patterns: not in the scie method's taxonomy \(allowed: handover, supervision\) \(got 'weather'\)",
    ),
    (
        "unknown activity",
        lambda b: None,
        lambda b, _: b.lc.raise_finding(b.board_id, MISSING, statement="S", level="strategic"),
        NotFound,
        r"activity_id: no activity with id '00000000-0000-4000-8000-000000000000'",
    ),
    (
        "closed activity",
        _closed_activity,
        lambda b, a: b.lc.raise_finding(b.board_id, a, statement="Late", level="strategic", on=date(2015, 2, 1)),
        RuleViolation,
        r"activity_id: the activity is closed \(got '[0-9a-f-]{36}'\)",
    ),
    (
        "activity of another board",
        lambda b: b.lc.create_board("other", "Other Board", agencies=[("csc", "Social Care")], on=date(2014, 1, 1)),
        lambda b, other: b.lc.raise_finding(other, b.activity_id, statement="S", level="strategic"),
        NotFound,
        r"activity_id: no activity with id '[0-9a-f-]{36}'",
    ),
    (
        "action due before its finding was raised",
        lambda b: None,
        lambda b, _: b.lc.raise_action(
            b.board_id, b.finding_id, owner="csc", description="Fix", due_on=date(2014, 8, 31), on=date(2014, 10, 1)
        ),
        InvalidValue,
        r"due_on: is before the date its finding was raised \(2014-09-01\) \(got '2014-08-31'\)",
    ),
    (
        "progress on a completed action",
        _completed_action,
        lambda b, a: b.lc.report_progress(b.board_id, a, "More"),
        RuleViolation,
        r"note: the action is completed: it can no longer change \(got '[0-9a-f-]{36}'\)",
    ),
    (
        "progress on a cancelled action",
        _cancelled_action,
        lambda b, a: b.lc.report_progress(b.board_id, a, "More"),
        RuleViolation,
        r"note: the action is cancelled: it can no longer change \(got '[0-9a-f-]{36}'\)",
    ),
    (
        "assurance on an action that is not complete",
        _open_action,
        lambda b, a: b.lc.assure_action(b.board_id, a, "All embedded"),
        RuleViolation,
        r"assurance: only a completed action can be assured \(it is open\) \(got 'All embedded'\)",
    ),
    (
        "publication decided before the report is approved",
        _completed_activity,
        lambda b, a: b.lc.decide_publication(b.board_id, a, PublicationDecision("published", reference="R1")),
        RuleViolation,
        r"publication: publication can be decided only after the report is approved \(got 'published'\)",
    ),
    (
        "withholding without a reason",
        lambda b: None,
        lambda b, _: PublicationDecision("withheld"),
        InvalidValue,
        r"publication.reason: must be text \(got None\)",
    ),
    (
        "measurement period off the cadence",
        _quarterly_indicator,
        lambda b, key: b.lc.record_measurement(b.board_id, key, date(2014, 5, 1), 71),
        InvalidValue,
        r"period_start: a quarterly period starts on 1 January, April, July or October \(got '2014-05-01'\)",
    ),
    (
        "second measurement for a period that is not a correction",
        _quarterly_indicator,
        lambda b, key: b.lc.record_measurement(b.board_id, key, date(2014, 4, 1), 72),
        RuleViolation,
        r"period_start: visits already has a figure for April to June 2014 \(70\); record a correction instead \(got '2014-04-01'\)",
    ),
    (
        "correction of a period never measured",
        _quarterly_indicator,
        lambda b, key: b.lc.correct_measurement(b.board_id, key, date(2014, 7, 1), 72, "typo"),
        RuleViolation,
        r"period_start: visits has no figure for July to September 2014 to correct \(got '2014-07-01'\)",
    ),
    (
        "indicator key defined twice",
        _quarterly_indicator,
        lambda b, key: b.lc.define_indicator(
            b.board_id, key=key, title="Again", kind="how_much", unit="n", polarity="neutral", cadence="monthly"
        ),
        AlreadyExists,
        r"key: a indicator with this key already exists \(got 'visits'\)",
    ),
    (
        "effective date in the future",
        lambda b: None,
        lambda b, _: b.lc.respond_to_finding(b.board_id, b.finding_id, "Noted", on=date(2027, 1, 1)),
        InvalidValue,
        r"on: is in the future \(today is 2026-11-26\) \(got '2027-01-01'\)",
    ),
    (
        "effective date before the record began",
        lambda b: None,
        lambda b, _: b.lc.respond_to_finding(b.board_id, b.finding_id, "Noted", on=date(2014, 8, 1)),
        InvalidValue,
        r"on: is before this finding began \(2014-09-01\) \(got '2014-08-01'\)",
    ),
    (
        "empty statement",
        lambda b: None,
        lambda b, _: b.lc.raise_finding(b.board_id, b.activity_id, statement="   ", level="strategic"),
        InvalidValue,
        r"statement: must not be blank \(got '   '\)",
    ),
    (
        "unknown level",
        lambda b: None,
        lambda b, _: b.lc.raise_finding(b.board_id, b.activity_id, statement="S", level="cosmic"),
        InvalidValue,
        r"level: must be one of strategic, operational, organisational, individual \(got 'cosmic'\)",
    ),
    (
        "stage skipped: a problem disseminated before the board acted",
        lambda b: None,
        lambda b, _: b.lc.record_dissemination(
            b.board_id, channel="alert", title="Alert", audience="All", finding_ids=[b.finding_id]
        ),
        RuleViolation,
        r"finding_ids: stage skipped: the board must respond to or act on a problem before it is disseminated \(got '[0-9a-f-]{36}'\)",
    ),
    (
        "stage skipped: a check before anything was done",
        lambda b: None,
        lambda b, _: b.lc.record_check(b.board_id, b.finding_id, kind="re_audit", result="improved", evidence="Audit"),
        RuleViolation,
        r"finding_id: stage skipped: a finding must be acted on or disseminated before it is checked \(got '[0-9a-f-]{36}'\)",
    ),
    (
        "board key used twice",
        lambda b: None,
        lambda b, _: b.lc.create_board("test-board", "Again"),
        AlreadyExists,
        r"key: a board with this key already exists \(got 'test-board'\)",
    ),
]


@pytest.mark.parametrize(("rule", "setup", "command", "error", "message"), RULES, ids=[r[0] for r in RULES])
def test_rule_refuses_with_clear_message_and_writes_nothing(board: SmallBoard, rule, setup, command, error, message):
    context = setup(board)
    before = board.lc.position()
    with pytest.raises(error) as caught:
        command(board, context)
    assert re.fullmatch(message, str(caught.value)), str(caught.value)
    assert caught.value.field is not None
    assert board.lc.position() == before, "a failed command must write nothing"


def test_rules_cover_every_kind_of_error():
    kinds = {r[3] for r in RULES}
    assert {
        UnknownAgency,
        UnknownDistrict,
        UnknownMethod,
        NotFound,
        RuleViolation,
        InvalidValue,
        AlreadyExists,
    } <= kinds


def test_a_failed_multi_record_command_writes_neither_record(board: SmallBoard):
    """Raising an action writes the action and a link on its finding together, or neither."""
    before = board.lc.version_of(board.finding_id)
    with pytest.raises(UnknownAgency):
        board.lc.raise_action(board.board_id, board.finding_id, owner="fire", description="x", due_on=date(2015, 1, 1))
    assert board.lc.version_of(board.finding_id) == before
    assert list(records(board.lc, board.board_id).actions) == []
