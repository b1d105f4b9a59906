"""Concurrent writers to one record: no lost update, no write skew, and a clear error when retrying
cannot help. Only the public API: writers are separate ``LearningCycle`` objects on one store (each
with its own cache and connections, as two processes have), and the moment between a command's
read and its save is reached through the menu a cycle is given (the menu is consulted while a
command is decided)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from learning_cycle import BadInput, ConcurrencyConflict, LearningCycle, LearningCycleError, RuleViolation
from learning_cycle.application import MAX_ATTEMPTS
from learning_cycle.domain import Menu
from learning_cycle.domain.errors import UnknownAgency, Where
from learning_cycle.domain.sources import Figure

from .conftest import MENU, TODAY, open_cycle, records, small_board


def hooked_cycle(store: str | Path, hook: Callable[[], None]) -> LearningCycle:
    """A cycle whose menu calls ``hook`` while a finding is being decided: after the command has
    read its records, before its save."""

    class Hooked(Menu):
        def check_finding_tags(self, method: str, tags: tuple[str, ...]) -> None:
            super().check_finding_tags(method, tags)
            hook()

    menu = Hooked(kinds=MENU.kinds, methods=MENU.methods)
    return LearningCycle(str(store), menu=menu, user="test analyst", today=lambda: TODAY)


def test_threads_writing_to_one_finding_lose_no_update(store):
    sqlite_path = store
    setup = open_cycle(sqlite_path)
    b = small_board(setup)
    writers = [open_cycle(sqlite_path) for _ in range(4)]
    errors: list[BaseException] = []

    def write(lc, n):
        try:
            for i in range(5):
                lc.raise_action(
                    b.board_id,
                    b.finding_id,
                    owner="csc",
                    description=f"writer {n} action {i}",
                    due_on=date(2015, 1, 1),
                    on=date(2014, 10, 1),
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(lc, n)) for n, lc in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for lc in writers:
        lc.close()
    assert errors == []
    finding = setup.finding(b.board_id, b.finding_id)
    actions = list(records(setup, b.board_id).actions)
    assert len(actions) == 20
    assert set(finding.action_ids) == {a.action_id for a in actions}, "every action is linked: no lost update"
    setup.close()


def test_threads_of_one_cycle_share_its_cache_and_lose_no_update(store):
    """Commands of one cycle decided from several threads at once: one at a time, each on the
    records the last save left in the cache (and on the store's, once another writer moved the
    head): every action is linked."""
    lc = open_cycle(store)
    b = small_board(lc)
    other = open_cycle(store)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(5):
                lc.raise_action(b.board_id, b.finding_id, owner="csc", description=f"thread {n} action {i}",
                                due_on=date(2015, 1, 1), on=date(2014, 10, 1))  # fmt: skip
                if n == 0 and i == 2:  # another writer, between two commands of this cycle
                    other.raise_action(b.board_id, b.finding_id, owner="csc", description="the other writer",
                                       due_on=date(2015, 1, 1), on=date(2014, 10, 1))  # fmt: skip
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    actions = {a.action_id for a in records(lc, b.board_id).actions}
    assert len(actions) == 21
    assert set(lc.finding(b.board_id, b.finding_id).action_ids) == actions
    assert set(other.finding(b.board_id, b.finding_id).action_ids) == actions
    lc.close()
    other.close()


def test_a_query_shows_what_another_writer_recorded_since_this_cycle_last_saved(store):
    """A cycle's commands keep the records they saved, but a query (a record's current state)
    always reads the store: another writer's change is seen at once, not at this cycle's next
    command."""
    ours, theirs = open_cycle(store), open_cycle(store)
    b = small_board(ours)
    before = set(ours.finding(b.board_id, b.finding_id).action_ids)
    first = ours.raise_action(b.board_id, b.finding_id, owner="csc", description="ours",
                              due_on=date(2015, 1, 1), on=date(2014, 10, 1))  # fmt: skip
    assert set(ours.finding(b.board_id, b.finding_id).action_ids) == before | {first}
    second = theirs.raise_action(b.board_id, b.finding_id, owner="csc", description="theirs",
                                 due_on=date(2015, 1, 1), on=date(2014, 10, 1))  # fmt: skip
    assert set(ours.finding(b.board_id, b.finding_id).action_ids) == before | {first, second}
    assert ours.version_of(b.finding_id) == theirs.version_of(b.finding_id)
    third = ours.raise_action(b.board_id, b.finding_id, owner="csc", description="ours again",
                              due_on=date(2015, 1, 1), on=date(2014, 10, 1))  # fmt: skip
    assert set(theirs.finding(b.board_id, b.finding_id).action_ids) == before | {first, second, third}
    ours.close()
    theirs.close()


def test_a_conflict_that_keeps_happening_is_a_clear_error(tmp_path):
    store = tmp_path / "busy.sqlite"
    other = open_cycle(store)
    b = small_board(other)
    rounds: list[int] = []

    def someone_else_writes() -> None:  # every time, between our read and our save
        rounds.append(1)
        other.add_district(b.board_id, f"district-{len(rounds)}", on=date(2014, 10, 1))

    ours = hooked_cycle(store, someone_else_writes)
    try:
        with pytest.raises(
            ConcurrencyConflict,
            match=rf"finding: changed by another writer at the same time; gave up after {MAX_ATTEMPTS} attempts",
        ):
            ours.raise_finding(b.board_id, b.activity_id, statement="Ours", level="operational", on=date(2014, 10, 2))
        assert len(rounds) == MAX_ATTEMPTS
        assert [f.statement for f in records(other, b.board_id).findings] == ["Information was not shared"]
    finally:
        ours.close()
        other.close()


def test_a_writer_with_a_warm_cache_never_misses_another_writers_change(store):
    """Two writers on one store take turns on one record: each decides on its cached copy,
    fast-forwarded from the store, so neither loses the other's change; a rule the other's change
    breaks is seen at once."""
    a, b = open_cycle(store), open_cycle(store)
    try:
        board = small_board(a)
        for i in range(4):  # a and b take turns on one action: each must see the other's last version
            writer = a if i % 2 == 0 else b
            writer.raise_action(
                board.board_id, board.finding_id, owner="csc", description=f"turn {i}", due_on=date(2015, 1, 1),
                on=date(2014, 10, 1),
            )  # fmt: skip
            assert len(a.finding(board.board_id, board.finding_id).action_ids) == i + 1
            assert len(b.finding(board.board_id, board.finding_id).action_ids) == i + 1
        b.complete_activity(board.board_id, board.activity_id, on=date(2014, 10, 3))
        b.close_activity(board.board_id, board.activity_id, on=date(2014, 10, 3))
        with pytest.raises(RuleViolation, match="activity_id"):
            a.raise_finding(
                board.board_id, board.activity_id, statement="too late", level="operational", on=date(2014, 10, 4)
            )
        assert a.version_of(board.finding_id) == b.version_of(board.finding_id)
        assert "too late" not in {f.statement for f in records(b, board.board_id).findings}
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("busy", [0, 5])
def test_a_record_a_command_only_read_cannot_change_unseen_before_its_save(store, busy):
    """Write skew: writer A raises a finding on an activity it only reads; writer B closes the
    activity after A read it and before A saved. A's save must not land as decided: A decides again
    and is refused (the activity is closed), on SQLite and on PostgreSQL. With ``busy``, B first
    records something else between A's read and save that many times in a row, so A has to
    decide again and again: however many times, A's save still expects what it read."""
    b = open_cycle(store)
    board = small_board(b)
    b.complete_activity(board.board_id, board.activity_id, on=date(2014, 12, 1))
    interleaved: list[str] = []

    def b_writes() -> None:
        if len(interleaved) < busy:  # B busy elsewhere: the head moves, A decides again
            b.add_district(board.board_id, f"district-{len(interleaved)}", on=date(2015, 1, 2))
            interleaved.append("district")
        elif len(interleaved) == busy:  # once: between A's read and A's save
            interleaved.append("close")
            b.close_activity(board.board_id, board.activity_id, on=date(2015, 1, 5))

    a = hooked_cycle(store, b_writes)
    try:
        with pytest.raises(RuleViolation, match="the activity is closed"):
            a.raise_finding(
                board.board_id, board.activity_id, statement="Too late", level="operational", on=date(2015, 1, 6)
            )
        assert interleaved == ["district"] * busy + ["close"]
        assert [f.statement for f in list(records(a, board.board_id).findings)] == ["Information was not shared"]
    finally:
        a.close()
        b.close()


def test_a_command_that_records_nothing_is_decided_on_what_another_writer_recorded(store):
    """A figure equal to the one a cycle last saved records nothing: but if another writer has
    corrected it since, the figure is corrected back, not reported unchanged (no save would have
    checked a decision that records nothing)."""
    ours, theirs = open_cycle(store), open_cycle(store)
    b = small_board(ours)
    ours.define_indicator(b.board_id, key="ref", title="Referrals", kind="how_much", unit="rate",
                          polarity="neutral", cadence="quarterly", on=date(2014, 4, 1))  # fmt: skip
    ours.record_measurement(b.board_id, "ref", date(2014, 4, 1), 10.0, on=date(2014, 10, 1))
    theirs.correct_measurement(b.board_id, "ref", date(2014, 4, 1), 99.0, "typo", on=date(2014, 10, 2))
    result = ours.record_figures(
        b.board_id, [Figure("ref", date(2014, 4, 1), 10.0, Where("figures.csv", 2))], source="csv", on=date(2014, 10, 3)
    )
    assert (result.recorded, result.corrected, result.unchanged) == (0, 1, 0)
    assert [m.value for m in theirs.indicator(b.board_id, "ref").measurements] == [10.0]
    again = ours.record_figures(
        b.board_id, [Figure("ref", date(2014, 4, 1), 10.0, Where("figures.csv", 2))], source="csv", on=date(2014, 10, 3)
    )
    assert (again.recorded, again.corrected, again.unchanged) == (0, 0, 1)
    ours.close()
    theirs.close()


def test_a_command_refused_on_what_a_cycle_last_saved_is_decided_again_on_another_writer_s_change(store):
    """Another writer adds an agency after this cycle's last save: a command naming it is decided on
    the store's board, not refused on the one this cycle last saved."""
    ours, theirs = open_cycle(store), open_cycle(store)
    b = small_board(ours)
    ours.add_district(b.board_id, "east", on=date(2014, 9, 2))  # the board, as this cycle saved it
    theirs.join_agency(b.board_id, "health", "Health", on=date(2014, 9, 3))
    made = ours.commission_activity(b.board_id, kind="serious_case_review", method="systems", title="Review",
                                    why="Harm", decided_by="Chair", proportionality="Complex",
                                    agencies=["csc", "health"], on=date(2014, 10, 1))  # fmt: skip
    assert theirs.activity(b.board_id, made).agencies == ("csc", "health")
    with pytest.raises(UnknownAgency, match=r"known: csc, police, health\)"):  # (on the store's board)
        ours.commission_activity(b.board_id, kind="serious_case_review", method="systems", title="Review",
                                 why="Harm", decided_by="Chair", proportionality="Complex",
                                 agencies=["csc", "education"], on=date(2014, 10, 1))  # fmt: skip
    ours.close()
    theirs.close()


def test_a_command_recording_another_while_it_is_decided_is_refused_and_records_nothing(tmp_path):
    """A hook that records through the cycle while a command is being decided: refused in words,
    and neither command records anything (it would otherwise move the head under the first on
    every attempt)."""
    box: dict = {}
    lc = hooked_cycle(tmp_path / "nested.sqlite", lambda: box and box["lc"].add_subgroup(box["b"], "Nested", on=date(2014, 9, 2)))  # fmt: skip
    b = small_board(lc)
    box.update(lc=lc, b=b.board_id)
    before = lc.position()
    with pytest.raises(LearningCycleError, match="a command cannot record another while it is being decided"):
        lc.raise_finding(b.board_id, b.activity_id, statement="Second", level="operational", on=date(2014, 9, 3))
    assert lc.position() == before
    box.clear()
    lc.raise_finding(b.board_id, b.activity_id, statement="Second", level="operational", on=date(2014, 9, 3))
    assert lc.position() == before + 1
    lc.close()


def test_the_cache_settings_hold_whatever_the_environment_says_under_the_application_s_name(monkeypatch):
    """eventsourcing reads ``LEARNINGCYCLE_<SETTING>`` before ``<SETTING>``: a refused command's
    change must still never reach the cache (each command works on a copy), however it is set."""
    monkeypatch.setenv("LEARNINGCYCLE_DEEPCOPY_FROM_AGGREGATE_CACHE", "n")
    monkeypatch.setenv("LEARNINGCYCLE_AGGREGATE_CACHE_FASTFORWARD", "y")
    lc = open_cycle("memory:")
    b = small_board(lc)
    lc.define_indicator(b.board_id, key="ref", title="Referrals", kind="how_much", unit="rate",
                        polarity="neutral", cadence="quarterly", on=date(2014, 4, 1))  # fmt: skip
    with pytest.raises(BadInput):  # one good figure, one for an indicator the board lacks: nothing recorded
        lc.record_figures(b.board_id, [Figure("ref", date(2014, 4, 1), 10.0, Where("f.csv", 2)),
                                       Figure("none", date(2014, 4, 1), 1.0, Where("f.csv", 3))],
                          source="csv", on=date(2014, 10, 1))  # fmt: skip
    before = lc.position()
    lc.record_measurement(b.board_id, "ref", date(2014, 7, 1), 20.0, on=date(2014, 10, 2))
    assert lc.position() == before + 1
    assert [m.value for m in lc.indicator(b.board_id, "ref").measurements] == [20.0]
    lc.close()
