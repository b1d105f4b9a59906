"""Attacks on the disclosure policy (issue 21, items 3, 4 and 9): the views are edited past the
rules (no cipher key is needed to delete a view row), restricted material is asked for without a
logged read, and a damaged view row reaches ``verify``. Each must fail closed."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from learning_cycle import LearningCycleError, Views, open_cycle
from learning_cycle.cli import main
from learning_cycle.demo import load_demo
from learning_cycle.domain.access import RestrictedAccess
from learning_cycle.projections.disclosure import policy

from .conftest import copy_store

TODAY = date(2026, 11, 26)
BOARD = "northshire-demo"
WITHHELD = ("SCR: Child K (fictional)", "Health visitors lacked protected time", "Referrals from schools were not followed up")  # fmt: skip
DELAYED = ("SCR: Child L (fictional)", "Professionals deferred to the most senior agency")
SECRETS = WITHHELD + DELAYED
FRAGMENTS = ("Health visitors", "Professionals deferred", "Referrals from", "Child K", "Child L")
"""Short enough to stay on one line of a table's cell."""


@pytest.fixture
def demo(demo_store, tmp_path) -> Path:
    """A fresh copy of the demo store for each test (the tests edit it)."""
    return copy_store(demo_store, tmp_path / "demo.sqlite")


def _sql(store: Path, sql: str, args: tuple = ()) -> int:
    db = sqlite3.connect(store)
    try:
        with db:
            return db.execute(sql, args).rowcount
    finally:
        db.close()


def _cli(store: Path, *argv: str, capsys) -> tuple[int, str, str]:
    code = main([*argv, "--store", str(store)])
    out, err = capsys.readouterr()
    return code, out, err


def _unstamped(text: str) -> str:
    """An output without the moment it was made (a --json envelope's ``made_at``), for comparing two."""
    return re.sub(r'\n *"made_at": "[^"]*",', "", text)


def _flat(text: str) -> str:
    """The words of ``text``, with a table's borders gone (a cell's text wraps across its lines)."""
    return " ".join(re.sub(r"[|│┃+\-=─━]{2,}|[|│┃]", " ", text).split())


def _reads(store: Path, capsys) -> list[dict]:
    code, out, err = _cli(store, "access-log", "--json", "--board", BOARD, capsys=capsys)
    assert code == 0, err
    return json.loads(out)["reads"]


# -- 3. disclosure fails closed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["findings"], ["findings", "--json"], ["activities"], ["activities", "--json"], ["status"], ["status", "--json"],
     ["outcomes", "--json"], *[["stocktake", "--year", "2013/14", "--format", f] for f in ("md", "html", "json")]],
)  # fmt: skip
def test_deleting_the_views_activity_rows_shows_no_withheld_or_delayed_material_nor_less(demo, capsys, argv):
    code, before, err = _cli(demo, *argv, "--board", BOARD, capsys=capsys)
    assert code == 0, err
    assert _sql(demo, "DELETE FROM lc_view_records WHERE kind = 'Activity'") > 0
    code, out, err = _cli(demo, *argv, "--board", BOARD, capsys=capsys)
    assert code == 0, err
    assert _unstamped(out) == _unstamped(before)  # never shown short
    for secret in SECRETS:
        assert secret not in _flat(out), (argv, secret)
    for fragment in FRAGMENTS:
        assert fragment not in out, (argv, fragment)


@pytest.mark.parametrize(
    "argv",
    [["status", "--as-of", "2016-06-01", "--json"], ["picture", "--as-of", "2016-06-01", "--json"]],
)  # fmt: skip
def test_deleting_the_view_logs_activity_rows_shows_no_withheld_or_delayed_material_in_a_past_view(demo, capsys, argv):
    """A view of a past moment folds the events the view log lists: without an activity's, its
    findings refer to a review the view cannot see, so the views are rebuilt first."""
    code, before, err = _cli(demo, *argv, "--board", BOARD, capsys=capsys)
    assert code == 0, err
    assert _sql(demo, "DELETE FROM lc_view_log WHERE record_id IN "
                      "(SELECT record_id FROM lc_view_records WHERE kind = 'Activity')") > 0  # fmt: skip
    code, out, err = _cli(demo, *argv, "--board", BOARD, capsys=capsys)
    assert code == 0, err
    assert _unstamped(out) == _unstamped(before)  # never shown short
    for secret in SECRETS:
        assert secret not in _flat(out), (argv, secret)


def test_views_missing_rows_are_rebuilt_before_answering_never_shown_short(demo, capsys):
    _, before, _ = _cli(demo, "activities", "--json", "--board", BOARD, capsys=capsys)
    assert _sql(demo, "DELETE FROM lc_view_records WHERE kind = 'Activity'") > 0
    code, after, err = _cli(demo, "activities", "--json", "--board", BOARD, capsys=capsys)
    assert code == 0, err
    assert _unstamped(after) == _unstamped(before)  # every activity, each withheld one as its placeholder
    assert _cli(demo, "verify", capsys=capsys)[0] == 0  # the views were made whole again from the log


def _delete_views_rows(store: str, where: str) -> int:
    """Delete rows of the views' records table of ``store`` (a SQLite file or a PostgreSQL schema),
    as anyone who can write the database can, with no key."""
    if "://" not in store:
        return _sql(Path(store), f"DELETE FROM lc_view_records WHERE {where}")
    import psycopg
    from psycopg import sql

    from learning_cycle.eventlog.store import Store

    parsed = Store.parse(store)
    schema = parsed.settings.get("POSTGRES_SCHEMA") or "public"
    with psycopg.connect(parsed.postgres_dsn(), autocommit=True) as conn:
        query = sql.SQL("DELETE FROM {}.lc_view_records WHERE " + where).format(sql.Identifier(schema))
        return conn.execute(query).rowcount


def test_a_read_of_views_short_of_rows_is_made_from_the_whole_log_on_sqlite_and_postgresql(store):
    with open_cycle(store, user="demo", today=lambda: TODAY) as lc:
        load_demo(lc)
        with Views.of(lc) as views:
            board = lc.board_id(BOARD)
            before = views.records(board)
            assert _delete_views_rows(store, "kind IN ('Activity', 'Finding')") > 0
            after = views.records(board)
            assert after == before
            assert views.verify().ok


def test_views_whose_tracking_is_ahead_of_their_rows_are_rebuilt(demo, capsys):
    _, before, _ = _cli(demo, "findings", "--json", "--board", BOARD, capsys=capsys)
    last = sqlite3.connect(demo).execute("SELECT MAX(position) FROM lc_view_log").fetchone()[0]
    # the last events' rows are gone from both view tables, the tracking position still says folded
    assert _sql(demo, "DELETE FROM lc_view_log WHERE position > ?", (last - 40,)) == 40
    assert _sql(demo, "DELETE FROM lc_view_records WHERE position > ?", (last - 40,)) > 0
    code, after, err = _cli(demo, "findings", "--json", "--board", BOARD, capsys=capsys)
    assert code == 0, err
    assert _unstamped(after) == _unstamped(before)


FEW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FEW
@given(data=st.data())
def test_the_policy_restricts_what_refers_to_a_review_it_cannot_see(demo, data):
    """Records whose activities are not all there (a view short of rows, for whatever reason):
    every finding, action and dissemination of a missing activity is restricted, never shown."""
    with open_cycle(str(demo), user="tester", today=lambda: TODAY) as lc, Views.of(lc) as views:
        board = lc.board_id(BOARD)
        whole = views.records(board, restricted=lc.read_restricted(board, "test"))
        menu = views.menu
    dropped = data.draw(st.sets(st.sampled_from([a.activity_id for a in whole.activities])))
    lost = data.draw(st.sets(st.sampled_from([f.finding_id for f in whole.findings])))
    assume(dropped or lost)
    short = attrs.evolve(
        whole,
        activities=tuple(a for a in whole.activities if a.activity_id not in dropped),
        findings=tuple(f for f in whole.findings if f.finding_id not in lost),
        restricted=(),
        includes_restricted=False,
    )
    shown = policy(short, menu, include=False)
    findings = {f.finding_id for f in whole.findings if f.activity_id in dropped} | lost
    hidden = [f for f in whole.findings if f.finding_id in findings]
    hidden += [a for a in whole.actions if a.finding_id in findings]
    hidden += [d for d in whole.disseminations if set(d.finding_ids) & findings]
    texts = {v for record in hidden for v in attrs.asdict(record, recurse=True).values() if type(v) is str and len(v) > 12}  # fmt: skip
    texts -= set(whole.board.subgroups)  # the board's own sub-groups own records of every review: not material
    text = repr(shown)
    assert not [t for t in texts if t in text]
    referred = {f.activity_id for f in short.findings}
    assert {r.activity_id for r in shown.restricted} >= dropped & referred


# -- 4. every restricted read is logged, and only a logged read opens material -----------------------


def test_export_without_include_restricted_is_redacted_and_logs_no_read(demo, tmp_path, capsys):
    target = tmp_path / "out.jsonl"
    code, _, err = _cli(demo, "export", "-o", str(target), capsys=capsys)
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text
    assert "redacted the material of" in err
    assert _reads(demo, capsys) == []
    code, out, err = _cli(demo, "export", "-o", "-", capsys=capsys)
    assert code == 0 and not [s for s in SECRETS if s in out]


def test_export_with_include_restricted_records_the_read_before_any_line_is_written(demo, tmp_path, capsys):
    target = tmp_path / "whole.jsonl"
    code, _, err = _cli(demo, "export", "-o", str(target), "--include-restricted", capsys=capsys)
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret in text
    assert "recorded a read of restricted material" in _flat(err)
    (read,) = _reads(demo, capsys)
    assert read["query"] == "export"
    read_lines = [json.loads(x) for x in text.splitlines() if "RestrictedMaterialRead" in json.loads(x)["topic"]]
    assert [line["payload"]["query"] for line in read_lines] == ["export"]  # recorded before the export read the log


def _finding_row(store: Path, statement: str) -> tuple[str, object]:
    """The id and state of the finding whose statement is ``statement``, read through the views."""
    with open_cycle(str(store), user="tester", today=lambda: TODAY) as lc, Views.of(lc) as views:
        board = lc.board_id(BOARD)
        records = views.records(board, restricted=lc.read_restricted(board, "test setup"))
        (finding,) = [f for f in records.findings if f.statement.startswith(statement)]
        return str(finding.finding_id), views.codec.encode(attrs.evolve(finding, statement="Zq edited statement"))


def test_verify_names_an_edited_field_by_record_and_field_never_its_text(demo, capsys):
    record_id, edited = _finding_row(demo, WITHHELD[1])
    assert _sql(demo, "UPDATE lc_view_records SET state = ? WHERE record_id = ?", (edited, record_id)) == 1
    reads = len(_reads(demo, capsys))
    code, out, err = _cli(demo, "verify", capsys=capsys)
    assert code == 1
    assert re.search(rf"Finding {record_id} statement\b", err), err
    assert "hint: verify --include-restricted shows the values" in err
    code_json, js, _ = _cli(demo, "verify", "--json", capsys=capsys)
    assert code_json == 1 and record_id in js
    for shown in (out + err, js):
        assert WITHHELD[1] not in shown and "Zq edited" not in shown
    assert len(_reads(demo, capsys)) == reads  # nothing was read
    code, out, err = _cli(demo, "verify", "--include-restricted", capsys=capsys)
    assert code == 1 and WITHHELD[1] in err and "Zq edited" in err
    assert _reads(demo, capsys)[-1]["query"] == "verify"


def test_a_hand_made_restricted_access_is_refused(demo):
    with open_cycle(str(demo), user="me", today=lambda: TODAY) as lc, Views.of(lc) as views:
        board = lc.board_id(BOARD)
        forged = RestrictedAccess(board, "x", "me", datetime.now(UTC))
        for query in (
            lambda: views.records(board, restricted=forged),
            lambda: views.status(board, restricted=forged),
            lambda: views.stock_take(board, "2013/14", restricted=forged),
        ):
            with pytest.raises(LearningCycleError, match=r"restricted: .*not a read recorded in the board's log"):
                query()
        real = lc.read_restricted(board, "status")
        assert views.records(board, restricted=real).includes_restricted  # a recorded read still opens it
        copied = attrs.evolve(real, query="something else")
        with pytest.raises(LearningCycleError, match="not a read recorded"):
            views.records(board, restricted=copied)


# -- 9. the smaller rules ------------------------------------------------------------------------------


def test_an_undecodable_view_row_is_a_difference_verify_reports(demo, capsys):
    record_id, _ = _finding_row(demo, WITHHELD[1])
    assert _sql(demo, "UPDATE lc_view_records SET state = ? WHERE record_id = ?", (b"\x00garbage", record_id)) == 1
    code, _, err = _cli(demo, "verify", capsys=capsys)
    assert code == 1, err
    assert "Traceback" not in err and "error:" not in err
    assert re.search(rf"lc_view_records.*{record_id}.*cannot be decoded", _flat(err)), err


def test_records_as_of_a_moment_is_refused_naming_as_of(demo):
    with open_cycle(str(demo), user="me", today=lambda: TODAY) as lc, Views.of(lc) as views:
        board = lc.board_id(BOARD)
        moment = datetime(2015, 1, 1, 12, tzinfo=UTC)
        with pytest.raises(LearningCycleError, match=r"as_of: .*2015-01-01 12:00:00") as raised:
            views.records(board, as_of=moment)
        assert raised.value.field == "as_of" and raised.value.value == moment
        assert views.records(board, as_of=date(2015, 1, 1)).as_of == date(2015, 1, 1)
