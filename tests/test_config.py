"""The board configuration file: checked against its schema's rules, every problem named."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from learning_cycle import BadInput
from learning_cycle.interchange.config import apply_config, read_config

from .conftest import open_cycle
from .test_cli import run

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
    assert json.loads(run("boards", "--json", cwd=tmp_path).stdout)[0]["key"] == "westmarch"
    again = run("init", str(EXAMPLE), cwd=tmp_path)
    assert again.returncode == 2 and "key: a board with this key already exists" in again.stderr
