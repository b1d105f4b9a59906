"""Every event type survives a real SQLite file: what is read back equals what was recorded."""

from __future__ import annotations

import sqlite3

from learning_cycle import event_classes

from .conftest import boards, open_cycle, records
from .everything import record_every_event_type


def test_every_event_type_round_trips_through_the_store(store):
    sqlite_path = store
    recorded = []
    with open_cycle(sqlite_path) as writer:
        writer.subscribe(recorded.extend)
        record_every_event_type(writer)

    with open_cycle(sqlite_path) as reader:
        read_back = list(reader.follow())

    assert [(n.position, n.topic) for n in read_back] == [(n.position, n.topic) for n in recorded]
    for original, stored in zip(recorded, read_back, strict=True):
        assert stored.event == original.event
        assert vars(stored.event) == vars(original.event)
        assert type(stored.event) is type(original.event)
    assert {n.topic for n in read_back} == {cls.TOPIC for cls in event_classes()}, "every event type is covered"


def test_stored_events_carry_explicit_topics_and_class_versions(sqlite_path):
    with open_cycle(sqlite_path) as lc:
        record_every_event_type(lc)
    with sqlite3.connect(sqlite_path) as db:
        rows = db.execute("SELECT topic, state FROM stored_events").fetchall()
    import json

    for topic, state in rows:
        assert topic.startswith("learning_cycle/")
        payload = json.loads(state)
        assert payload["class_version"] >= 1
        assert payload["recorded_by"] == "test analyst"
        assert len(payload["effective_on"]) == 10


def test_aggregates_rebuilt_from_a_reopened_store_equal_the_live_ones(store):
    sqlite_path = store
    with open_cycle(sqlite_path) as lc:
        record_every_event_type(lc)
        board_id = boards(lc)[0].board_id
        live = (
            boards(lc),
            list(records(lc, board_id).activities),
            list(records(lc, board_id).findings),
            list(records(lc, board_id).actions),
            list(records(lc, board_id).disseminations),
            list(records(lc, board_id).indicators),
        )
    with open_cycle(sqlite_path) as reopened:
        again = (
            boards(reopened),
            list(records(reopened, board_id).activities),
            list(records(reopened, board_id).findings),
            list(records(reopened, board_id).actions),
            list(records(reopened, board_id).disseminations),
            list(records(reopened, board_id).indicators),
        )
    assert again == live


def test_event_reference_in_docs_is_generated_from_the_code():
    import runpy
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    render = runpy.run_path(str(root / "tools" / "gen_events_doc.py"))["render"]
    assert (root / "docs" / "events.md").read_text(encoding="utf-8") == render(), (
        "docs/events.md is out of step: run `python tools/gen_events_doc.py`"
    )
