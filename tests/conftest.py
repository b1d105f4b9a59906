"""Shared fixtures: small, real boards on a real SQLite file or in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import attrs
import pytest

from learning_cycle import BoardRecords, BoardState, DecisionPath, LearningCycle, Menu, MethodRule, Timescale, Views

pytest_plugins = ["learning_cycle.testing", "tests.ci_skips"]

CLOCK_ENV = "LEARNING_CYCLE_TEST_CLOCK"
"""An ISO moment, e.g. 2031-06-15T09:00:00+00:00: the whole suite, and every Python process it starts,
runs with the clock moved there (``.ci/run``'s second pass), so a test that depends on the day it was
written fails on the day it is written."""


CLOCK_OFFSET_ENV = "LEARNING_CYCLE_TEST_CLOCK_OFFSET"
"""Seconds between the moved clock and the real one, for subprocesses (set by the suite itself)."""


def pytest_configure(config: pytest.Config) -> None:
    import os
    import sys

    if "mutmut" in sys.modules or Path.cwd().name == "mutants":
        # under `make mutate` a failing example kills the mutant at once: shrinking it only costs time
        from hypothesis import Phase, settings

        settings.register_profile("mutate", phases=[Phase.explicit, Phase.reuse, Phase.generate])
        settings.load_profile("mutate")

    moment = os.environ.get(CLOCK_ENV)
    if not moment:
        return
    import time as real_time
    from datetime import datetime as real_datetime

    import time_machine

    # every process moves its clock by the same offset from the real one, so that a subprocess
    # started later is later on the moved clock too (never before what its parent recorded)
    offset = real_datetime.fromisoformat(moment).timestamp() - real_time.time()
    os.environ[CLOCK_OFFSET_ENV] = repr(offset)
    traveller = time_machine.travel(real_time.time() + offset, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
    clock_folder = str(Path(__file__).parent / "clock")  # its sitecustomize moves the clock of subprocesses
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (clock_folder, os.environ.get("PYTHONPATH")) if p)


def pytest_report_header(config: pytest.Config) -> str | None:
    import os

    moment = os.environ.get(CLOCK_ENV)
    return f"clock moved to {moment} ({CLOCK_ENV})" if moment else None


TODAY = date(2026, 11, 26)

MENU = Menu.of(
    [
        MethodRule(
            "systems",
            {"serious_case_review", "case_review"},
            min_agencies=2,
            timescales=[Timescale(15, "commissioned", "completed")],
            path=DecisionPath(recommends="subgroup", decides="independent-chair"),
        ),
        MethodRule("survey", {"light_touch_review"}, min_agencies=2),
        MethodRule("scie", {"serious_case_review"}, min_agencies=1, finding_tags={"handover", "supervision"}),
        MethodRule("audit", {"safeguarding_self_assessment"}, min_agencies=1),
    ]
)


def open_cycle(store: str | Path) -> LearningCycle:
    return LearningCycle(str(store), menu=MENU, user="test analyst", today=lambda: TODAY)


@attrs.frozen
class SmallBoard:
    """A board with two agencies, one started activity and one finding."""

    lc: LearningCycle
    board_id: UUID
    activity_id: UUID
    finding_id: UUID


def records(lc: LearningCycle, board_id, **when) -> BoardRecords:
    """A board's records as the read models give them (``as_of``, ``as_known_at``)."""
    with Views.of(lc) as views:
        return views.records(board_id, **when)


def boards(lc: LearningCycle) -> list[BoardState]:
    """Every board in the store, from the read models."""
    with Views.of(lc) as views:
        return views.boards()


def assert_refused(
    lc: LearningCycle, command, error: type[Exception], field: str, value: object, message: str = ""
) -> None:
    """``command()`` raises ``error`` naming ``field`` and ``value``, with a message that begins with
    ``message``, and writes nothing."""
    before = lc.position()
    with pytest.raises(error) as refused:
        command()
    assert (refused.value.field, refused.value.value) == (field, value)
    assert str(refused.value).startswith(message)
    assert lc.position() == before
    return refused.value


def small_board(lc: LearningCycle) -> SmallBoard:
    board_id = lc.create_board(
        "test-board",
        "Test Board (fictional)",
        agencies=[("csc", "Social Care"), ("police", "Police")],
        districts=["north", "south"],
        on=date(2014, 4, 1),
    )
    activity_id = lc.commission_activity(
        board_id,
        kind="serious_case_review",
        method="systems",
        title="Review A",
        why="Harm",
        decided_by="Chair",
        proportionality="Complex",
        agencies=["csc", "police"],
        on=date(2014, 5, 1),
    )
    lc.start_activity(board_id, activity_id, on=date(2014, 6, 1))
    finding_id = lc.raise_finding(
        board_id, activity_id, statement="Information was not shared", level="operational", on=date(2014, 9, 1)
    )
    return SmallBoard(lc, board_id, activity_id, finding_id)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "board.sqlite"


@pytest.fixture
def lc(sqlite_path: Path) -> Iterator[LearningCycle]:
    cycle = open_cycle(sqlite_path)
    yield cycle
    cycle.close()


@pytest.fixture
def memory_lc() -> Iterator[LearningCycle]:
    cycle = open_cycle("memory:")
    yield cycle
    cycle.close()


@pytest.fixture
def board(lc: LearningCycle) -> SmallBoard:
    return small_board(lc)


# -- PostgreSQL -------------------------------------------------------------------------------

POSTGRES_ENV = "LEARNING_CYCLE_TEST_POSTGRES"
"""A server for the tests, e.g. postgresql://lc:lc@127.0.0.1:54329/lc (.ci/run starts one)."""


def postgres_url() -> str:
    """The test server's URL; fails (in CI) or skips (elsewhere) when there is none."""
    import os

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no PostgreSQL server: {POSTGRES_ENV} is not set (.ci/run starts one)")
        pytest.skip(f"no PostgreSQL server ({POSTGRES_ENV} is not set; .ci/run starts one)")
    return url


@pytest.fixture
def postgres_store() -> Iterator[str]:
    """A store URL in a fresh schema of the test server, dropped afterwards."""
    from uuid import uuid4

    base = postgres_url()
    schema = f"lc_test_{uuid4().hex[:12]}"
    yield f"{base}?schema={schema}"
    drop_schema(base, schema)


def drop_schema(base: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    from learning_cycle.eventlog.store import postgres_dsn, store_env

    with psycopg.connect(postgres_dsn(store_env(base)), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path: Path) -> str:
    """Each storage-dependent test runs on a SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "board.sqlite")
    return request.getfixturevalue("postgres_store")


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """The fictional demo board in a real SQLite file, its views caught up, made once for the whole
    run: never write to it; take a :func:`copy_store` of it to change anything (a restricted read
    records an event)."""
    from learning_cycle.demo import load_demo
    from learning_cycle.plugins import open_cycle as open_with_plugins

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with open_with_plugins(str(path), user="demo", today=lambda: TODAY) as lc:
        load_demo(lc)
        with Views.of(lc) as views:
            views.catch_up()
    return path


def copy_store(source: Path, target: Path) -> Path:
    """A copy of the SQLite store ``source`` at ``target`` (SQLite's own backup: whole and consistent)."""
    import sqlite3

    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    original.close()
    copy.close()
    return target
