"""Read models on both time axes; maintained incrementally, always equal to a rebuild."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta

import attrs
import pytest
from eventsourcing.sqlite import SQLiteDatastore
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import LearningCycle
from learning_cycle.domain.kinds import kind_of_state
from learning_cycle.projections.fold import fold
from learning_cycle.projections.maintained import RecordsProjection
from learning_cycle.projections.store import Views
from learning_cycle.projections.viewdb import SQLiteViewStore
from learning_cycle.testing.strategies import histories

from .cli_helpers import run
from .conftest import MENU, TODAY, drop_schema, postgres_url

SOME = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _events(lc: LearningCycle) -> list:
    return [n.event for n in lc.follow()]


@SOME
@given(histories(MENU), st.data())
def test_as_known_at_equals_a_store_holding_only_what_was_recorded_by_then(history, data):
    lc = history.cycle()
    board = history.replay(lc)
    events = _events(lc)
    cut = data.draw(st.sampled_from(events)).timestamp
    # a second store holding only the events recorded up to the cut
    then = history.cycle()
    then.log.recorder.insert_events([lc.log.mapper.to_stored_event(e) for e in events if e.timestamp <= cut])
    # as recorded (a decision to withhold made after the cut restricts the view as known at the
    # cut, by design: tests/test_disclosure.py)
    now_access, then_access = lc.read_restricted(board, "test"), then.read_restricted(board, "test")
    with Views.of(lc) as now_views, Views.of(then) as then_views:
        known = now_views.records(board, as_known_at=cut, restricted=now_access)
        held = then_views.records(board, as_of=cut.date(), restricted=then_access)
        assert attrs_evolve(known, restricted=()) == attrs_evolve(held, restricted=())  # what is restricted differs
        assert now_views.status(board, as_known_at=cut, restricted=now_access) == attrs_evolve_known(
            then_views.status(board, as_of=cut.date(), restricted=then_access), cut
        )


def attrs_evolve_known(status, cut):
    import attrs

    return attrs.evolve(status, as_known_at=cut)


def attrs_evolve(value, **changes):
    import attrs

    return attrs.evolve(value, **changes)


@SOME
@given(histories(MENU), st.data())
def test_as_of_a_date_folds_only_what_had_taken_effect(history, data):
    lc = history.cycle()
    board = history.replay(lc)
    events = _events(lc)
    access = lc.read_restricted(board, "test: the views against the fold")  # every record as recorded
    day = data.draw(st.dates(date(2012, 1, 1), date(2026, 1, 1)))
    with Views.of(lc) as views:
        records = views.records(board, as_of=day, restricted=access)
        shells = fold(events, as_of=day)
        expected = {s.id: s.state for s in shells.values() if s.kind != "Board"}
        got = {
            *records.activities,
            *records.findings,
            *records.actions,
            *records.disseminations,
            *records.indicators,
            *records.frameworks,
            *records.returns,
            *records.analyses,
            *records.peer_reviews,
            *records.programmes,
        }
        assert got == set(expected.values())
        # everything in the view took effect by then
        for finding in records.findings:
            assert finding.raised_on <= day and all(c.checked_on <= day for c in finding.checks)
        if day >= max(e.effective_on for e in events):
            now = views.records(board, restricted=access)  # nothing took effect later: the view then is the view now
            assert attrs.evolve(records, as_of=now.as_of) == now


def test_as_of_before_the_board_began_is_an_empty_cycle(board):
    with Views.of(board.lc) as views:
        status = views.status(board.board_id, as_of=date(2010, 1, 1))
        assert status.empty and status.board_key == "test-board"
        assert views.records(board.board_id, as_of=date(2014, 8, 1)).findings == ()
        assert len(views.records(board.board_id, as_of=date(2014, 9, 1)).findings) == 1


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@SOME
@given(histories(MENU), st.lists(st.integers(0, 3), max_size=60), st.sampled_from([1, 2, 7, 500]))
def test_views_maintained_between_writes_equal_a_rebuild(tmp_path_factory, kind, history, pauses, batch):
    """Whatever the interleaving of writes and catch-ups (and the batch size), the maintained
    views equal a rebuild from scratch, on SQLite and on PostgreSQL."""
    if kind == "sqlite":
        store = str(tmp_path_factory.mktemp("views") / "board.sqlite")
    else:
        from uuid import uuid4

        schema = f"lc_test_{uuid4().hex[:12]}"
        store = f"{postgres_url()}?schema={schema}"
    lc = history.cycle(store)
    refs: dict = {}
    with Views.of(lc) as views, Views.of(lc) as other:
        for i, step in enumerate(history.steps):
            step.run(lc, refs)
            choice = pauses[i] if i < len(pauses) else 0
            if choice == 1:
                views.catch_up(batch=batch)
            elif choice == 2:
                other.catch_up(batch=batch)  # a second process's connection, same tables
        views.catch_up(batch=batch)
        result = views.verify()
        assert result.ok, [str(d) for d in result.differences]
        assert views.position() == other.position() == lc.position()
        maintained = views.store.dump()
        rebuilt = Views.of(lc, path=":memory:")
        rebuilt.rebuild()
        assert maintained == rebuilt.store.dump()
        rebuilt.close()
    lc.close()
    if kind == "postgres":
        drop_schema(postgres_url(), schema)


class FailingStore(SQLiteViewStore):
    def __init__(self, *args, fail_after: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.batches = fail_after

    def commit(self, start, end, records, log):
        if self.batches == 0:
            log = [*log, ("x",)]  # a malformed row: the transaction fails part-way
        self.batches -= 1
        super().commit(start, end, records, log)


def test_a_failed_batch_writes_nothing_and_catch_up_resumes(tmp_path):
    from learning_cycle.demo import load_demo
    from learning_cycle.plugins import open_cycle

    store = str(tmp_path / "demo.sqlite")
    with open_cycle(store, today=lambda: TODAY) as lc:
        load_demo(lc)
        views = Views.of(lc)
        views.store.close()
        views.store = FailingStore(SQLiteDatastore(store), label=store, fail_after=2)
        views.store.create_table()
        views.projection = RecordsProjection(views.store, views.codec)
        with pytest.raises(sqlite3.ProgrammingError):
            views.catch_up(batch=5)
        assert views.position() == 10  # two whole batches, nothing of the third
        records, log = views.store.dump()
        assert all(position <= 10 for (_, _, _, position, _) in records.values())
        assert set(log) == set(range(1, 11))
        views.catch_up(batch=5)
        assert views.position() == lc.position()
        assert views.verify().ok
        views.close()


def test_cli_status_picture_and_verify_on_the_demo(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    status = run("status", "--json", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    now = json.loads(status.stdout)
    assert sum(now["by_stage"].values()) == len(now["findings"]) > 0
    picture = run("picture", "--json", "--as-of", "2018-03-31", cwd=tmp_path)  # the demo's last year
    assert picture.returncode == 0, picture.stderr
    findings = json.loads(picture.stdout)["findings"]
    verdicts = [f["verdict"] for f in findings]
    assert {v: verdicts.count(v) for v in set(verdicts)} == {
        "deteriorating": 2, "sustained": 2, "stalled": 2, "improving": 4, "no_evidence_yet": 2, "awaiting_action": 1,
    }  # fmt: skip
    assert all(f["reason"] for f in findings)
    verify = run("verify", cwd=tmp_path)
    assert verify.returncode == 0 and verify.stdout.startswith(
        "ok: the chain holds and the views equal a rebuild from the log"
    )
    assert re.search(r"^head: \d+:[0-9a-f]{64}$", verify.stdout, flags=re.M)
    empty = json.loads(run("status", "--json", "--as-of", "2012-01-01", cwd=tmp_path).stdout)
    assert empty["findings"] == [] and empty["activities"] == []
    # as known at the moment the first event was recorded: only the board itself
    first = _first_moment(tmp_path / "learning-cycle.sqlite")
    early = json.loads(run("status", "--json", "--as-known-at", first, cwd=tmp_path).stdout)
    assert early["findings"] == [] and len(now["findings"]) > 0
    text = run("status", cwd=tmp_path, env={"COLUMNS": "160"}).stdout
    assert "The cycle" in text and "Voice of the child:" in text


def _first_moment(path) -> str:
    from learning_cycle import LearningCycle as Cycle

    with Cycle(str(path)) as lc:
        return next(iter(lc.follow())).event.timestamp.isoformat()


def test_verify_names_a_difference_and_exits_non_zero(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    assert run("verify", cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "learning-cycle.sqlite") as db:
        db.execute("UPDATE lc_view_records SET version = version + 1 WHERE kind = 'Finding' AND rowid = "
                   "(SELECT min(rowid) FROM lc_view_records WHERE kind = 'Finding')")  # fmt: skip
    broken = run("verify", cwd=tmp_path)
    assert broken.returncode == 1
    assert "verify found 1 problem(s):" in broken.stderr
    assert "Finding" in broken.stderr and "maintained 'version" in broken.stderr


def test_bad_time_arguments_are_diagnostics(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    bad = run("status", "--as-of", "yesterday", cwd=tmp_path)
    assert bad.returncode == 2 and "--as-of: 'yesterday' is not a date" in bad.stderr
    bad = run("picture", "--as-known-at", "soon", cwd=tmp_path)
    assert bad.returncode == 2 and "--as-known-at: 'soon' is not a moment" in bad.stderr
    bad = run("picture", "--year", "2016-17", cwd=tmp_path)
    assert bad.returncode == 2 and "year: must read like 2016/17" in bad.stderr


LAYOUT_1 = (  # the view tables as learning-cycle 0.1 made them (no layout row in lc_view_tracking)
    "CREATE TABLE lc_view_tracking (name TEXT PRIMARY KEY, position INTEGER NOT NULL)",
    "CREATE TABLE lc_view_records (record_id TEXT PRIMARY KEY, board_id TEXT NOT NULL, kind TEXT NOT NULL, "
    "version INTEGER NOT NULL, position INTEGER NOT NULL, state BLOB NOT NULL)",
    "CREATE TABLE lc_view_log (board_id TEXT NOT NULL, position INTEGER NOT NULL, record_id TEXT NOT NULL, "
    "version INTEGER NOT NULL, recorded_us INTEGER NOT NULL, effective_on TEXT NOT NULL, PRIMARY KEY (board_id, position))",
    "CREATE TABLE lc_view_chain (position INTEGER PRIMARY KEY, digest TEXT NOT NULL)",
    "INSERT INTO lc_view_tracking VALUES ('records', 3)",
    "INSERT INTO lc_view_log VALUES ('b', 1, 'r', 1, 0, '2020-01-01')",
    "INSERT INTO lc_view_chain VALUES (1, 'old')",
)


def test_views_of_an_older_layout_are_made_anew_when_opened(tmp_path):
    from learning_cycle.demo import load_demo
    from learning_cycle.plugins import open_cycle

    store = str(tmp_path / "old.sqlite")
    with open_cycle(store, today=lambda: TODAY) as lc:
        load_demo(lc)
    with sqlite3.connect(store) as db:
        for statement in LAYOUT_1:
            db.execute(statement)
    with open_cycle(store, today=lambda: TODAY) as lc, Views.of(lc) as views:
        assert views.position() == 0  # the old rows are gone, not read as if they were the new layout
        with sqlite3.connect(store) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert "lc_view_chain" not in tables
            assert db.execute("SELECT COUNT(*) FROM lc_view_log").fetchone()[0] == 0
        assert views.catch_up() == lc.position()
        verification = views.verify()
        assert verification.ok, verification.differences
        assert verification.events == lc.position()
    with open_cycle(store, today=lambda: TODAY) as lc, Views.of(lc) as views:  # the new layout is kept
        assert views.position() == lc.position()


@SOME
@given(histories(MENU))
def test_the_views_encoding_of_a_state_is_the_converters_byte_for_byte_and_reads_back(history):
    from learning_cycle.eventlog.serialization import converter, dumps_state

    lc = history.cycle()
    history.replay(lc)
    states = [shell.state for shell in fold(_events(lc)).values()]
    assert states
    for state in states:
        text = dumps_state(state)
        assert text == json.dumps(converter.unstructure(state), separators=(",", ":"), ensure_ascii=False)
        assert converter.structure(json.loads(text), type(state)) == state


def test_a_rebuild_equals_the_maintained_views(store):
    """The views a rebuild makes are the maintained ones, row for row, on SQLite and PostgreSQL."""
    from learning_cycle.demo import load_demo
    from learning_cycle.plugins import open_cycle

    with open_cycle(store, today=lambda: TODAY) as lc:
        load_demo(lc)
        with Views.of(lc) as views:
            for batch in (3, 50, 500):  # maintained in uneven steps
                views.catch_up(batch=batch, until=min(lc.position(), views.position() + 7 * batch))
            views.catch_up()
            maintained = views.store.dump()
            assert views.rebuild() == lc.position()
            assert views.position() == lc.position()
            assert views.store.dump() == maintained
            assert views.verify().ok


def test_a_rebuild_that_fails_says_why_and_leaves_the_views_as_they_were(tmp_path):
    from learning_cycle.demo import load_demo
    from learning_cycle.eventlog.serialization import UndecodableEvent
    from learning_cycle.plugins import open_cycle

    store = str(tmp_path / "demo.sqlite")
    with open_cycle(store, today=lambda: TODAY) as lc:
        load_demo(lc)
        with Views.of(lc) as views:
            views.catch_up()
            before = views.store.dump()
            victim = lc.log.recorder.select_notifications(start=1, limit=lc.position())[200]  # late in the log
            with sqlite3.connect(store) as db:
                db.execute(
                    "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
                    (b"not json", victim.originator_id.hex, victim.originator_version),
                )
            with pytest.raises(UndecodableEvent, match=f"cannot read the stored event {victim.originator_id}"):
                views.rebuild()
            assert views.position() == lc.position()
            assert views.store.dump() == before  # the old views, untouched
            with sqlite3.connect(store) as db:  # and no staging table is left behind
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert {"lc_view_records", "lc_view_log"} <= tables
            assert not {t for t in tables if t.endswith("_next")}


def test_cli_rebuild_folds_the_views_again_and_verify_agrees(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    rebuilt = run("rebuild", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.startswith("rebuilt the views from the log: ")
    events = int(rebuilt.stdout.split(": ")[1].split()[0])
    assert events > 0
    verify = run("verify", cwd=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert f"({events} events" in verify.stdout
    missing = run("rebuild", "--store", str(tmp_path / "nowhere.sqlite"), cwd=tmp_path)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def _took_effect_by(notices, day):
    """The records the domain's own aggregates make from exactly the events that took effect by
    ``day``, applied in the order they took effect, then the order they were recorded: the
    definition of a view as of ``day``, worked out without the read models."""
    made = {}
    for notice in sorted(
        (n for n in notices if n.event.effective_on <= day), key=lambda n: (n.event.effective_on, n.position)
    ):
        event = notice.event
        aggregate = made.get(event.originator_id)
        if aggregate is None:
            made[event.originator_id] = event.mutate(None)
        else:
            event.apply(aggregate)
    return {ident: aggregate.state for ident, aggregate in made.items()}


def _by_id(records):
    return {
        state_id: state
        for state in (records.board, *records.activities, *records.findings, *records.actions,
                      *records.disseminations, *records.indicators, *records.frameworks,
                      *records.returns, *records.analyses, *records.peer_reviews, *records.programmes)
        for state_id in [kind_of_state(state).id_of(state)]
    }  # fmt: skip


@SOME
@given(histories(MENU), st.data())
def test_a_view_as_of_a_day_is_the_fold_of_exactly_what_took_effect_by_then_in_that_order(history, data):
    lc = history.cycle()
    board = history.replay(lc)
    with Views.of(lc) as views:
        findings = views.records(board).findings
    if findings:  # corrections backfilled in any order: the one that took effect last is the statement
        finding = data.draw(st.sampled_from(findings), label="corrected")
        afters = data.draw(st.lists(st.integers(0, 800), min_size=2, max_size=4, unique=True), label="days")
        for n, after in enumerate(sorted(afters, reverse=True)):  # each recorded before the ones it follows
            day = min(finding.started_on + timedelta(days=after), lc.today() - timedelta(days=1))
            lc.correct_finding(board, finding.finding_id, statement=f"As corrected {n}", reason="Backfilled", on=day)
    access = lc.read_restricted(board, "test: the views against the domain")  # every record as recorded
    notices = list(lc.follow())
    started = notices[0].event.effective_on
    days = sorted({n.event.effective_on for n in notices})
    backfilled = [  # an event recorded after another of its record that takes effect later
        n.event.effective_on
        for i, n in enumerate(notices)
        for m in notices[:i]
        if m.event.originator_id == n.event.originator_id and m.event.effective_on > n.event.effective_on
    ]
    day = data.draw(st.sampled_from(backfilled or days) | st.dates(started, max(days)), label="as of")
    with Views.of(lc) as views:
        assert _by_id(views.records(board, as_of=day, restricted=access)) == _took_effect_by(notices, day)
        # and now: the views maintained in recorded order hold what took effect by today, in that order
        assert _by_id(views.records(board, restricted=access)) == _took_effect_by(notices, lc.today())


def test_a_change_backfilled_before_another_gives_way_to_it_now_and_as_of_any_later_day(board):
    """Each change is recorded first as of 2016, then again backfilled as of 2015: the one that
    took effect last holds today (for the commands, the maintained views and a rebuild) and as of
    any day after it; the backfilled one only between the two."""
    lc, b = board.lc, board.board_id
    action = lc.raise_action(
        b, board.finding_id, owner="csc", description="Audit", due_on=date(2015, 3, 1), on=date(2014, 10, 1)
    )
    lc.define_indicator(
        b, key="cp-plans", title="Plans", kind="how_much", unit="count", polarity="lower_is_better",
        cadence="quarterly", on=date(2014, 4, 1),
    )  # fmt: skip
    lc.record_measurement(b, "cp-plans", date(2014, 4, 1), 10, on=date(2014, 8, 1))
    for day, n in ((date(2016, 1, 1), "later"), (date(2015, 6, 1), "earlier")):
        lc.correct_finding(b, board.finding_id, statement=f"Statement {n}", reason="Minutes", on=day)
        lc.reschedule_action(b, action, date(2016, 12, 1) if n == "later" else date(2015, 12, 1), "Slipped", on=day)
        lc.correct_measurement(b, "cp-plans", date(2014, 4, 1), 12 if n == "later" else 11, "Recount", on=day)
        lc.set_priorities(b, "2016/17", [("p", f"Priority {n}")], on=day)

    def seen(records):
        (finding,), (act,), (indicator,) = records.findings, records.actions, records.indicators
        return (
            finding.statement,
            act.due_on,
            indicator.measurement(date(2014, 4, 1)).value,
            records.board.priorities[-1][1][0].title,
        )

    later = ("Statement later", date(2016, 12, 1), 12, "Priority later")
    earlier = ("Statement earlier", date(2015, 12, 1), 11, "Priority earlier")
    assert (lc.finding(b, board.finding_id).statement, lc.action(b, action).due_on) == later[:2]
    with Views.of(lc) as views:
        assert seen(views.records(b)) == later
        assert seen(views.records(b, as_of=date(2016, 2, 1))) == later
        assert seen(views.records(b, as_of=date(2015, 7, 1))) == earlier
        views.rebuild()
        assert seen(views.records(b)) == later
        assert views.verify().ok


def test_a_correction_backfilled_before_another_gives_way_to_it_as_of_any_later_day(board):
    """Corrected to "later" (taking effect 2016), then a correction recorded afterwards but taking
    effect in 2015: as of 2016-02-01 the statement is the one that took effect last."""
    lc = board.lc
    lc.correct_finding(board.board_id, board.finding_id, statement="Later", reason="Minutes", on=date(2016, 1, 1))
    lc.correct_finding(board.board_id, board.finding_id, statement="Earlier", reason="Minutes", on=date(2015, 6, 1))
    with Views.of(lc) as views:
        as_of = lambda day: views.records(board.board_id, as_of=day).findings[0].statement
        assert [as_of(date(2015, 5, 31)), as_of(date(2015, 6, 1)), as_of(date(2016, 2, 1))] == [
            "Information was not shared",
            "Earlier",
            "Later",
        ]
