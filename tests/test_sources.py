"""Indicator sources: figures from CSV and JSON Lines, idempotent, every bad row named by file:line:column."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from learning_cycle_sources import CSV, JSONL, read_csv, read_jsonl

from learning_cycle import BadInput, Figure, InvalidValue, LearningCycle

from .cli_helpers import run
from .conftest import TODAY


@pytest.fixture
def figures_board(memory_lc: LearningCycle):
    b = memory_lc.create_board(
        "figures", "Figures Board (fictional)", agencies=[("csc", "Social Care")], on=date(2014, 4, 1)
    )
    for key in ("cp-plans", "missing-episodes"):
        memory_lc.define_indicator(
            b, key=key, title=key, kind="how_much", unit="rate per 10,000", polarity="neutral", cadence="quarterly",
            on=date(2014, 4, 1),
        )  # fmt: skip
    return memory_lc, b


def write(tmp_path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


GOOD = (
    "indicator,period_start,value\ncp-plans,2014-04-01,310\ncp-plans,2014-07-01,298.5\nmissing-episodes,2014-04-01,41\n"
)


def test_a_csv_is_recorded_then_pulling_it_again_records_nothing(figures_board, tmp_path):
    lc, b = figures_board
    path = write(tmp_path, "figures.csv", GOOD)
    first = lc.pull(b, CSV, path)
    assert (first.recorded, first.corrected, first.unchanged) == (3, 0, 0)
    assert [m.value for m in lc.indicator(b, "cp-plans").measurements] == [310.0, 298.5]
    assert lc.indicator(b, "cp-plans").measurements[0].source == "csv"
    position = lc.position()
    again = lc.pull(b, CSV, path)
    assert (again.recorded, again.corrected, again.unchanged, lc.position()) == (0, 0, 3, position)


def test_a_changed_figure_is_recorded_as_a_correction_that_names_its_row(figures_board, tmp_path):
    lc, b = figures_board
    lc.pull(b, CSV, write(tmp_path, "figures.csv", GOOD))
    result = lc.pull(b, CSV, write(tmp_path, "restated.csv", GOOD.replace("298.5", "301")))
    assert (result.recorded, result.corrected, result.unchanged) == (0, 1, 2)
    m = lc.indicator(b, "cp-plans").measurement(date(2014, 7, 1))
    assert (m.value, m.corrected) == (301.0, True)
    (correction,) = [e for e in lc.history(lc.indicator(b, "cp-plans").indicator_id) if hasattr(e, "reason")]
    assert correction.reason == "restated by csv (restated.csv:3)"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "empty.csv:1: file: is empty: expected figures"),
        ("header.csv", "indicator,period,value\n", "header.csv:1:2: header: is not a column"),
        ("twice.csv", "indicator,period_start,value,value\ncp-plans,2014-04-01,1,2\n", "twice.csv:1:4: header: is given twice (first in column 3)"),
        ("short.csv", "indicator,period_start,value\ncp-plans,2014-04-01\n", "short.csv:2:3: row: has 2 fields"),
        ("date.csv", "indicator,period_start,value\ncp-plans,01/04/2014,3\n", "date.csv:2:2: period_start: must be a date"),
        ("value.csv", "indicator,period_start,value\ncp-plans,2014-04-01,1,024\n", "value.csv:2:4: row: has 4 fields"),
        ("number.csv", "indicator,period_start,value\ncp-plans,2014-04-01,twelve\n", "number.csv:2:3: value: must be a finite number"),
        ("nan.csv", "indicator,period_start,value\ncp-plans,2014-04-01,nan\n", "nan.csv:2:3: value: must be a finite number"),
        ("key.csv", "indicator,period_start,value\nCP Plans,2014-04-01,1\n", "key.csv:2:1: indicator: must be an indicator key"),
        (
            "unknown.csv",
            "indicator,period_start,value\nchild-plans,2014-04-01,1\n",
            "unknown.csv:2:1: indicator: no indicator with this key on the board: define it first (define_indicator)",
        ),
        (
            "cadence.csv",
            "indicator,period_start,value\ncp-plans,2014-05-01,1\n",
            "cadence.csv:2:2: period_start: a quarterly period starts on 1 January, April, July or October",
        ),
        (
            "twice.csv",
            "indicator,period_start,value\ncp-plans,2014-04-01,1\ncp-plans,2014-04-01,2\n",
            "twice.csv:3:2: period_start: given twice (first at twice.csv:2)",
        ),
        (
            "future.csv",
            "indicator,period_start,value\ncp-plans,2027-04-01,1\n",
            "future.csv:2:2: on: is before the start of the period it measures",
        ),
        ("latin1.csv", "indicator,period_start,value\ncp-plans,2014-04-01,1 \u00a3\n".encode("latin-1"), "latin1.csv:2:23: encoding: is not UTF-8"),
    ],
)  # fmt: skip
def test_every_bad_row_is_named_by_file_line_and_column_and_nothing_is_written(
    figures_board, tmp_path, name, content, message
):
    lc, b = figures_board
    position = lc.position()
    with pytest.raises(BadInput) as caught:
        lc.pull(b, CSV, write(tmp_path, name, content))
    assert str(caught.value).startswith(message), str(caught.value)
    assert str(caught.value).endswith("nothing was recorded")
    assert lc.position() == position


def test_every_problem_is_reported_in_one_run(figures_board, tmp_path):
    lc, b = figures_board
    text = "indicator,period_start,value\ncp-plans,2014-04-01,x\ncp-plans,2014-13-01,1\nnope,2014-04-01,1\n"
    with pytest.raises(BadInput) as caught:
        lc.pull(b, CSV, write(tmp_path, "many.csv", text))
    # Format problems and an unknown indicator alike, in the order of the file.
    assert [str(p.where) for p in caught.value.problems] == ["many.csv:2:3", "many.csv:3:2", "many.csv:4:1"]
    assert "no indicator with this key" in caught.value.problems[2].reason
    assert "3 problems in the input" in str(caught.value)


@pytest.mark.parametrize("source", [CSV, JSONL])
def test_format_value_and_reference_problems_are_listed_together(figures_board, tmp_path, source):
    lc, b = figures_board
    rows = [("cp-plans", "2014-04-01", "x"), ("nope", "2014-04-01", "1"), ("cp-plans", "2014-05-01", "2")]
    if source is CSV:
        text = "indicator,period_start,value\n" + "".join(f"{k},{d},{v}\n" for k, d, v in rows)
    else:
        text = "".join(
            json.dumps({"indicator": k, "period_start": d, "value": v if v == "x" else float(v)}) + "\n"
            for k, d, v in rows
        )
    position = lc.position()
    with pytest.raises(BadInput) as caught:
        lc.pull(b, source, write(tmp_path, "mixed" + source.suffixes[0], text))
    fields = [(p.where.line, p.field) for p in caught.value.problems]
    first_line = 2 if source is CSV else 1
    assert fields == [(first_line, "value"), (first_line + 1, "indicator"), (first_line + 2, "period_start")]
    assert lc.position() == position


def test_a_good_row_before_a_bad_one_is_not_written(figures_board, tmp_path):
    lc, b = figures_board
    text = "indicator,period_start,value\ncp-plans,2014-04-01,3\nmissing-episodes,2014-04-02,1\n"
    with pytest.raises(BadInput, match=r"pull\.csv:3:2: period_start"):
        lc.pull(b, CSV, write(tmp_path, "pull.csv", text))
    assert lc.indicator(b, "cp-plans").measurements == ()


def test_a_missing_file_is_a_clear_error(figures_board, tmp_path):
    lc, b = figures_board
    with pytest.raises(InvalidValue, match="location: cannot be read: No such file or directory"):
        lc.pull(b, CSV, str(tmp_path / "nowhere.csv"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"indicator": "cp-plans", "period_start": "2014-04-01", "value": 3', "bad.jsonl:2:67: json: Expecting ',' delimiter"),
        ('{"indicator": "cp-plans", "period_start": "2014-04-01", "value": "3"}', "bad.jsonl:2:57: value: must be a JSON number, not text"),
        ('{"indicator": "cp-plans", "period_start": "2014-04-01"}', "bad.jsonl:2: value: is missing"),
        ('{"indicator": "cp-plans", "period": "2014-04-01", "value": 3}', "bad.jsonl:2:27: period: is not a field"),
        ('[1, 2]', "bad.jsonl:2:1: line: must be a JSON object"),
        ('{"indicator": "cp-plans", "period_start": "2014-04-01", "value": true}', "bad.jsonl:2:57: value: must be a finite number"),
    ],
)  # fmt: skip
def test_json_lines_problems_name_line_and_column(figures_board, tmp_path, line, message):
    lc, b = figures_board
    good = '{"indicator": "cp-plans", "period_start": "2014-07-01", "value": 1}'
    with pytest.raises(BadInput) as caught:
        lc.pull(b, JSONL, write(tmp_path, "bad.jsonl", f"{good}\n{line}\n"))
    assert str(caught.value).startswith(message), str(caught.value)
    assert lc.indicator(b, "cp-plans").measurements == ()


rows = st.lists(
    st.tuples(
        st.sampled_from(["cp-plans", "missing-episodes"]),
        st.integers(0, 11),
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda r: r[:2],
)


def _quarter(n: int) -> date:
    month = 3 + 3 * n
    return date(2014 + month // 12, month % 12 + 1, 1)


@given(rows)
def test_csv_and_json_lines_read_the_same_figures(tmp_path_factory, rows):
    directory = tmp_path_factory.mktemp("same")
    csv_text = "indicator,period_start,value\n" + "".join(f"{k},{_quarter(q)},{v!r}\n" for k, q, v in rows)
    jsonl = "".join(
        json.dumps({"indicator": k, "period_start": str(_quarter(q)), "value": v}) + "\n" for k, q, v in rows
    )
    from_csv = list(read_csv(write(directory, "f.csv", csv_text)))
    from_jsonl = list(read_jsonl(write(directory, "f.jsonl", jsonl)))
    assert from_csv == from_jsonl == [Figure(k, _quarter(q), v, None) for k, q, v in rows]
    assert [f.where.line for f in from_csv] == [f.where.line + 1 for f in from_jsonl]


def test_pull_on_the_command_line(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    path = write(tmp_path, "figures.csv", "indicator,period_start,value\ncp-plans,2014-10-01,999\n")
    result = run("pull", path, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert {k: shown[k] for k in ("recorded", "corrected", "unchanged")} == {
        "recorded": 0,
        "corrected": 1,
        "unchanged": 0,
    }
    again = run("pull", path, cwd=tmp_path)
    assert again.stdout.startswith("0 recorded, 0 corrected, 1 unchanged from")


def test_pull_of_a_bad_file_on_the_command_line_is_a_diagnostic_not_a_traceback(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    path = write(tmp_path, "figures.txt", "indicator,period_start,value\ncp-plans,2014-10-01,lots\n")
    unknown = run("pull", path, cwd=tmp_path)
    assert unknown.returncode == 2
    assert "no installed indicator source reads files named like this" in unknown.stderr
    bad = run("pull", path, "--source", "csv", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "figures.txt:2:3: value: must be a finite number ('.' for decimals) (got 'lots')" in bad.stderr
    assert "TODAY" not in bad.stderr and str(TODAY.year) not in bad.stdout
