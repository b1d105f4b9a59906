"""Actions: SMART responses to findings, owned by an agency (the act stage)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import attrs

from . import fields as field
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, take_effect, violation
from .values import ActionStatus, check_date, check_not_before


@attrs.frozen
class Progress:
    on: date
    note: str


@attrs.frozen
class ActionState:
    action_id: UUID
    board_id: UUID
    finding_id: UUID
    owner: str
    description: str
    started_on: date
    """The date the action was raised."""
    due_on: date
    single_agency: bool
    status: ActionStatus = ActionStatus.OPEN
    progress: tuple[Progress, ...] = ()
    changed_on: tuple[tuple[str, date], ...] = ()
    """When the due date last changed (see :func:`~.base.take_effect`)."""
    completed_on: date | None = None
    evidence: str | None = None
    assured_on: date | None = None
    assurance: str | None = None
    closed_reason: str | None = None
    superseded_by: UUID | None = None

    @property
    def raised_on(self) -> date:
        return self.started_on

    @property
    def is_assured(self) -> bool:
        """Done in the board's eyes: completed, and for single-agency learning, assured back to the board."""
        return self.done_on is not None

    @property
    def done_on(self) -> date | None:
        """The day it was done in the board's eyes (docs/three-year-picture.md, "When an action is
        done"): the day it was completed; for single-agency learning, the day the agency's assurance
        came back to the board. ``None`` until then."""
        if self.status is not ActionStatus.COMPLETED:
            return None
        return self.assured_on if self.single_agency else self.completed_on

    def is_overdue(self, on: date) -> bool:
        """Not done by ``on`` (see :attr:`done_on`) and past its due date; never once cancelled or superseded."""
        if self.status in (ActionStatus.CANCELLED, ActionStatus.SUPERSEDED):
            return False
        done = self.done_on
        return on > self.due_on and (done is None or done > on)


class Action(CycleAggregate[ActionState]):
    TOPIC = TOPIC_PREFIX + "Action"
    KIND = "action"

    class Event(RecordedEvent):
        pass

    class Raised(Event, CycleAggregate.Created):
        """An action was raised for a finding, owned by one agency, due by a date."""

        TOPIC = TOPIC_PREFIX + "Action.Raised"
        board_id: UUID
        finding_id: UUID
        owner: str
        description: str
        due_on: date
        single_agency: bool

        def fold(self, _: None) -> ActionState:
            return ActionState(
                action_id=self.originator_id,
                board_id=self.board_id,
                finding_id=self.finding_id,
                owner=self.owner,
                description=self.description,
                started_on=self.effective_on,
                due_on=self.due_on,
                single_agency=self.single_agency,
            )

    Created = Raised  # eventsourcing looks for a class of this name

    class ProgressReported(Event):
        """The owning agency reported progress."""

        TOPIC = TOPIC_PREFIX + "Action.ProgressReported"
        note: str

        def fold(self, s: ActionState) -> ActionState:
            progress = (*s.progress, Progress(self.effective_on, self.note))
            return attrs.evolve(s, progress=tuple(sorted(progress, key=_on)))  # in date order, however recorded

    class Rescheduled(Event):
        """The due date was moved, with a reason (the old date stays in the log)."""

        TOPIC = TOPIC_PREFIX + "Action.Rescheduled"
        due_on: date
        reason: str

        def fold(self, s: ActionState) -> ActionState:
            return attrs.evolve(s, **take_effect(s.changed_on, self.effective_on, due_on=self.due_on))

    class Completed(Event):
        """The action was done, with evidence."""

        TOPIC = TOPIC_PREFIX + "Action.Completed"
        evidence: str

        def fold(self, s: ActionState) -> ActionState:
            return attrs.evolve(
                s, status=ActionStatus.COMPLETED, completed_on=self.effective_on, evidence=self.evidence
            )

    class Assured(Event):
        """The owning agency gave the board assurance that the learning is embedded."""

        TOPIC = TOPIC_PREFIX + "Action.Assured"
        assurance: str

        def fold(self, s: ActionState) -> ActionState:
            return attrs.evolve(s, assured_on=self.effective_on, assurance=self.assurance)

    class Cancelled(Event):
        """The action was cancelled, with a reason."""

        TOPIC = TOPIC_PREFIX + "Action.Cancelled"
        reason: str

        def fold(self, s: ActionState) -> ActionState:
            return attrs.evolve(s, status=ActionStatus.CANCELLED, closed_reason=self.reason)

    class Superseded(Event):
        """The action was replaced by another (or by other work), with a reason."""

        TOPIC = TOPIC_PREFIX + "Action.Superseded"
        superseded_by: UUID | None
        reason: str

        def fold(self, s: ActionState) -> ActionState:
            return attrs.evolve(
                s, status=ActionStatus.SUPERSEDED, closed_reason=self.reason, superseded_by=self.superseded_by
            )

    # -- commands ----------------------------------------------------------------------

    @classmethod
    def raise_action(
        cls,
        *,
        board_id: UUID,
        finding_id: UUID,
        finding_raised_on: date,
        owner: str,
        description: str,
        due_on: date,
        single_agency: bool,
        on: date,
        by: str,
        id: UUID | None = None,  # noqa: A002
    ) -> Action:
        check_date("due_on", due_on)
        check_not_before("due_on", due_on, finding_raised_on, "the date its finding was raised")
        check_not_before("on", on, finding_raised_on, "the date its finding was raised")
        if not isinstance(single_agency, bool):
            raise violation("single_agency", single_agency, "must be true or false")
        return cls.begin(
            cls.Raised,
            board_id=board_id,
            finding_id=finding_id,
            owner=owner,
            description=description,
            due_on=due_on,
            single_agency=single_agency,
            effective_on=on,
            recorded_by=by,
            id=id,  # eventsourcing makes one when it is None
        )

    def report_progress(self, note: str, on: date, by: str) -> None:
        self.check_action_is_open("note")
        self.record(self.ProgressReported, on, by, note=note)

    def reschedule(self, due_on: date, reason: str, on: date, by: str) -> None:
        self.check_action_is_open("due_on")
        check_date("due_on", due_on)
        check_not_before("due_on", due_on, self.state.raised_on, "the date the action was raised")
        self.record(self.Rescheduled, on, by, due_on=due_on, reason=reason)

    def complete(self, evidence: str, on: date, by: str) -> None:
        self.check_action_is_open("evidence")
        self.record(self.Completed, on, by, evidence=evidence)

    def assure(self, assurance: str, on: date, by: str) -> None:
        s = self.state
        if s.status is not ActionStatus.COMPLETED:
            raise violation("assurance", assurance, f"only a completed action can be assured (it is {s.status.value})")
        if s.assured_on is not None:
            raise violation("assurance", assurance, f"the action was already assured on {s.assured_on}")
        self.record(self.Assured, on, by, assurance=assurance)

    def cancel(self, reason: str, on: date, by: str) -> None:
        self.check_action_is_open("reason")
        self.record(self.Cancelled, on, by, reason=reason)

    def supersede(self, reason: str, superseded_by: UUID | None, on: date, by: str) -> None:
        self.check_action_is_open("reason")
        self.record(self.Superseded, on, by, reason=reason, superseded_by=superseded_by)

    # -- guards ------------------------------------------------------------------------

    def check_action_is_open(self, field: str) -> None:
        status = self.state.status
        if status is not ActionStatus.OPEN:
            raise violation(field, str(self.id), f"the action is {status.value}: it can no longer change")


def _on(progress: Progress) -> date:
    return progress.on


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(Progress, on=field.plain("reported on"), note=field.long("progress note"))
field.declare(
    Action.Event,
    ActionState,
    action_id=field.plain("action"),
    board_id=field.plain("board"),
    finding_id=field.plain("finding"),
    owner=field.key("owner"),
    description=field.long("description"),
    started_on=field.plain("raised on"),
    due_on=field.deadline("due on"),
    single_agency=field.plain("single agency"),
    status=field.choice("status"),
    progress=field.plain("progress"),
    changed_on=field.plain("last changed"),
    completed_on=field.plain("completed on"),
    evidence=field.long("evidence of completion"),
    assured_on=field.plain("assured on"),
    assurance=field.long("assurance"),
    closed_reason=field.long("reason it was closed"),
    superseded_by=field.plain("superseded by"),
    reason=field.long("reason"),
    note=field.long("progress note"),
)
