"""Events are forever: a log in the format of the first release replays, now and after every change."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from learning_cycle.interchange import export_log, import_log
from learning_cycle.projections.store import Views

from .conftest import boards, open_cycle, records

FIXTURE = Path(__file__).parent / "fixtures" / "log-0.1.jsonl"
"""Exported by learning-cycle 0.1 (every event type at least once). Never edit or regenerate it."""


ADDED_IN_V2 = {
    "learning_cycle/Activity.Commissioned": (
        "subgroup",
        "prompted_by_activity",
        "prompted_by_finding",
        "prompted_by_priority",
        "prompted_by_indicator",
        "programme_item",
    ),
    "learning_cycle/Finding.Raised": ("subgroup",),
    "learning_cycle/Finding.CheckRecorded": ("made_by",),
}
"""The fields issue 24 added to events of the first release, each upcast from version 1 as none."""


def test_the_first_release_log_replays(tmp_path):
    lines = [json.loads(t) for t in FIXTURE.read_text(encoding="utf-8").splitlines()]
    assert {line["class_version"] for line in lines} == {1}
    with open_cycle(tmp_path / "replay.sqlite") as lc:
        result = import_log(lc.log, FIXTURE)
        assert (result.lines, result.recorded) == (42, 42)
        (board,) = boards(lc)
        assert board.key == "every-event"
        assert [a.key for a in board.agencies] == ["csc", "police", "health"]
        assert [m.agency_key for m in board.memberships if m.left_on is not None] == ["police"]
        (finding,) = list(records(lc, board.board_id).findings)
        assert finding.statement == "Transfers were not followed up"
        assert finding.stage.value == "monitor"
        (indicator,) = list(records(lc, board.board_id).indicators)
        assert [(m.value, m.corrected) for m in indicator.measurements] == [(60.0, True)]
        with Views.of(lc) as views:
            assert views.verify().ok
            assert views.status(board.board_id).by_stage["monitor"] == 1
        again = tmp_path / "again.jsonl"
        with again.open("w", encoding="utf-8") as f:
            assert export_log(lc.log, f) == 42


def test_the_split_agency_field_is_upcast_from_the_first_release(tmp_path):
    """Board.AgencyJoined version 2 split version 1's ``agency`` object into ``agency_key`` and
    ``agency_name``: old lines are upcast when read, and exported again as version 2."""
    with open_cycle(tmp_path / "replay.sqlite") as lc:
        import_log(lc.log, FIXTURE)
        out = tmp_path / "now.jsonl"
        with out.open("w", encoding="utf-8") as f:
            export_log(lc.log, f)
    old = [json.loads(t) for t in FIXTURE.read_text(encoding="utf-8").splitlines()]
    new = [json.loads(t) for t in out.read_text(encoding="utf-8").splitlines()]
    for before, after in zip(old, new, strict=True):
        if before["topic"] == "learning_cycle/Board.AgencyJoined":
            assert (before["class_version"], before["payload"]) == (1, {"agency": {"key": "health", "name": "Health"}})
            assert (after["class_version"], after["payload"]) == (2, {"agency_key": "health", "agency_name": "Health"})
        elif before["topic"] in ADDED_IN_V2:  # issue 24: fields added, read as none from version 1
            added = dict.fromkeys(ADDED_IN_V2[before["topic"]])
            assert (after["class_version"], after["payload"]) == (2, {**before["payload"], **added})
            assert {k: v for k, v in after.items() if k not in ("class_version", "payload")} == {
                k: v for k, v in before.items() if k not in ("class_version", "payload")
            }
        elif before["topic"] == "learning_cycle/Dissemination.FeedbackRecorded":  # version 2 adds two figures
            assert (before["class_version"], after["class_version"]) == (1, 2)
            assert after["payload"] == {**before["payload"], "satisfied": None, "impact": None}
            assert {**after, "class_version": 1, "payload": before["payload"]} == before
        else:
            assert before == after
    schemas = Path(__file__).resolve().parents[1] / "schemas" / "events"
    import jsonschema

    v1 = json.loads((schemas / "Board.AgencyJoined.v1.schema.json").read_text())
    v2 = json.loads((schemas / "Board.AgencyJoined.v2.schema.json").read_text())
    joined_old = next(line for line in old if line["topic"].endswith("AgencyJoined"))
    joined_new = next(line for line in new if line["topic"].endswith("AgencyJoined"))
    jsonschema.validate(joined_old, v1)
    jsonschema.validate(joined_new, v2)


def test_events_stored_at_version_1_in_an_old_database_still_replay(tmp_path):
    """A SQLite file written by release 0.1 holds version 1 JSON; reading it upcasts."""
    from eventsourcing.persistence import StoredEvent

    with open_cycle(tmp_path / "old.sqlite") as lc:
        stored = []
        for text in FIXTURE.read_text(encoding="utf-8").splitlines():
            line = json.loads(text)
            state = {"timestamp": line["recorded_at"]}
            if line["originator_version"] == 1:
                state["originator_topic"] = line["topic"].rsplit(".", 1)[0]
            state["class_version"] = line["class_version"]
            state.update({"effective_on": line["effective_on"], "recorded_by": line["recorded_by"], **line["payload"]})
            data = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            stored.append(StoredEvent(UUID(line["originator_id"]), line["originator_version"], line["topic"], data))
        lc.log.recorder.insert_events(stored)
    with open_cycle(tmp_path / "old.sqlite") as lc:
        (board,) = boards(lc)
        assert [(a.key, a.name) for a in board.agencies] == [
            ("csc", "Social Care"),
            ("police", "Police"),
            ("health", "Health"),
        ]
        joined = [e for e in lc.history(board.board_id) if type(e).__name__ == "AgencyJoined"]
        assert [(e.agency_key, e.agency_name) for e in joined] == [("health", "Health")]
        with Views.of(lc) as views:
            assert views.verify().ok
