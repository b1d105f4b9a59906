"""Concurrent writers to one record: no lost update, and a clear error when retrying cannot help."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from learning_cycle import ConcurrencyConflict
from learning_cycle import application as application_module

from .conftest import open_cycle, small_board


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
    actions = setup.actions(b.board_id)
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
        memory_lc._app.save(other)
        return aggregate

    monkeypatch.setattr(memory_lc, "_load", load_then_someone_else_writes)
    with pytest.raises(
        ConcurrencyConflict,
        match=r"finding [0-9a-f-]{36}: changed by another writer at the same time; gave up after 3 attempts",
    ):
        memory_lc.respond_to_finding(b.board_id, b.finding_id, "Ours", on=date(2014, 10, 2))
