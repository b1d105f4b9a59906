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
    with time_machine.travel(datetime(2016, 1, 1, 12), tick=False):  # one made_at for both
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
            assert (
                "error: --year: 2016/17 has not begun (it starts on 2016-04-01; today is 2015-06-01)" in result.stderr
            )
        assert invoke("picture", "--year", "2015/16", "--store", str(store)).exit_code == 0


def test_a_year_over_before_the_board_started_is_exit_2(store):
    with time_machine.travel(datetime(2016, 6, 1, 12), tick=False):  # the small board started on 2014-04-01
        for verb in (["picture"], ["stocktake"]):
            result = invoke(*verb, "--year", "2012/13", "--store", str(store))
            assert result.exit_code == 2, (verb, result.output)
            assert "error: --year: 2012/13 ended before the board started (on 2014-04-01)" in result.stderr
            assert "hint: name a reporting year from 2014/15 on" in result.stderr
        assert invoke("stocktake", "--year", "2014/15", "--store", str(store)).exit_code == 0


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
    done = subprocess.run(
        [sys.executable, "-m", "learning_cycle", "--version"], capture_output=True, text=True, timeout=60
    )
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
    where = [] if argv[0] == "plugins" else ["--store", str(demo_store)]  # plugins reads no store
    result = invoke(*argv, "--json", *where)
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


def test_import_json_carries_the_envelope_and_validates(store, tmp_path):
    import json

    from jsonschema import Draft202012Validator

    exported = tmp_path / "log.jsonl"
    assert invoke("export", "-o", str(exported), "--store", str(store)).exit_code == 0
    result = invoke("import", str(exported), "--json", "--store", str(tmp_path / "new.sqlite"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    schema = json.loads((SCHEMAS / "import.schema.json").read_text())
    assert not list(Draft202012Validator(schema).iter_errors(data))
    assert data["schema_version"] == 1 and data["board"] is None and data["recorded"] > 0


def test_every_schema_describes_each_field_in_words():
    import json

    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        for field, spec in schema["properties"].items():
            words = spec.get("description", "")
            assert len(words.split()) >= 3 and "collections.abc" not in words, (path.name, field)


# -- recording from the terminal, records named by the references the verbs printed -----------------

CONFIG = Path(__file__).resolve().parents[1] / "docs" / "examples" / "board-config.json"
NOW = datetime(2021, 6, 1, 12)


def _cli_year(store: Path) -> dict[str, str]:
    """A fictional board's year recorded from the command line alone; the references it printed."""
    import re

    refs: dict[str, str] = {}

    def rec(*argv: str, name: str | None = None) -> None:
        result = invoke(*argv, "--store", str(store))
        assert result.exit_code == 0, (argv, result.output)
        if name:
            (refs[name],) = re.findall(r"\b[AFXD]-\d+\b", result.stdout)

    assert invoke("init", str(CONFIG), "--store", str(store)).exit_code == 0
    rec("commission", "--kind", "serious_case_review", "--method", "scie-learning-together", "--title", "SCR: Child M (fictional)",
        "--why", "A child was seriously harmed", "--decided-by", "Independent chair", "--proportionality", "Several agencies",
        "--agency", "csc", "--agency", "police", "--on", "2019-10-01", name="review")  # fmt: skip
    rec("start", refs["review"], "--on", "2019-11-01")
    rec("raise-finding", refs["review"], "--statement", "Referrals were not followed up", "--level", "operational",
        "--on", "2020-01-10", name="f1")  # fmt: skip
    rec("raise-finding", refs["review"], "--statement", "Strategy meetings lacked health", "--level", "strategic",
        "--on", "2020-01-11", name="f2")  # fmt: skip
    rec("respond", refs["f1"], "--response", "Follow-up checked weekly", "--on", "2020-01-20")
    rec("raise-action", refs["f1"], "--owner", "csc", "--description", "Weekly follow-up checks", "--due-on", "2020-06-30",
        "--on", "2020-01-20", name="x1")  # fmt: skip
    rec("complete-action", refs["x1"], "--evidence", "Checks run since February", "--on", "2020-05-01")
    rec("assure", refs["x1"], "--assurance", "Audit of 20 cases found every one followed up", "--on", "2020-06-01")
    rec("complete", refs["review"], "--on", "2020-02-01")
    rec("approve-report", refs["review"], "--on", "2020-02-15")
    rec("decide-publication", refs["review"], "--status", "published", "--reference", "https://westmarch.example/scr-m",
        "--on", "2020-03-01")  # fmt: skip
    rec("disseminate", "--channel", "training_course", "--title", "Following up referrals", "--audience", "Practitioners",
        "--reach", "40", "--finding", refs["f1"], "--on", "2020-07-01", name="d1")  # fmt: skip
    rec("feedback", refs["d1"], "--summary", "Clear and useful", "--respondents", "12", "--on", "2020-07-15")
    rec("check", refs["f1"], "--kind", "re_audit", "--result", "improved", "--evidence", "Re-audit: 18 of 20 followed up",
        "--on", "2020-09-01")  # fmt: skip
    rec("hold-stocktake", "--year", "2019/20", "--decision", "Keep neglect a priority", "--next-priority", "neglect=Neglect",
        "--on", "2020-05-10")  # fmt: skip
    return refs


def _api_year(store: Path) -> None:
    """The same year through the Python API."""
    from datetime import date

    from learning_cycle.domain.values import PublicationDecision
    from learning_cycle.eventlog.store import Store
    from learning_cycle.interchange.config import apply_config, read_config
    from learning_cycle.plugins import open_cycle as open_plugged

    with open_plugged(Store.parse(str(store))) as lc:
        apply_config(lc, read_config(str(CONFIG)), source=str(CONFIG))
        b = lc.board_id("westmarch")
        review = lc.commission_activity(
            b, kind="serious_case_review", method="scie-learning-together", title="SCR: Child M (fictional)",
            why="A child was seriously harmed", decided_by="Independent chair", proportionality="Several agencies",
            agencies=["csc", "police"], on=date(2019, 10, 1))  # fmt: skip
        lc.start_activity(b, review, on=date(2019, 11, 1))
        f1 = lc.raise_finding(b, review, statement="Referrals were not followed up", level="operational", on=date(2020, 1, 10))  # fmt: skip
        lc.raise_finding(
            b, review, statement="Strategy meetings lacked health", level="strategic", on=date(2020, 1, 11)
        )
        lc.respond_to_finding(b, f1, "Follow-up checked weekly", on=date(2020, 1, 20))
        x1 = lc.raise_action(b, f1, owner="csc", description="Weekly follow-up checks", due_on=date(2020, 6, 30), on=date(2020, 1, 20))  # fmt: skip
        lc.complete_action(b, x1, "Checks run since February", on=date(2020, 5, 1))
        lc.assure_action(b, x1, "Audit of 20 cases found every one followed up", on=date(2020, 6, 1))
        lc.complete_activity(b, review, on=date(2020, 2, 1))
        lc.approve_report(b, review, on=date(2020, 2, 15))
        lc.decide_publication(b, review, PublicationDecision("published", reference="https://westmarch.example/scr-m"), on=date(2020, 3, 1))  # fmt: skip
        d1 = lc.record_dissemination(b, channel="training_course", title="Following up referrals", audience="Practitioners",
                                     reach=40, finding_ids=[f1], on=date(2020, 7, 1))  # fmt: skip
        lc.record_feedback(b, d1, "Clear and useful", respondents=12, on=date(2020, 7, 15))
        lc.record_check(b, f1, kind="re_audit", result="improved", evidence="Re-audit: 18 of 20 followed up", on=date(2020, 9, 1))  # fmt: skip
        lc.hold_stock_take(b, "2019/20", decisions=["Keep neglect a priority"], next_priorities=[("neglect", "Neglect")], on=date(2020, 5, 10))  # fmt: skip


def _canonical(text: str) -> str:
    """An output with each id replaced by its order of first appearance, the moment it was made dropped,
    and the log head's digest (of events holding other ids) replaced, its position kept."""
    import re

    text = re.sub(r'\n *"made_at": "[^"]*",', "", text)
    text = re.sub(r'"log_head": "([0-9]+):[0-9a-f]+"', r'"log_head": "\1:<digest of other ids>"', text)  # same length
    seen: dict[str, str] = {}
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", lambda m: seen.setdefault(m[0], f"<id {len(seen)}>"), text)  # fmt: skip


def test_a_year_recorded_from_the_command_line_alone_equals_the_same_year_through_the_api(tmp_path):
    cli_store, api_store = tmp_path / "cli.sqlite", tmp_path / "api.sqlite"
    with time_machine.travel(NOW, tick=False):
        refs = _cli_year(cli_store)
        _api_year(api_store)
        assert refs == {"review": "A-1", "f1": "F-1", "f2": "F-2", "x1": "X-1", "d1": "D-1"}
        outputs = {}
        for store in (cli_store, api_store):
            status = invoke("status", "--json", "--as-of", "2021-05-31", "--store", str(store))
            stocktake = invoke("stocktake", "--year", "2019/20", "--format", "json", "--store", str(store))
            assert status.exit_code == stocktake.exit_code == 0, status.output + stocktake.output
            outputs[store] = (_canonical(status.stdout), _canonical(stocktake.stdout))
    assert outputs[cli_store] == outputs[api_store]
    assert "Referrals were not followed up" in outputs[cli_store][0]


def test_a_reference_names_one_record_and_a_wrong_one_is_an_error_naming_the_field(tmp_path):
    store = tmp_path / "s.sqlite"
    with time_machine.travel(NOW, tick=False):
        _cli_year(store)
        wrong = invoke("respond", "F-9", "--response", "x", "--store", str(store))
        assert wrong.exit_code == 2
        assert "finding_id" in wrong.stderr and "F-9" in wrong.stderr and "F-1 to F-2" in wrong.stderr
        kind = invoke("respond", "X-1", "--response", "x", "--store", str(store))
        assert kind.exit_code == 2 and "must name a finding" in kind.stderr
        findings = invoke("findings", "--json", "--store", str(store))
        import json

        (first,) = [f for f in json.loads(findings.stdout)["findings"] if f["statement"].startswith("Referrals")]
        by_prefix = invoke("respond", first["id"][:8], "--response", "Prefix works", "--on", "2020-02-01", "--store", str(store))  # fmt: skip
        assert by_prefix.exit_code == 0, by_prefix.output
        assert "F-1" in by_prefix.stdout


def test_a_missing_required_value_is_an_error_naming_the_option_when_input_is_not_a_terminal(tmp_path):
    store = tmp_path / "s.sqlite"
    with time_machine.travel(NOW, tick=False):
        _cli_year(store)
        result = invoke("respond", "F-1", "--store", str(store))  # CliRunner's input is not a terminal
    assert result.exit_code == 2
    assert "error: --response: a value is required" in result.stderr
    assert "not a terminal" in result.stderr


def test_every_listing_shows_each_record_by_its_reference(tmp_path):
    import json

    store = tmp_path / "s.sqlite"
    with time_machine.travel(NOW, tick=False):
        _cli_year(store)
        findings = json.loads(invoke("findings", "--json", "--store", str(store)).stdout)["findings"]
        activities = json.loads(invoke("activities", "--json", "--store", str(store)).stdout)["activities"]
        table = invoke("findings", "--store", str(store), env={"COLUMNS": "200"}).stdout
    by_statement = {f["statement"]: f["ref"] for f in findings}
    assert by_statement == {"Referrals were not followed up": "F-1", "Strategy meetings lacked health": "F-2"}
    assert [a["ref"] for a in activities] == ["A-1"]
    assert "F-1" in table and "F-2" in table


# -- plugins add verbs --------------------------------------------------------------------------------


class HelloPlugin:
    """A real pluggy plugin adding a verb through the hook."""

    @staticmethod
    def learning_cycle_register_commands(cli):
        import click

        @cli.command()
        @click.argument("name")
        def hello(name):
            """Say hello. Example: learning-cycle hello Northshire"""
            click.echo(f"hello {name}")


class TakeoverPlugin:
    @staticmethod
    def learning_cycle_register_commands(cli):
        import click

        @cli.command(name="status")
        def status():
            click.echo("not the status")


def _hooked(plugin_class):
    import learning_cycle

    return type(plugin_class.__name__, (), {"learning_cycle_register_commands": staticmethod(
        learning_cycle.hookimpl(plugin_class.learning_cycle_register_commands))})()  # fmt: skip


def test_a_plugin_adds_a_verb_through_register_commands():
    from learning_cycle.plugins import registered

    with registered(_hooked(HelloPlugin), entry_points=False):
        said = invoke("hello", "Northshire")
        listed = invoke("--help")
    assert said.exit_code == 0, said.output
    assert said.stdout == "hello Northshire\n"
    assert "Added by plugins:" in listed.stdout and "hello" in listed.stdout
    assert invoke("hello", "x").exit_code == 2, "the verb goes with its plugin"


def test_a_plugin_may_not_replace_a_verb():
    from learning_cycle.plugins import registered

    with registered(_hooked(TakeoverPlugin), entry_points=False):
        result = invoke("status", "--help")
    assert result.exit_code == 2
    assert "replaced or removed the verb 'status'" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_plugin_named_in_the_allow_list_is_an_error(store):
    result = invoke("boards", "--store", str(store), env={"LEARNING_CYCLE_PLUGINS": "methods,nope"})
    assert result.exit_code == 2
    assert "error: LEARNING_CYCLE_PLUGINS: no installed plugin is named 'nope'" in result.stderr


def test_learning_cycle_register_commands_adds_the_example_plugins_verb():
    """The example third-party plugin (installed through its entry point) adds a verb by the hook."""
    from learning_cycle.plugins import reset_plugins

    reset_plugins()
    result = invoke("example-steps")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1. Choose a case that practitioners agree went well\n")
    assert "example-steps" in invoke("--help").stdout


def test_a_missing_required_value_is_asked_for_at_a_terminal(tmp_path):
    """Only a real process shows a terminal: the verb runs with a pseudo-terminal as its input."""
    import pty

    store = tmp_path / "s.sqlite"
    with time_machine.travel(NOW, tick=False):
        _cli_year(store)
    terminal, its_end = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "LEARNING_CYCLE_STORE"} | {"LEARNING_CYCLE_USER": "cli test"}
    argv = [sys.executable, "-m", "learning_cycle", "respond", "F-2", "--on", "2020-02-01", "--store", str(store)]
    proc = subprocess.Popen(argv, stdin=its_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    os.close(its_end)
    try:
        os.write(terminal, b"Health now attends every strategy meeting\n")
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(terminal)
    assert proc.returncode == 0, err
    assert "response:" in out.lower()  # it asked
    assert "recorded the response to finding F-2" in out


def test_every_recording_command_of_the_api_has_a_verb():
    """A verb for every public command of LearningCycle that records: a new one needs a verb (or a
    reason here: record_figures reads a file of figures, which is `pull FILE`)."""
    import inspect

    from learning_cycle import LearningCycle
    from learning_cycle.cli.record import COMMANDS

    queries = {"activity", "finding", "action", "dissemination", "indicator", "board", "board_id", "deadlines",
               "history", "follow", "position", "read_restricted", "chain_log", "close", "pull", "framework", "programme"}  # fmt: skip
    recording = {
        name for name, member in inspect.getmembers(LearningCycle, inspect.isfunction)
        if not name.startswith("_") and name not in queries and "board_id" in inspect.signature(member).parameters
    }  # fmt: skip
    with_verbs = {method for method, _ in COMMANDS.values()} | {"record_figures", "create_board", "set_up_board"}
    assert recording - with_verbs == set()


def test_the_voice_of_the_child_is_recorded_from_the_terminal(tmp_path):
    from learning_cycle.plugins import open_cycle as open_with_plugins

    store = str(tmp_path / "voice.sqlite")
    runner = CliRunner()
    config = Path(__file__).resolve().parents[1] / "docs" / "examples" / "board-config.json"
    assert runner.invoke(cli, ["init", str(config), "--store", store]).exit_code == 0
    made = runner.invoke(cli, [
        "commission", "--kind", "serious_case_review", "--method", "scie-learning-together", "--title", "SCR (fictional)",
        "--why", "Harm", "--decided-by", "Chair", "--proportionality", "Several agencies", "--agency", "csc",
        "--agency", "police", "--on", "2019-10-01", "--informed", "--how", "Spoke with the child's mother",
        "--store", store,
    ])  # fmt: skip
    assert made.exit_code == 0, made.output
    for argv in (["start", "A-1", "--on", "2019-11-01"],
                 ["raise-finding", "A-1", "--statement", "Referrals were not followed up", "--level", "operational",
                  "--on", "2020-01-10"]):  # fmt: skip
        assert runner.invoke(cli, [*argv, "--store", store]).exit_code == 0
    refused = runner.invoke(cli, ["voice-finding", "F-1", "--informed", "--on", "2020-01-11", "--store", store])
    assert refused.exit_code == 2 and "voice_of_child.how: say how children's or families' views informed it" in refused.output  # fmt: skip
    said = runner.invoke(cli, ["voice-finding", "F-1", "--informed", "--how", "A survey", "--on", "2020-01-11", "--store", store])  # fmt: skip
    assert said.exit_code == 0 and said.output.startswith("recorded the voice of the child in finding F-1"), said.output
    with open_with_plugins(store) as lc:
        board = lc.board_id("westmarch")
        (activity,) = [n.event for n in lc.follow(topics=["learning_cycle/Activity.Commissioned"])]
        (finding,) = [n.event for n in lc.follow(topics=["learning_cycle/Finding.Raised"])]
        assert lc.activity(board, activity.originator_id).voice_of_child.how == "Spoke with the child's mother"
        assert lc.finding(board, finding.originator_id).voice_of_child.how == "A survey"


def test_a_required_value_left_out_is_named_by_the_option_that_gives_it(tmp_path):
    """A value given many times is asked for by its option (`--principle`, `--rating`), in the error
    and in the help's example, and the help marks it required."""
    store = str(tmp_path / "asked.sqlite")
    runner = CliRunner()
    config = Path(__file__).resolve().parents[1] / "docs" / "examples" / "board-config.json"
    assert runner.invoke(cli, ["init", str(config), "--store", store]).exit_code == 0
    for verb, values, option in (
        ("adopt-framework", ["--name", "F", "--agreed-by", "the Board", "--summary", "S"], "--principle"),
        ("submit-return", ["--audit", "section_11", "--organisation", "csc", "--year", "2019/20"], "--rating"),
    ):
        done = runner.invoke(cli, [verb, *values, "--store", store, "--on", "2019-10-02"])
        assert done.exit_code == 2 and f"error: {option}: a value is required" in done.output, done.output
        helped = runner.invoke(cli, [verb, "--help"]).output
        assert f"{option} ..." in helped and f"{option}s ..." not in helped
        assert f"{option} TEXT one value; give it again for more [required]" in " ".join(helped.split())
