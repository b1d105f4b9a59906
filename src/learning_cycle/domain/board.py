"""The board: a multi-agency safeguarding children partnership and its set-up."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID, uuid5

import attrs

from . import fields as field
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, take_effect, violation
from .errors import InvalidValue, UnknownAgency, UnknownDistrict
from .measures import MeasureChoice, chosen
from .values import Agency, Priority, ReportingYear, YearStart, check_key, keys

BOARD_NAMESPACE = UUID("5b0f3c52-3a0e-4a59-9d0d-2f0c7a8e6c11")


def board_id_for(key: str) -> UUID:
    """A board's id follows from its key, so a key can be used only once in a store."""
    return uuid5(BOARD_NAMESPACE, f"board/{key}")


@attrs.frozen
class StockTake:
    """An annual stock-take (business planning day) and what it decided."""

    held_on: date
    year: int
    decisions: tuple[str, ...]
    next_priorities: tuple[Priority, ...]


@attrs.frozen
class Membership:
    """A spell of an agency's partnership with the board: from ``joined_on`` until ``left_on``."""

    agency_key: str
    joined_on: date
    left_on: date | None = None

    def covers(self, on: date) -> bool:
        return self.joined_on <= on and (self.left_on is None or on < self.left_on)


@attrs.frozen
class BoardState:
    board_id: UUID
    key: str
    name: str
    year_start: YearStart
    started_on: date
    agencies: tuple[Agency, ...] = ()
    memberships: tuple[Membership, ...] = ()
    districts: tuple[str, ...] = ()
    subgroups: tuple[str, ...] = ()
    priorities: tuple[tuple[int, tuple[Priority, ...]], ...] = ()
    stock_takes: tuple[StockTake, ...] = ()
    changed_on: tuple[tuple[str, date], ...] = ()
    """When each year's priorities last changed (see :func:`~.base.take_effect`)."""
    measures: tuple[MeasureChoice, ...] = ()
    """The board's choices of outcome measures, in the order they took effect."""

    def measure_choice(self, measure: str, on: date) -> MeasureChoice | None:
        """The board's last choice about ``measure`` that had taken effect by ``on``."""
        made = [c for c in self.measures if c.measure == measure and c.on <= on]
        return made[-1] if made else None

    def reports_measure(self, measure: str, on: date, *, by_default: bool = False) -> bool:
        """Whether the board's reports of ``on`` carry ``measure``: as the board last chose by then;
        with no choice made, a measure adopted by default (the first-party ones) is carried, any
        other is not (docs/plugins.md, "Which measures a board reports")."""
        choice = self.measure_choice(measure, on)
        return by_default if choice is None else choice.adopted

    @property
    def current_agencies(self) -> tuple[str, ...]:
        """The keys of the agencies that are partners now (have not left)."""
        return tuple(m.agency_key for m in self.memberships if m.left_on is None)

    def agencies_on(self, on: date) -> tuple[str, ...]:
        """The keys of the agencies that were partners on the date ``on``."""
        return tuple(dict.fromkeys(m.agency_key for m in self.memberships if m.covers(on)))

    def agency_name(self, key: str) -> str:
        for agency in self.agencies:
            if agency.key == key:
                return agency.name
        return key

    def priorities_for(self, year: ReportingYear) -> tuple[Priority, ...]:
        return dict(self.priorities).get(year.first, ())

    def year_of(self, on: date) -> ReportingYear:
        return self.year_start.year_of(on)


class Board(CycleAggregate[BoardState]):
    """A partnership: its agencies, districts, sub-groups, reporting year, priorities and stock-takes."""

    TOPIC = TOPIC_PREFIX + "Board"
    KIND = "board"

    class Event(RecordedEvent):
        pass

    class Created(Event, CycleAggregate.Created):
        """A board was set up."""

        TOPIC = TOPIC_PREFIX + "Board.Created"
        key: str
        name: str
        year_start: YearStart
        agencies: tuple[Agency, ...]
        districts: tuple[str, ...]
        subgroups: tuple[str, ...]

        def fold(self, _: None) -> BoardState:
            return BoardState(
                board_id=self.originator_id,
                key=self.key,
                name=self.name,
                year_start=self.year_start,
                started_on=self.effective_on,
                agencies=tuple(self.agencies),
                memberships=tuple(Membership(a.key, self.effective_on) for a in self.agencies),
                districts=tuple(self.districts),
                subgroups=tuple(self.subgroups),
            )

    class AgencyJoined(Event):
        """A partner agency joined the board.

        Version 2 names the agency by ``agency_key`` and ``agency_name``, as ``AgencyLeft`` does;
        version 1 carried one ``agency`` object (``{"key": ..., "name": ...}``), split on reading.
        """

        TOPIC = TOPIC_PREFIX + "Board.AgencyJoined"
        class_version = 2
        agency_key: str
        agency_name: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            agency = state.pop("agency")
            state["agency_key"] = agency["key"]
            state["agency_name"] = agency["name"]

        def fold(self, s: BoardState) -> BoardState:
            agency = Agency(self.agency_key, self.agency_name)
            agencies = (*tuple(a for a in s.agencies if a.key != agency.key), agency)
            return attrs.evolve(
                s, agencies=agencies, memberships=(*s.memberships, Membership(agency.key, self.effective_on))
            )

    class AgencyLeft(Event):
        """A partner agency left the board; its history stays."""

        TOPIC = TOPIC_PREFIX + "Board.AgencyLeft"
        agency_key: str
        reason: str

        def fold(self, s: BoardState) -> BoardState:
            memberships = tuple(
                attrs.evolve(m, left_on=self.effective_on)
                if m.agency_key == self.agency_key and m.left_on is None
                else m
                for m in s.memberships
            )
            return attrs.evolve(s, memberships=memberships)

    class DistrictAdded(Event):
        """A district was added to the board (roadshows and reach are counted by district)."""

        TOPIC = TOPIC_PREFIX + "Board.DistrictAdded"
        district: str

        def fold(self, s: BoardState) -> BoardState:
            return attrs.evolve(s, districts=(*s.districts, self.district))

    class SubgroupAdded(Event):
        """A sub-group of the board was set up."""

        TOPIC = TOPIC_PREFIX + "Board.SubgroupAdded"
        subgroup: str

        def fold(self, s: BoardState) -> BoardState:
            return attrs.evolve(s, subgroups=(*s.subgroups, self.subgroup))

    class PrioritiesSet(Event):
        """The board set its priorities for a reporting year (replacing any set before)."""

        TOPIC = TOPIC_PREFIX + "Board.PrioritiesSet"
        year: int
        priorities: tuple[Priority, ...]

        def fold(self, s: BoardState) -> BoardState:
            changes = take_effect(s.changed_on, self.effective_on, **{_year(self.year): tuple(self.priorities)})
            table = dict(s.priorities)
            if len(changes) > 1:  # no later-effective setting of this year's priorities
                table[self.year] = tuple(self.priorities)
            return attrs.evolve(s, priorities=tuple(sorted(table.items())), changed_on=changes["changed_on"])

    class StockTakeHeld(Event):
        """The annual stock-take was held; it sets next year's priorities."""

        TOPIC = TOPIC_PREFIX + "Board.StockTakeHeld"
        year: int
        decisions: tuple[str, ...]
        next_priorities: tuple[Priority, ...]

        def fold(self, s: BoardState) -> BoardState:
            held = StockTake(self.effective_on, self.year, tuple(self.decisions), tuple(self.next_priorities))
            table = dict(s.priorities)
            changed = s.changed_on
            if self.next_priorities:
                changes = take_effect(changed, self.effective_on, **{_year(self.year + 1): tuple(self.next_priorities)})
                changed = changes["changed_on"]
                if len(changes) > 1:
                    table[self.year + 1] = tuple(self.next_priorities)
            taken = tuple(sorted((*s.stock_takes, held), key=_held))  # by year and day, however recorded
            return attrs.evolve(s, stock_takes=taken, priorities=tuple(sorted(table.items())), changed_on=changed)

    class MeasureAdopted(Event):
        """The board adopted an outcome measure for its reports, from the day it takes effect; for a
        measure of an outcome statement, the indicators the statement rests on."""

        TOPIC = TOPIC_PREFIX + "Board.MeasureAdopted"
        measure: str
        indicators: tuple[str, ...]

        def fold(self, s: BoardState) -> BoardState:
            made = MeasureChoice(self.measure, self.effective_on, True, tuple(self.indicators))
            return attrs.evolve(s, measures=chosen(s.measures, made))

    class MeasureDropped(Event):
        """The board stopped reporting an outcome measure, from the day it takes effect."""

        TOPIC = TOPIC_PREFIX + "Board.MeasureDropped"
        measure: str
        reason: str

        def fold(self, s: BoardState) -> BoardState:
            return attrs.evolve(s, measures=chosen(s.measures, MeasureChoice(self.measure, self.effective_on, False)))

    class RestrictedMaterialRead(Event):
        """Someone read the material of reports not published, explicitly (docs/security.md).
        The board's state does not change: the event is the access log."""

        TOPIC = TOPIC_PREFIX + "Board.RestrictedMaterialRead"
        query: str
        """What was read: a verb or a view query (``status``, ``stocktake 2015/16``...)."""

        def fold(self, s: BoardState) -> BoardState:
            return s

    class LogChained(Event):
        """The store's log was chained late, by ``learning-cycle chain``: its events 1 to
        ``chained_until`` (recorded by a version that did not chain) were linked then. Recorded on
        every board of the store, chained as any event; the board's state does not change."""

        TOPIC = TOPIC_PREFIX + "Board.LogChained"
        chained_until: int
        """The last position linked late (the store's positions, before this event)."""

        def fold(self, s: BoardState) -> BoardState:
            return s

    # -- commands ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        key: str,
        name: str,
        year_start: YearStart,
        agencies: tuple[Agency, ...],
        districts: tuple[str, ...],
        subgroups: tuple[str, ...],
        on: date,
        by: str,
    ) -> Board:
        check_key("key", key)
        for what, values in (("agencies", [a.key for a in agencies]), ("districts", districts)):
            keys(what, values)
        return cls.begin(
            cls.Created,
            id=board_id_for(key),
            key=key,
            name=name,
            year_start=year_start,
            agencies=tuple(agencies),
            districts=tuple(districts),
            subgroups=tuple(subgroups),
            effective_on=on,
            recorded_by=by,
        )

    def join_agency(self, agency: Agency, on: date, by: str) -> None:
        if agency.key in self.state.current_agencies:
            raise violation("agency.key", agency.key, "is already a partner agency of the board")
        self.record(self.AgencyJoined, on, by, agency_key=agency.key, agency_name=agency.name)

    def leave_agency(self, agency_key: str, reason: str, on: date, by: str) -> None:
        self.check_agency("agency_key", agency_key, on)
        self.record(self.AgencyLeft, on, by, agency_key=agency_key, reason=reason)

    def add_district(self, district: str, on: date, by: str) -> None:
        check_key("district", district)
        if district in self.state.districts:
            raise violation("district", district, "is already a district of the board")
        self.record(self.DistrictAdded, on, by, district=district)

    def add_subgroup(self, subgroup: str, on: date, by: str) -> None:
        if subgroup in self.state.subgroups:
            raise violation("subgroup", subgroup, "is already a sub-group of the board")
        self.record(self.SubgroupAdded, on, by, subgroup=subgroup)

    def check_year(self, field: str, year: ReportingYear, on: date, *, ahead: int = 0) -> None:
        """A reporting year of the board's life: from the year it began to the year of ``on``
        (and ``ahead`` more, for priorities set in advance)."""
        s = self.state
        first, current = s.year_of(s.started_on), s.year_of(on)
        if year.first < first.first:
            raise violation(field, year.label, f"is before the board's first reporting year ({first.label})")
        if year.first > current.first + ahead:
            latest = ReportingYear(current.first + ahead, s.year_start)
            raise violation(field, year.label, f"is after {latest.label}, as of {on.isoformat()}")

    def set_priorities(self, year: ReportingYear, priorities: tuple[Priority, ...], on: date, by: str) -> None:
        self.check_year("year", year, on, ahead=1)
        keys("priorities", [p.key for p in priorities])
        self.record(self.PrioritiesSet, on, by, year=year.first, priorities=tuple(priorities))

    def hold_stock_take(
        self, year: ReportingYear, decisions: tuple[str, ...], next_priorities: tuple[Priority, ...], on: date, by: str
    ) -> None:
        self.check_year("year", year, on)
        keys("next_priorities", [p.key for p in next_priorities])
        if any(st.year == year.first for st in self.state.stock_takes):
            raise violation("year", year.label, "a stock-take for this year is already recorded")
        self.record(
            self.StockTakeHeld,
            on,
            by,
            year=year.first,
            decisions=tuple(decisions),
            next_priorities=tuple(next_priorities),
        )

    def adopt_measure(self, measure: str, indicators: tuple[str, ...], on: date, by: str) -> None:
        check_key("measure", measure)
        keys("indicators", indicators)
        choice = self.state.measure_choice(measure, on)
        if choice is not None and choice.adopted and choice.indicators == tuple(indicators):
            raise violation("measure", measure, f"was already adopted on {choice.on.isoformat()}")
        self.record(self.MeasureAdopted, on, by, measure=measure, indicators=tuple(indicators))

    def drop_measure(self, measure: str, reason: str, on: date, by: str) -> None:
        check_key("measure", measure)
        choice = self.state.measure_choice(measure, on)
        if choice is not None and not choice.adopted:
            raise violation("measure", measure, f"was already dropped on {choice.on.isoformat()}")
        self.record(self.MeasureDropped, on, by, measure=measure, reason=reason)

    def read_restricted(self, query: str, on: date, by: str) -> None:
        """Log a read of restricted material: who (``by``), when, and what (``query``)."""
        self.record(self.RestrictedMaterialRead, on, by, query=query)

    def log_chained(self, chained_until: int, on: date, by: str) -> None:
        """Record that the store's events 1 to ``chained_until`` were chained late, by ``by``."""
        self.record(self.LogChained, on, by, chained_until=chained_until)

    # -- guards used by other commands --------------------------------------------------

    def check_agency(self, field: str, key: str, on: date) -> str:
        """``key`` must name an agency that was a partner on the date ``on`` (history may be backfilled)."""
        partners = self.state.agencies_on(on)
        if key not in partners:
            raise UnknownAgency(field, key, partners)
        return key

    def check_agencies(self, field: str, agency_keys: tuple[str, ...], on: date) -> tuple[str, ...]:
        agency_keys = keys(field, agency_keys)
        for key in agency_keys:
            self.check_agency(field, key, on)
        return agency_keys

    def check_references(self, values: Mapping[str, Any]) -> None:
        """The board's keys an event of one of its records names (its field values): ``agencies``
        and ``owner`` must be partners on the event's effective date, ``districts`` the board's.
        Import checks a line with this, as the commands check their arguments."""
        on = values["effective_on"]
        if values.get("agencies"):
            self.check_agencies("agencies", tuple(values["agencies"]), on)
        if values.get("owner") is not None:
            self.check_agency("owner", values["owner"], on)
        if values.get("districts"):
            self.check_districts("districts", tuple(values["districts"]))

    def check_districts(self, field: str, districts: tuple[str, ...]) -> tuple[str, ...]:
        districts = keys(field, districts)
        for district in districts:
            if district not in self.state.districts:
                raise UnknownDistrict(field, district, self.state.districts)
        return districts


__all__ = ["Board", "BoardState", "InvalidValue", "MeasureChoice", "Membership", "StockTake", "board_id_for"]


def _year(first: int) -> str:
    return f"priorities {first}"


def _held(stock_take: StockTake) -> tuple[int, date]:
    return stock_take.year, stock_take.held_on


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    Membership, agency_key=field.key("agency"), joined_on=field.plain("joined on"), left_on=field.plain("left on")
)
field.declare(
    StockTake,
    held_on=field.plain("held on"),
    year=field.year("reporting year"),
    decisions=field.long("decisions"),
    next_priorities=field.plain("next year's priorities"),
)
field.declare(
    Board.Event,
    BoardState,
    board_id=field.plain("board"),
    key=field.key("board key"),
    name=field.short("board name"),
    year_start=field.plain("start of the reporting year"),
    started_on=field.plain("set up on"),
    agencies=field.plain("partner agencies"),
    memberships=field.plain("memberships"),
    districts=field.key("districts"),
    subgroups=field.short("subgroups"),
    priorities=field.plain("priorities"),
    stock_takes=field.plain("stock-takes"),
    changed_on=field.plain("last changed"),
    agency_key=field.key("agency"),
    agency_name=field.short("agency name"),
    reason=field.long("reason"),
    district=field.key("district"),
    chained_until=field.count("events chained"),
    year=field.year("reporting year"),
    query=field.short("what was read"),
    decisions=field.long("decisions"),
    next_priorities=field.plain("next year's priorities"),
    subgroup=field.short("subgroup"),
    measures=field.plain("outcome measures chosen"),
    measure=field.key("outcome measure"),
    indicators=field.key("indicators it rests on"),
)
