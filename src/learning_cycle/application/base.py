"""What every command shares: the clock, loading records, and running a unit of work."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from ..domain import Board, CycleAggregate, Indicator, Menu, indicator_id_for
from ..domain.base import RecordedEvent, violation
from ..domain.errors import AlreadyExists, NotFound
from ..domain.rules import check_value, rule_at
from ..domain.timescales import WorkingCalendar
from ..domain.values import check_key, check_not_future
from ..eventlog.log import EventLog
from .arguments import as_uuid
from .unit_of_work import Command, Done, UnitOfWork

A = TypeVar("A", bound=CycleAggregate[Any])
R = TypeVar("R")

USER_ENV = "LEARNING_CYCLE_USER"
"""The environment variable naming who records events, when ``user`` is not given."""


def recorder(user: str | None) -> str:
    """Who records events: ``user``, else ``$LEARNING_CYCLE_USER``, else the login name; checked
    as every name is (the ``recorded_by`` rule: one line, no control character), the error naming
    where it came from."""
    if user is not None:
        field, name = "user", user
    elif os.environ.get(USER_ENV):
        field, name = f"{USER_ENV} (the recorder's name, from the environment)", os.environ[USER_ENV]
    else:
        field, name = "user (the login name)", getpass.getuser()
    checked: str = check_value(field, rule_at(RecordedEvent, "recorded_by"), name, None, normalise=True)
    return checked


class Commands:
    """The plumbing of the commands; :class:`~.cycle.LearningCycle` sets its attributes."""

    log: EventLog
    menu: Menu
    user: str
    calendar: WorkingCalendar
    _today: Callable[[], date]
    _work: UnitOfWork

    def _on(self, on: date | None, field: str = "on") -> date:
        today = self._today()
        if on is None:
            return today
        return check_not_future(field, on, today)

    def _load(self, cls: type[A], board_id: UUID, ident: Any, field: str) -> A:
        ident = as_uuid(field, ident)
        aggregate = self.log.load(ident)
        if not isinstance(aggregate, cls):
            raise NotFound(cls.KIND, ident, field=field)
        if cls is not Board:
            aggregate.check_on_board(board_id, field)
        return aggregate

    def _load_begun(self, cls: type[A], board_id: UUID, ident: Any, field: str, on: date) -> A:
        """A record of the board that had begun by ``on``, for a link made on that day: a record
        cannot name one that did not exist yet (false history)."""
        aggregate = self._load(cls, board_id, ident, field)
        if aggregate.started_on > on:
            raise violation(
                field,
                str(aggregate.id),
                f"this {cls.KIND} began on {aggregate.started_on.isoformat()}, after {on.isoformat()}: "
                "a record cannot name one that did not exist yet",
            )
        return aggregate

    def _board(self, board_id: UUID) -> Board:
        return self._load(Board, board_id, board_id, "board_id")

    def _run(self, kind: str, ident: Any, command: Command[R]) -> R:
        """Decide and save ``command`` as one unit of work (see :class:`UnitOfWork`); its result."""
        return self._work.run(kind, ident, command).result

    def _create(
        self,
        kind: str,
        ident: UUID | None,
        field: str,
        value: Any,
        make: Command[R],
    ) -> R:
        def command() -> tuple[R, Sequence[CycleAggregate[Any]]]:
            if ident is not None and self.log.exists(ident):
                raise AlreadyExists(kind, field, value)
            return make()

        return self._run(kind, ident, command)

    def _update(self, cls: type[A], board_id: UUID, ident: Any, field: str, change: Callable[[A], None]) -> Done[None]:
        """Load one record, change it, save it; what was recorded."""

        def command() -> tuple[None, Sequence[CycleAggregate[Any]]]:
            aggregate = self._load(cls, board_id, ident, field)
            change(aggregate)
            return None, [aggregate]

        return self._work.run(cls.KIND, ident, command)

    def _indicator_id(self, board_id: UUID, key: str) -> UUID:
        check_key("indicator", key)
        return indicator_id_for(board_id, key)

    def _indicator(self, board_id: UUID, key: str, field: str = "indicator") -> Indicator:
        """The board's indicator with ``key``; :class:`NotFound` naming the key given (not an id)."""
        check_key(field, key)
        try:
            return self._load(Indicator, board_id, indicator_id_for(board_id, key), field)
        except NotFound:
            raise NotFound("indicator", key, field=field, by="key") from None
