"""Defects found by acceptance tests (issue 22), each as the behaviour a board would expect."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning_cycle import BadInput, InvalidValue, PublicationDecision
from learning_cycle.cli import main
from learning_cycle.interchange import export_log, import_log
from learning_cycle.plugins import get_plugins
from learning_cycle.plugins import open_cycle as open_with_plugins

from .conftest import assert_refused, boards, open_cycle, records, small_board

# -- nothing is due before it was set --------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(days_before=st.integers(min_value=1, max_value=270))  # still after its finding (2014-09-01)
def test_an_action_cannot_be_due_before_the_day_it_is_raised(days_before):
    with open_cycle("memory:") as lc:
        b = small_board(lc)
        raised = date(2015, 6, 1)
        due = raised - timedelta(days=days_before)
        assert_refused(
            lc,
            lambda: lc.raise_action(b.board_id, b.finding_id, owner="csc", description="x", due_on=due, on=raised),
            InvalidValue,
            "due_on",
            due,
            "due_on: is before the day it was set (2015-06-01)",
        )
        # due the day it is raised is allowed
        lc.raise_action(b.board_id, b.finding_id, owner="csc", description="x", due_on=raised, on=raised)


def _approved_review(lc):
    b = small_board(lc)
    lc.complete_activity(b.board_id, b.activity_id, on=date(2014, 12, 1))
    lc.approve_report(b.board_id, b.activity_id, on=date(2015, 1, 5))
    return b


def test_a_delayed_publication_cannot_be_reviewed_before_it_is_decided():
    with open_cycle("memory:") as lc:
        b = _approved_review(lc)
        past = date(2015, 1, 31)
        decision = PublicationDecision("delayed", reason="Parallel proceedings", review_on=past)
        assert_refused(
            lc,
            lambda: lc.decide_publication(b.board_id, b.activity_id, decision, on=date(2015, 2, 2)),
            InvalidValue,
            "decision.review_on",
            past,
            "decision.review_on: is before the day it was set (2015-02-02)",
        )
        later = PublicationDecision("delayed", reason="Parallel proceedings", review_on=date(2015, 9, 1))
        lc.decide_publication(b.board_id, b.activity_id, later, on=date(2015, 2, 2))


def _export(lc) -> list[dict]:
    import io

    out = io.StringIO()
    export_log(lc.log, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_an_import_refuses_what_the_commands_refuse_about_deadlines(tmp_path):
    with open_cycle("memory:") as lc:
        b = small_board(lc)
        lc.raise_action(
            b.board_id, b.finding_id, owner="csc", description="x", due_on=date(2015, 6, 1), on=date(2015, 6, 1)
        )
        lines = _export(lc)
    (raised,) = [n for n, line in enumerate(lines) if line["topic"].endswith("Action.Raised")]
    lines[raised]["payload"]["due_on"] = "2015-05-31"
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with open_cycle(tmp_path / "b.sqlite") as copy:
        with pytest.raises(BadInput, match=rf"log.jsonl:{raised + 1}:.*due_on.*is before the day it was set"):
            import_log(copy.log, path)
        assert copy.position() == 0


# -- a board's id follows from its key ---------------------------------------------------------------


def test_an_import_refuses_a_board_whose_id_is_not_made_from_its_key(tmp_path):
    with open_cycle("memory:") as lc:
        small_board(lc)
        lines = _export(lc)
    forged = str(uuid.UUID(int=12345))
    text = json.dumps(lines[0]).replace(lines[0]["originator_id"], forged)
    assert forged in text
    path = tmp_path / "log.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    with open_cycle(tmp_path / "b.sqlite") as copy:
        with pytest.raises(
            BadInput, match=r"log.jsonl:1:.*originator_id.*is not the id of the board with key 'test-board'"
        ):
            import_log(copy.log, path)
        assert copy.position() == 0


def test_a_second_board_with_a_key_already_in_the_store_is_not_imported(tmp_path):
    with open_cycle("memory:") as lc:
        small_board(lc)
        first = _export(lc)[0]
    with open_cycle(tmp_path / "b.sqlite") as lc:
        lc.create_board("test-board", "Another Board (fictional)", agencies=[("csc", "CSC")], on=date(2014, 4, 1))
        path = tmp_path / "log.jsonl"
        path.write_text(json.dumps(first) + "\n", encoding="utf-8")
        with pytest.raises(BadInput, match="already in the store, recorded differently"):
            import_log(lc.log, path)
        assert [b.name for b in boards(lc)] == ["Another Board (fictional)"]


# -- a date the program works out is never reported as the user's ---------------------------------


@pytest.mark.parametrize("verb", ["status", "picture"])
def test_the_earliest_date_a_view_accepts_gives_a_view(tmp_path, capsys, verb):
    store = tmp_path / "b.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
    code = main([verb, "--as-of", "1900-01-01", "--json", "--store", str(store)])
    out, err = capsys.readouterr()
    assert code == 0, err
    shown = json.loads(out)
    assert "1898" not in out and shown["includes_restricted"] is False


# -- case reviews publish their final reports (framework 3.5) ---------------------------------------


def test_a_case_review_by_the_systems_method_is_restricted_until_its_report_is_published():
    menu = get_plugins().menu()
    assert menu.publishes("case_review", "case-review-systems")
    with open_with_plugins("memory:", menu=menu) as lc:
        board = lc.create_board(
            "cr-board", "Case Review Board (fictional)", agencies=[("a", "A"), ("b", "B")], on=date(2014, 4, 1)
        )
        review = lc.commission_activity(
            board,
            kind="case_review",
            method="case-review-systems",
            title="Case review: Child Q (fictional)",
            why="Lessons below the threshold",
            decided_by="SCR sub-group",
            proportionality="Below the SCR threshold",
            agencies=["a", "b"],
            on=date(2014, 5, 1),
        )
        lc.start_activity(board, review, on=date(2014, 6, 2))
        lc.complete_activity(board, review, on=date(2014, 9, 1))
        lc.approve_report(board, review, on=date(2014, 10, 1))
        (activity,) = records(lc, board).activities
        assert "Child Q" not in activity.title
        lc.decide_publication(board, review, PublicationDecision("published", reference="CR-1"), on=date(2014, 11, 3))
        (activity,) = records(lc, board).activities
        assert activity.title == "Case review: Child Q (fictional)"
