"""Findings: what an activity learnt, and how far each has travelled round the cycle.

A finding's stage is derived from the evidence recorded against it, never typed in:

* ``learn``: it was raised by an activity;
* ``act``: the board responded to it, or an action was raised for it;
* ``train``: a dissemination carried it into workforce development;
* ``monitor``: a monitoring check re-examined it.

A stage may not be skipped: a problem must be acted on before it is disseminated (good
practice may go straight to training), and a finding must have been acted on or
disseminated before it can be checked.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import attrs

from . import fields as field
from .activity_state import SUBGROUP
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, take_effect, violation
from .values import (
    VOICE_NOT_RECORDED,
    CheckKind,
    CheckResult,
    Level,
    Nature,
    Stage,
    VoiceOfChild,
    keys,
)


@attrs.frozen
class Check:
    """The result of re-checking a finding (framework §3.6)."""

    checked_on: date
    kind: CheckKind
    result: CheckResult
    evidence: str
    indicator_key: str | None = None
    made_by: UUID | None = None
    """The activity that made the check (a re-audit, a peer review, a themed audit), if any."""


@attrs.frozen
class FindingState:
    finding_id: UUID
    board_id: UUID
    activity_id: UUID
    started_on: date
    """The date the finding was raised."""
    statement: str
    level: Level
    nature: Nature
    themes: tuple[str, ...]
    agencies: tuple[str, ...]
    patterns: tuple[str, ...]
    challenge: str | None
    voice_of_child: VoiceOfChild = VOICE_NOT_RECORDED
    response: str | None = None
    responded_on: date | None = None
    action_ids: tuple[UUID, ...] = ()
    dissemination_ids: tuple[UUID, ...] = ()
    checks: tuple[Check, ...] = ()
    stage_dates: tuple[tuple[Stage, date], ...] = ()
    corrections: int = 0
    changed_on: tuple[tuple[str, date], ...] = ()
    """When each correctable field last changed (see :func:`~.base.take_effect`)."""
    subgroup: str | None = None
    """The board's sub-group that owns the finding."""

    @property
    def raised_on(self) -> date:
        return self.started_on

    @property
    def stage(self) -> Stage:
        """The furthest stage this finding has reached."""
        return max((s for s, _ in self.stage_dates), key=lambda s: s.rank)

    def reached(self, stage: Stage) -> date | None:
        """The date the finding first reached ``stage``, or ``None``."""
        return dict(self.stage_dates).get(stage)


def _reach(state: FindingState, stage: Stage, on: date) -> tuple[tuple[Stage, date], ...]:
    for reached, day in state.stage_dates:
        if reached is stage and day <= on:
            return state.stage_dates  # reached already, no later: nothing changes
    dates = dict(state.stage_dates)
    if stage not in dates or on < dates[stage]:
        dates[stage] = on
    return tuple(sorted(dates.items(), key=lambda item: item[0].rank))


def _ids(ids: tuple[UUID, ...], added: UUID) -> tuple[UUID, ...]:
    """Linked records' ids in one order whatever order they were linked in (their own records
    say when they began)."""
    return tuple(sorted((*ids, added)))  # (a UUID orders as its text does)


def _checked_on(check: Check) -> date:
    return check.checked_on


class Finding(CycleAggregate[FindingState]):
    """A finding raised by a learning activity, and the evidence of what became of it."""

    TOPIC = TOPIC_PREFIX + "Finding"
    KIND = "finding"

    class Event(RecordedEvent):
        pass

    class Raised(Event, CycleAggregate.Created):
        """An activity raised a finding: a systems finding says why it happened, and may put a
        question or challenge to the board instead of a SMART recommendation.

        Version 2 adds the sub-group that owns the finding (version 1 events read with none).
        """

        TOPIC = TOPIC_PREFIX + "Finding.Raised"
        class_version = 2
        board_id: UUID
        activity_id: UUID
        statement: str
        level: Level
        nature: Nature
        themes: tuple[str, ...]
        agencies: tuple[str, ...]
        patterns: tuple[str, ...]
        challenge: str | None
        voice_of_child: VoiceOfChild
        subgroup: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["subgroup"] = None

        def fold(self, _: None) -> FindingState:
            return FindingState(
                finding_id=self.originator_id,
                board_id=self.board_id,
                activity_id=self.activity_id,
                started_on=self.effective_on,
                statement=self.statement,
                level=self.level,
                nature=self.nature,
                themes=tuple(self.themes),
                agencies=tuple(self.agencies),
                patterns=tuple(self.patterns),
                challenge=self.challenge,
                voice_of_child=self.voice_of_child,
                stage_dates=((Stage.LEARN, self.effective_on),),
                subgroup=self.subgroup,
            )

    Created = Raised  # eventsourcing looks for a class of this name

    class BoardResponded(Event):
        """The board responded to the finding (or to its challenge)."""

        TOPIC = TOPIC_PREFIX + "Finding.BoardResponded"
        response: str

        def fold(self, s: FindingState) -> FindingState:
            return attrs.evolve(
                s,
                **take_effect(s.changed_on, self.effective_on, response=self.response, responded_on=self.effective_on),
                stage_dates=_reach(s, Stage.ACT, self.effective_on),
            )

    class ActionLinked(Event):
        """An action was raised for this finding (the action itself is its own record)."""

        TOPIC = TOPIC_PREFIX + "Finding.ActionLinked"
        action_id: UUID

        def fold(self, s: FindingState) -> FindingState:
            return attrs.evolve(
                s, action_ids=_ids(s.action_ids, self.action_id), stage_dates=_reach(s, Stage.ACT, self.effective_on)
            )

    class Disseminated(Event):
        """A dissemination carried this finding into workforce development."""

        TOPIC = TOPIC_PREFIX + "Finding.Disseminated"
        dissemination_id: UUID

        def fold(self, s: FindingState) -> FindingState:
            return attrs.evolve(
                s,
                dissemination_ids=_ids(s.dissemination_ids, self.dissemination_id),
                stage_dates=_reach(s, Stage.TRAIN, self.effective_on),
            )

    class CheckRecorded(Event):
        """The finding was re-checked: did the improvement happen?

        Version 2 adds the activity that made the check (version 1 events read with none).
        """

        TOPIC = TOPIC_PREFIX + "Finding.CheckRecorded"
        class_version = 2
        kind: CheckKind
        result: CheckResult
        evidence: str
        indicator_key: str | None
        made_by: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["made_by"] = None

        def fold(self, s: FindingState) -> FindingState:
            check = Check(self.effective_on, self.kind, self.result, self.evidence, self.indicator_key, self.made_by)
            checks = tuple(sorted((*s.checks, check), key=_checked_on))  # in date order, however recorded
            return attrs.evolve(s, checks=checks, stage_dates=_reach(s, Stage.MONITOR, self.effective_on))

    class SubgroupAssigned(Event):
        """The finding passed to another of the board's sub-groups (or its first)."""

        TOPIC = TOPIC_PREFIX + "Finding.SubgroupAssigned"
        subgroup: str

        def fold(self, s: FindingState) -> FindingState:
            return attrs.evolve(s, **take_effect(s.changed_on, self.effective_on, subgroup=self.subgroup))

    class VoiceOfChildRecorded(Event):
        """Whether and how children's and families' views informed the finding."""

        TOPIC = TOPIC_PREFIX + "Finding.VoiceOfChildRecorded"
        voice_of_child: VoiceOfChild

        def fold(self, s: FindingState) -> FindingState:
            return attrs.evolve(s, **take_effect(s.changed_on, self.effective_on, voice_of_child=self.voice_of_child))

    class Corrected(Event):
        """A mistake in the finding was corrected (``None`` leaves a field as it was)."""

        TOPIC = TOPIC_PREFIX + "Finding.Corrected"
        statement: str | None
        level: Level | None
        themes: tuple[str, ...] | None
        reason: str

        def fold(self, s: FindingState) -> FindingState:
            themes = None if self.themes is None else tuple(self.themes)
            return attrs.evolve(
                s,
                **take_effect(
                    s.changed_on, self.effective_on, statement=self.statement, level=self.level, themes=themes
                ),
                corrections=s.corrections + 1,
            )

    # -- commands ----------------------------------------------------------------------

    @classmethod
    def raise_finding(
        cls,
        *,
        board_id: UUID,
        activity_id: UUID,
        statement: str,
        level: Level,
        nature: Nature,
        themes: tuple[str, ...],
        agencies: tuple[str, ...],
        patterns: tuple[str, ...],
        challenge: str | None,
        voice_of_child: VoiceOfChild,
        on: date,
        by: str,
        id: UUID | None = None,  # noqa: A002
        subgroup: str | None = None,
    ) -> Finding:
        return cls.begin(
            cls.Raised,
            board_id=board_id,
            activity_id=activity_id,
            statement=statement,
            level=Level(level),
            nature=Nature(nature),
            themes=keys("themes", themes),
            agencies=tuple(agencies),
            patterns=keys("patterns", patterns),
            challenge=challenge,
            voice_of_child=voice_of_child,
            subgroup=subgroup,
            effective_on=on,
            recorded_by=by,
            id=id,  # eventsourcing makes one when it is None
        )

    def respond(self, response: str, on: date, by: str) -> None:
        self.record(self.BoardResponded, on, by, response=response)

    def link_action(self, action_id: UUID, on: date, by: str) -> None:
        self.record(self.ActionLinked, on, by, action_id=action_id)

    def disseminate(self, dissemination_id: UUID, on: date, by: str) -> None:
        self.check_stage_not_skipped(Stage.TRAIN, "finding_ids")
        if dissemination_id in self.state.dissemination_ids:
            return
        self.record(self.Disseminated, on, by, dissemination_id=dissemination_id)

    def record_check(
        self,
        *,
        kind: CheckKind,
        result: CheckResult,
        evidence: str,
        indicator_key: str | None,
        on: date,
        by: str,
        made_by: UUID | None = None,
    ) -> None:
        self.check_stage_not_skipped(Stage.MONITOR, "finding_id")
        self.record(
            self.CheckRecorded,
            on,
            by,
            kind=CheckKind(kind),
            result=CheckResult(result),
            evidence=evidence,
            indicator_key=indicator_key,
            made_by=made_by,
        )

    def assign_subgroup(self, subgroup: str, on: date, by: str) -> None:
        if subgroup == self.state.subgroup:
            raise violation("subgroup", subgroup, "already owns the finding")
        self.record(self.SubgroupAssigned, on, by, subgroup=subgroup)

    def record_voice_of_child(self, voice: VoiceOfChild, on: date, by: str) -> None:
        self.record(self.VoiceOfChildRecorded, on, by, voice_of_child=voice)

    def correct(
        self,
        *,
        reason: str,
        on: date,
        by: str,
        statement: str | None = None,
        level: Level | None = None,
        themes: tuple[str, ...] | None = None,
    ) -> None:
        if themes is not None:
            themes = keys("themes", themes)
        if statement is None and level is None and themes is None:
            raise violation("correction", None, "say what to correct (statement, level or themes)")
        self.record(
            self.Corrected,
            on,
            by,
            statement=statement,
            level=None if level is None else Level(level),
            themes=themes,
            reason=reason,
        )

    # -- guards ------------------------------------------------------------------------

    def check_stage_not_skipped(self, stage: Stage, field: str) -> None:
        s = self.state
        if stage is Stage.TRAIN and s.nature is Nature.PROBLEM and s.reached(Stage.ACT) is None:
            raise violation(
                field,
                str(self.id),
                "stage skipped: the board must respond to or act on a problem before it is disseminated",
            )
        if stage is Stage.MONITOR and s.stage is Stage.LEARN:
            raise violation(
                field, str(self.id), "stage skipped: a finding must be acted on or disseminated before it is checked"
            )


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    Check,
    checked_on=field.plain("checked on"),
    kind=field.choice(
        "kind of check", re_audit="re-audit", section_11_audit="Section 11 audit", section_175_audit="Section 175 audit"
    ),
    result=field.choice("result", no_change="no change"),
    evidence=field.long("evidence"),
    indicator_key=field.key("indicator"),
    made_by=field.plain("made by the activity"),
)
field.declare(
    Finding.Event,
    FindingState,
    finding_id=field.plain("finding"),
    board_id=field.plain("board"),
    activity_id=field.plain("learning activity"),
    started_on=field.plain("raised on"),
    statement=field.long("statement"),
    level=field.choice("level"),
    nature=field.choice("nature", good_practice="good practice"),
    themes=field.key("themes"),
    agencies=field.key("agencies"),
    patterns=field.key("patterns"),
    challenge=field.long("challenge to the board"),
    voice_of_child=field.plain("voice of the child"),
    response=field.long("the board's response"),
    responded_on=field.plain("responded on"),
    action_ids=field.plain("actions"),
    dissemination_ids=field.plain("disseminations"),
    checks=field.plain("checks"),
    stage_dates=field.plain("stages reached"),
    corrections=field.plain("corrections"),
    changed_on=field.plain("last changed"),
    action_id=field.plain("action"),
    dissemination_id=field.plain("dissemination"),
    kind=field.declared(Check)["kind"],
    result=field.declared(Check)["result"],
    evidence=field.long("evidence"),
    indicator_key=field.key("indicator"),
    reason=field.long("reason"),
    subgroup=SUBGROUP,
    made_by=field.plain("made by the activity"),
)
