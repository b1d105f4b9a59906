"""Indicators and their measurements (the monitor stage).

Performance information is of three kinds (framework §2.5): how much, how well, and is anyone
better off. Each indicator has one measurement per period; a changed figure is recorded as a
correction, so the first figure stays in the log and reports can show the restatement.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid5

import attrs

from . import fields as field
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, take_effect, violation
from .rules import check_figure_in_unit
from .values import (
    Cadence,
    IndicatorKind,
    Measurement,
    Period,
    Polarity,
    YearStart,
    check_key,
    check_not_before,
    check_number,
    check_period_start,
    keys,
)

INDICATOR_NAMESPACE = UUID("a3c5e2f4-8d1b-4b7a-9e6f-3c2d1b0a9f88")


def indicator_id_for(board_id: UUID, key: str) -> UUID:
    """An indicator's id follows from its board and key: a key is defined once per board."""
    return uuid5(INDICATOR_NAMESPACE, f"{board_id}/{key}")


@attrs.frozen
class IndicatorState:
    indicator_id: UUID
    board_id: UUID
    key: str
    title: str
    kind: IndicatorKind
    unit: str
    polarity: Polarity
    cadence: Cadence
    target: float | None
    year_start: YearStart
    started_on: date
    finding_ids: tuple[UUID, ...]
    priorities: tuple[str, ...]
    measurements: tuple[Measurement, ...] = ()
    changed_on: tuple[tuple[str, date], ...] = ()
    """When each period's figure last changed (see :func:`~.base.take_effect`)."""

    def measurement(self, period_start: date) -> Measurement | None:
        for m in self.measurements:
            if m.period_start == period_start:
                return m
        return None

    def period(self, start: date, year_start: YearStart | None = None) -> Period:
        """The period starting on ``start``, named by the board's reporting year where it is given."""
        return Period(start, self.cadence, year_start)


def _period(start: date) -> str:
    return f"period {start.isoformat()}"


def _put(state: IndicatorState, measurement: Measurement) -> tuple[Measurement, ...]:
    others = [m for m in state.measurements if m.period_start != measurement.period_start]
    return tuple(sorted([*others, measurement], key=lambda m: m.period_start))


class Indicator(CycleAggregate[IndicatorState]):
    TOPIC = TOPIC_PREFIX + "Indicator"
    KIND = "indicator"

    class Event(RecordedEvent):
        pass

    class Defined(Event, CycleAggregate.Created):
        """The board defined a performance indicator."""

        TOPIC = TOPIC_PREFIX + "Indicator.Defined"
        board_id: UUID
        key: str
        title: str
        kind: IndicatorKind
        unit: str
        polarity: Polarity
        cadence: Cadence
        target: float | None
        year_start: YearStart
        finding_ids: tuple[UUID, ...]
        priorities: tuple[str, ...]

        def fold(self, _: None) -> IndicatorState:
            return IndicatorState(
                indicator_id=self.originator_id,
                board_id=self.board_id,
                key=self.key,
                title=self.title,
                kind=self.kind,
                unit=self.unit,
                polarity=self.polarity,
                cadence=self.cadence,
                target=self.target,
                year_start=self.year_start,
                started_on=self.effective_on,
                finding_ids=tuple(sorted(dict.fromkeys(self.finding_ids), key=str)),
                priorities=tuple(self.priorities),
            )

    Created = Defined  # eventsourcing looks for a class of this name

    class FindingsLinked(Event):
        """The indicator was named as evidence for more findings."""

        TOPIC = TOPIC_PREFIX + "Indicator.FindingsLinked"
        finding_ids: tuple[UUID, ...]

        def fold(self, s: IndicatorState) -> IndicatorState:
            linked = {*s.finding_ids, *self.finding_ids}
            return attrs.evolve(s, finding_ids=tuple(sorted(linked, key=str)))  # one order, however linked

    class MeasurementRecorded(Event):
        """A figure for one period. Its effective date is when the figure was reported."""

        TOPIC = TOPIC_PREFIX + "Indicator.MeasurementRecorded"
        period_start: date
        value: float
        source: str

        def fold(self, s: IndicatorState) -> IndicatorState:
            changes = take_effect(s.changed_on, self.effective_on, **{_period(self.period_start): self.value})
            if len(changes) > 1:  # no restatement of this period took effect later
                m = Measurement(self.period_start, self.value, self.effective_on, self.source)
                return attrs.evolve(s, measurements=_put(s, m), changed_on=changes["changed_on"])
            return s  # a restatement of this period took effect later

    class MeasurementCorrected(Event):
        """A figure already recorded was restated; the first figure stays in the log."""

        TOPIC = TOPIC_PREFIX + "Indicator.MeasurementCorrected"
        period_start: date
        value: float
        reason: str

        def fold(self, s: IndicatorState) -> IndicatorState:
            changes = take_effect(s.changed_on, self.effective_on, **{_period(self.period_start): self.value})
            if len(changes) == 1:  # a restatement of this period took effect later
                return s
            old = s.measurement(self.period_start)
            if old is None:  # a view as of a date before the figure was first reported
                old = Measurement(self.period_start, self.value, self.effective_on, "correction")
            m = attrs.evolve(old, value=self.value, corrected=True)
            return attrs.evolve(s, measurements=_put(s, m), changed_on=changes["changed_on"])

    @classmethod
    def define(
        cls,
        *,
        board_id: UUID,
        key: str,
        title: str,
        kind: IndicatorKind,
        unit: str,
        polarity: Polarity,
        cadence: Cadence,
        target: float | None,
        year_start: YearStart,
        finding_ids: tuple[UUID, ...],
        priorities: tuple[str, ...],
        on: date,
        by: str,
    ) -> Indicator:
        check_key("key", key)
        if target is not None:
            target = check_figure_in_unit("target", check_number("target", target), unit, kind)
        return cls.begin(
            cls.Defined,
            id=indicator_id_for(board_id, key),
            board_id=board_id,
            key=key,
            title=title,
            kind=IndicatorKind(kind),
            unit=unit,
            polarity=Polarity(polarity),
            cadence=Cadence(cadence),
            target=target,
            year_start=year_start,
            finding_ids=tuple(finding_ids),
            priorities=keys("priorities", priorities),
            effective_on=on,
            recorded_by=by,
        )

    def link_findings(self, finding_ids: tuple[UUID, ...], on: date, by: str) -> None:
        new = tuple(f for f in finding_ids if f not in self.state.finding_ids)
        if new:
            self.record(self.FindingsLinked, on, by, finding_ids=new)

    def record_measurement(self, period_start: date, value: float, source: str, on: date, by: str) -> None:
        s = self.state
        check_period_start("period_start", period_start, s.cadence, s.year_start)
        value = check_figure_in_unit("value", check_number("value", value), s.unit, s.kind)
        existing = s.measurement(period_start)
        if existing is not None:
            raise violation(
                "period_start",
                period_start,
                f"{s.key} already has a figure for {s.period(period_start).label} ({existing.value:g}); record a correction instead",
            )
        check_not_before("on", on, period_start, "the start of the period it measures")
        self.record(self.MeasurementRecorded, on, by, period_start=period_start, value=value, source=source)

    def correct_measurement(self, period_start: date, value: float, reason: str, on: date, by: str) -> None:
        s = self.state
        check_period_start("period_start", period_start, s.cadence, s.year_start)
        value = check_figure_in_unit("value", check_number("value", value), s.unit, s.kind)
        existing = s.measurement(period_start)
        if existing is None:
            raise violation(
                "period_start", period_start, f"{s.key} has no figure for {s.period(period_start).label} to correct"
            )
        check_not_before("on", on, existing.recorded_on, "the day the figure was reported")
        self.record(self.MeasurementCorrected, on, by, period_start=period_start, value=value, reason=reason)


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    Indicator.Event,
    IndicatorState,
    indicator_id=field.plain("indicator"),
    board_id=field.plain("board"),
    key=field.key("indicator key"),
    title=field.short("title"),
    kind=field.choice(
        "kind of measure",
        how_much="How much? (quantity)",
        how_well="How well did we do? (quality)",
        better_off="Is anyone better off? (outcomes)",
    ),
    unit=field.short("unit"),
    polarity=field.choice("which way is better"),
    cadence=field.choice("cadence"),
    target=field.figure("target"),
    year_start=field.plain("start of the reporting year"),
    started_on=field.plain("defined on"),
    finding_ids=field.plain("findings"),
    priorities=field.key("priorities"),
    measurements=field.plain("figures"),
    changed_on=field.plain("last changed"),
    period_start=field.due("period starting"),
    value=field.figure("figure"),
    reason=field.long("reason"),
    source=field.short("source"),
)
