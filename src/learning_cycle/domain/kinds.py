"""The one registry of the kinds of record: each kind's aggregate, state type, id field and topics.

Everything that needs to know the kinds (the read models folding events, import checking a
line's record, the event reference) asks here, so a seventh kind is added in one place.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import attrs

from .action import Action, ActionState
from .activity import Activity
from .activity_state import ActivityState
from .base import TOPIC_PREFIX, CycleAggregate
from .board import Board, BoardState
from .dissemination import Dissemination, DisseminationState
from .finding import Finding, FindingState
from .framework import Framework, FrameworkState
from .indicator import Indicator, IndicatorState
from .programme import Programme, ProgrammeState
from .returns import PeerReview, PeerReviewState, Return, ReturnsAnalysis, ReturnsAnalysisState, ReturnState


@attrs.frozen
class RecordKind:
    """One kind of record.

    :ivar name: the first part of its event topics (``Finding`` in ``learning_cycle/Finding.Raised``),
        and the kind the read models store.
    :ivar aggregate: the aggregate class that decides its events.
    :ivar state: the frozen state type its events fold into.
    :ivar id_field: the state's field holding the record's id.
    """

    name: str
    aggregate: type[CycleAggregate[Any]]
    state: type
    id_field: str

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


KINDS: tuple[RecordKind, ...] = (
    RecordKind("Board", Board, BoardState, "board_id"),
    RecordKind("Activity", Activity, ActivityState, "activity_id"),
    RecordKind("Finding", Finding, FindingState, "finding_id"),
    RecordKind("Action", Action, ActionState, "action_id"),
    RecordKind("Dissemination", Dissemination, DisseminationState, "dissemination_id"),
    RecordKind("Indicator", Indicator, IndicatorState, "indicator_id"),
    RecordKind("Framework", Framework, FrameworkState, "framework_id"),
    RecordKind("Return", Return, ReturnState, "return_id"),
    RecordKind("ReturnsAnalysis", ReturnsAnalysis, ReturnsAnalysisState, "analysis_id"),
    RecordKind("PeerReview", PeerReview, PeerReviewState, "peer_review_id"),
    RecordKind("Programme", Programme, ProgrammeState, "programme_id"),
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
