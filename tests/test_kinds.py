"""The one registry of record kinds: every event belongs to exactly one kind, and its state's id
field holds the record's id."""

from __future__ import annotations

from learning_cycle.domain import event_classes
from learning_cycle.domain.kinds import KINDS, kind_of_state, kind_of_topic

from .conftest import records


def test_every_event_class_has_the_kind_of_the_aggregate_it_is_declared_in():
    for cls in event_classes():
        kind = kind_of_topic(cls.TOPIC)
        assert kind is not None, cls.TOPIC
        assert cls.__qualname__.split(".")[0] == kind.aggregate.__name__
        assert cls.TOPIC.startswith(kind.topic + ".")
    assert {kind_of_topic(c.TOPIC).name for c in event_classes()} == {k.name for k in KINDS}


def test_a_topic_of_no_kind_of_ours_has_none():
    for topic in ("other/Board.Created", "learning_cycle/Ghost.Created", "Board.Created", ""):
        assert kind_of_topic(topic) is None


def test_each_record_of_a_board_is_found_by_its_state_under_its_own_id(board):
    held = records(board.lc, board.board_id)
    ids = {
        "Board": held.board.board_id,
        "Activity": board.activity_id,
        "Finding": board.finding_id,
    }
    for state in (held.board, *held.activities, *held.findings):
        kind = kind_of_state(state)
        assert kind.id_of(state) == ids[kind.name]
        assert board.lc.history(kind.id_of(state))[0].TOPIC.startswith(kind.topic + ".")
