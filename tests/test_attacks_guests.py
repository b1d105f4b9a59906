"""Attacks on what the host takes in from outside: a target store for `migrate`, plugins (guests),
files that are not what they claim to be, and figures that break an indicator's own rules.

Each test was a failure a hostile or careless user found (issue 21); they run through the real
command line, a real SQLite file and a real PostgreSQL server, with plugins registered through a
real entry point.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import InvalidValue
from learning_cycle.domain.rules import check_figure_in_unit
from learning_cycle.eventlog.log import EventLog
from learning_cycle.interchange import export_log

from .cli_helpers import EXE, run
from .conftest import open_cycle, small_board

# -- migrate checks its target before writing anything ---------------------------------------


def _export(store: str) -> bytes:
    with EventLog(store) as log:
        buffer = io.StringIO()
        export_log(log, buffer)
        return buffer.getvalue().encode("utf-8")


def _state(store: str) -> bytes:
    """What a store holds: the bytes of a SQLite file (every one of its files), else its export."""
    if "://" in store:
        return _export(store)
    folder = Path(store).parent
    return b"".join(
        p.name.encode() + hashlib.sha256(p.read_bytes()).digest()
        for p in sorted(folder.iterdir())
        if p.name.startswith(Path(store).name)
    )


def _other_board(store: str) -> None:
    with open_cycle(store) as lc:
        lc.create_board("other", "Another Board (fictional)", agencies=[("csc", "Social Care")], on=date(2015, 4, 1))


def test_migrate_into_a_store_holding_another_log_is_refused_and_leaves_it_unchanged(store, tmp_path):
    source = str(tmp_path / "source.sqlite")
    with open_cycle(source) as lc:
        small_board(lc)
    _other_board(store)
    before = _state(store)
    moved = run("migrate", "--from", source, "--to", store, cwd=tmp_path)
    assert moved.returncode == 2, moved.stdout
    assert moved.stderr.startswith("error: to: already holds a log that is not the start of "), moved.stderr
    assert "nothing was written" in moved.stderr and "Traceback" not in moved.stderr
    assert _state(store) == before


def test_migrate_into_a_store_holding_more_than_the_source_is_refused(tmp_path):
    source, target = str(tmp_path / "source.sqlite"), str(tmp_path / "target.sqlite")
    with open_cycle(source) as lc:
        small_board(lc)
    assert run("migrate", "--from", source, "--to", target, cwd=tmp_path).returncode == 0
    _other_board(target)  # the copy went on to hold more: the source is now its prefix, not the reverse
    before = _state(target)
    moved = run("migrate", "--from", source, "--to", target, cwd=tmp_path)
    assert moved.returncode == 2 and "(more events than the source)" in moved.stderr, moved.stderr
    assert _state(target) == before


def test_migrate_again_copies_nothing_and_a_prefix_is_completed(store, tmp_path):
    source = str(tmp_path / "source.sqlite")
    with open_cycle(source) as lc:
        board = small_board(lc)
    first = run("migrate", "--from", source, "--to", store, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    with open_cycle(source) as lc:  # the source goes on; the target holds the start of its log
        lc.raise_finding(
            board.board_id, board.activity_id, statement="Supervision was rare", level="operational",
            on=date(2014, 10, 1),
        )  # fmt: skip
    second = run("migrate", "--from", source, "--to", store, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("copied 1 events ("), second.stdout
    third = run("migrate", "--from", source, "--to", store, cwd=tmp_path)
    assert third.returncode == 0 and third.stdout.startswith("copied 0 events ("), third.stdout
    assert _export(store) == _export(source)


# -- a count is never negative, whichever way it comes in -------------------------------------


def _count_indicator(lc):
    board = small_board(lc)
    lc.define_indicator(
        board.board_id, key="cp-plans", title="Children on a plan", kind="how_much", unit="children",
        polarity="neutral", cadence="quarterly", on=date(2014, 4, 1),
    )  # fmt: skip
    return board.board_id


@given(
    value=st.one_of(st.integers(max_value=-1), st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False)),
    unit=st.text(min_size=1, max_size=20),
)
def test_no_unit_lets_a_how_much_figure_be_negative(value, unit):
    """One rule, whatever the unit: a 'how much' indicator counts something, never below 0."""
    with pytest.raises(InvalidValue) as refused:
        check_figure_in_unit("value", value, unit, "how_much")
    assert (refused.value.field, refused.value.value) == ("value", value)
    check_figure_in_unit("value", -value, "items", "how_much")  # and its opposite is a figure
    check_figure_in_unit("value", value, "change", "how_well")  # other kinds may fall below 0


def test_a_negative_figure_for_a_how_much_indicator_is_refused_by_the_api(lc):
    board_id = _count_indicator(lc)
    before = lc.position()
    with pytest.raises(InvalidValue) as refused:
        lc.record_measurement(board_id, "cp-plans", period_start=date(2014, 4, 1), value=-5, on=date(2014, 7, 1))
    assert (refused.value.field, refused.value.value) == ("value", -5)
    assert "counts how much (children): it must be 0 or more" in str(refused.value)
    assert lc.position() == before


def test_a_negative_figure_for_a_how_much_indicator_is_refused_by_pull_and_import(tmp_path):
    store = str(tmp_path / "board.sqlite")
    with open_cycle(store) as lc:
        _count_indicator(lc)
    (tmp_path / "figures.csv").write_text("indicator,period_start,value\ncp-plans,2014-04-01,-5\n", encoding="utf-8")
    before = _export(store)
    pulled = run("pull", "figures.csv", "--store", store, cwd=tmp_path)
    assert pulled.returncode == 2, pulled.stdout
    assert "figures.csv:2:3: value: counts how much (children): it must be 0 or more" in pulled.stderr, pulled.stderr
    assert _export(store) == before
    # the same figure in a log written by something else
    with open_cycle(store) as lc:
        board_id = lc.board_id("test-board")
        lc.record_measurement(board_id, "cp-plans", period_start=date(2014, 4, 1), value=5, on=date(2014, 7, 1))
    lines = _export(store).decode().splitlines()
    bad = [line.replace('"value":5.0', '"value":-5.0') if "MeasurementRecorded" in line else line for line in lines]
    assert bad != lines
    (tmp_path / "bad.jsonl").write_text("\n".join(bad) + "\n", encoding="utf-8")
    fresh = str(tmp_path / "fresh.sqlite")
    loaded = run("import", "bad.jsonl", "--store", fresh, cwd=tmp_path)
    assert loaded.returncode == 2, loaded.stdout
    assert "payload.value: counts how much (children): it must be 0 or more" in loaded.stderr, loaded.stderr


# -- plugins are guests: whatever one does wrong is an error naming it, and nothing is written ---

HOSTILE = """
import os
from datetime import date

from learning_cycle import Column, Figure, IndicatorKind, IndicatorSource, OutcomeMeasure, OutcomeValue, Where, hookimpl

MODE = os.environ.get("HOSTILE_MODE", "")
ANSWERS = {
    "measure-raises": lambda records: 1 / 0,
    "measure-string": lambda records: "high",
    "measure-nan": lambda records: OutcomeValue(float("nan")),
    "measure-out-of-range": lambda records: OutcomeValue(1e9),
}


def read(location):
    yield Figure("cp-plans", date(2014, 4, 1), 5.0, Where("x.hostile", 1))
    if MODE == "source-raises":
        raise KeyError("period")
    if MODE == "source-wrong-type":
        yield ("cp-plans", "2014-07-01", 6)


@hookimpl
def learning_cycle_register_outcome_measures(register):
    if MODE == "register-raises":
        raise RuntimeError("the plugin's set-up failed")
    register(OutcomeMeasure(
        key="hostile-measure", title="Hostile", description="Fails as asked", kind=IndicatorKind.BETTER_OFF,
        unit="%", lower=0.0, upper=100.0, compute=ANSWERS.get(MODE, lambda records: OutcomeValue(50.0)),
    ))


@hookimpl
def learning_cycle_register_indicator_sources(register):
    register(IndicatorSource(
        key="hostile", title="Hostile", description="Fails as asked", read=read,
        columns=(Column("indicator", "key", "x"),), suffixes=(".hostile",),
    ))
"""


@pytest.fixture
def hostile(tmp_path):
    """A plugin installed through a real entry point (a distribution on the path, as pip makes one)."""
    site = tmp_path / "site"
    (site / "hostile_plugin-0.1.dist-info").mkdir(parents=True)
    (site / "hostile_plugin.py").write_text(HOSTILE, encoding="utf-8")
    (site / "hostile_plugin-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: hostile-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (site / "hostile_plugin-0.1.dist-info" / "entry_points.txt").write_text(
        "[learning_cycle]\nhostile = hostile_plugin\n", encoding="utf-8"
    )
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)

    def hostile_run(mode: str, *args: str):
        return run(*args, cwd=tmp_path, env={"PYTHONPATH": path, "HOSTILE_MODE": mode})

    return hostile_run


MEASURE = "compute of outcome measure 'hostile-measure'"


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("register-raises", "hook learning_cycle_register_outcome_measures: raised RuntimeError: the plugin's set-up failed"),
        ("measure-raises", f"hook {MEASURE}: raised ZeroDivisionError: division by zero"),
        ("measure-string", f"hook {MEASURE}: returned str 'high', not an OutcomeValue"),
        ("measure-nan", f"hook {MEASURE}: returned value nan, not a finite number"),
        ("measure-out-of-range", f"hook {MEASURE}: returned value 1000000000.0, outside its declared range [0.0, 100.0]"),
    ],
)  # fmt: skip
def test_a_failing_outcome_measure_is_an_error_naming_the_plugin_and_nothing_is_written(
    hostile, tmp_path, mode, message
):
    store = str(tmp_path / "board.sqlite")
    _other_board(store)
    with open_cycle(store) as lc:  # a plugin's measure runs for a board once the board adopts it
        lc.adopt_measure(lc.board_id("other"), "hostile-measure", on=date(2015, 4, 1))
    before = _export(store)
    for args in (("outcomes", "--json"), ("outcomes",), ("stocktake", "--year", "2015/16", "-o", "out.md")):
        result = hostile(mode, *args, "--store", store)
        assert (result.returncode, result.stdout) == (2, ""), (args, result.stdout, result.stderr)
        assert result.stderr.startswith(f"error: plugin 'hostile', {message}\n"), (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.md").exists()
    assert _export(store) == before
    # the same store and plugin, behaving: the measure is shown
    assert hostile("", "outcomes", "--json", "--store", store).returncode == 0


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("source-raises", "raised KeyError: 'period'"),
        ("source-wrong-type", "gave tuple ('cp-plans', '2014-07-01', 6), not a Figure"),
    ],
)
def test_a_failing_indicator_source_is_an_error_naming_the_plugin_and_nothing_is_recorded(
    hostile, tmp_path, mode, message
):
    store = str(tmp_path / "board.sqlite")
    with open_cycle(store) as lc:
        _count_indicator(lc)
    (tmp_path / "figures.hostile").write_text("anything\n", encoding="utf-8")
    before = _export(store)
    result = hostile(mode, "pull", "figures.hostile", "--store", store)
    assert (result.returncode, result.stdout) == (2, ""), result.stdout
    expected = f"error: plugin 'hostile', hook read of indicator source 'hostile': {message}\n"
    assert result.stderr.startswith(expected), result.stderr
    assert _export(store) == before
    assert hostile("", "pull", "figures.hostile", "--store", store).stdout.startswith("1 recorded")


# -- files are read as what they claim to be ---------------------------------------------------


def _cli(tmp_path, *args: str, env: dict[str, str] | None = None, timeout: float = 30):
    """The real command, with a timeout: a read that hangs fails the test instead of the suite."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("LEARNING_CYCLE_")}
    full.update({"COLUMNS": "120", "LEARNING_CYCLE_USER": "attack test", **(env or {})})
    try:
        return subprocess.run([EXE, *args], cwd=tmp_path, env=full, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"learning-cycle {' '.join(args)} hung reading a special file")


SPECIALS = ["fifo", "dev-zero", "folder", "huge"]


@pytest.fixture(params=SPECIALS)
def special(request, tmp_path) -> tuple[str, str]:
    """A file that is not what it claims to be, and the words the refusal uses."""
    if request.param == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
        return str(path), "is a named pipe, not a regular file"
    if request.param == "dev-zero":
        return "/dev/zero", "is a device, not a regular file"
    if request.param == "folder":
        path = tmp_path / "folder"
        path.mkdir()
        return str(path), "is a folder"
    path = tmp_path / "huge"
    with path.open("wb") as f:
        f.truncate(64 << 20)  # sparse: 64 MiB of zeros on no disk
    return str(path), "larger than"


def _refused(result, name: str, words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    assert name in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


CONFIG = {"key": "new", "name": "New Board (fictional)", "agencies": [{"key": "csc", "name": "CSC"}], "started_on": "2015-04-01"}  # fmt: skip


@pytest.mark.parametrize("variable", ["LEARNING_CYCLE_CIPHER_KEY_FILE", "LEARNING_CYCLE_SIGNING_KEY_FILE"])
def test_a_key_file_that_is_not_a_regular_file_is_refused_never_read(tmp_path, special, variable):
    name, words = special
    store = str(tmp_path / "board.sqlite")
    _other_board(store)
    before = _state(store)
    _refused(_cli(tmp_path, "boards", "--store", store, env={variable: name}), name, words)
    (tmp_path / "board.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    made = _cli(tmp_path, "init", "board.json", "--store", str(tmp_path / "new.sqlite"), env={variable: name})
    _refused(made, name, words)
    assert _state(store) == before
    assert not (tmp_path / "new.sqlite").exists()  # either key is read before any store is made


def test_a_key_file_for_migrate_that_is_not_a_regular_file_is_refused(tmp_path, special):
    name, words = special
    source = str(tmp_path / "board.sqlite")
    _other_board(source)
    moved = _cli(tmp_path, "migrate", "--from", source, "--to", "copy.sqlite", "--to-key-file", name)
    _refused(moved, f"--to-key-file: {name}: cannot be read (", words)
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.parametrize(
    ("verb", "special"),
    # a log or a file of figures may be large (it is read a line at a time): only a configuration has a limit
    [(verb, kind) for verb in ("init", "import", "pull") for kind in SPECIALS if kind != "huge" or verb == "init"],
    indirect=["special"],
)
def test_an_input_file_that_is_not_a_regular_file_is_refused_never_read(tmp_path, special, verb):
    name, words = special
    store = str(tmp_path / "board.sqlite")
    with open_cycle(store) as lc:
        _count_indicator(lc)
    before = _export(store)
    args = (verb, name, "--store", store) + (("--source", "csv") if verb == "pull" else ())
    _refused(_cli(tmp_path, *args), name, words)
    assert _export(store) == before


# -- pull reads in bounded memory ----------------------------------------------------------------

PEAK = """
import sys
from learning_cycle.cli import main

code = main(sys.argv[1:])
status = open("/proc/self/status").read()
peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
print(f"peak-kib={peak} code={code}", file=sys.stderr)
"""


def _pull_peak(tmp_path, store: str, rows: int) -> int:
    """Peak memory (KiB) of a process that pulls a CSV of ``rows`` figures: a few quarters' figures,
    repeated (every repeat is a problem, as in a file appended to by mistake)."""
    path = tmp_path / f"figures-{rows}.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("indicator,period_start,value\n")
        for n in range(rows):
            f.write(f"cp-plans,{2014 + n // 4 % 8}-{(n % 4) * 3 + 1:02d}-01,{n % 977}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNING_CYCLE_")}
    result = subprocess.run(
        [sys.executable, "-c", PEAK, "pull", str(path), "--store", store, "--json"],
        cwd=tmp_path, env={**env, "LEARNING_CYCLE_USER": "attack test"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "given twice" in result.stderr and "Traceback" not in result.stderr, result.stderr[-2000:]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("peak-kib=") and line.endswith("code=2"), result.stderr[-2000:]
    return int(line.split()[0].removeprefix("peak-kib="))


def test_pull_reads_a_large_file_in_bounded_memory(tmp_path):
    store = str(tmp_path / "board.sqlite")
    with open_cycle(store) as lc:
        _count_indicator(lc)
    small = _pull_peak(tmp_path, store, 20_000)
    large = _pull_peak(tmp_path, store, 200_000)  # about 5 MB more file
    grown = (tmp_path / "figures-200000.csv").stat().st_size - (tmp_path / "figures-20000.csv").stat().st_size
    assert (large - small) * 1024 < grown / 2, f"the peak grew {large - small} KiB for {grown // 1024} KiB more file"
