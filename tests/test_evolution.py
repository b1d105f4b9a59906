"""Events are forever: a log in the format of the first release replays, now and after every change."""

from __future__ import annotations

import json
from pathlib import Path

from learning_cycle.interchange import export_log, import_log
from learning_cycle.projections.store import Views

from .conftest import open_cycle

FIXTURE = Path(__file__).parent / "fixtures" / "log-0.1.jsonl"
"""Exported by learning-cycle 0.1 (every event type at least once). Never edit or regenerate it."""


def test_the_first_release_log_replays(tmp_path):
    lines = [json.loads(t) for t in FIXTURE.read_text(encoding="utf-8").splitlines()]
    assert {line["class_version"] for line in lines} == {1}
    with open_cycle(tmp_path / "replay.sqlite") as lc:
        result = import_log(lc, FIXTURE)
        assert (result.lines, result.recorded) == (42, 42)
        (board,) = lc.boards()
        assert board.key == "every-event"
        assert [a.key for a in board.agencies] == ["csc", "police", "health"]
        assert [m.agency_key for m in board.memberships if m.left_on is not None] == ["police"]
        (finding,) = lc.findings(board.board_id)
        assert finding.statement == "Transfers were not followed up"
        assert finding.stage.value == "monitor"
        (indicator,) = lc.indicators(board.board_id)
        assert [(m.value, m.corrected) for m in indicator.measurements] == [(60.0, True)]
        with Views(lc) as views:
            assert views.verify().ok
            assert views.status(board.board_id).by_stage["monitor"] == 1
        again = tmp_path / "again.jsonl"
        with again.open("w", encoding="utf-8") as f:
            assert export_log(lc, f) == 42
