"""Queries of one record at a time (by id), and of the log."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from ..domain import (
    Action,
    ActionState,
    Activity,
    ActivityState,
    Board,
    BoardState,
    Dissemination,
    DisseminationState,
    Finding,
    FindingState,
    Indicator,
    IndicatorState,
    RecordedEvent,
    board_id_for,
)
from ..domain.base import CycleAggregate, S
from ..domain.errors import InvalidValue, NotFound
from ..domain.programme import Programme, ProgrammeState
from ..domain.timescales import Deadline
from ..domain.values import check_key
from ..eventlog.log import RecordedNotice
from .arguments import as_uuid
from .base import Commands


class Queries(Commands):
    """Read one record (at a version), its history, and follow the log."""

    def board(self, board_id: UUID, *, version: int | None = None) -> BoardState:
        return self._state(Board, board_id, board_id, "board_id", version)

    def board_id(self, key: str) -> UUID:
        """The id of the board with ``key``; :class:`NotFound` if there is none."""
        ident = board_id_for(check_key("key", key))
        if not self.log.exists(ident):
            raise NotFound("board", key, field="board", by="key")
        return ident

    def activity(self, board_id: UUID, activity_id: UUID, *, version: int | None = None) -> ActivityState:
        return self._state(Activity, board_id, activity_id, "activity_id", version)

    def deadlines(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> tuple[Deadline, ...] | None:
        """Where each of the activity's method timescales stands on ``on`` (default today),
        worked out from its recorded events; ``None`` if its method is not on the menu."""
        state = self.activity(board_id, activity_id)
        timescales = self.menu.timescales(state.method)
        if timescales is None:
            return None
        return state.deadlines(timescales, on or self._today(), self.calendar)

    def finding(self, board_id: UUID, finding_id: UUID, *, version: int | None = None) -> FindingState:
        return self._state(Finding, board_id, finding_id, "finding_id", version)

    def action(self, board_id: UUID, action_id: UUID, *, version: int | None = None) -> ActionState:
        return self._state(Action, board_id, action_id, "action_id", version)

    def dissemination(
        self, board_id: UUID, dissemination_id: UUID, *, version: int | None = None
    ) -> DisseminationState:
        return self._state(Dissemination, board_id, dissemination_id, "dissemination_id", version)

    def programme(self, board_id: UUID, programme_id: UUID, *, version: int | None = None) -> ProgrammeState:
        """A quality-assurance programme (its id: ``programme_id_for(board_id, first year)``)."""
        return self._state(Programme, board_id, programme_id, "programme_id", version)

    def indicator(self, board_id: UUID, key: str, *, version: int | None = None) -> IndicatorState:
        try:
            return self._state(Indicator, board_id, self._indicator_id(board_id, key), "indicator", version)
        except NotFound:
            raise NotFound("indicator", key, field="indicator", by="key") from None

    def version_of(self, ident: UUID | str) -> int:
        """The current version (number of events) of any record."""
        found = self.log.load(as_uuid("id", ident))
        if found is None:
            raise NotFound("record", ident)
        version: int = found.version
        return version

    def history(self, ident: UUID) -> list[RecordedEvent]:
        """Every event of one record, oldest first."""
        events = self.log.record_events(as_uuid("id", ident))
        if not events:
            raise NotFound("record", ident)
        return events

    def _state(self, cls: type[CycleAggregate[S]], board_id: UUID, ident: Any, field: str, version: int | None) -> S:
        if version is None:
            return self._load(cls, board_id, ident, field).state
        if not isinstance(version, int) or version < 1:
            raise InvalidValue("version", version, "must be a whole number from 1")
        ident = as_uuid(field, ident)
        aggregate = self.log.load(ident, version=version)
        if not isinstance(aggregate, cls):
            raise NotFound(cls.KIND, ident, field=field)
        aggregate.check_on_board(board_id, field)
        return aggregate.state

    def subscribe(self, listener: Callable[[list[RecordedNotice]], None]) -> Callable[[], None]:
        """Call ``listener`` with the events of each command this object records, right after
        they are saved. Returns a function that unsubscribes. For events recorded by other
        processes, use :meth:`follow` with the last position seen."""
        listeners = self._work.listeners
        listeners.append(listener)
        return lambda: listeners.remove(listener) if listener in listeners else None

    def position(self) -> int:
        """The position of the last recorded event (0 when the log is empty)."""
        return self.log.position()

    def follow(self, after: int = 0, *, topics: Sequence[str] = (), batch: int = 500) -> Iterator[RecordedNotice]:
        """The recorded events after position ``after``, in recorded order, up to the end of the
        log as it is now. Keep the last position you saw and pass it next time to follow on."""
        return self.log.read(after, topics=topics, batch=batch)
