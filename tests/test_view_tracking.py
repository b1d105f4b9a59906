"""The views on eventsourcing's own projection machinery: a tracking recorder of the engine keeps
the view tables and the tracking in one transaction, a Projection folds the events, and a store
made by the previous version (its position in ``lc_view_tracking``) keeps working."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from hypothesis import HealthCheck, given, settings

from learning_cycle.plugins import open_cycle
from learning_cycle.projections.maintained import APPLICATION, RecordsProjection
from learning_cycle.projections.store import Views
from learning_cycle.testing.strategies import histories

from .conftest import MENU, TODAY, small_board
from .conftest import open_cycle as open_test_cycle

MADE_BY_MAIN = Path(__file__).parent / "fixtures" / "views-0b8cdb7.sqlite"
"""A small board's store made by learning-cycle at commit 0b8cdb7 (before the engine's tracking):
five events, its views caught up to position 4 (``lc_view_tracking``: layout 4, records 4)."""


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _old_rows(path: Path) -> tuple[dict, list, list]:
    with closing(sqlite3.connect(path)) as db:
        tracking = dict(db.execute("SELECT name, position FROM lc_view_tracking"))
        records = sorted(db.execute("SELECT * FROM lc_view_records"))
        log = sorted(db.execute("SELECT * FROM lc_view_log"))
    return tracking, records, log


def test_a_store_made_by_the_previous_version_keeps_its_views_and_its_position_moves_to_the_engines_tracking(
    tmp_path,
):
    store = tmp_path / "old.sqlite"
    shutil.copy(MADE_BY_MAIN, store)
    tracking, records, log = _old_rows(store)
    assert tracking == {"layout": 4, "records": 4}
    with open_cycle(str(store), today=lambda: TODAY) as lc, Views.of(lc) as views:
        assert views.position() == 4  # moved, not folded again
        tables = _tables(store)
        assert "lc_view_tracking" not in tables and "tracking" in tables
        with closing(sqlite3.connect(store)) as db:
            assert db.execute(
                "SELECT notification_id FROM tracking WHERE application_name = ?", (APPLICATION,)
            ).fetchone() == (4,)
            assert sorted(db.execute("SELECT * FROM lc_view_records")) == records  # the rows it had, untouched
            assert sorted(db.execute("SELECT * FROM lc_view_log")) == log
        assert views.catch_up() == 1  # the event recorded after its last catch-up
        assert len(views.records(views.board_ids()[0]).findings) == 2
        verification = views.verify()
        assert verification.ok, [str(d) for d in verification.differences]
    with open_cycle(str(store), today=lambda: TODAY) as lc, Views.of(lc) as views:  # opened again: as it was left
        assert views.position() == lc.position() == 5


def test_a_previous_versions_views_short_of_their_tracking_are_rebuilt_never_answered_from(tmp_path):
    store = tmp_path / "old.sqlite"
    shutil.copy(MADE_BY_MAIN, store)
    with closing(sqlite3.connect(store)) as db, db:
        db.execute("DELETE FROM lc_view_log WHERE position > 2")  # rows lost, the tracking says 4
        db.execute("DELETE FROM lc_view_records WHERE position > 2")
    with open_cycle(str(store), today=lambda: TODAY) as lc, Views.of(lc) as views:
        board = views.board_ids()[0]
        assert len(views.records(board).findings) == 2
        assert len(views.records(board).activities) == 1
        assert views.verify().ok


def test_a_previous_versions_tracking_of_another_layout_has_its_views_made_anew(tmp_path):
    store = tmp_path / "old.sqlite"
    shutil.copy(MADE_BY_MAIN, store)
    with closing(sqlite3.connect(store)) as db, db:
        db.execute("UPDATE lc_view_tracking SET position = 3 WHERE name = 'layout'")
    with open_cycle(str(store), today=lambda: TODAY) as lc, Views.of(lc) as views:
        assert views.position() == 0  # the old rows are not read as this layout's
        assert views.store.dump() == ({}, {})
        assert "lc_view_tracking" not in _tables(store)
        assert views.catch_up() == lc.position() == 5
        assert views.verify().ok


def _sql(store: str, statement: str, args: tuple = ()) -> list[tuple]:
    """Run SQL on the store's database directly (in its schema on PostgreSQL)."""
    if not store.startswith("postgresql://"):
        with closing(sqlite3.connect(store)) as db, db:
            return db.execute(statement, args).fetchall()
    import psycopg

    from learning_cycle.eventlog.store import postgres_dsn, store_env

    settings = store_env(store)
    with psycopg.connect(postgres_dsn(settings), autocommit=True) as conn:
        conn.execute(f"SET search_path TO {settings['POSTGRES_SCHEMA']}")
        cur = conn.execute(statement.replace("?", "%s"), args)
        return cur.fetchall() if cur.description else []


def test_the_previous_versions_tracking_table_is_migrated_on_sqlite_and_postgresql(store):
    tracking = "lc_views_tracking" if store.startswith("postgresql://") else "tracking"  # the engine's table
    with open_test_cycle(store) as lc:
        small_board(lc)
        with Views.of(lc) as views:
            views.catch_up()
            position, before = views.position(), views.store.dump()
        # back to the previous version's tables: its position in lc_view_tracking, none in the engine's
        _sql(store, "CREATE TABLE lc_view_tracking (name TEXT PRIMARY KEY, position BIGINT NOT NULL)")
        _sql(store, "INSERT INTO lc_view_tracking VALUES ('layout', 4), ('records', ?)", (position,))
        _sql(store, f"DELETE FROM {tracking}")
        with Views.of(lc) as views:
            assert views.position() == position > 0
            assert views.store.dump() == before
            assert _sql(store, f"SELECT application_name, notification_id FROM {tracking} WHERE application_name = ?",
                        (APPLICATION,)) == [(APPLICATION, position)]  # fmt: skip
            assert views.verify().ok
        with pytest.raises(Exception, match="lc_view_tracking"):
            _sql(store, "SELECT * FROM lc_view_tracking")  # dropped


def test_the_views_are_the_engines_tracking_recorder_and_projection_and_wait_on_their_tracking(tmp_path):
    with open_test_cycle(str(tmp_path / "board.sqlite")) as lc, Views.of(lc) as views:
        small_board(lc)
        assert isinstance(views.store, TrackingRecorder)
        assert isinstance(views.projection, Projection)
        assert views.store.max_tracking_id(APPLICATION) is None
        with pytest.raises(TimeoutError):
            views.wait(lc.position(), timeout=0.2)
        catching_up = threading.Timer(0.1, views.catch_up)
        catching_up.start()
        views.wait(lc.position(), timeout=10)  # the engine's wait, on the engine's tracking
        catching_up.join()
        assert views.store.has_tracking_id(APPLICATION, lc.position())
        assert views.store.max_tracking_id(APPLICATION) == views.position() == lc.position()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(MENU))
def test_folding_one_event_at_a_time_with_process_event_equals_a_rebuild(history):
    """The engine's protocol (one event and its tracking per transaction) and the batched catch-up
    make the same views."""
    lc = history.cycle()
    history.replay(lc)
    assert lc.position() > 0  # a history begins with its board
    with Views.of(lc, path=":memory:") as single, Views.of(lc, path=":memory:") as rebuilt:
        projection = RecordsProjection(single.store, single.codec)
        for notice in lc.log.read():
            projection.process_event(notice.event, Tracking(APPLICATION, notice.position))
        projection.process_event(notice.event, Tracking(APPLICATION, notice.position))  # again: nothing changes
        assert single.position() == lc.position()
        rebuilt.rebuild()
        assert single.store.dump() == rebuilt.store.dump()
    lc.close()


def test_views_catching_up_at_once_fold_each_event_once_and_equal_a_rebuild(store):
    """Four sets of views on the same store (each its own connections, as four processes have),
    opened and catching up at once in small batches: every batch is written by one of them only, and
    the views equal a rebuild, on SQLite and PostgreSQL."""
    from learning_cycle.demo import load_demo

    with open_cycle(store, today=lambda: TODAY) as lc:
        load_demo(lc)
        folded: list[int] = []
        errors: list[BaseException] = []
        start = threading.Barrier(4)

        def catch_up() -> None:
            try:
                start.wait(timeout=30)
                with Views.of(lc) as views:
                    folded.append(views.catch_up(batch=7))
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=catch_up) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not errors, errors
        assert sum(folded) == lc.position()  # each event folded by exactly one of them
        with Views.of(lc) as views, Views.of(lc, path=":memory:") as rebuilt:
            assert views.position() == lc.position()
            rebuilt.rebuild()
            assert views.store.dump() == rebuilt.store.dump()
