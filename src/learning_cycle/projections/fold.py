"""Folding events into record states, on both time axes.

A view is built from the events of one board: each record's events folded into its state by the
one fold of its kind (each event's :meth:`~learning_cycle.domain.base.RecordedEvent.fold`, which
the aggregates apply too), kept in a light :class:`Shell` with the record's id, kind and version.
Two filters choose the events:

* ``as_of`` (an effective date): only events that took effect on or before it, i.e. the world as
  it was on that date, as far as the log knows;
* ``as_known_at`` (a recorded moment): only events recorded at or before it, i.e. what the log
  held at that moment.

Both may be given. Skipping an event never breaks a later one: the folds are total.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from ..domain.action import ActionState
from ..domain.activity_state import ActivityState
from ..domain.base import CycleAggregate
from ..domain.board import BoardState
from ..domain.dissemination import DisseminationState
from ..domain.finding import FindingState
from ..domain.framework import FrameworkState
from ..domain.indicator import IndicatorState
from ..domain.kinds import KINDS, kind_of_state, kind_of_topic
from ..domain.outcomes import BoardRecords
from ..domain.programme import ProgrammeState
from ..domain.returns import PeerReviewState, ReturnsAnalysisState, ReturnState

#: The state type of each kind of record, by its name (the registry's: :mod:`learning_cycle.domain.kinds`).
STATE_TYPES: dict[str, type] = {k.name: k.state for k in KINDS}


def kind_of(topic: str) -> str:
    """``learning_cycle/Finding.Raised`` -> ``Finding``."""
    kind = kind_of_topic(topic)
    if kind is None:
        raise ValueError(f"{topic!r} is the topic of no kind of record")
    return kind.name


class Shell:
    """A record in a view: its id, kind, state (folded by its events) and version."""

    __slots__ = ("_board", "id", "kind", "state", "version")

    def __init__(self, ident: UUID, kind: str, state: Any = None, version: int = 0) -> None:
        self.id, self.kind, self.state, self.version = ident, kind, state, version
        self._board: str | None = None

    @property
    def board_id(self) -> UUID:
        return self.state.board_id

    @property
    def board(self) -> str:
        """The board's id as text (made once: a record never changes board)."""
        if self._board is None:
            self._board = str(self.state.board_id)
        return self._board


def event_topic(event: Any) -> str:
    return type(event).TOPIC


def is_known(event: Any, as_of: date | None, as_known_at: datetime | None) -> bool:
    if as_known_at is not None and event.timestamp > as_known_at:
        return False
    return as_of is None or event.effective_on <= as_of


def apply(shell: Shell | None, event: Any) -> Shell | None:
    """Apply one event; a record whose creation is not (yet) applied stays absent."""
    if shell is None:
        if not isinstance(event, CycleAggregate.Created):
            return None  # the record's creation was filtered out: it does not exist in this view
        shell = Shell(event.originator_id, kind_of(event_topic(event)))
    shell.state = event.fold(shell.state)
    shell.version = max(shell.version, event.originator_version)  # (an as-of fold applies by effective date)
    return shell


def fold(events: Iterable[Any], *, as_of: date | None = None, as_known_at: datetime | None = None) -> dict[UUID, Shell]:
    """The records the ``events`` make, on both time axes: of each record, the events known at
    ``as_known_at`` that took effect by ``as_of``, applied in the order they took effect (then the
    order they were recorded). A fact backfilled later but effective earlier is applied in its place,
    so a view as of a date between the two shows the world as it was on that date. Events of
    one record come in version order."""
    by_record: dict[UUID, list[Any]] = {}
    for event in events:
        if is_known(event, as_of, as_known_at):
            by_record.setdefault(event.originator_id, []).append(event)
    shells: dict[UUID, Shell] = {}
    for ident, known in by_record.items():
        known.sort(key=_taking_effect)  # stable: the version order of the same day is kept
        shell = None
        for event in known:
            shell = apply(shell, event)
        if shell is not None:
            shells[ident] = shell
    return shells


def _taking_effect(event: Any) -> tuple[bool, date]:
    """A record's creation first (nothing of it can take effect before it), then by effective date."""
    return not isinstance(event, CycleAggregate.Created), event.effective_on


def board_records(board: BoardState, states: Iterable[Any], as_of: date, *, exists: bool = True) -> BoardRecords:
    """Group the states of one board's records into :class:`BoardRecords`, each list in the
    order the records began (then by id, so the order never depends on storage)."""
    by_kind: dict[type, list[Any]] = {t: [] for t in STATE_TYPES.values()}
    for state in states:
        by_kind[type(state)].append(state)
    ordered = {t: tuple(sorted(v, key=_order)) for t, v in by_kind.items()}
    return BoardRecords(
        board=board,
        as_of=as_of,
        activities=ordered[ActivityState] if exists else (),
        findings=ordered[FindingState] if exists else (),
        actions=ordered[ActionState] if exists else (),
        disseminations=ordered[DisseminationState] if exists else (),
        indicators=ordered[IndicatorState] if exists else (),
        frameworks=ordered[FrameworkState] if exists else (),
        returns=ordered[ReturnState] if exists else (),
        analyses=ordered[ReturnsAnalysisState] if exists else (),
        peer_reviews=ordered[PeerReviewState] if exists else (),
        programmes=ordered[ProgrammeState] if exists else (),
    )


def _order(state: Any) -> tuple[date, str]:
    return state.started_on, str(_ident(state))


def _ident(state: Any) -> UUID:
    """A state's own id (not the id of the record it refers to, such as an action's finding)."""
    return kind_of_state(state).id_of(state)
