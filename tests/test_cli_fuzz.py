"""No traceback, ever, from the command line: every verb, fuzzed with awkward arguments and input
files, exits 0, 1, 2 or 3 with a message."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle.cli import main

from .conftest import open_cycle, small_board

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

AWKWARD = st.sampled_from([
    "9999-12-31", "0001-01-01", "1899-12-31", "2016-02-30", "9999/00", "1990/91", "2015/16", "2099/00", "",
    "-", ".", "..", "/nonexistent/x.jsonl", "\x00", "\ud800", "x" * 5000, "1e400", "NaN", "-1", "0",
    "2016-11-30T17:00:00Z", "stocktake", "test-board", "nope", "postgresql://", "memory:",
])  # fmt: skip
CONTENTS = st.one_of(
    st.binary(max_size=200),
    st.just(b"[" * 100_000),
    st.just(b'{"indicator": "cp-plans", "period_start": "2014-04-01", "value": ' + b"9" * 5000 + b"}\n"),
    st.just(b'{"key": "\\ud800"}\n'),
    st.just(b"\xff\xfe not utf-8"),
    st.just(b"indicator,period_start,value,value\ncp-plans,2014-04-01,1,2\n"),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.recursive(st.none() | st.integers() | st.text(max_size=5), lambda c: st.lists(c) | st.dictionaries(st.text(max_size=5), c), max_leaves=20).map(lambda v: (json.dumps(v) + "\n").encode()),
)  # fmt: skip
VERBS = [
    ["status", "--as-of", "{a}"], ["status", "--as-known-at", "{a}"], ["picture", "--year", "{a}"],
    ["picture", "--as-of", "{a}"], ["stocktake", "--year", "{a}"], ["stocktake", "--year", "2015/16", "--as-known-at", "{a}"],
    ["findings", "--board", "{a}"], ["activities"], ["outcomes", "--as-of", "{a}"], ["boards", "--json"],
    ["export", "-o", "{a}"], ["import", "{file}"], ["pull", "{file}", "--source", "csv"], ["pull", "{file}"],
    ["init", "{file}"], ["verify", "--digest", "{a}"], ["rebuild"], ["stocktake", "--year", "2015/16", "-o", "{a}"],
]  # fmt: skip


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("seed")
    with open_cycle(folder / "store.sqlite") as lc:
        board = small_board(lc)
        lc.define_indicator(
            board.board_id, key="cp-plans", title="Plans", kind="how_much", unit="count",
            polarity="lower_is_better", cadence="quarterly", on=date(2014, 4, 1),
        )  # fmt: skip
    return folder / "store.sqlite"


@FUZZ
@given(
    verb=st.sampled_from(VERBS), awkward=AWKWARD, content=CONTENTS, suffix=st.sampled_from([".jsonl", ".csv", ".json"])
)
def test_every_verb_exits_0_1_or_2_with_a_message_never_a_traceback(
    seeded, tmp_path_factory, capsys, verb, awkward, content, suffix
):
    folder = tmp_path_factory.mktemp("fuzz")
    store = folder / "store.sqlite"
    shutil.copy(seeded, store)
    given_file = folder / f"input{suffix}"
    given_file.write_bytes(content)
    argv = [part.replace("{a}", awkward).replace("{file}", str(given_file)) for part in verb]
    here = os.getcwd()
    os.chdir(folder)  # relative outputs land in the example's folder
    try:
        code = main([*argv, "--store", str(store)])
    except SystemExit as exit_:  # argparse refusing an argument
        code = exit_.code
    finally:
        os.chdir(here)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2, 3), (argv, err)
    assert "Traceback" not in err + out
    if code == 2:
        assert err.strip(), (argv, "exit 2 says why")
