"""Working-day timescales: when a review is due, counted the way the statutory guidance counts.

A method's timescale is a number of **working days** from one milestone of an activity to
another (e.g. a rapid review: 15 working days from commissioning, the day of the serious
incident notification, to completion). Working days are Monday to Friday, except the bank
holidays of England and Wales, which come from the maintained ``holidays`` package, never a
hand-typed list. The clock can be paused (e.g. during parallel criminal proceedings) and
resumed; working days inside a pause do not count.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache

import attrs

from . import fields as field

#: The milestones of an activity a timescale can run from or to, and the state field holding each.
MILESTONES: dict[str, str] = {
    "commissioned": "started_on",
    "started": "work_started_on",
    "completed": "completed_on",
    "report_approved": "report_approved_on",
    "publication_decided": "publication_decided_on",
    "closed": "closed_on",
}


def _milestone(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in MILESTONES:
        known = ", ".join(MILESTONES)
        raise ValueError(f"{attribute.name} {value!r} is not an activity milestone (known: {known})")


@attrs.frozen
class Timescale:
    """How long a step of a method is expected to take, in working days (England and Wales).

    :param working_days: how many working days are allowed.
    :param from_event: the milestone the clock starts at (the day itself does not count).
    :param to_event: the milestone that meets the timescale.
    :param note: where the timescale comes from, in words.
    """

    working_days: int = attrs.field(validator=attrs.validators.ge(1))
    from_event: str = attrs.field(default="commissioned", validator=_milestone)
    to_event: str = attrs.field(default="completed", validator=_milestone)
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.working_days} working days from {self.from_event} to {self.to_event}"


@attrs.frozen
class ClockPause:
    """A stretch during which an activity's timescale clock stood still.

    Days from ``paused_on`` up to the day before ``resumed_on`` do not count; ``resumed_on`` is
    ``None`` while the clock is still paused.
    """

    paused_on: date
    reason: str
    resumed_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.paused_on <= day and (self.resumed_on is None or day < self.resumed_on)


class WorkingCalendar:
    """Which days are working days.

    :param holiday: a predicate for non-working weekdays. The default is the bank holidays of
        England and Wales from the ``holidays`` package (England and Wales share one list).
    """

    def __init__(self, holiday: Callable[[date], bool] | None = None) -> None:
        self._holiday = holiday if holiday is not None else england_and_wales_bank_holiday

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self._holiday(day)

    def add_working_days(self, start: date, days: int, pauses: Iterable[ClockPause] = ()) -> date | None:
        """The day on which ``days`` working days after ``start`` have passed, not counting
        days inside ``pauses``; ``None`` if an open pause stops the clock first."""
        pauses = tuple(pauses)
        day, counted = start, 0
        while counted < days:
            day += timedelta(days=1)
            pause = next((p for p in pauses if p.covers(day)), None)
            if pause is not None:
                if pause.resumed_on is None:
                    return None
                day = pause.resumed_on - timedelta(days=1)
                continue
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date, pauses: Iterable[ClockPause] = ()) -> int:
        """Working days after ``start`` up to and including ``end``, not counting paused days."""
        pauses = tuple(pauses)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day) and not any(p.covers(day) for p in pauses):
                count += 1
        return count


@lru_cache(maxsize=4096)
def england_and_wales_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays  # a maintained list; imported on first use

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


ENGLAND_AND_WALES = WorkingCalendar()


class DeadlineStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    """The milestone the clock runs from has not been reached."""
    PAUSED = "paused"
    ON_TRACK = "on_track"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


@attrs.frozen
class Deadline:
    """One timescale of an activity, worked out from its recorded events as of a date."""

    timescale: Timescale
    starts_on: date | None
    due_on: date | None
    met_on: date | None
    status: DeadlineStatus
    working_days_used: int
    """Working days counted so far (to the day it was met, or to the as-of date), pauses excluded."""


def deadline(
    milestones: dict[str, date | None],
    pauses: Iterable[ClockPause],
    timescale: Timescale,
    on: date,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> Deadline:
    """Where ``timescale`` stands on ``on``, given the dates ``milestones`` were reached and the
    clock's ``pauses`` (only what happened on or before ``on`` counts)."""
    start = milestones.get(timescale.from_event)
    met = milestones.get(timescale.to_event)
    if start is None or start > on:
        return Deadline(timescale, None, None, None, DeadlineStatus.NOT_STARTED, 0)
    if met is not None and met > on:
        met = None
    known = tuple(
        attrs.evolve(p, resumed_on=None if p.resumed_on is None or p.resumed_on > on else p.resumed_on)
        for p in pauses
        if p.paused_on <= on
    )
    due = calendar.add_working_days(start, timescale.working_days, known)
    used = calendar.working_days_between(start, met or on, known)
    if met is not None:
        late = due is not None and met > due
        status = DeadlineStatus.MET_LATE if late else DeadlineStatus.MET
    elif due is None:
        status = DeadlineStatus.PAUSED
    else:
        status = DeadlineStatus.OVERDUE if on > due else DeadlineStatus.ON_TRACK
    return Deadline(timescale, start, due, met, status, used)


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    ClockPause, paused_on=field.plain("paused on"), reason=field.long("reason"), resumed_on=field.plain("resumed on")
)
