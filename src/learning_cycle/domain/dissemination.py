"""Dissemination: learning fed into workforce development (the train stage)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

import attrs

from . import fields as field
from . import rules
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, violation
from .values import Channel


class ReachCounts(StrEnum):
    """What a channel's reach counts: the people who attended (a course, a briefing) or the people
    it reached (an alert, a post on social media). Only attendances add up as attendances."""

    ATTENDANCES = "attendances"
    PEOPLE_REACHED = "people_reached"


REACH_COUNTS = {
    Channel.TRAINING_COURSE: ReachCounts.ATTENDANCES,
    Channel.BRIEFING: ReachCounts.ATTENDANCES,
    Channel.ROADSHOW: ReachCounts.ATTENDANCES,
    Channel.LEARNING_CIRCLE: ReachCounts.ATTENDANCES,
    Channel.SUPERVISION: ReachCounts.ATTENDANCES,
    Channel.BOARD_MEMBER_LINK: ReachCounts.PEOPLE_REACHED,
    Channel.ALERT: ReachCounts.PEOPLE_REACHED,
    Channel.SOCIAL_MEDIA: ReachCounts.PEOPLE_REACHED,
    Channel.OTHER: ReachCounts.PEOPLE_REACHED,
}
"""What each channel's reach counts (declared once; a test holds every channel to a choice)."""


@attrs.frozen
class Feedback:
    """What participants said later: how many were satisfied with the learning, and how many
    reported an impact on their practice (framework §3.4), as distinct figures."""

    on: date
    summary: str
    respondents: int
    satisfied: int | None = None
    impact: int | None = None


@attrs.frozen
class DisseminationState:
    dissemination_id: UUID
    board_id: UUID
    started_on: date
    """The date it was delivered."""
    channel: Channel
    title: str
    audience: str
    districts: tuple[str, ...]
    reach: int
    finding_ids: tuple[UUID, ...]
    feedback: tuple[Feedback, ...] = ()

    @property
    def delivered_on(self) -> date:
        return self.started_on

    @property
    def reach_counts(self) -> ReachCounts:
        """What its reach counts, by its channel (:data:`REACH_COUNTS`)."""
        return REACH_COUNTS[self.channel]


class Dissemination(CycleAggregate[DisseminationState]):
    TOPIC = TOPIC_PREFIX + "Dissemination"
    KIND = "dissemination"

    class Event(RecordedEvent):
        pass

    class Delivered(Event, CycleAggregate.Created):
        """A course, alert, briefing, roadshow, learning circle or supervision session carried learning."""

        TOPIC = TOPIC_PREFIX + "Dissemination.Delivered"
        board_id: UUID
        channel: Channel
        title: str
        audience: str
        districts: tuple[str, ...]
        reach: int
        finding_ids: tuple[UUID, ...]

        def fold(self, _: None) -> DisseminationState:
            return DisseminationState(
                dissemination_id=self.originator_id,
                board_id=self.board_id,
                started_on=self.effective_on,
                channel=self.channel,
                title=self.title,
                audience=self.audience,
                districts=tuple(self.districts),
                reach=self.reach,
                finding_ids=tuple(self.finding_ids),
            )

    Created = Delivered  # eventsourcing looks for a class of this name

    class FeedbackRecorded(Event):
        """Participants later said what impact the learning had on their practice.

        Version 2 adds how many respondents were satisfied with the learning (``satisfied``) and how
        many reported an impact on their practice (``impact``), each ``None`` where not asked;
        version 1 had neither (read as ``None``)."""

        TOPIC = TOPIC_PREFIX + "Dissemination.FeedbackRecorded"
        class_version = 2
        summary: str
        respondents: int
        satisfied: int | None
        impact: int | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["satisfied"] = None
            state["impact"] = None

        def fold(self, s: DisseminationState) -> DisseminationState:
            said = Feedback(self.effective_on, self.summary, self.respondents, self.satisfied, self.impact)
            feedback = (*s.feedback, said)
            return attrs.evolve(s, feedback=tuple(sorted(feedback, key=_on)))  # in date order, however recorded

    @classmethod
    def deliver(
        cls,
        *,
        board_id: UUID,
        channel: Channel,
        title: str,
        audience: str,
        districts: tuple[str, ...],
        reach: int,
        finding_ids: tuple[UUID, ...],
        on: date,
        by: str,
        id: UUID | None = None,  # noqa: A002
    ) -> Dissemination:
        check_count("reach", reach)
        if len(set(finding_ids)) != len(finding_ids):
            raise violation("finding_ids", [str(f) for f in finding_ids], "must not repeat a finding")
        return cls.begin(
            cls.Delivered,
            board_id=board_id,
            channel=Channel(channel),
            title=title,
            audience=audience,
            districts=tuple(districts),
            reach=reach,
            finding_ids=tuple(finding_ids),
            effective_on=on,
            recorded_by=by,
            id=id,  # eventsourcing makes one when it is None
        )

    def record_feedback(
        self, summary: str, respondents: int, on: date, by: str, *, satisfied: int | None = None,
        impact: int | None = None,
    ) -> None:  # fmt: skip
        check_count("respondents", respondents)
        for name, value in (("satisfied", satisfied), ("impact", impact)):
            if value is not None and check_count(name, value) > respondents:
                raise violation(name, value, f"is more than the {respondents} respondents")
        self.record(
            self.FeedbackRecorded, on, by, summary=summary, respondents=respondents, satisfied=satisfied, impact=impact
        )


def check_count(field: str, value: object) -> int:
    """A count by the one set of value rules (:mod:`.rules`)."""
    count: int = rules.check_value(field, "count", value, None, normalise=True)
    return count


def _on(feedback: Feedback) -> date:
    return feedback.on


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    Feedback,
    on=field.plain("received on"),
    summary=field.long("feedback"),
    respondents=field.count("respondents"),
    satisfied=field.count("respondents satisfied"),
    impact=field.count("respondents reporting an impact on practice"),
)
field.declare(
    Dissemination.Event,
    DisseminationState,
    dissemination_id=field.plain("dissemination"),
    board_id=field.plain("board"),
    started_on=field.plain("held on"),
    channel=field.choice("channel", board_member_link="board member link", social_media="social media"),
    title=field.short("title"),
    audience=field.short("audience"),
    districts=field.key("districts"),
    reach=field.count("people reached"),
    finding_ids=field.plain("findings"),
    feedback=field.plain("feedback"),
    summary=field.long("feedback"),
    respondents=field.count("respondents"),
    satisfied=field.count("respondents satisfied"),
    impact=field.count("respondents reporting an impact on practice"),
)
