"""An activity's state (what its events fold into) and the steps of its decision path."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import attrs

from . import fields as field
from .involvement import PractitionerInvolvement, Sample
from .timescales import ENGLAND_AND_WALES, MILESTONES, ClockPause, Deadline, Timescale, WorkingCalendar, deadline
from .values import VOICE_NOT_RECORDED, ActivityStatus, PublicationDecision, VoiceOfChild


@attrs.frozen
class DecisionStep:
    """One step of an activity's decision path (framework Appendix One), taken by a role on a date."""

    step: str
    role: str
    taken_on: date


@attrs.frozen
class ActivityState:
    activity_id: UUID
    board_id: UUID
    kind: str
    method: str
    title: str
    why: str
    decided_by: str
    started_on: date
    """The date the activity was decided on (commissioned)."""
    proportionality: str
    agencies: tuple[str, ...]
    themes: tuple[str, ...]
    planned_start: date | None
    planned_completion: date | None
    status: ActivityStatus = ActivityStatus.COMMISSIONED
    work_started_on: date | None = None
    completed_on: date | None = None
    voice_of_child: VoiceOfChild = VOICE_NOT_RECORDED
    report_approved_on: date | None = None
    publication: PublicationDecision | None = None
    publication_decided_on: date | None = None
    closed_on: date | None = None
    pauses: tuple[ClockPause, ...] = ()
    corrections: int = 0
    changed_on: tuple[tuple[str, date], ...] = ()
    """When each correctable field last changed (see :func:`~.base.take_effect`)."""
    subgroup: str | None = None
    """The board's sub-group that owns the activity."""
    prompted_by_activity: UUID | None = None
    prompted_by_finding: UUID | None = None
    prompted_by_priority: str | None = None
    prompted_by_indicator: str | None = None
    programme_item: str | None = None
    """The item of its year's quality-assurance programme it delivers."""
    steps: tuple[DecisionStep, ...] = ()
    """The steps of its decision path recorded so far, in the order taken."""
    sample: Sample | None = None
    """The review's sample and who was spoken to, as last recorded (framework §3.4)."""
    involvement: PractitionerInvolvement | None = None
    """Practitioners' involvement in the review, as last recorded (framework §3.4)."""

    @property
    def decided_on(self) -> date:
        return self.started_on

    @property
    def clock_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].resumed_on is None

    @property
    def milestones(self) -> dict[str, date | None]:
        """The date each milestone was reached (``None`` if not yet), for timescales."""
        return {name: getattr(self, field) for name, field in MILESTONES.items()}

    def deadlines(
        self, timescales: tuple[Timescale, ...], on: date, calendar: WorkingCalendar = ENGLAND_AND_WALES
    ) -> tuple[Deadline, ...]:
        """Where each of the method's ``timescales`` stands on ``on``."""
        return tuple(deadline(self.milestones, self.pauses, t, on, calendar) for t in timescales)


SUBGROUP = field.Field("sub-group", "short", kept=True)
"""The sub-group owning a record: one of the board's own names, kept where the record's material is restricted."""

PROMPTS = ("prompted_by_activity", "prompted_by_finding", "prompted_by_priority", "prompted_by_indicator")
"""What may prompt an activity: another activity, a finding, a priority of the board's year, an indicator."""
