"""Self-assessment returns, the board's analysis of them, and the peer review of its own assessment.

Framework §2.4: organisations critically evaluate how well they meet their statutory safeguarding
duties (Section 11 of the Children Act 2004, Sections 175 and 157 of the Education Act 2002); the
board analyses and tests the single-agency returns at a strategic level. §3.6: next year's audit
checks whether the areas for development are being delivered, and a peer review checks the
robustness and accuracy of the board's own assessment. §2.7: each employing agency gives the board
assurance on its duties to its staff (the voluntary sector's through the Safe Network) - recorded
here as a return against those duties, rated as any other.

Three kinds of record, each id following from its natural key:

* :class:`Return`: one organisation's return to one audit for one reporting year (ratings per
  standard, strengths, areas for development), and later years' follow-ups of its areas;
* :class:`ReturnsAnalysis`: the board's analysis across the returns of one audit and year;
* :class:`PeerReview`: a peer review of the board's self-assessment of one year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

import attrs

from . import fields as field
from .base import TOPIC_PREFIX, CycleAggregate, RecordedEvent, violation
from .errors import InvalidValue, RuleViolation
from .values import check_key

RETURNS_NAMESPACE = UUID("6f1d2b7e-4c3a-4e5f-9b8d-1a2c3e4f5d6b")


class Audit(StrEnum):
    """The audits an organisation makes a return to."""

    SECTION_11 = "section_11"
    SECTION_175 = "section_175"
    SECTION_157 = "section_157"
    EMPLOYER_DUTIES = "employer_duties"
    SAFE_NETWORK = "safe_network"


class Rating(StrEnum):
    """How well a standard is met (red, amber, green)."""

    NOT_MET = "not_met"
    PARTLY_MET = "partly_met"
    FULLY_MET = "fully_met"


class Delivery(StrEnum):
    """Whether an area for development raised in an earlier year is being delivered."""

    DELIVERED = "delivered"
    IN_PROGRESS = "in_progress"
    NOT_DELIVERED = "not_delivered"


class Robustness(StrEnum):
    """A peer review's verdict on the board's own assessment."""

    ROBUST = "robust"
    PARTLY_ROBUST = "partly_robust"
    NOT_ROBUST = "not_robust"


EMPLOYER_DUTIES = {
    "induction": "induction that covers child protection responsibilities and procedures",
    "access-to-training": "access to information about the board's safeguarding training",
    "access-to-findings": "access to findings from case reviews and safeguarding alerts",
    "release-for-learning": "release to take part in single and multi-agency learning",
    "reflective-supervision": "reflective safeguarding supervision and support",
    "raising-concerns": "an environment where staff feel able to raise concerns",
}
"""The employer duties of framework §2.7, by key, in plain words."""

STANDARDS: dict[Audit, dict[str, str]] = {
    Audit.SECTION_11: {
        "s11-senior-management-commitment": "senior management commitment to safeguarding",
        "s11-statement-of-responsibilities": "a clear statement of responsibilities, available to all staff",
        "s11-line-of-accountability": "a clear line of accountability for safeguarding",
        "s11-service-development-informed-by-children": "service development informed by children and families",
        "s11-training-for-all-staff": "safeguarding training for staff",
        "s11-safer-recruitment": "safer recruitment",
        "s11-inter-agency-working": "effective working between agencies",
        "s11-information-sharing": "information sharing",
    },
    Audit.SECTION_175: {
        "s175-leadership-and-policy": "leadership, governance and a child protection policy",
        "s175-designated-lead": "a designated safeguarding lead with time and training",
        "s175-staff-training": "safeguarding training for all staff and governors",
        "s175-safer-recruitment": "safer recruitment and a single central record",
        "s175-records-and-referrals": "child protection records and referrals",
        "s175-curriculum": "teaching pupils to keep themselves safe",
        "s175-working-with-agencies": "working with other agencies",
        "s175-allegations": "managing allegations against staff",
    },
    Audit.SECTION_157: {
        "s157-leadership-and-policy": "leadership, governance and a safeguarding policy",
        "s157-designated-lead": "a designated safeguarding lead with time and training",
        "s157-staff-training": "safeguarding training for staff",
        "s157-safer-recruitment": "safer recruitment and a single central record",
        "s157-learners-at-risk": "identifying and supporting learners at risk, including those aged 16 to 18",
        "s157-working-with-agencies": "working with other agencies",
        "s157-allegations": "managing allegations against staff",
    },
    Audit.EMPLOYER_DUTIES: EMPLOYER_DUTIES,
    Audit.SAFE_NETWORK: EMPLOYER_DUTIES,
}
"""Each audit's standards, by key, in plain words: the one place they are declared."""

FROM_PARTNERS = frozenset({Audit.SECTION_11, Audit.EMPLOYER_DUTIES})
"""The audits whose returns come from the board's partner agencies (the rest from schools,
colleges and voluntary organisations, named by a key of their own)."""


def return_id_for(board_id: UUID, audit: str, organisation: str, year: int) -> UUID:
    """A return's id follows from its board, audit, organisation and year: one return each."""
    return uuid5(RETURNS_NAMESPACE, f"{board_id}/return/{audit}/{organisation}/{year}")


def analysis_id_for(board_id: UUID, audit: str, year: int) -> UUID:
    return uuid5(RETURNS_NAMESPACE, f"{board_id}/analysis/{audit}/{year}")


def peer_review_id_for(board_id: UUID, year: int) -> UUID:
    return uuid5(RETURNS_NAMESPACE, f"{board_id}/peer-review/{year}")


@attrs.frozen
class StandardRating:
    """A return's rating of one standard of its audit."""

    standard: str
    rating: Rating


@attrs.frozen
class Area:
    """An area for development, with a short key so a later year can follow it up."""

    key: str
    text: str


@attrs.frozen
class FollowUp:
    """A later year's check of whether an area for development is being delivered."""

    area: str
    delivery: Delivery
    evidence: str
    on: date


@attrs.frozen
class ReturnState:
    return_id: UUID
    board_id: UUID
    audit: Audit
    organisation: str
    name: str
    year: int
    started_on: date
    """The day the return was submitted."""
    ratings: tuple[StandardRating, ...]
    strengths: tuple[str, ...]
    areas: tuple[Area, ...]
    follow_ups: tuple[FollowUp, ...] = ()


class Return(CycleAggregate[ReturnState]):
    TOPIC = TOPIC_PREFIX + "Return"
    KIND = "return"

    class Event(RecordedEvent):
        pass

    class Submitted(Event, CycleAggregate.Created):
        """An organisation made its self-assessment return to an audit for a reporting year."""

        TOPIC = TOPIC_PREFIX + "Return.Submitted"
        board_id: UUID
        audit: Audit
        organisation: str
        name: str
        year: int
        ratings: tuple[StandardRating, ...]
        strengths: tuple[str, ...]
        areas: tuple[Area, ...]

        def fold(self, _: None) -> ReturnState:
            return ReturnState(
                return_id=self.originator_id,
                board_id=self.board_id,
                audit=self.audit,
                organisation=self.organisation,
                name=self.name,
                year=self.year,
                started_on=self.effective_on,
                ratings=tuple(self.ratings),
                strengths=tuple(self.strengths),
                areas=tuple(self.areas),
            )

    Created = Submitted  # eventsourcing looks for a class of this name

    class AreaFollowedUp(Event):
        """A later year's audit checked whether an area for development is being delivered."""

        TOPIC = TOPIC_PREFIX + "Return.AreaFollowedUp"
        area: str
        delivery: Delivery
        evidence: str

        def fold(self, s: ReturnState) -> ReturnState:
            done = (*s.follow_ups, FollowUp(self.area, self.delivery, self.evidence, self.effective_on))
            return attrs.evolve(s, follow_ups=tuple(sorted(done, key=_on)))  # in date order, however recorded

    @classmethod
    def submit(
        cls,
        *,
        board_id: UUID,
        audit: Audit,
        organisation: str,
        name: str,
        year: int,
        ratings: tuple[StandardRating, ...],
        strengths: tuple[str, ...],
        areas: tuple[Area, ...],
        on: date,
        by: str,
    ) -> Return:
        check_key("organisation", organisation)
        check_ratings_and_areas(audit, ratings, areas)
        standards = STANDARDS[audit]
        return cls.begin(
            cls.Submitted,
            id=return_id_for(board_id, audit.value, organisation, year),
            board_id=board_id,
            audit=audit,
            organisation=organisation,
            name=name,
            year=year,
            ratings=tuple(sorted(ratings, key=lambda r: list(standards).index(r.standard))),
            strengths=tuple(strengths),
            areas=tuple(areas),
            effective_on=on,
            recorded_by=by,
        )

    def follow_up(self, area: str, delivery: Delivery, evidence: str, year: int, on: date, by: str) -> None:
        """Record whether ``area`` is being delivered, in reporting year ``year`` (of ``on``)."""
        s = self.state
        if area not in {a.key for a in s.areas}:
            raise violation("area", area, f"was never raised as an area for development in this return (its areas: {', '.join(a.key for a in s.areas) or 'none'})")  # fmt: skip
        if year <= s.year:
            raise violation("on", on.isoformat(), "falls in the year the area was raised: a follow-up belongs to a later year's audit")  # fmt: skip
        self.record(self.AreaFollowedUp, on, by, area=area, delivery=Delivery(delivery), evidence=evidence)


def check_ratings_and_areas(audit: Audit, ratings: Sequence[StandardRating], areas: Sequence[Area]) -> None:
    """A return rates at least one standard, each only of its audit and once; each area for
    development has a key of its own."""
    standards = STANDARDS[audit]
    seen: set[str] = set()
    for r in ratings:
        if r.standard not in standards:
            known = ", ".join(standards)
            raise violation("ratings", r.standard, f"is not a standard of the {audit.value} audit (its standards: {known})")  # fmt: skip
        if r.standard in seen:
            raise violation("ratings", r.standard, "is rated twice")
        seen.add(r.standard)
    if not ratings:
        raise violation("ratings", [], "a return rates at least one standard of its audit")
    keys = [a.key for a in areas]
    for a in areas:
        check_key("areas", a.key)
    if len(set(keys)) != len(keys):
        raise violation("areas", keys, "each area for development needs a key of its own")


def import_problem(values: Mapping[str, Any]) -> tuple[str, Any, str] | None:
    """What import refuses in a return's first line, as the command would (the field, the value,
    why): a rating or an area the rules above refuse. (Its id is checked as every record's made from
    a natural key is: :meth:`~learning_cycle.domain.kinds.RecordKind.expected_id`.)"""
    try:
        check_ratings_and_areas(values["audit"], values["ratings"], values["areas"])
    except (InvalidValue, RuleViolation) as exc:
        return str(exc.field), exc.value, exc.reason
    return None


def _on(follow_up: FollowUp) -> date:
    return follow_up.on


@attrs.frozen
class ReturnsAnalysisState:
    analysis_id: UUID
    board_id: UUID
    audit: Audit
    year: int
    started_on: date
    analysis: str


class ReturnsAnalysis(CycleAggregate[ReturnsAnalysisState]):
    TOPIC = TOPIC_PREFIX + "ReturnsAnalysis"
    KIND = "analysis of returns"

    class Event(RecordedEvent):
        pass

    class Analysed(Event, CycleAggregate.Created):
        """The board analysed and tested the returns of an audit and year at a strategic level."""

        TOPIC = TOPIC_PREFIX + "ReturnsAnalysis.Analysed"
        board_id: UUID
        audit: Audit
        year: int
        analysis: str

        def fold(self, _: None) -> ReturnsAnalysisState:
            return ReturnsAnalysisState(
                self.originator_id, self.board_id, self.audit, self.year, self.effective_on, self.analysis
            )

    Created = Analysed

    @classmethod
    def analyse(cls, *, board_id: UUID, audit: Audit, year: int, analysis: str, on: date, by: str) -> ReturnsAnalysis:
        return cls.begin(
            cls.Analysed,
            id=analysis_id_for(board_id, audit.value, year),
            board_id=board_id,
            audit=audit,
            year=year,
            analysis=analysis,
            effective_on=on,
            recorded_by=by,
        )


@attrs.frozen
class PeerReviewState:
    peer_review_id: UUID
    board_id: UUID
    year: int
    started_on: date
    verdict: Robustness
    improve: str
    reviewers: str


class PeerReview(CycleAggregate[PeerReviewState]):
    TOPIC = TOPIC_PREFIX + "PeerReview"
    KIND = "peer review"

    class Event(RecordedEvent):
        pass

    class Reported(Event, CycleAggregate.Created):
        """Peers reported on how robust and accurate the board's own assessment is, and what must improve."""

        TOPIC = TOPIC_PREFIX + "PeerReview.Reported"
        board_id: UUID
        year: int
        verdict: Robustness
        improve: str
        reviewers: str

        def fold(self, _: None) -> PeerReviewState:
            return PeerReviewState(
                self.originator_id,
                self.board_id,
                self.year,
                self.effective_on,
                self.verdict,
                self.improve,
                self.reviewers,
            )

    Created = Reported

    @classmethod
    def report(
        cls, *, board_id: UUID, year: int, verdict: Robustness, improve: str, reviewers: str, on: date, by: str
    ) -> PeerReview:
        return cls.begin(
            cls.Reported,
            id=peer_review_id_for(board_id, year),
            board_id=board_id,
            year=year,
            verdict=Robustness(verdict),
            improve=improve,
            reviewers=reviewers,
            effective_on=on,
            recorded_by=by,
        )


# -- each field declared once (see :mod:`.fields`) --------------------------------------------

AUDIT = field.choice(
    "audit",
    section_11="Section 11 (Children Act 2004)",
    section_175="Section 175 (Education Act 2002, schools)",
    section_157="Section 157 (Education Act 2002, colleges)",
    employer_duties="employer duties (learning at organisational level)",
    safe_network="Safe Network (voluntary and community sector)",
)
YEAR = field.year("reporting year")
STANDARD = field.key("standard", **{k: v for standards in STANDARDS.values() for k, v in standards.items()})

field.declare(StandardRating, standard=STANDARD, rating=field.choice("rating", not_met="red", partly_met="amber", fully_met="green"))  # fmt: skip
field.declare(Area, key=field.key("area key"), text=field.long("area for development"))
DELIVERY = field.choice("being delivered", delivered="delivered", in_progress="in progress", not_delivered="not delivered")  # fmt: skip
field.declare(
    FollowUp, area=field.key("area key"), delivery=DELIVERY, evidence=field.long("evidence"), on=field.plain("on")
)
field.declare(
    Return.Event,
    ReturnState,
    return_id=field.plain("return"),
    board_id=field.plain("board"),
    audit=AUDIT,
    organisation=field.key("organisation"),
    name=field.short("organisation's name"),
    year=YEAR,
    started_on=field.plain("submitted on"),
    ratings=field.plain("ratings"),
    strengths=field.long("strengths"),
    areas=field.plain("areas for development"),
    follow_ups=field.plain("follow-ups"),
    area=field.key("area key"),
    delivery=DELIVERY,
    evidence=field.long("evidence"),
)
field.declare(
    ReturnsAnalysis.Event,
    ReturnsAnalysisState,
    analysis_id=field.plain("analysis of returns"),
    board_id=field.plain("board"),
    audit=AUDIT,
    year=YEAR,
    started_on=field.plain("analysed on"),
    analysis=field.long("analysis (strategic testing)"),
)
field.declare(
    PeerReview.Event,
    PeerReviewState,
    peer_review_id=field.plain("peer review"),
    board_id=field.plain("board"),
    year=YEAR,
    started_on=field.plain("reported on"),
    verdict=field.choice(
        "robustness of the board's own assessment",
        robust="robust",
        partly_robust="partly robust",
        not_robust="not robust",
    ),
    improve=field.long("what must improve"),
    reviewers=field.short("reviewed by"),
)
