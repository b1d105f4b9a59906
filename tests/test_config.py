"""The board configuration file: checked against its schema's rules, every problem named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from learning_cycle import BadInput
from learning_cycle.interchange.config import apply_config, read_config

from .cli_helpers import run
from .conftest import open_cycle

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "board-config.json"


def test_the_example_configuration_validates_and_sets_up_the_board(tmp_path):
    schema = json.loads((ROOT / "schemas" / "board-config.schema.json").read_text())
    jsonschema.validate(json.loads(EXAMPLE.read_text()), schema)
    config = read_config(EXAMPLE)
    with open_cycle(tmp_path / "b.sqlite") as lc:
        board = lc.board(apply_config(lc, config))
    assert (board.key, [a.key for a in board.agencies], board.districts) == (
        "westmarch", ["csc", "police", "health"], ("coast", "hills", "town"),
    )  # fmt: skip
    assert [p.key for p in dict(board.priorities)[2019]] == ["neglect", "exploitation"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("name"), "name: is missing (expected text)"),
        (lambda c: c.update(colour="blue"), "colour: is not a field of a board configuration"),
        (lambda c: c["agencies"][1].update(key=7), "agencies"),
        (lambda c: c.update(started_on="29/09/2019"), "started_on: expected a date as YYYY-MM-DD"),
        (lambda c: c["priorities"][0].update(year="2019-20"), "priorities[0].year: year: must read like 2016/17"),
    ],
)
def test_every_problem_names_the_field_and_the_line(tmp_path, change, message):
    config = json.loads(EXAMPLE.read_text())
    change(config)
    path = tmp_path / "board.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_config(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("board.json:")


def test_broken_json_names_line_and_column(tmp_path):
    path = tmp_path / "board.json"
    path.write_text('{\n  "key": "x",\n  "name" "y"\n}\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"board\.json:3:10: json: Expecting ':' delimiter"):
        read_config(path)


def test_init_on_the_command_line(tmp_path):
    made = run("init", str(EXAMPLE), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert json.loads(run("boards", "--json", cwd=tmp_path).stdout)["boards"][0]["key"] == "westmarch"
    again = run("init", str(EXAMPLE), cwd=tmp_path)
    assert again.returncode == 2 and "key: a board with this key already exists" in again.stderr


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c.update(started_on="2099-01-01"), "started_on: is in the future"),
        (lambda c: c.update(name="Board \u0000 (fictional)"), "name: holds a control character"),
        (lambda c: c.update(started_on="1800-01-01"), "started_on: is before 1900-01-01"),
    ],
)
def test_init_refused_by_a_rule_names_the_file_and_line_and_records_nothing(tmp_path, change, words):
    config = json.loads(EXAMPLE.read_text())
    change(config)
    path = tmp_path / "board.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    made = run("init", str(path), cwd=tmp_path)
    assert made.returncode == 2 and "Traceback" not in made.stderr
    assert re.search(r"board\.json:\d+:\d+: " + re.escape(words), made.stderr), made.stderr
    listed = run("boards", "--json", cwd=tmp_path)
    assert listed.returncode == 2 or json.loads(listed.stdout)["boards"] == []  # no store, or a store with no board


def test_init_records_the_board_and_its_priorities_in_one_command(tmp_path):
    config = json.loads(EXAMPLE.read_text())
    config["priorities"].append({"year": "1990/91", "priorities": [{"key": "early", "title": "Early"}]})
    path = tmp_path / "board.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    made = run("init", str(path), cwd=tmp_path)
    assert made.returncode == 2 and "Traceback" not in made.stderr
    # The entry of the list is named by its index, at the line of the year refused.
    index = len(config["priorities"]) - 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"1990/91"' in text)
    assert re.search(rf"board\.json:{line}:\d+: priorities\[{index}\]\.year: ", made.stderr), made.stderr
    listed = run("boards", "--json", cwd=tmp_path)
    assert (
        listed.returncode == 2 or json.loads(listed.stdout)["boards"] == []
    )  # the board was not recorded without them
