"""The `learning-cycle` command, run through its real console-script entry point."""

from __future__ import annotations

import json
import sqlite3

import pytest

from .cli_helpers import EXE, run  # noqa: F401  (EXE: kept importable from here)


def _table(text: str, title: str) -> list[list[str]]:
    """The rows of the rich table under ``title`` (ASCII box), as stripped cells; wrapped lines are rows too."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith(("|", "+")):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _table_cells(text: str, title: str, column: str) -> list[str]:
    header, *rows = _table(text, title)
    at = header.index(column)
    return [row[at] for row in rows if row[at]]


def _table_column(text: str, title: str, key: str, value: str) -> dict[str, str]:
    header, *rows = _table(text, title)
    return {row[header.index(key)]: row[header.index(value)] for row in rows}


def test_help_lists_the_verbs(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for verb in ("demo", "boards", "findings"):
        assert verb in result.stdout


def test_demo_leaves_a_sqlite_file_and_ends_in_the_status_view(tmp_path):
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Fictional demonstration data" in result.stderr
    store = tmp_path / "learning-cycle.sqlite"
    with sqlite3.connect(store) as db:
        (events,) = db.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    assert events > 30
    assert "LEARN 1 → ACT 3 → TRAIN 1 → MONITOR 8" in result.stdout
    counts = {
        "deteriorating": 2,
        "stalled": 2,
        "no evidence yet": 2,
        "awaiting action": 1,
        "improving": 4,
        "sustained": 2,
    }
    assert _table_column(result.stdout, "Three-year verdicts", "verdict", "findings") == {
        k: str(n) for k, n in counts.items()
    }
    # the findings table's verdict column, read cell by cell (the indicator column holds "improving" too)
    verdicts = _table_cells(result.stdout, "Findings", "verdict")
    assert {v: verdicts.count(v) for v in set(verdicts)} == counts

    again = run("demo", cwd=tmp_path)
    assert again.returncode == 0
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM stored_events").fetchone() == (events,), "loading twice records nothing"


def test_findings_json_gives_every_stage_on_the_demo(tmp_path):
    assert run("demo", "--store", "demo.sqlite", cwd=tmp_path).returncode == 0
    result = run("findings", "--json", cwd=tmp_path, env={"LEARNING_CYCLE_STORE": str(tmp_path / "demo.sqlite")})
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {f["stage"] for f in payload["findings"]} == {"learn", "act", "train", "monitor"}
    assert payload["board"]["key"] == "northshire-demo"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("findings", "--store", "nowhere.sqlite"), "error: no store at 'nowhere.sqlite'"),
        (("boards", "--store", "ftp://example/x"), "store: unknown kind of store 'ftp'"),
        (("demo", "--store", "no/such/folder/x.sqlite"), "store: the folder"),
    ],
)
def test_user_mistakes_are_short_diagnostics_with_exit_code_2(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_findings_on_an_unknown_board_names_the_key(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    result = run("findings", "--board", "atlantis", cwd=tmp_path)
    assert result.returncode == 2
    assert "board: no board with key 'atlantis'" in result.stderr
