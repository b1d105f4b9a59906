"""The command line's conventions, on click: run in process through click's ``CliRunner`` (the real
group, a real SQLite file), and end to end through the installed script and ``python -m`` where only
a real process shows it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from learning_cycle.cli import cli

from .conftest import open_cycle, small_board

ENV = {"LEARNING_CYCLE_USER": "cli test", "LEARNING_CYCLE_STORE": None, "COLUMNS": "120"}


def invoke(*args: str, env: dict[str, str | None] | None = None):
    return CliRunner().invoke(cli, list(args), prog_name="learning-cycle", env={**ENV, **(env or {})})


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("click") / "store.sqlite"
    with open_cycle(path) as lc:
        small_board(lc)
    return path


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_click_makes_a_completion_script_for_each_shell(shell):
    result = invoke(env={"_LEARNING_CYCLE_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0, result.output
    assert "_LEARNING_CYCLE_COMPLETE" in result.output
    assert f"{shell}_complete" in result.output  # the script asks click for completions in its shell's terms


def test_completion_offers_the_verbs():
    result = invoke(env={"_LEARNING_CYCLE_COMPLETE": "bash_complete", "COMP_WORDS": "learning-cycle st", "COMP_CWORD": "1"})  # fmt: skip
    assert result.exit_code == 0
    assert {"plain,status", "plain,stocktake"} <= set(result.output.split())


@pytest.mark.parametrize(("typed", "meant"), [("stauts", "status"), ("statsu", "status"), ("fidnings", "findings")])
def test_a_mistyped_verb_is_exit_2_with_a_suggestion(typed, meant):
    result = invoke(typed)
    assert result.exit_code == 2
    assert f"error: no verb {typed!r}" in result.stderr
    assert f"hint: did you mean {meant!r}" in result.stderr
    assert "Traceback" not in result.output


def test_a_mistyped_option_is_exit_2_with_a_suggestion(store):
    result = invoke("status", "--jsno", "--store", str(store))
    assert result.exit_code == 2
    assert "error: No such option '--jsno'" in result.stderr and "--json" in result.stderr
    assert "hint: `learning-cycle status --help`" in result.stderr


@settings(max_examples=20, deadline=None)
@given(before=st.sets(st.sampled_from(["--store", "--board", "--json"])))
def test_shared_options_are_the_same_before_or_after_the_verb(store, before):
    given = {"--store": [str(store)], "--board": ["test-board"], "--json": []}
    front = [part for option in sorted(before) for part in (option, *given[option])]
    back = [part for option in sorted(set(given) - before) for part in (option, *given[option])]
    moved = invoke(*front, "findings", *back)
    after = invoke("findings", "--store", str(store), "--board", "test-board", "--json")
    assert moved.exit_code == after.exit_code == 0, moved.stderr
    assert moved.stdout == after.stdout


def test_a_shared_option_the_verb_does_not_take_is_an_error_not_ignored(store):
    result = invoke("--board", "test-board", "rebuild", "--store", str(store))
    assert result.exit_code == 2
    assert "error: --board: `rebuild` takes no --board" in result.stderr


def test_every_verb_has_help_with_a_description_and_an_example():
    verbs = [name for name in cli.list_commands(None)]  # type: ignore[arg-type]
    assert {"status", "stocktake", "import", "export", "verify"} <= set(verbs)
    for name in verbs:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example:" in result.stdout and f"learning-cycle {name}" in result.stdout, name
    top = invoke("--help").stdout
    for section in ("Viewing:", "Data in and out:", "The store:"):
        assert section in top


def test_a_year_to_come_is_exit_2_not_an_empty_report(store):
    with time_machine.travel(datetime(2015, 6, 1, 12), tick=False):
        for verb in (["picture"], ["stocktake"]):
            result = invoke(*verb, "--year", "2016/17", "--store", str(store))
            assert result.exit_code == 2, (verb, result.output)
            assert "error: --year: 2016/17 has not begun (it starts on 2016-04-01; today is 2015-06-01)" in result.stderr
        assert invoke("picture", "--year", "2015/16", "--store", str(store)).exit_code == 0


def test_quiet_silences_what_was_done_but_not_the_result(store, tmp_path):
    loud = invoke("stocktake", "--year", "2014/15", "--store", str(store), "-o", str(tmp_path / "a.md"))
    quiet = invoke("-q", "stocktake", "--year", "2014/15", "--store", str(store), "-o", str(tmp_path / "b.md"))
    assert loud.exit_code == quiet.exit_code == 0
    assert "wrote the 2014/15 stock-take" in loud.stderr and quiet.stderr == ""
    assert (tmp_path / "a.md").read_text() == (tmp_path / "b.md").read_text()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_an_unreachable_postgresql_store_is_exit_3():
    url = f"postgresql://lc@127.0.0.1:{_closed_port()}/lc?connect_timeout=1"
    result = invoke("status", "--store", url)
    assert result.exit_code == 3, result.output
    assert "error: store: cannot open" in result.stderr and "Traceback" not in result.output


def test_a_store_that_cannot_be_written_is_exit_3(store, tmp_path):
    import shutil

    from .test_faults import _as_another_user

    folder = Path(os.path.realpath("/tmp")) / f"lc-ro-{os.getpid()}"
    folder.mkdir()
    try:
        shutil.copy(store, folder / "board.sqlite")
        (folder / "board.sqlite").chmod(0o444)
        folder.chmod(0o555)
        done = subprocess.run(
            [*_as_another_user(), sys.executable, "-m", "learning_cycle", "status", "--store", str(folder / "board.sqlite")],
            capture_output=True, text=True, timeout=120, cwd=folder,
            env={k: v for k, v in os.environ.items() if k != "LEARNING_CYCLE_STORE"},
        )  # fmt: skip
        assert done.returncode == 3, done.stderr
        assert "store: cannot be written" in done.stderr
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_python_dash_m_gives_the_version():
    done = subprocess.run([sys.executable, "-m", "learning_cycle", "--version"], capture_output=True, text=True, timeout=60)
    from learning_cycle import __version__

    assert done.returncode == 0
    assert done.stdout.strip() == f"learning-cycle {__version__}"


def test_no_verb_prints_the_help_and_exits_0():
    result = invoke()
    assert result.exit_code == 0
    assert "Viewing:" in result.stdout


# -- one versioned envelope for every --json output, each with its schema in schemas/cli/ -----------

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "cli"
JSON_VERBS = {
    "status": ["status"], "status-as-of": ["status", "--as-of", "2016-03-31", "--as-known-at", "2017-01-01"],
    "picture": ["picture", "--year", "2016/17"], "findings": ["findings"], "activities": ["activities"],
    "outcomes": ["outcomes", "--as-of", "2017-03-31"], "access-log": ["access-log"], "boards": ["boards"],
    "plugins": ["plugins"], "verify": ["verify"], "demo": ["demo"],
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert invoke("demo", "--store", str(path)).exit_code == 0
    return path


@pytest.mark.parametrize("name", JSON_VERBS)
def test_every_json_output_of_the_demo_store_carries_the_envelope_and_validates(demo_store, name):
    import json

    from jsonschema import Draft202012Validator

    argv = JSON_VERBS[name]
    result = invoke(*argv, "--json", "--store", str(demo_store))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    schema = json.loads((SCHEMAS / f"{'status' if argv[0] == 'demo' else argv[0]}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert data["schema_version"] == 1 and data["verb"] == argv[0]
    if argv[0] not in ("boards", "plugins", "verify"):
        assert data["board"]["key"] == "northshire-demo" and data["board"]["id"]
    if "--as-of" in argv:
        assert data["as_of"] == argv[argv.index("--as-of") + 1]


def test_import_and_pull_json_carry_the_envelope_and_validate(store, tmp_path):
    import json
    import shutil

    from jsonschema import Draft202012Validator

    copy = tmp_path / "copy.sqlite"
    shutil.copy(store, copy)
    exported = tmp_path / "log.jsonl"
    assert invoke("export", "-o", str(exported), "--store", str(store)).exit_code == 0
    figures = tmp_path / "figures.csv"
    figures.write_text("indicator,period_start,value\n")
    for verb, argv in (("import", ["import", str(exported), "--store", str(tmp_path / "new.sqlite")]),):
        result = invoke(*argv, "--json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        schema = json.loads((SCHEMAS / f"{verb}.schema.json").read_text())
        assert not list(Draft202012Validator(schema).iter_errors(data))
        assert data["schema_version"] == 1 and data["board"] is None


def test_every_schema_describes_each_field_in_words():
    import json

    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        for field, spec in schema["properties"].items():
            words = spec.get("description", "")
            assert len(words.split()) >= 3 and "collections.abc" not in words, (path.name, field)
