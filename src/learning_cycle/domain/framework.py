"""The board's learning and improvement framework as a record (framework §1 and §5 d).

One record a board: adopted (its name, who agreed it, the principles it commits to, a summary),
reviewed (kept or revised, with what changed), and reviewed each year at the business planning
day after that year's learning stock-take (the annual review). Its id follows from the board's.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid5

import attrs

from . import fields as field
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, take_effect, violation
from .board import StockTake
from .values import ReportingYear, check_not_before

FRAMEWORK_NAMESPACE = UUID("7d4b1c9e-2f3a-4e58-9b61-0c8a5e7f3d24")


def framework_id_for(board_id: UUID) -> UUID:
    """A board's framework record: one a board, its id derived from the board's."""
    return uuid5(FRAMEWORK_NAMESPACE, f"framework/{board_id}")


class Principle(StrEnum):
    """The six principles of learning and improvement (framework §1, after Working Together 2013)."""

    SYSTEMS_LEARNING = "systems_learning"
    CONTINUOUS_IMPROVEMENT = "continuous_improvement"
    PROPORTIONALITY = "proportionality"
    PROFESSIONALS_INVOLVED = "professionals_involved"
    TRANSPARENCY = "transparency"
    SUSTAINED_IMPROVEMENT = "sustained_improvement"


class ReviewOutcome(StrEnum):
    """What a review of the framework decided."""

    KEPT = "kept"
    REVISED = "revised"


@attrs.frozen
class FrameworkReview:
    """A review of the framework: kept as it is, or revised."""

    reviewed_on: date
    agreed_by: str
    outcome: ReviewOutcome
    changes: str


@attrs.frozen
class AnnualReview:
    """The annual review after a year's learning stock-take (framework §5 d)."""

    year: int
    held_on: date
    agreed_by: str
    changes: str


@attrs.frozen
class Version:
    """What the adoption, a revision or a correction set, from the day it took effect (``None``: as
    it was): the framework's name and principles on a day are the last set by then."""

    since: date
    name: str | None
    principles: tuple[Principle, ...] | None


@attrs.frozen
class FrameworkState:
    framework_id: UUID
    board_id: UUID
    started_on: date
    """The day it was first adopted."""
    name: str
    agreed_by: str
    principles: tuple[Principle, ...]
    summary: str
    reviews: tuple[FrameworkReview, ...] = ()
    annual_reviews: tuple[AnnualReview, ...] = ()
    versions: tuple[Version, ...] = ()
    """What each adoption, revision and correction set, in the order they took effect."""
    changed_on: tuple[tuple[str, date], ...] = ()
    """When who agreed it and its summary last changed (see :func:`~.base.take_effect`)."""

    def as_of(self, day: date) -> tuple[str, tuple[Principle, ...]]:
        """Its name and principles on ``day`` (as adopted, if ``day`` is before its adoption)."""
        name, principles = self.versions[0].name or self.name, self.versions[0].principles or self.principles
        for version in self.versions[1:]:
            if version.since > day:
                break
            name, principles = version.name or name, version.principles or principles
        return name, principles

    @property
    def adopted_on(self) -> date:
        return self.started_on

    def last_review(self, until: date | None = None) -> FrameworkReview | None:
        """The latest review on or before ``until`` (any, without it)."""
        found = [r for r in self.reviews if until is None or r.reviewed_on <= until]
        return found[-1] if found else None

    def annual_review(self, year: int) -> AnnualReview | None:
        return next((r for r in self.annual_reviews if r.year == year), None)


class Framework(CycleAggregate[FrameworkState]):
    TOPIC = TOPIC_PREFIX + "Framework"
    KIND = "framework"

    class Event(RecordedEvent):
        pass

    class Adopted(Event, CycleAggregate.Created):
        """The board adopted its learning and improvement framework."""

        TOPIC = TOPIC_PREFIX + "Framework.Adopted"
        board_id: UUID
        name: str
        agreed_by: str
        principles: tuple[Principle, ...]
        summary: str

        def fold(self, _: None) -> FrameworkState:
            return FrameworkState(
                framework_id=self.originator_id,
                board_id=self.board_id,
                started_on=self.effective_on,
                name=self.name,
                agreed_by=self.agreed_by,
                principles=tuple(self.principles),
                summary=self.summary,
                versions=(Version(self.effective_on, self.name, tuple(self.principles)),),
            )

    Created = Adopted  # eventsourcing looks for a class of this name

    class Reviewed(Event):
        """The framework was reviewed: kept, or revised (a new name or principles, if given)."""

        TOPIC = TOPIC_PREFIX + "Framework.Reviewed"
        agreed_by: str
        outcome: ReviewOutcome
        changes: str
        name: str | None
        principles: tuple[Principle, ...] | None

        def fold(self, s: FrameworkState) -> FrameworkState:
            review = FrameworkReview(self.effective_on, self.agreed_by, self.outcome, self.changes)
            reviews = tuple(sorted((*s.reviews, review), key=_reviewed_on))  # in date order, however recorded
            return _changed(attrs.evolve(s, reviews=reviews), Version(self.effective_on, self.name, self.principles))

    class Corrected(Event):
        """The framework's name, who agreed it, its principles or summary were recorded wrongly."""

        TOPIC = TOPIC_PREFIX + "Framework.Corrected"
        name: str | None
        agreed_by: str | None
        principles: tuple[Principle, ...] | None
        summary: str | None
        reason: str

        def fold(self, s: FrameworkState) -> FrameworkState:
            s = _changed(s, Version(self.effective_on, self.name, self.principles))
            changes = take_effect(s.changed_on, self.effective_on, agreed_by=self.agreed_by, summary=self.summary)
            return attrs.evolve(s, **changes)

    class AnnualReviewHeld(Event):
        """The framework and the priorities were reviewed after the year's learning stock-take."""

        TOPIC = TOPIC_PREFIX + "Framework.AnnualReviewHeld"
        year: int
        agreed_by: str
        changes: str

        def fold(self, s: FrameworkState) -> FrameworkState:
            held = AnnualReview(self.year, self.effective_on, self.agreed_by, self.changes)
            others = tuple(r for r in s.annual_reviews if r.year != self.year)
            return attrs.evolve(s, annual_reviews=tuple(sorted((*others, held), key=_year)))

    # -- commands ----------------------------------------------------------------------

    @classmethod
    def adopt(
        cls,
        *,
        board_id: UUID,
        name: str,
        agreed_by: str,
        principles: tuple[Principle, ...],
        summary: str,
        board_since: date,
        on: date,
        by: str,
    ) -> Framework:
        """``board_since``: the day the board was set up; a framework in place before then is
        recorded as adopted on that day (its summary can say since when), as every record of the
        board begins on or after the board."""
        check_not_before("on", on, board_since, "the board was set up")
        return cls.begin(
            cls.Adopted,
            id=framework_id_for(board_id),
            board_id=board_id,
            name=name,
            agreed_by=agreed_by,
            principles=check_principles(principles),
            summary=summary,
            effective_on=on,
            recorded_by=by,
        )

    def review(
        self,
        outcome: ReviewOutcome,
        agreed_by: str,
        changes: str,
        on: date,
        by: str,
        *,
        name: str | None = None,
        principles: tuple[Principle, ...] | None = None,
    ) -> None:
        if outcome is ReviewOutcome.KEPT and (name is not None or principles is not None):
            raise violation(
                "outcome", outcome.value, "a framework kept as it is has no new name or principles: say revised"
            )
        if principles is not None:
            principles = check_principles(principles)
        self.record(
            self.Reviewed,
            on,
            by,
            agreed_by=agreed_by,
            outcome=outcome,
            changes=changes,
            name=name,
            principles=principles,
        )

    def correct(
        self,
        reason: str,
        on: date,
        by: str,
        *,
        name: str | None = None,
        agreed_by: str | None = None,
        principles: tuple[Principle, ...] | None = None,
        summary: str | None = None,
    ) -> None:
        if name is None and agreed_by is None and principles is None and summary is None:
            raise violation("reason", reason, "a correction changes something: give the name, agreed_by, principles or summary")  # fmt: skip
        if principles is not None:
            principles = check_principles(principles)
        self.record(
            self.Corrected,
            on,
            by,
            name=name,
            agreed_by=agreed_by,
            principles=principles,
            summary=summary,
            reason=reason,
        )

    def hold_annual_review(
        self, year: ReportingYear, stock_take: StockTake | None, agreed_by: str, changes: str, on: date, by: str
    ) -> None:
        """``stock_take``: the board's stock-take of ``year`` (``None``: not recorded); the annual
        review follows it."""
        if stock_take is None:
            raise violation(
                "year", year.label, "the stock-take of this year is not recorded: the annual review follows it"
            )
        if on < stock_take.held_on:
            raise violation(
                "on",
                on.isoformat(),
                f"is before the stock-take of {year.label} (held on {stock_take.held_on.isoformat()}): the annual review follows it",
            )
        if self.state.annual_review(year.first) is not None:
            raise violation("year", year.label, "an annual review of this year is already recorded")
        self.record(self.AnnualReviewHeld, on, by, year=year.first, agreed_by=agreed_by, changes=changes)


def check_principles(principles: tuple[Principle, ...]) -> tuple[Principle, ...]:
    if not principles:
        raise violation("principles", [], "name at least one of the principles")
    if len(set(principles)) != len(principles):
        raise violation("principles", [str(p) for p in principles], "must not repeat a principle")
    return tuple(principles)


def _changed(s: FrameworkState, version: Version) -> FrameworkState:
    """``s`` with ``version`` in its place by date (after any of the same day: recorded later), and
    its name and principles as they now stand."""
    if version.name is None and version.principles is None:
        return s
    versions = (s.versions[0], *sorted((*s.versions[1:], version), key=_since))
    name, principles = attrs.evolve(s, versions=versions).as_of(date.max)
    return attrs.evolve(s, versions=versions, name=name, principles=principles)


def _since(version: Version) -> date:
    return version.since


def _reviewed_on(review: FrameworkReview) -> date:
    return review.reviewed_on


def _year(review: AnnualReview) -> int:
    return review.year


PRINCIPLE_WORDS = {
    "systems_learning": "systems learning",
    "continuous_improvement": "continuous improvement",
    "proportionality": "proportionality",
    "professionals_involved": "professionals involved",
    "transparency": "transparency",
    "sustained_improvement": "sustained improvement",
}
"""The plain words for each principle (framework §1: complex circumstances are understood by
systems learning; monitoring and follow-up sustain improvement), as declared below."""

# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    FrameworkReview,
    reviewed_on=field.plain("reviewed on"),
    agreed_by=field.short("agreed by"),
    outcome=field.choice("outcome of the review", kept="kept as it is", revised="revised"),
    changes=field.long("what changed"),
)
field.declare(
    Version,
    since=field.plain("from"),
    name=field.short("name of the framework"),
    principles=field.choice("principles", **PRINCIPLE_WORDS),
)
field.declare(
    AnnualReview,
    year=field.year("reporting year"),
    held_on=field.plain("held on"),
    agreed_by=field.short("agreed by"),
    changes=field.long("what changed"),
)
field.declare(
    Framework.Event,
    FrameworkState,
    framework_id=field.plain("framework"),
    board_id=field.plain("board"),
    started_on=field.plain("adopted on"),
    name=field.short("name of the framework"),
    agreed_by=field.short("agreed by"),
    principles=field.choice("principles", **PRINCIPLE_WORDS),
    summary=field.long("summary"),
    reviews=field.plain("reviews"),
    annual_reviews=field.plain("annual reviews"),
    versions=field.plain("versions"),
    changed_on=field.plain("last changed"),
    outcome=field.choice("outcome of the review", kept="kept as it is", revised="revised"),
    changes=field.long("what changed"),
    reason=field.long("reason"),
    year=field.year("reporting year"),
)
