"""Learning activities: the reviews, audits and deep dives that produce findings (the learn stage)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import attrs

from . import fields as field
from .activity_state import PROMPTS, SUBGROUP, ActivityState, DecisionStep
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, take_effect, violation
from .involvement import INVOLVEMENT_WORDS, Involvement, PractitionerInvolvement, Sample
from .timescales import ClockPause
from .values import (
    ActivityStatus,
    PublicationDecision,
    PublicationStatus,
    VoiceOfChild,
    check_date,
    check_not_before,
    keys,
)


class Activity(CycleAggregate[ActivityState]):
    """A learning activity of some kind, done by some method, on one board."""

    TOPIC = TOPIC_PREFIX + "Activity"
    KIND = "activity"

    class Event(RecordedEvent):
        pass

    class Commissioned(Event, CycleAggregate.Created):
        """The board decided to do a learning activity, by a method chosen for proportionality.

        Version 2 adds the sub-group that owns it, what prompted it (an activity, a finding, a
        priority of the board's year, an indicator) and the programme item it delivers; version 1
        events read with none of them.
        """

        TOPIC = TOPIC_PREFIX + "Activity.Commissioned"
        class_version = 2
        board_id: UUID
        kind: str
        method: str
        title: str
        why: str
        decided_by: str
        proportionality: str
        agencies: tuple[str, ...]
        themes: tuple[str, ...]
        planned_start: date | None
        planned_completion: date | None
        voice_of_child: VoiceOfChild
        subgroup: str | None
        prompted_by_activity: UUID | None
        prompted_by_finding: UUID | None
        prompted_by_priority: str | None
        prompted_by_indicator: str | None
        programme_item: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            for name in (*PROMPTS, "subgroup", "programme_item"):
                state[name] = None

        def fold(self, _: None) -> ActivityState:
            return ActivityState(
                activity_id=self.originator_id,
                board_id=self.board_id,
                kind=self.kind,
                method=self.method,
                title=self.title,
                why=self.why,
                decided_by=self.decided_by,
                started_on=self.effective_on,
                proportionality=self.proportionality,
                agencies=tuple(self.agencies),
                themes=tuple(self.themes),
                planned_start=self.planned_start,
                planned_completion=self.planned_completion,
                voice_of_child=self.voice_of_child,
                subgroup=self.subgroup,
                prompted_by_activity=self.prompted_by_activity,
                prompted_by_finding=self.prompted_by_finding,
                prompted_by_priority=self.prompted_by_priority,
                prompted_by_indicator=self.prompted_by_indicator,
                programme_item=self.programme_item,
            )

    Created = Commissioned  # eventsourcing looks for a class of this name

    class StepRecorded(Event):
        """A step of the method's decision path was taken: who recommended, decided, oversaw or was
        reported to (framework Appendix One)."""

        TOPIC = TOPIC_PREFIX + "Activity.StepRecorded"
        step: str
        role: str

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, steps=(*s.steps, DecisionStep(self.step, self.role, self.effective_on)))

    class SubgroupAssigned(Event):
        """The activity passed to another of the board's sub-groups (or its first)."""

        TOPIC = TOPIC_PREFIX + "Activity.SubgroupAssigned"
        subgroup: str

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, **take_effect(s.changed_on, self.effective_on, subgroup=self.subgroup))

    class ProgrammeItemNamed(Event):
        """The activity was named as delivering an item of its year's quality-assurance programme."""

        TOPIC = TOPIC_PREFIX + "Activity.ProgrammeItemNamed"
        programme_item: str

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, **take_effect(s.changed_on, self.effective_on, programme_item=self.programme_item))

    class Started(Event):
        """Work on the activity began."""

        TOPIC = TOPIC_PREFIX + "Activity.Started"

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, status=ActivityStatus.STARTED, work_started_on=self.effective_on)

    class VoiceOfChildRecorded(Event):
        """How children's and families' views informed the activity."""

        TOPIC = TOPIC_PREFIX + "Activity.VoiceOfChildRecorded"
        voice_of_child: VoiceOfChild

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, **take_effect(s.changed_on, self.effective_on, voice_of_child=self.voice_of_child))

    class Completed(Event):
        """The activity finished its work (findings may still be recorded until it is closed)."""

        TOPIC = TOPIC_PREFIX + "Activity.Completed"

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, status=ActivityStatus.COMPLETED, completed_on=self.effective_on)

    class ReportApproved(Event):
        """The final report was approved by the board."""

        TOPIC = TOPIC_PREFIX + "Activity.ReportApproved"

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, report_approved_on=self.effective_on)

    class PublicationDecided(Event):
        """The board decided whether to publish the final report (framework §3.5)."""

        TOPIC = TOPIC_PREFIX + "Activity.PublicationDecided"
        decision: PublicationDecision

        def fold(self, s: ActivityState) -> ActivityState:
            on = self.effective_on
            return attrs.evolve(
                s, **take_effect(s.changed_on, on, publication=self.decision, publication_decided_on=on)
            )

    class Closed(Event):
        """The activity was closed: no more findings can come from it."""

        TOPIC = TOPIC_PREFIX + "Activity.Closed"

        def fold(self, s: ActivityState) -> ActivityState:
            return attrs.evolve(s, status=ActivityStatus.CLOSED, closed_on=self.effective_on)

    class ClockPaused(Event):
        """The timescale clock was stopped, e.g. during parallel criminal proceedings."""

        TOPIC = TOPIC_PREFIX + "Activity.ClockPaused"
        reason: str

        def fold(self, s: ActivityState) -> ActivityState:
            pause = ClockPause(self.effective_on, self.reason)
            return attrs.evolve(s, pauses=(*s.pauses, pause))

    class ClockResumed(Event):
        """The timescale clock started again; the paused working days do not count."""

        TOPIC = TOPIC_PREFIX + "Activity.ClockResumed"

        def fold(self, s: ActivityState) -> ActivityState:
            if not s.pauses:  # a view that does not include the pause
                return s
            *done, last = s.pauses
            return attrs.evolve(s, pauses=(*done, attrs.evolve(last, resumed_on=self.effective_on)))

    class Corrected(Event):
        """A mistake in the commissioning record was corrected (``None`` leaves a field as it was)."""

        TOPIC = TOPIC_PREFIX + "Activity.Corrected"
        title: str | None
        why: str | None
        themes: tuple[str, ...] | None
        reason: str

        def fold(self, s: ActivityState) -> ActivityState:
            themes = None if self.themes is None else tuple(self.themes)
            return attrs.evolve(
                s,
                **take_effect(s.changed_on, self.effective_on, title=self.title, why=self.why, themes=themes),
                corrections=s.corrections + 1,
            )

    # -- commands ----------------------------------------------------------------------

    @classmethod
    def commission(
        cls,
        *,
        board_id: UUID,
        kind: str,
        method: str,
        title: str,
        why: str,
        decided_by: str,
        proportionality: str,
        agencies: tuple[str, ...],
        themes: tuple[str, ...],
        planned_start: date | None,
        planned_completion: date | None,
        voice_of_child: VoiceOfChild,
        on: date,
        by: str,
        id: UUID | None = None,  # noqa: A002
        subgroup: str | None = None,
        prompted_by_activity: UUID | None = None,
        prompted_by_finding: UUID | None = None,
        prompted_by_priority: str | None = None,
        prompted_by_indicator: str | None = None,
        programme_item: str | None = None,
    ) -> Activity:
        themes = keys("themes", themes)
        for what, planned in (("planned_start", planned_start), ("planned_completion", planned_completion)):
            if planned is not None:
                check_date(what, planned)
        if planned_start and planned_completion and planned_completion < planned_start:
            raise violation("planned_completion", planned_completion, f"is before the planned start {planned_start}")
        return cls.begin(
            cls.Commissioned,
            board_id=board_id,
            kind=kind,
            method=method,
            title=title,
            why=why,
            decided_by=decided_by,
            proportionality=proportionality,
            agencies=tuple(agencies),
            themes=themes,
            planned_start=planned_start,
            planned_completion=planned_completion,
            voice_of_child=voice_of_child,
            subgroup=subgroup,
            prompted_by_activity=prompted_by_activity,
            prompted_by_finding=prompted_by_finding,
            prompted_by_priority=prompted_by_priority,
            prompted_by_indicator=prompted_by_indicator,
            programme_item=programme_item,
            effective_on=on,
            recorded_by=by,
            id=id,  # eventsourcing makes one when it is None
        )

    def record_step(self, step: str, role: str, on: date, by: str) -> None:
        """Record a step of the decision path (the menu checks it against the method's path)."""
        if self.state.steps:
            last = self.state.steps[-1]
            check_not_before("on", on, last.taken_on, f"the step before it ({last.step})")
        self.record(self.StepRecorded, on, by, step=step, role=role)

    def assign_subgroup(self, subgroup: str, on: date, by: str) -> None:
        if subgroup == self.state.subgroup:
            raise violation("subgroup", subgroup, "already owns the activity")
        self.record(self.SubgroupAssigned, on, by, subgroup=subgroup)

    def name_programme_item(self, programme_item: str, on: date, by: str) -> None:
        if programme_item == self.state.programme_item:
            raise violation("programme_item", programme_item, "is already the item the activity delivers")
        self.record(self.ProgrammeItemNamed, on, by, programme_item=programme_item)

    def start(self, on: date, by: str) -> None:
        if self.state.status is not ActivityStatus.COMMISSIONED:
            raise violation("status", self.state.status.value, "only a commissioned activity can be started")
        self.record(self.Started, on, by)

    def record_voice_of_child(self, voice: VoiceOfChild, on: date, by: str) -> None:
        self.check_activity_is_open()
        self.record(self.VoiceOfChildRecorded, on, by, voice_of_child=voice)

    def complete(self, on: date, by: str) -> None:
        if self.state.status is not ActivityStatus.STARTED:
            raise violation("status", self.state.status.value, "only a started activity can be completed")
        self.record(self.Completed, on, by)

    def approve_report(self, on: date, by: str) -> None:
        if self.state.status is not ActivityStatus.COMPLETED:
            raise violation(
                "status", self.state.status.value, "a report can be approved only once the activity is completed"
            )
        if self.state.report_approved_on is not None:
            raise violation("report_approved_on", self.state.report_approved_on, "the report is already approved")
        self.record(self.ReportApproved, on, by)

    def decide_publication(self, decision: PublicationDecision, on: date, by: str) -> None:
        if self.state.report_approved_on is None:
            raise violation(
                "publication", decision.status.value, "publication can be decided only after the report is approved"
            )
        current = self.state.publication
        if current is not None and current.status is PublicationStatus.PUBLISHED:
            raise violation("publication", decision.status.value, "the report is already published")
        self.record(self.PublicationDecided, on, by, decision=decision)

    def pause_clock(self, reason: str, on: date, by: str) -> None:
        if self.state.status in (ActivityStatus.COMPLETED, ActivityStatus.CLOSED):
            raise violation("status", self.state.status.value, "the clock of a finished activity cannot be paused")
        if self.state.clock_paused:
            raise violation("clock", "paused", f"the clock is already paused since {self.state.pauses[-1].paused_on}")
        self.record(self.ClockPaused, on, by, reason=reason)

    def resume_clock(self, on: date, by: str) -> None:
        if not self.state.clock_paused:
            raise violation("clock", "running", "the clock is not paused")
        check_not_before("on", on, self.state.pauses[-1].paused_on, "the day the clock was paused")
        self.record(self.ClockResumed, on, by)

    def close(self, on: date, by: str) -> None:
        if self.state.status is not ActivityStatus.COMPLETED:
            raise violation("status", self.state.status.value, "only a completed activity can be closed")
        self.record(self.Closed, on, by)

    def correct(
        self,
        *,
        reason: str,
        on: date,
        by: str,
        title: str | None = None,
        why: str | None = None,
        themes: tuple[str, ...] | None = None,
    ) -> None:
        if themes is not None:
            themes = keys("themes", themes)
        if title is None and why is None and themes is None:
            raise violation("correction", None, "say what to correct (title, why or themes)")
        self.record(self.Corrected, on, by, title=title, why=why, themes=themes, reason=reason)

    # -- involvement (framework §3.4; values in :mod:`.involvement`) -------------------------

    class SampleRecorded(Event):
        """A review's sample (how many cases, chosen how) and who was spoken to; a record of a later
        (or the same) day replaces it, one of an earlier day does not."""

        TOPIC = TOPIC_PREFIX + "Activity.SampleRecorded"
        cases: int
        criteria: str
        practitioners_spoken_to: int
        young_people_spoken_to: int
        parents_spoken_to: int

        def fold(self, s: ActivityState) -> ActivityState:
            sample = Sample(
                self.effective_on, self.cases, self.criteria, self.practitioners_spoken_to,
                self.young_people_spoken_to, self.parents_spoken_to,
            )  # fmt: skip
            return s if s.sample is not None and s.sample.on > sample.on else attrs.evolve(s, sample=sample)

    class PractitionersInvolved(Event):
        """How many practitioners took part in a review (a systems review), and how; a record of a
        later (or the same) day replaces it, one of an earlier day does not."""

        TOPIC = TOPIC_PREFIX + "Activity.PractitionersInvolved"
        practitioners: int
        how: Involvement

        def fold(self, s: ActivityState) -> ActivityState:
            involved = PractitionerInvolvement(self.effective_on, self.practitioners, self.how)
            later = s.involvement is not None and s.involvement.on > involved.on
            return s if later else attrs.evolve(s, involvement=involved)

    def record_sample(self, sample: Sample, by: str) -> None:
        self.check_activity_is_open()
        self.record(
            self.SampleRecorded, sample.on, by, cases=sample.cases, criteria=sample.criteria,
            practitioners_spoken_to=sample.practitioners, young_people_spoken_to=sample.young_people,
            parents_spoken_to=sample.parents,
        )  # fmt: skip

    def record_involvement(self, involved: PractitionerInvolvement, by: str) -> None:
        self.check_activity_is_open()
        self.record(self.PractitionersInvolved, involved.on, by, practitioners=involved.practitioners, how=involved.how)

    # -- guards ------------------------------------------------------------------------

    def check_activity_is_open(self) -> None:
        if self.state.status is ActivityStatus.CLOSED:
            raise violation("activity_id", str(self.id), "the activity is closed")

    def check_can_raise_findings(self) -> None:
        self.check_activity_is_open()
        if self.state.status is ActivityStatus.COMMISSIONED:
            raise violation("activity_id", str(self.id), "the activity has not started: findings come from work done")


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    DecisionStep,
    step=field.key("step of the decision path", reported_to="reported to"),
    role=field.Field("role", "short", kept=True),
    taken_on=field.plain("taken on"),
)

field.declare(
    Activity.Event,
    ActivityState,
    activity_id=field.plain("learning activity"),
    board_id=field.plain("board"),
    kind=field.key(
        "kind of learning activity",
        section_11_audit="Section 11 audit",
        section_175_audit="Section 175 audit",
        lcsppr="local child safeguarding practice review",
    ),
    method=field.key("method"),
    title=field.short("title"),
    why=field.long("why it was commissioned"),
    decided_by=field.short("decided by"),
    started_on=field.plain("commissioned on"),
    proportionality=field.long("why the method is proportionate"),
    agencies=field.key("agencies taking part"),
    themes=field.key("themes"),
    planned_start=field.due("planned start"),
    planned_completion=field.due("planned completion"),
    status=field.choice("status"),
    work_started_on=field.plain("work started on"),
    completed_on=field.plain("completed on"),
    voice_of_child=field.plain("voice of the child"),
    report_approved_on=field.plain("report approved on"),
    publication=field.kept("publication decision"),
    publication_decided_on=field.plain("publication decided on"),
    closed_on=field.plain("closed on"),
    pauses=field.plain("pauses of the clock"),
    corrections=field.plain("corrections"),
    changed_on=field.plain("last changed"),
    reason=field.long("reason"),
    decision=field.kept("publication decision"),
    subgroup=SUBGROUP,
    prompted_by_activity=field.plain("prompted by the activity"),
    prompted_by_finding=field.plain("prompted by the finding"),
    prompted_by_priority=field.key("prompted by the priority"),
    prompted_by_indicator=field.key("prompted by the indicator"),
    programme_item=field.key("quality-assurance programme item"),
    steps=field.plain("decision path"),
    step=field.declared(DecisionStep)["step"],
    role=field.declared(DecisionStep)["role"],
)
field.declare(  # involvement (framework §3.4)
    Activity.Event,
    ActivityState,
    sample=field.plain("sample and who was spoken to"),
    involvement=field.plain("practitioners' involvement"),
    cases=field.count("cases in the sample"),
    criteria=field.long("how the sample was chosen"),
    practitioners_spoken_to=field.count("practitioners spoken to"),
    young_people_spoken_to=field.count("young people spoken to"),
    parents_spoken_to=field.count("parents and carers spoken to"),
    practitioners=field.count("practitioners involved"),
    how=field.choice("how practitioners were involved", **INVOLVEMENT_WORDS),
)
