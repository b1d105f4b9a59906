"""Value types of the learning cycle: frozen, comparable, validated on creation.

These are the words of the domain. Events carry them; queries return them. Nothing
here does I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

import attrs

from . import fields as field
from .errors import InvalidValue
from .rules import FIRST_YEAR as FIRST_YEAR  # the one set of rules, re-exported
from .rules import KEY_PATTERN as KEY_PATTERN
from .rules import LAST_YEAR as LAST_YEAR
from .rules import check_key as check_key
from .rules import check_text as check_text


class Stage(StrEnum):
    """The four stages of the learning and improvement cycle, in order."""

    LEARN = "learn"
    ACT = "act"
    TRAIN = "train"
    MONITOR = "monitor"

    @property
    def rank(self) -> int:
        return _STAGE_ORDER.index(self)


_STAGE_ORDER = [Stage.LEARN, Stage.ACT, Stage.TRAIN, Stage.MONITOR]


class Level(StrEnum):
    """Where learning lands (framework §2.7)."""

    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    ORGANISATIONAL = "organisational"
    INDIVIDUAL = "individual"


class Nature(StrEnum):
    """Whether a finding is good practice to spread or a problem to put right."""

    GOOD_PRACTICE = "good_practice"
    PROBLEM = "problem"


class IndicatorKind(StrEnum):
    """The three kinds of performance information (framework §2.5)."""

    HOW_MUCH = "how_much"
    HOW_WELL = "how_well"
    BETTER_OFF = "better_off"


class Polarity(StrEnum):
    """Which direction of an indicator is better."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"


class Cadence(StrEnum):
    """How often an indicator is measured. Periods are named by their first day."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class Channel(StrEnum):
    """How learning is fed into workforce development (framework §3.4)."""

    TRAINING_COURSE = "training_course"
    ALERT = "alert"
    BRIEFING = "briefing"
    ROADSHOW = "roadshow"
    LEARNING_CIRCLE = "learning_circle"
    SUPERVISION = "supervision"
    BOARD_MEMBER_LINK = "board_member_link"
    OTHER = "other"
    SOCIAL_MEDIA = "social_media"


class CheckKind(StrEnum):
    """How a finding was re-checked (framework §3.6)."""

    RE_AUDIT = "re_audit"
    THEMED_AUDIT = "themed_audit"
    SECTION_11_AUDIT = "section_11_audit"
    SECTION_175_AUDIT = "section_175_audit"
    PEER_REVIEW = "peer_review"
    INDICATOR_REVIEW = "indicator_review"


class CheckResult(StrEnum):
    """What a monitoring check found."""

    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSE = "worse"


class PublicationStatus(StrEnum):
    """The transparency decision on a final report (framework §3.5)."""

    PUBLISHED = "published"
    WITHHELD = "withheld"
    DELAYED = "delayed"


class ActivityStatus(StrEnum):
    COMMISSIONED = "commissioned"
    STARTED = "started"
    COMPLETED = "completed"
    CLOSED = "closed"


class ActionStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


# -- checks shared by value types and aggregates ---------------------------------------


def check_optional_text(field: str, value: Any) -> str | None:
    return None if value is None else check_text(field, value)


def check_date(field: str, value: Any) -> date:
    if not isinstance(value, date) or type(value) is not date:
        raise InvalidValue(field, value, "must be a date")
    return value


def check_not_future(field: str, value: date, today: date) -> date:
    """Effective dates say when something happened in the world: never later than today."""
    check_date(field, value)
    if value > today:
        raise InvalidValue(field, value, f"is in the future (today is {today.isoformat()})")
    return value


def check_not_before(field: str, value: date, earliest: date, what: str) -> date:
    if value < earliest:
        raise InvalidValue(field, value, f"is before {what} ({earliest.isoformat()})")
    return value


def check_number(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidValue(field, value, "must be a finite number")
    return float(value)


def _tuple_of_keys(field: str) -> Callable[[Any], tuple[str, ...]]:
    def convert(value: Any) -> tuple[str, ...]:
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            raise InvalidValue(field, value, "must be a list of keys")
        items = tuple(value)
        for item in items:
            check_key(field, item)
        if len(set(items)) != len(items):
            raise InvalidValue(field, value, "must not repeat a key")
        return items

    return convert


def keys(field: str, value: Any) -> tuple[str, ...]:
    """A tuple of distinct keys (themes, tags, agencies)."""
    return _tuple_of_keys(field)(value)


# -- value types -----------------------------------------------------------------------


def _text_validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_text(attribute.name, value)


def _key_validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_key(attribute.name, value)


@attrs.frozen
class YearStart:
    """The first day of a board's reporting year; 1 April by default, so years read 2015/16."""

    month: int = attrs.field(default=4, validator=attrs.validators.in_(range(1, 13)))
    day: int = attrs.field(default=1, validator=attrs.validators.in_(range(1, 29)))

    def year_of(self, on: date) -> ReportingYear:
        """The reporting year that ``on`` falls in."""
        start = date(on.year, self.month, self.day)
        first = on.year if on >= start else on.year - 1
        return ReportingYear(first, self)


@attrs.frozen(order=True)
class ReportingYear:
    """A board's reporting year, named by the calendar year it starts in: 2015 reads "2015/16"."""

    first: int
    start: YearStart = attrs.field(factory=YearStart, eq=False, order=False)

    @property
    def starts_on(self) -> date:
        return date(self.first, self.start.month, self.start.day)

    @property
    def ends_on(self) -> date:
        """The last day of the year (inclusive)."""
        return date.fromordinal(date(self.first + 1, self.start.month, self.start.day).toordinal() - 1)

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day) == (1, 1):
            return str(self.first)
        return f"{self.first}/{(self.first + 1) % 100:02d}"

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @classmethod
    def parse(cls, text: str, start: YearStart | None = None) -> ReportingYear:
        """Parse "2016/17" (or "2016" for a calendar-year board)."""
        start = start or YearStart()
        match = re.fullmatch(r"(\d{4})(?:/(\d{2}))?", text.strip()) if isinstance(text, str) else None
        if not match:
            raise InvalidValue("year", text, "must read like 2016/17")
        first = int(match.group(1))
        if match.group(2) is not None and int(match.group(2)) != (first + 1) % 100:
            raise InvalidValue("year", text, f"the second part must be {(first + 1) % 100:02d}")
        if not FIRST_YEAR <= first <= LAST_YEAR:
            raise InvalidValue("year", text, f"must be a reporting year from {FIRST_YEAR} to {LAST_YEAR}")
        return cls(first, start)


@attrs.frozen
class Agency:
    """A partner agency of the board: a stable key and a display name."""

    key: str = attrs.field(validator=_key_validator)
    name: str = attrs.field(validator=_text_validator)


@attrs.frozen
class Priority:
    """A board priority (or theme) for a reporting year."""

    key: str = attrs.field(validator=_key_validator)
    title: str = attrs.field(validator=_text_validator)


@attrs.frozen
class VoiceOfChild:
    """Whether, and how, children's and families' views informed a piece of learning."""

    informed: bool = attrs.field(validator=attrs.validators.instance_of(bool))
    how: str = ""

    def __attrs_post_init__(self) -> None:
        if self.informed and not self.how.strip():
            raise InvalidValue("voice_of_child.how", self.how, "say how children's or families' views informed it")


VOICE_NOT_RECORDED = VoiceOfChild(informed=False, how="")


@attrs.frozen
class PublicationDecision:
    """The decision whether to publish a final report: published, withheld or delayed."""

    status: PublicationStatus = attrs.field(converter=PublicationStatus)
    reference: str | None = None
    reason: str | None = None
    review_on: date | None = None

    def __attrs_post_init__(self) -> None:
        if self.status is PublicationStatus.PUBLISHED:
            check_text("publication.reference", self.reference)
        else:
            check_text("publication.reason", self.reason)
        if self.status is PublicationStatus.DELAYED and self.review_on is None:
            raise InvalidValue("publication.review_on", None, "a delayed publication needs a review date")


@attrs.frozen
class Period:
    """A measurement period, named by its first day."""

    start: date
    cadence: Cadence
    year_start: YearStart | None = None
    """The board's reporting-year start: a quarter is named by its place in the board's year."""

    @property
    def label(self) -> str:
        if self.cadence is Cadence.MONTHLY:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.cadence is Cadence.QUARTERLY:
            return self._quarter()
        return ReportingYear(self.start.year, YearStart(self.start.month, self.start.day)).label

    def _quarter(self) -> str:
        """A quarter by the board's reporting year: January to March 2016 on a board whose year starts
        in April is "Q4 2015/16"; on a calendar-year board "Q1 2016". Without a year start, or one that
        is not the first day of a calendar quarter, the quarter reads by its months."""
        ys = self.year_start
        if ys is None or ys.day != 1 or ys.month not in (1, 4, 7, 10):
            return f"{self.start:%B} to {self.ends_on:%B %Y}"
        return f"Q{(self.start.month - ys.month) % 12 // 3 + 1} {ys.year_of(self.start).label}"

    @property
    def ends_on(self) -> date:
        months = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.ANNUAL: 12}[self.cadence]
        month = self.start.month - 1 + months
        return date.fromordinal(date(self.start.year + month // 12, month % 12 + 1, self.start.day).toordinal() - 1)


def check_period_start(field: str, start: date, cadence: Cadence, year_start: YearStart) -> date:
    """A period's first day must fit the cadence: the 1st of a month, of a calendar quarter, or the
    board's reporting-year start."""
    check_date(field, start)
    if cadence is Cadence.MONTHLY and start.day != 1:
        raise InvalidValue(field, start, "a monthly period starts on the 1st of a month")
    if cadence is Cadence.QUARTERLY and (start.day != 1 or start.month not in (1, 4, 7, 10)):
        raise InvalidValue(field, start, "a quarterly period starts on 1 January, April, July or October")
    if cadence is Cadence.ANNUAL and (start.month, start.day) != (year_start.month, year_start.day):
        raise InvalidValue(
            field, start, f"an annual period starts on the board's year start ({year_start.day}/{year_start.month})"
        )
    return start


@attrs.frozen
class Measurement:
    """One figure for one period, as it stands (after any corrections)."""

    period_start: date
    value: float
    recorded_on: date
    source: str
    corrected: bool = False


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(Agency, key=field.key("agency key"), name=field.short("agency name"))
field.declare(Priority, key=field.key("priority key"), title=field.short("priority"))
field.declare(
    YearStart, month=field.plain("month the reporting year starts"), day=field.plain("day the reporting year starts")
)
field.declare(
    VoiceOfChild,
    informed=field.plain("children's views informed it"),
    how=field.note("how children's views informed it"),
)
field.declare(
    PublicationDecision,
    status=field.choice("publication decision"),
    reference=field.short("publication reference"),
    reason=field.long("reason for the decision"),
    review_on=field.deadline("to be reviewed on"),
)
field.declare(
    Measurement,
    period_start=field.due("period starting"),
    value=field.figure("figure"),
    recorded_on=field.plain("recorded on"),
    source=field.short("source"),
    corrected=field.plain("corrected"),
)
