"""The year's quality-assurance programme (framework §2.1): what the board plans to learn about in a
reporting year, each item informed by the year's priorities and by case reviews' action plans.

One programme per board and reporting year; its id follows from both (:func:`programme_id_for`).
An item is delivered when an activity of that year is commissioned for it (the activity's
``programme_item``): the stock-take shows planned against delivered.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid5

import attrs

from . import fields as field
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, violation
from .values import keys

PROGRAMME_NAMESPACE = UUID("5d0c7a52-3a1e-4d4b-9a36-2f3f4a0c1e24")


def programme_id_for(board_id: UUID, year: int) -> UUID:
    """A programme's id follows from its board and the first calendar year of its reporting year."""
    return uuid5(PROGRAMME_NAMESPACE, f"{board_id}/{year}")


@attrs.frozen
class ProgrammeItem:
    """One planned item of the programme: what is to be learnt, and what informed it."""

    item: str
    title: str
    priorities: tuple[str, ...]
    """The keys of the year's priorities that informed it."""
    action_ids: tuple[UUID, ...]
    """The actions of case reviews' action plans that informed it."""
    planned_on: date


@attrs.frozen
class ProgrammeState:
    programme_id: UUID
    board_id: UUID
    year: int
    """The first calendar year of the reporting year (2016 for 2016/17)."""
    started_on: date
    """The date the programme was first planned."""
    items: tuple[ProgrammeItem, ...] = ()

    def item(self, key: str) -> ProgrammeItem | None:
        return next((i for i in self.items if i.item == key), None)


class Programme(CycleAggregate[ProgrammeState]):
    """A board's quality-assurance programme for one reporting year."""

    TOPIC = TOPIC_PREFIX + "Programme"
    KIND = "programme"

    class Event(RecordedEvent):
        pass

    class Planned(Event, CycleAggregate.Created):
        """The board began planning its quality-assurance programme for a reporting year."""

        TOPIC = TOPIC_PREFIX + "Programme.Planned"
        board_id: UUID
        year: int

        def fold(self, _: None) -> ProgrammeState:
            return ProgrammeState(
                programme_id=self.originator_id, board_id=self.board_id, year=self.year, started_on=self.effective_on
            )

    Created = Planned  # eventsourcing looks for a class of this name

    class ItemPlanned(Event):
        """An item was planned in the programme, with the priorities and case reviews' actions that
        informed it."""

        TOPIC = TOPIC_PREFIX + "Programme.ItemPlanned"
        item: str
        title: str
        priorities: tuple[str, ...]
        action_ids: tuple[UUID, ...]

        def fold(self, s: ProgrammeState) -> ProgrammeState:
            planned = ProgrammeItem(
                self.item, self.title, tuple(self.priorities), tuple(self.action_ids), self.effective_on
            )
            return attrs.evolve(s, items=(*s.items, planned))

    # -- commands ----------------------------------------------------------------------

    @classmethod
    def plan(cls, *, board_id: UUID, year: int, on: date, by: str) -> Programme:
        return cls.begin(
            cls.Planned,
            board_id=board_id,
            year=year,
            effective_on=on,
            recorded_by=by,
            id=programme_id_for(board_id, year),
        )

    def plan_item(
        self,
        *,
        item: str,
        title: str,
        priorities: tuple[str, ...],
        action_ids: tuple[UUID, ...],
        on: date,
        by: str,
    ) -> None:
        if self.state.item(item) is not None:
            raise violation("item", item, "is already an item of this programme")
        self.record(
            self.ItemPlanned,
            on,
            by,
            item=item,
            title=title,
            priorities=keys("priorities", priorities),
            action_ids=tuple(action_ids),
        )


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    ProgrammeItem,
    item=field.key("programme item"),
    title=field.short("title"),
    priorities=field.key("priorities that informed it"),
    action_ids=field.plain("case reviews' actions that informed it"),
    planned_on=field.plain("planned on"),
)
field.declare(
    Programme.Event,
    ProgrammeState,
    programme_id=field.plain("quality-assurance programme"),
    board_id=field.plain("board"),
    year=field.year("reporting year"),
    started_on=field.plain("planned on"),
    items=field.plain("planned items"),
    item=field.declared(ProgrammeItem)["item"],
    title=field.declared(ProgrammeItem)["title"],
    priorities=field.declared(ProgrammeItem)["priorities"],
    action_ids=field.declared(ProgrammeItem)["action_ids"],
)
