"""What every aggregate and event of learning-cycle shares.

Every event carries two times and an author:

* ``timestamp``: when it was recorded (set by the library, UTC);
* ``effective_on``: when it happened in the world, which may be years earlier (backfilled history);
* ``recorded_by``: who recorded it.

Every event class has an explicit, stable ``TOPIC`` (a public contract: stored logs name it) and a
``class_version``. When an event's shape changes, its ``class_version`` goes up and the class gets a
static ``upcast_vN_vN1(state: dict) -> None`` that rewrites the stored JSON of the older version.

Aggregates keep their state in one frozen attrs object, ``state``, which queries hand out as it is;
each event's :meth:`RecordedEvent.fold` makes the next one (the one fold of a record kind).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from . import fields as field
from .errors import InvalidValue, NotFound, RuleViolation
from .rules import check_event
from .values import check_not_before


class RecordState(Protocol):
    """What every record's state has: the board it belongs to and the day it began."""

    @property
    def board_id(self) -> UUID: ...

    @property
    def started_on(self) -> date: ...


S = TypeVar("S", bound=RecordState)
A = TypeVar("A", bound="CycleAggregate[Any]")

TOPIC_PREFIX = "learning_cycle/"


class RecordedEvent(Aggregate.Event):
    """Base of every learning-cycle event: an effective date and who recorded it.

    Each event class says, in :meth:`fold`, what it makes of its record's state: a pure function
    of the state before (``None`` for the event that creates the record) and the event. The
    record kind's fold is the ``fold`` of its events; the aggregate (:meth:`apply`), the
    maintained views and the as-of fold (:mod:`learning_cycle.projections.fold`) all use it, so
    they cannot disagree."""

    class_version = 1
    effective_on: date
    recorded_by: str

    def fold(self, state: Any) -> Any:
        """The record's state after this event (``state``: before it; ``None`` for a creation)."""
        raise NotImplementedError(f"{type(self).__qualname__} does not say what it makes of the state")

    def apply(self, aggregate: Any) -> None:
        aggregate.state = self.fold(getattr(aggregate, "state", None))


class CycleAggregate(Aggregate, Generic[S]):
    """Base of the learning-cycle aggregates: a frozen ``state`` and a board it belongs to."""

    KIND: ClassVar[str] = "record"
    if TYPE_CHECKING:  # for the type checker only: an annotation at run time would make
        # eventsourcing treat the aggregate as a dataclass with that field. The state is set by
        # each event's apply() (RecordedEvent.apply: ``aggregate.state = event.fold(...)``).
        state: S

    @property
    def board_id(self) -> UUID:
        return self.state.board_id

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """A cheap copy for the repository's cache: the state is immutable and shared; only the
        attributes and the list of pending events are the copy's own."""
        clone = copy.copy(self)
        clone.__dict__["_pending_events"] = list(self.__dict__.get("_pending_events", ()))
        return clone

    @classmethod
    def begin(cls: type[A], event_class: type[RecordedEvent], **fields: Any) -> A:
        """A new record, made by its first event, whose every field is checked by the value rules
        (:mod:`.rules`) first."""
        if not issubclass(event_class, Aggregate.Created):
            raise TypeError(f"{event_class.__qualname__} does not create a record")
        return cls._create(event_class, **check_event(event_class, fields))

    def record(self, event_class: type[RecordedEvent], on: date, by: str, **fields: Any) -> None:
        """Trigger ``event_class`` effective ``on``, recorded ``by``; every field is checked by the
        value rules (:mod:`.rules`) first."""
        check_not_before("on", on, self.started_on, f"this {self.KIND} began")
        checked = check_event(event_class, {**fields, "effective_on": on, "recorded_by": by})
        self.trigger_event(event_class, **checked)

    @property
    def started_on(self) -> date:
        return self.state.started_on

    def check_on_board(self, board_id: UUID, field: str | None = None) -> None:
        """Every command is scoped to one board: a record of another board is not found."""
        if self.state.board_id != board_id:
            raise NotFound(self.KIND, self.id, field=field)


Changed = tuple[tuple[str, date], ...]
"""When each field a later event may change last took effect (a state's ``changed_on``)."""


def take_effect(changed: Changed, on: date, **values: Any) -> dict[str, Any]:
    """The changes an event taking effect ``on`` makes to fields whose last change wins: each of
    ``values`` (``None`` leaves a field as it is) unless a change of that field already took effect
    later, and ``changed_on``, the new record of when each field last changed.

    A change backfilled today but effective before another one gives way to it, so a record's
    state is the same whatever order its events were recorded in: the state the commands see, the
    views maintained in recorded order and a view as of any date folded by effective date agree.
    Of two changes on the same day, the one recorded later wins."""
    dates = dict(changed)
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        last = dates.get(name)
        if last is not None and on < last:
            continue
        dates[name] = on
        changes[name] = value
    changes["changed_on"] = tuple(sorted(dates.items()))
    return changes


def violation(field: str, value: Any, reason: str) -> RuleViolation:
    return RuleViolation(field, value, reason)


__all__ = ["TOPIC_PREFIX", "CycleAggregate", "InvalidValue", "RecordedEvent", "violation"]


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    RecordedEvent,
    effective_on=field.effective("took effect on"),
    recorded_by=field.short("recorded by"),
    # what eventsourcing keeps of every event
    originator_id=field.plain("record"),
    originator_version=field.plain("place in the record's history"),
    timestamp=field.plain("recorded at"),
    originator_topic=field.plain("kind of record"),
)
