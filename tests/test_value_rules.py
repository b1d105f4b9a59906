"""One set of value rules for every way in: what the API refuses, import refuses; what it accepts,
export and import carry unchanged; nothing accepted breaks the store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import BadInput, EventLog, InvalidValue, LearningCycleError
from learning_cycle.interchange import export_file, export_log, import_log

from .cli_helpers import EXE, run
from .conftest import assert_refused, open_cycle, small_board
from .test_config import EXAMPLE as CONFIG

SOME = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _export(lc) -> str:
    from io import StringIO

    out = StringIO()
    export_log(lc.log, out)
    return out.getvalue()


# -- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("Shared\x00late", "holds a control character (U+0000 at character 7)"),
        ("Alert \x1b[31mred", "holds a control character (U+001B at character 7)"),
        ("Lone \ud800 surrogate", "holds a lone surrogate (U+D800 at character 6), which is not text"),
        ("\u200b\u200b \u2060\ufeff", "must not be blank"),
        ("   \n\t ", "must not be blank"),
        ("x" * 20_001, "is longer than 20000 characters (20001)"),
    ],
)
def test_the_api_refuses_text_no_way_in_could_carry(board, statement, reason):
    assert_refused(
        board.lc,
        lambda: board.lc.raise_finding(
            board.board_id, board.activity_id, statement=statement, level="operational", on=date(2014, 9, 2)
        ),
        InvalidValue,
        "statement",
        statement,
        f"statement: {reason}",
    )


def test_names_and_titles_have_a_shorter_limit_than_statements(board):
    title = "T" * 301
    with pytest.raises(InvalidValue, match=r"title: is longer than 300 characters \(301\)"):
        board.lc.correct_activity(board.board_id, board.activity_id, title=title, reason="Typo", on=date(2014, 9, 2))
    board.lc.correct_activity(board.board_id, board.activity_id, title="T" * 300, reason="Typo", on=date(2014, 9, 2))


def test_text_is_recorded_in_normal_form_nfc_and_tab_and_newline_are_kept(board):
    decomposed = "Cafe\u0301 staff\tmet\nweekly"
    finding = board.lc.raise_finding(board.board_id, board.activity_id, statement=decomposed, level="operational", on=date(2014, 9, 2))  # fmt: skip
    assert board.lc.finding(board.board_id, finding).statement == "Caf\u00e9 staff\tmet\nweekly"


# -- numbers and dates -------------------------------------------------------------------------


@pytest.fixture
def indicator(board):
    board.lc.define_indicator(
        board.board_id, key="cp-plans", title="Plans", kind="how_much", unit="count", polarity="lower_is_better",
        cadence="quarterly", on=date(2014, 4, 1),
    )  # fmt: skip
    return "cp-plans"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 1e13])
def test_a_figure_must_be_finite_and_sane(board, indicator, value):
    with pytest.raises(InvalidValue, match=r"^value: must be (a finite number|between -1e\+12 and 1e\+12)"):
        board.lc.record_measurement(board.board_id, indicator, date(2014, 4, 1), value, on=date(2014, 8, 1))


def test_a_due_date_beyond_the_horizon_or_a_date_before_1900_is_refused(board):
    lc, b = board.lc, board.board_id
    with pytest.raises(InvalidValue, match=r"due_on: is more than 25 years after the day it was set \(2039-10-01\)"):
        lc.raise_action(b, board.finding_id, owner="csc", description="Audit", due_on=date(9999, 12, 31), on=date(2014, 10, 1))  # fmt: skip
    with pytest.raises(InvalidValue, match=r"on: is before 1900-01-01|effective_on: is before 1900-01-01"):
        lc.create_board("old", "Old Board (fictional)", agencies=[("csc", "CSC")], on=date(1899, 12, 31))


@pytest.mark.parametrize("reach", [-1, 10**30, 10_000_001])
def test_a_reach_is_a_whole_number_under_the_cap(board, reach):
    lc, b = board.lc, board.board_id
    with pytest.raises(InvalidValue, match=r"reach: must be a whole number from 0 to 10,000,000"):
        lc.record_dissemination(
            b, channel="briefing", title="Briefing", audience="Staff", finding_ids=[board.finding_id],
            reach=reach, on=date(2014, 11, 1),
        )  # fmt: skip


# -- import: the same rules, by file and line, and nothing written ------------------------------


def _lines_with(board, tmp_path: Path, change) -> tuple[Path, int]:
    """The board's export with one line changed by ``change(line)``, and that line's number."""
    lines = [json.loads(text) for text in _export(board.lc).splitlines()]
    target = next(i for i, line in enumerate(lines) if line["topic"] == "learning_cycle/Finding.Raised")
    change(lines[target])
    path = tmp_path / "changed.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path, target + 1


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("statement", "Shared\u0000late", "payload.statement: holds a control character"),
        ("statement", "Cafe\u0301", "payload.statement: is not in Unicode normal form NFC"),
        ("statement", "\u200b", "payload.statement: must not be blank"),
        ("challenge", "x" * 20_001, "payload.challenge: is longer than 20000 characters"),
    ],
)
def test_import_refuses_what_the_api_refuses_naming_file_line_and_field(board, tmp_path, field, value, expected):
    path, number = _lines_with(board, tmp_path, lambda line: line["payload"].__setitem__(field, value))
    fresh = EventLog(str(tmp_path / "fresh.sqlite"))
    try:
        with pytest.raises(BadInput) as refused:
            import_log(fresh, path)
        assert f"changed.jsonl:{number}:" in str(refused.value) and expected in str(refused.value)
        assert fresh.position() == 0
    finally:
        fresh.close()


def test_import_refuses_a_figure_of_nan_infinity_or_1e400_and_a_line_recorded_in_the_future(board, indicator, tmp_path):
    board.lc.record_measurement(board.board_id, indicator, date(2014, 4, 1), 3, on=date(2014, 8, 1))
    text = _export(board.lc)
    for bad, reason in (("NaN", "value: must be a finite number"), ("Infinity", "must be a finite number"),
                        ("1e400", "must be a finite number")):  # fmt: skip
        changed = text.replace('"value":3.0', f'"value":{bad}')
        assert changed != text
        path = tmp_path / "figures.jsonl"
        path.write_text(changed, encoding="utf-8")
        with EventLog(str(tmp_path / f"fresh-{bad}.sqlite")) as fresh:
            with pytest.raises(BadInput, match=reason):
                import_log(fresh, path)
            assert fresh.position() == 0
    lines = [json.loads(t) for t in text.splitlines()]
    lines[0]["recorded_at"] = "2099-01-01T00:00:00+00:00"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with EventLog(str(tmp_path / "fresh-future.sqlite")) as fresh:
        with pytest.raises(BadInput, match=r"figures.jsonl:1:\d+: recorded_at: is in the future"):
            import_log(fresh, path)
        assert fresh.position() == 0


# -- round trips: whatever the API accepts, export and import carry unchanged --------------------

TEXT = st.text(
    st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf"]), min_size=0, max_size=40
)


@SOME
@given(statements=st.lists(TEXT, min_size=1, max_size=5))
def test_what_the_api_accepts_exports_imports_and_exports_again_byte_identical(tmp_path_factory, statements):
    folder = tmp_path_factory.mktemp("round")
    with open_cycle(folder / "a.sqlite") as lc:
        board = small_board(lc)
        accepted = 0
        for statement in statements:
            try:
                lc.raise_finding(board.board_id, board.activity_id, statement=statement, level="operational", on=date(2014, 9, 2))  # fmt: skip
            except InvalidValue:
                continue
            accepted += 1
        first = _export(lc)
    for line in first.splitlines():  # every text recorded is NFC, whatever was given
        assert unicodedata.is_normalized("NFC", line)
    path = folder / "log.jsonl"
    path.write_text(first, encoding="utf-8")
    with open_cycle(folder / "b.sqlite") as copy:
        import_log(copy.log, path)
        assert _export(copy) == first


# -- export: atomic, and never over a database ---------------------------------------------------


def test_export_never_writes_over_the_store_or_any_sqlite_database(tmp_path):
    store = tmp_path / "s.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
        before = store.read_bytes()
        for target in (store, tmp_path / "other.sqlite"):
            if target != store:
                with open_cycle(target) as other:
                    small_board(other)
            with pytest.raises(LearningCycleError, match=r"is the store itself|is a SQLite database"):
                export_file(lc.log, target)
        assert store.read_bytes()[:16] == before[:16] and lc.position() == 4
        out = tmp_path / "log.jsonl"
        assert export_file(lc.log, out) == 4
        assert out.read_text(encoding="utf-8") == _export(lc)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []
    cli = run("export", "--store", str(store), "-o", str(store), cwd=tmp_path)
    assert cli.returncode == 2 and "is the store itself" in cli.stderr and "Traceback" not in cli.stderr


@pytest.mark.parametrize(
    ("target", "words"),
    [("missing/x.jsonl", "does not exist"), (".", "is a folder: name a file")],
)
def test_export_to_a_missing_folder_or_a_folder_says_so_in_words(tmp_path, target, words):
    store = tmp_path / "s.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
    cli = run("export", "--store", str(store), "-o", target, cwd=tmp_path)
    assert cli.returncode == 2 and words in cli.stderr and "Traceback" not in cli.stderr


def test_export_into_a_closed_pipe_exits_with_a_message_not_a_traceback(tmp_path):
    store = tmp_path / "s.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
        for n in range(300):
            lc.add_district(lc.board_id("test-board"), f"district-{n}", on=date(2014, 5, 1))
    env = {**os.environ, "LEARNING_CYCLE_USER": "cli test"}
    shell = f"'{EXE}' export --store '{store}' -o - | head -c 10 > /dev/null; echo \"${{PIPESTATUS[0]}}\""
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.strip() == "2", done.stderr
    assert "broken pipe" in done.stderr and "Traceback" not in done.stderr


def test_error_lines_are_not_wrapped_into_a_pipe(tmp_path):
    long_name = tmp_path / ("d" * 150) / "x.jsonl"
    store = tmp_path / "s.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
    cli = run("export", "--store", str(store), "-o", str(long_name), cwd=tmp_path, env={"COLUMNS": "80"})
    (line,) = [x for x in cli.stderr.splitlines() if x.startswith("error:")]
    assert str(long_name.parent) in line


# -- encryption cannot be half on --------------------------------------------------------------

KEY_A = "dGhpcyBpcyBhIDMyIGJ5dGUga2V5IGZvciB0ZXN0cyE="
KEY_B = "YW5vdGhlciAzMiBieXRlIGtleSBmb3IgdGhlIHRlc3Q="


@pytest.mark.parametrize("other", [None, KEY_B])
def test_a_store_opened_with_no_key_or_another_key_is_refused_and_left_as_it_was(tmp_path, monkeypatch, other):
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    store = tmp_path / "secure.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
    before = store.read_bytes()
    if other is None:
        monkeypatch.delenv("LEARNING_CYCLE_CIPHER_KEY")
    else:
        monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", other)
    with pytest.raises(
        LearningCycleError,
        match=r"was made with the key with fingerprint aes:[0-9a-f]{16}, and is opened with (no key|the key with fingerprint aes:[0-9a-f]{16}): nothing was read or written",
    ):
        open_cycle(store)
    assert store.read_bytes() == before
    env = {"LEARNING_CYCLE_CIPHER_KEY": other} if other else {"LEARNING_CYCLE_CIPHER_KEY": ""}
    cli = run("init", str(CONFIG), "--store", str(store), cwd=tmp_path, env=env)
    assert cli.returncode == 2 and "fingerprint" in cli.stderr and "Traceback" not in cli.stderr
    assert store.read_bytes() == before


def test_a_plain_store_opened_with_a_key_is_refused_too(tmp_path, monkeypatch):
    store = tmp_path / "plain.sqlite"
    with open_cycle(store) as lc:
        small_board(lc)
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    with pytest.raises(LearningCycleError, match=r"was made with no key \(it is not encrypted\)"):
        open_cycle(store)


def test_the_rules_in_the_docs_are_the_rules_in_the_code():
    import runpy

    root = Path(__file__).resolve().parents[1]
    rendered = runpy.run_path(str(root / "tools" / "gen_rules_doc.py"))["render"]()
    for name in ("interchange.md", "embedding.md"):
        text = (root / "docs" / name).read_text(encoding="utf-8")
        assert f"<!-- rules:start -->\n{rendered}\n<!-- rules:end -->" in text, (
            f"docs/{name} is out of step: run `python tools/gen_rules_doc.py`"
        )


def test_a_foreign_sqlite_file_is_refused_and_left_exactly_as_it_was(tmp_path):
    import sqlite3

    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE patients (name TEXT)")
    app_db = tmp_path / "app.sqlite"
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(app_db)})
    app.save(Aggregate())
    app.close()
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database", encoding="utf-8")
    for path, words in (
        (other, "with tables of its own (patients)"),
        (app_db, "with events of another kind"),
        (text, "is a file that is not a SQLite database"),
    ):
        before = path.read_bytes()
        with pytest.raises(LearningCycleError, match=re.escape(words)):
            open_cycle(path)
        cli = run("status", "--store", str(path), cwd=tmp_path)
        assert cli.returncode == 2 and words in cli.stderr and "Traceback" not in cli.stderr
        assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("unit", "value", "reason"),
    [
        ("%", 250, "is a percentage (%): it must be from 0 to 100"),
        ("%", -3, "is a percentage (%): it must be from 0 to 100"),
        ("count", -5, "is a count (count): it must be a whole number, 0 or more"),
        ("count", 2.5, "is a count (count): it must be a whole number, 0 or more"),
        ("rate per 10,000", -1, "is a rate (rate per 10,000): it must be 0 or more"),
    ],
)
def test_a_figure_must_be_within_its_indicators_unit_by_the_api_and_by_import(board, tmp_path, unit, value, reason):
    lc, b = board.lc, board.board_id
    lc.define_indicator(b, key="k", title="K", kind="how_much", unit=unit, polarity="neutral", cadence="annual", on=date(2014, 4, 1))  # fmt: skip
    assert_refused(
        lc, lambda: lc.record_measurement(b, "k", date(2014, 4, 1), value, on=date(2014, 8, 1)),
        InvalidValue, "value", value, f"value: {reason}",
    )  # fmt: skip
    lc.record_measurement(b, "k", date(2014, 4, 1), 1, on=date(2014, 8, 1))
    text = _export(lc).replace('"value":1.0', f'"value":{value}')
    path = tmp_path / "unit.jsonl"
    path.write_text(text, encoding="utf-8")
    with EventLog(str(tmp_path / "fresh.sqlite")) as fresh:
        with pytest.raises(BadInput, match=re.escape(reason)):
            import_log(fresh, path)
        assert fresh.position() == 0
    assert_refused(
        lc, lambda: lc.correct_measurement(b, "k", date(2014, 4, 1), value, "Recount", on=date(2014, 9, 1)),
        InvalidValue, "value", value, f"value: {reason}",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("year", "words"),
    [
        ("1990/91", "is before the board's first reporting year (2014/15)"),
        ("2099/00", "is after 2015/16, as of 2015-06-01"),
    ],
)
def test_a_stock_take_or_priorities_for_a_year_outside_the_boards_life_is_refused(board, year, words):
    lc, b = board.lc, board.board_id
    before = lc.position()
    with pytest.raises(LearningCycleError, match=re.escape(words)):
        lc.hold_stock_take(b, year, decisions=["Keep going"], on=date(2015, 6, 1))
    with pytest.raises(LearningCycleError, match=r"year: (is before|is after)"):
        lc.set_priorities(b, year, [("p", "Priority")], on=date(2015, 6, 1))
    assert lc.position() == before
    lc.set_priorities(b, "2016/17", [("p", "Priority")], on=date(2015, 6, 1))  # next year's, set in advance


def test_an_unknown_indicator_is_named_by_the_key_given_never_an_internal_id(board):
    from learning_cycle import NotFound

    lc, b = board.lc, board.board_id
    for command, field in (
        (lambda: lc.record_check(b, board.finding_id, kind="indicator_review", result="improved", evidence="E",
                                 indicator_key="no-such", on=date(2014, 10, 1)), "indicator_key"),
        (lambda: lc.record_measurement(b, "no-such", date(2014, 4, 1), 1, on=date(2014, 8, 1)), "indicator"),
        (lambda: lc.indicator(b, "no-such"), "indicator"),
    ):  # fmt: skip
        assert_refused(lc, command, NotFound, field, "no-such", f"{field}: no indicator with key 'no-such'")


def test_import_refuses_a_check_naming_an_indicator_its_board_does_not_have(board, indicator, tmp_path):
    lc, b = board.lc, board.board_id
    lc.raise_action(b, board.finding_id, owner="csc", description="Share", due_on=date(2015, 3, 1), on=date(2014, 9, 5))
    lc.record_check(b, board.finding_id, kind="indicator_review", result="improved", evidence="Fewer repeat plans",
                    indicator_key=indicator, on=date(2014, 10, 1))  # fmt: skip
    text = _export(lc)
    good = tmp_path / "good.jsonl"
    good.write_text(text, encoding="utf-8")
    with EventLog(str(tmp_path / "good.sqlite")) as fresh:
        import_log(fresh, good)  # the indicator is earlier in the file
        assert fresh.position() == len(text.splitlines())
    lines = [json.loads(t) for t in text.splitlines()]
    number = next(i for i, line in enumerate(lines, 1) if line["topic"].endswith("Finding.CheckRecorded"))
    lines[number - 1]["payload"]["indicator_key"] = "no-such"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with EventLog(str(tmp_path / "bad.sqlite")) as fresh:
        with pytest.raises(
            BadInput, match=rf"bad.jsonl:{number}:\d+: payload.indicator_key: no indicator with this key"
        ):
            import_log(fresh, bad)
        assert fresh.position() == 0
    with EventLog(str(tmp_path / "good.sqlite")) as held:  # the finding in the store, the check in the file
        check_only = tmp_path / "check.jsonl"
        lines[number - 1]["originator_version"] += 1
        check_only.write_text(json.dumps(lines[number - 1]) + "\n", encoding="utf-8")
        before = held.position()
        with pytest.raises(BadInput, match=r"check.jsonl:1:\d+: payload.indicator_key: no indicator with this key"):
            import_log(held, check_only)
        assert held.position() == before


@pytest.mark.parametrize(
    ("topic", "field", "value", "words"),
    [
        ("Activity.Commissioned", "agencies", ["csc", "fire"], "agencies: not a current partner agency"),
        ("Finding.Raised", "agencies", ["nobody"], "agencies: not a current partner agency"),
        ("Action.Raised", "owner", "fire", "owner: not a current partner agency"),
        ("Dissemination.Delivered", "districts", ["east"], "districts: "),
    ],
)
def test_import_refuses_an_agency_or_district_the_board_does_not_have(board, tmp_path, topic, field, value, words):
    lc, b = board.lc, board.board_id
    action = lc.raise_action(b, board.finding_id, owner="csc", description="Share", due_on=date(2015, 3, 1), on=date(2014, 9, 5))  # fmt: skip
    lc.record_dissemination(b, channel="briefing", title="Briefing", audience="GPs", districts=["north"], reach=5,
                            finding_ids=[board.finding_id], on=date(2014, 10, 1))  # fmt: skip
    assert action
    lines = [json.loads(t) for t in _export(lc).splitlines()]
    number = next(i for i, line in enumerate(lines, 1) if line["topic"].endswith(topic))
    lines[number - 1]["payload"][field] = value
    path = tmp_path / "keys.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with EventLog(str(tmp_path / "fresh.sqlite")) as fresh:  # the board earlier in the file
        with pytest.raises(BadInput, match=rf"keys.jsonl:{number}:\d+: payload.{words}"):
            import_log(fresh, path)
        assert fresh.position() == 0
    board_lines = [line for line in lines if line["topic"].startswith("learning_cycle/Board.")]
    rest = [line for line in lines if not line["topic"].startswith("learning_cycle/Board.")]
    (tmp_path / "board.jsonl").write_text("".join(json.dumps(line) + "\n" for line in board_lines), encoding="utf-8")
    path.write_text("".join(json.dumps(line) + "\n" for line in rest), encoding="utf-8")
    with EventLog(str(tmp_path / "held.sqlite")) as held:  # the board in the store
        import_log(held, tmp_path / "board.jsonl")
        before = held.position()
        with pytest.raises(BadInput, match=rf"payload.{words}"):
            import_log(held, path)
        assert held.position() == before


def test_an_error_names_the_type_of_a_wrong_object_never_its_contents():
    """Passing the wrong object (a board's state where its id belongs) is an error of a line, naming
    the field and the object's type, not thousands of characters of its contents."""
    from learning_cycle import LearningCycleError

    from .conftest import open_cycle, small_board

    with open_cycle("memory:") as lc:
        b = small_board(lc)
        state = lc.board(b.board_id)
        with pytest.raises(LearningCycleError) as refused:
            lc.board(state)
    message = str(refused.value)
    assert message.startswith("board_id: ") and message.endswith("(got a BoardState)"), message
    assert len(message) < 200
