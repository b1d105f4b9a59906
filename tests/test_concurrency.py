"""Concurrent writers to one record: no lost update, and a clear error when retrying cannot help."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from learning_cycle import ConcurrencyConflict
from learning_cycle.application import unit_of_work as application_module

from .conftest import open_cycle, records, small_board


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


def test_a_conflict_that_keeps_happening_is_a_clear_error(memory_lc, monkeypatch):
    b = small_board(memory_lc)
    monkeypatch.setattr(application_module, "MAX_ATTEMPTS", 3)
    real_load = memory_lc._load

    def load_then_someone_else_writes(cls, board_id, ident, field):
        aggregate = real_load(cls, board_id, ident, field)
        other = real_load(cls, board_id, ident, field)  # another writer saves first, every time
        other.respond("Someone else", date(2014, 10, 1), "other")
        memory_lc.log.append([other])
        return aggregate

    monkeypatch.setattr(memory_lc, "_load", load_then_someone_else_writes)
    with pytest.raises(
        ConcurrencyConflict,
        match=r"finding [0-9a-f-]{36}: changed by another writer at the same time; gave up after 3 attempts",
    ):
        memory_lc.respond_to_finding(b.board_id, b.finding_id, "Ours", on=date(2014, 10, 2))


def test_a_writer_deciding_from_its_cache_never_misses_another_writers_change(tmp_path, monkeypatch):
    """Two writers on one SQLite file (as two processes would be: each has its own cache and
    connections). Once a writer has saved, it decides commands on its cached records without
    reading them again; its save then requires that nothing was recorded since. So a change by the
    other writer is always seen."""
    from learning_cycle import RuleViolation
    from learning_cycle.eventlog.recorders import HeadMoved, SQLiteRecorder

    moved: list[HeadMoved] = []
    real = SQLiteRecorder._insert_events

    def watched(self, c, events, **kwargs):
        try:
            return real(self, c, events, **kwargs)
        except HeadMoved as exc:
            moved.append(exc)
            raise

    monkeypatch.setattr(SQLiteRecorder, "_insert_events", watched)
    store = str(tmp_path / "two.sqlite")
    a, b = open_cycle(store), open_cycle(store)
    board = small_board(a)
    for i in range(3):  # A saves: it now decides from its cache
        a.raise_finding(
            board.board_id, board.activity_id, statement=f"A {i}", level="operational", on=date(2014, 10, 1)
        )
    assert a._work.decisions.head == a.position()
    assert board.activity_id in a._work.decisions.current

    # B records something else: A's next save, decided on its cache, writes nothing and is decided again
    b.add_district(board.board_id, "east", on=date(2014, 10, 2))
    a.raise_finding(board.board_id, board.activity_id, statement="A 3", level="operational", on=date(2014, 10, 2))
    assert [m.head - m.expected for m in moved] == [1]
    assert a._work.decisions.head == a.position() == b.position()

    # B closes the activity: A's cache says it is open, but A's next finding is refused
    b.complete_activity(board.board_id, board.activity_id, on=date(2014, 10, 3))
    b.close_activity(board.board_id, board.activity_id, on=date(2014, 10, 3))
    with pytest.raises(RuleViolation, match="activity_id"):
        a.raise_finding(
            board.board_id, board.activity_id, statement="too late", level="operational", on=date(2014, 10, 4)
        )
    statements = {f.statement for f in list(records(b, board.board_id).findings)}
    assert {"A 0", "A 1", "A 2", "A 3"} <= statements and "too late" not in statements
    a.close()
    b.close()


@pytest.mark.parametrize("busy", [0, 5])
def test_a_record_a_command_only_read_cannot_change_unseen_before_its_save(store, monkeypatch, busy):
    """Write skew: writer A raises a finding on an activity it only reads; writer B closes the
    activity after A read it and before A saved. A's save must not land as decided: A decides again
    and is refused (the activity is closed), on SQLite and on PostgreSQL. With ``busy``, B first
    records something else between A's read and save that many times in a row, so A has to
    decide again and again: however many times, A's save still expects what it read."""
    from learning_cycle import RuleViolation
    from learning_cycle.domain.activity import Activity

    a, b = open_cycle(store), open_cycle(store)
    try:
        board = small_board(a)
        a.complete_activity(board.board_id, board.activity_id, on=date(2014, 12, 1))
        real = Activity.check_can_raise_findings
        interleaved = []

        def read_then_b_writes(self):
            real(self)
            if len(interleaved) < busy:  # B busy elsewhere: the head moves, A decides again
                b.add_district(board.board_id, f"district-{len(interleaved)}", on=date(2015, 1, 2))
                interleaved.append("district")
            elif len(interleaved) == busy:  # once: between A's read and A's save
                interleaved.append("close")
                b.close_activity(board.board_id, board.activity_id, on=date(2015, 1, 5))

        monkeypatch.setattr(Activity, "check_can_raise_findings", read_then_b_writes)
        with pytest.raises(RuleViolation, match="the activity is closed"):
            a.raise_finding(
                board.board_id, board.activity_id, statement="Too late", level="operational", on=date(2015, 1, 6)
            )
        assert interleaved == ["district"] * busy + ["close"]
        assert [f.statement for f in list(records(a, board.board_id).findings)] == ["Information was not shared"]
    finally:
        a.close()
        b.close()
