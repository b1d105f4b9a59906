"""Outcome measures: "is anyone better off?", as plugins define it.

An outcome measure is a pure function of a board's records as of a date. It returns an
:class:`OutcomeValue`: a value inside the measure's declared range, or ``None`` when the records
cannot answer yet (never a crash, never a guess), with the numbers and the evidence behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypedDict, Unpack
from uuid import UUID

import attrs

from .action import ActionState
from .activity_state import ActivityState
from .board import BoardState
from .dissemination import DisseminationState
from .finding import FindingState
from .framework import FrameworkState
from .indicator import IndicatorState
from .programme import ProgrammeState
from .returns import PeerReviewState, ReturnsAnalysisState, ReturnState
from .values import IndicatorKind


@attrs.frozen
class Restriction:
    """An activity whose report is not published, so its material is restricted (docs/reports.md)."""

    activity_id: UUID
    kind: str
    """The kind of activity (``serious_case_review``...)."""
    status: str
    """``withheld``, ``delayed`` or ``undecided`` (no decision yet)."""
    reason: str | None
    """The recorded reason for not publishing (``None`` while undecided)."""
    review_on: date | None
    """When a delayed publication is to be reviewed."""
    findings: int
    actions: int
    placeholder: str
    """What every output shows in place of the activity's material."""


@attrs.frozen
class BoardRecords:
    """Everything recorded for one board, as the measures see it."""

    board: BoardState
    as_of: date
    activities: tuple[ActivityState, ...] = ()
    findings: tuple[FindingState, ...] = ()
    actions: tuple[ActionState, ...] = ()
    disseminations: tuple[DisseminationState, ...] = ()
    indicators: tuple[IndicatorState, ...] = ()
    frameworks: tuple[FrameworkState, ...] = ()
    """The board's learning and improvement framework (one a board, when adopted)."""
    returns: tuple[ReturnState, ...] = ()
    """Self-assessment returns (and employer-duty assurance), and their follow-ups."""
    analyses: tuple[ReturnsAnalysisState, ...] = ()
    peer_reviews: tuple[PeerReviewState, ...] = ()
    programmes: tuple[ProgrammeState, ...] = ()
    """The board's quality-assurance programmes, one per reporting year planned."""
    restricted: tuple[Restriction, ...] = ()
    """The activities whose material is restricted: replaced by a placeholder unless
    ``includes_restricted`` (see :mod:`learning_cycle.projections.disclosure`)."""
    includes_restricted: bool = False
    """The restricted material is shown as recorded (an explicit, logged read)."""
    publishing: frozenset[UUID] = frozenset()
    """The activities whose method publishes their final report (framework §3.5; the menu as
    installed; a method no longer on the menu counts as publishing)."""

    def to_publish(self, activity: ActivityState) -> bool:
        """Whether the board is to decide on publishing ``activity``'s final report: its method
        publishes it, or the board recorded a decision anyway."""
        return activity.activity_id in self.publishing or activity.publication is not None

    def indicator(self, key: str) -> IndicatorState | None:
        return next((i for i in self.indicators if i.key == key), None)


@attrs.frozen
class OutcomeValue:
    """A measure's answer for one board.

    :param value: the figure, inside the measure's range; ``None`` when there is nothing to
        measure yet.
    :param numerator: for a proportion, how many met the condition.
    :param denominator: for a proportion, out of how many.
    :param breakdown: the figure per agency, priority or the like, where the measure has one.
    :param evidence: what the figure rests on (indicator keys, record ids), for the evidence chain.
    :param note: how to read it, in words.
    """

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    breakdown: Mapping[str, float] = attrs.field(factory=dict)
    evidence: tuple[str, ...] = ()
    note: str = ""


NO_DATA = OutcomeValue(None, note="nothing recorded yet to measure")


class More(TypedDict, total=False):
    """What else an :class:`OutcomeValue` may say (its fields after the figures)."""

    breakdown: Mapping[str, float]
    evidence: tuple[str, ...]
    note: str


def proportion(numerator: int, denominator: int, **more: Unpack[More]) -> OutcomeValue:
    """A percentage, or ``None`` for an empty denominator."""
    if denominator == 0:
        return OutcomeValue(None, numerator, denominator, **more)
    return OutcomeValue(100.0 * numerator / denominator, numerator, denominator, **more)


@attrs.frozen
class OutcomeMeasure:
    """A measure of outcomes a plugin provides.

    :param key: stable key.
    :param title: what it measures, as a board would say it.
    :param description: how it is worked out.
    :param kind: which of the three kinds of performance information it is.
    :param unit: the unit of its value (``%`` for proportions).
    :param lower: the least value it can take.
    :param upper: the greatest value it can take.
    :param compute: the measure itself: a pure, deterministic, total function of
        :class:`BoardRecords`.
    :param statement: the outcome statement it evidences, if any (framework §2.5).
    :param adopted_by_default: a board's reports carry it until the board drops it; otherwise only
        from the day the board adopts it (``Board.MeasureAdopted``). Only a first-party plugin's
        measure can be adopted by default: the host sets it false for any other plugin's.
    """

    key: str
    title: str
    description: str
    kind: IndicatorKind
    unit: str
    lower: float
    upper: float
    compute: Callable[[BoardRecords], OutcomeValue]
    statement: str | None = None
    adopted_by_default: bool = False

    def reported_by(self, records: BoardRecords, on: date) -> bool:
        """Whether the board of ``records`` reports this measure on ``on`` (as it had chosen by then)."""
        return records.board.reports_measure(self.key, on, by_default=self.adopted_by_default)
