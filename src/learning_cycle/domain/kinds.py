"""The one registry of the kinds of record: each kind's aggregate, state type, id field and topics.

Everything that needs to know the kinds (the read models folding events, import checking a
line's record, the event reference) asks here, so a seventh kind is added in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import lru_cache
from typing import Any
from uuid import UUID

import attrs

from .action import Action, ActionState
from .activity import Activity
from .activity_state import ActivityState
from .base import TOPIC_PREFIX, CycleAggregate
from .board import Board, BoardState, board_id_for
from .dissemination import Dissemination, DisseminationState
from .finding import Finding, FindingState
from .framework import Framework, FrameworkState, framework_id_for
from .indicator import Indicator, IndicatorState, indicator_id_for
from .programme import Programme, ProgrammeState, programme_id_for
from .returns import (
    PeerReview,
    PeerReviewState,
    Return,
    ReturnsAnalysis,
    ReturnsAnalysisState,
    ReturnState,
    analysis_id_for,
    peer_review_id_for,
    return_id_for,
)


@attrs.frozen
class RecordKind:
    """One kind of record.

    :ivar name: the first part of its event topics (``Finding`` in ``learning_cycle/Finding.Raised``),
        and the kind the read models store.
    :ivar aggregate: the aggregate class that decides its events.
    :ivar state: the frozen state type its events fold into.
    :ivar id_field: the state's field holding the record's id.
    :ivar natural_key: the fields of its first event its id is made from, when it has a natural
        key (one board per key, one return per board, audit, organisation and year, ...); empty
        when its id is any UUID.
    :ivar natural_id: makes the id from those fields' values, in that order.
    """

    name: str
    aggregate: type[CycleAggregate[Any]]
    state: type
    id_field: str
    natural_key: tuple[str, ...] = ()
    natural_id: Callable[..., UUID] | None = None

    @property
    def topic(self) -> str:
        """The aggregate's topic (``learning_cycle/Finding``); its events' topics begin with it and a dot."""
        return TOPIC_PREFIX + self.name

    @property
    def label(self) -> str:
        """How messages name a record of this kind (``finding``)."""
        return self.aggregate.KIND

    def id_of(self, state: Any) -> Any:
        return getattr(state, self.id_field)

    def expected_id(self, values: Mapping[str, Any]) -> UUID | None:
        """The id a record of this kind must have, made from its first event's ``values``
        (``None``: any id). Every command makes it so; import refuses a line that does not."""
        if self.natural_id is None:
            return None
        return self.natural_id(*(_plain(values[name]) for name in self.natural_key))

    def natural_words(self, values: Mapping[str, Any]) -> str:
        """The natural key in words: ``key 'northshire'``; ``board_id 5b0f..., year 2016``."""
        plain = ((name, _plain(values[name])) for name in self.natural_key)
        return ", ".join(f"{name} {value!r}" if isinstance(value, str) else f"{name} {value}" for name, value in plain)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


KINDS: tuple[RecordKind, ...] = (
    RecordKind("Board", Board, BoardState, "board_id", ("key",), board_id_for),
    RecordKind("Activity", Activity, ActivityState, "activity_id"),
    RecordKind("Finding", Finding, FindingState, "finding_id"),
    RecordKind("Action", Action, ActionState, "action_id"),
    RecordKind("Dissemination", Dissemination, DisseminationState, "dissemination_id"),
    RecordKind("Indicator", Indicator, IndicatorState, "indicator_id", ("board_id", "key"), indicator_id_for),
    RecordKind("Framework", Framework, FrameworkState, "framework_id", ("board_id",), framework_id_for),
    RecordKind(
        "Return", Return, ReturnState, "return_id", ("board_id", "audit", "organisation", "year"), return_id_for
    ),
    RecordKind(
        "ReturnsAnalysis",
        ReturnsAnalysis,
        ReturnsAnalysisState,
        "analysis_id",
        ("board_id", "audit", "year"),
        analysis_id_for,
    ),
    RecordKind("PeerReview", PeerReview, PeerReviewState, "peer_review_id", ("board_id", "year"), peer_review_id_for),
    RecordKind("Programme", Programme, ProgrammeState, "programme_id", ("board_id", "year"), programme_id_for),
)
BY_NAME: dict[str, RecordKind] = {k.name: k for k in KINDS}
BY_STATE: dict[type, RecordKind] = {k.state: k for k in KINDS}


@lru_cache(maxsize=1024)
def kind_of_topic(topic: str) -> RecordKind | None:
    """The kind whose events have ``topic`` (``None`` for a topic of no kind of ours)."""
    if not topic.startswith(TOPIC_PREFIX):
        return None
    return BY_NAME.get(topic[len(TOPIC_PREFIX) :].split(".", 1)[0])


def kind_of_state(state: Any) -> RecordKind:
    return BY_STATE[type(state)]
