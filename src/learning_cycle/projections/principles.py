"""Taking stock against the principles (framework §3): for each of the six principles of §1, what
the year's records show, with the figures that support it, or plainly that there is no evidence.

Each principle is answered by one small function of the :class:`Evidence` (the board's records,
the year, the three-year picture and the menu of methods), listed in :data:`ANSWERS`: to answer a
principle from more records, extend its function. At the head of the section stands the board's
framework record: adopted when, last reviewed when, and whether the year's annual review is held.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import attrs

from ..domain import fields
from ..domain.framework import FrameworkState, Principle
from ..domain.menu import Menu
from ..domain.outcomes import BoardRecords
from ..domain.returns import PeerReviewState
from ..domain.values import ActionStatus, CheckResult, Level, PublicationStatus, ReportingYear
from .involvement import Involvement
from .picture import Picture
from .returns import ReturnsSection


@attrs.frozen
class PrincipleLine:
    """One principle taken stock of.

    :ivar principle: its key (``systems_learning``...).
    :ivar name: its plain words.
    :ivar answer: what the records show, in sentences; or that no evidence is recorded.
    :ivar figures: the figures the answer rests on, by what each counts.
    :ivar details: what the answer lists, as pairs (for proportionality, each method chosen, by its
        key, and the rationale recorded for the choice).
    :ivar evidence_missing: the records hold no evidence for it in the year.
    :ivar adopted: the board's framework names it among its principles.
    """

    principle: str
    name: str
    answer: str
    figures: Mapping[str, int] = attrs.field(factory=dict)
    details: tuple[tuple[str, str], ...] = ()
    evidence_missing: bool = False
    adopted: bool = False


@attrs.frozen
class FrameworkLine:
    """The board's framework as it stood for the year (the head of the section)."""

    name: str
    adopted_on: date
    agreed_by: str
    principles: tuple[str, ...]
    last_reviewed_on: date | None
    last_review_outcome: str | None
    last_review_changes: str | None
    annual_review_on: date | None
    """When the annual review after this year's stock-take was held (``None``: not recorded)."""
    annual_review_changes: str | None


@attrs.frozen
class PrinciplesSection:
    """The stock-take against the principles: the framework (``None``: none adopted by the
    year's end) and one line per principle, in the order of §1."""

    framework: FrameworkLine | None = None
    lines: tuple[PrincipleLine, ...] = ()


@attrs.frozen
class Evidence:
    """What a principle is answered from."""

    records: BoardRecords
    year: ReportingYear
    picture: Picture
    menu: Menu
    involvement: Involvement | None = None
    """The year's involvement section (reach by what it counts, reviews' samples, feedback)."""
    returns: ReturnsSection | None = None
    """The year's self-assessment section (areas followed up, the peer review)."""

    def inside(self, day: date | None) -> bool:
        return day is not None and day in self.year


def principle_name(principle: Principle | str) -> str:
    """The plain words declared for a principle."""
    return fields.value_words(FrameworkState, "principles", principle)


def _missing(principle: Principle, when: str, why: str) -> PrincipleLine:
    """No evidence for ``principle`` ``when`` (``in 2015/16``), and ``why`` (what the records lack)."""
    name = principle_name(principle)
    return PrincipleLine(
        principle.value, name, f"No evidence recorded for {name} {when}: {why}.", evidence_missing=True
    )


def _n(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def systems_learning(ev: Evidence) -> PrincipleLine:
    """Findings about how the system works (strategic, operational, organisational) rather than
    individuals, and those that name an underlying pattern (why it happened)."""
    p = Principle.SYSTEMS_LEARNING
    found = [f for f in ev.records.findings if ev.inside(f.raised_on)]
    if not found:
        return _missing(p, f"in {ev.year.label}", "no finding was raised in the year")
    individual = sum(1 for f in found if f.level is Level.INDIVIDUAL)
    patterns = sum(1 for f in found if f.patterns)
    figures = {"findings raised": len(found), "about the system": len(found) - individual,
               "about individual practice": individual, "naming an underlying pattern": patterns}  # fmt: skip
    answer = (
        f"{len(found) - individual} of {_n(len(found), 'finding')} raised in the year are about the system "
        f"(strategic, operational, organisational), {individual} about individual practice; {patterns} name an "
        "underlying pattern."
    )
    return PrincipleLine(p.value, principle_name(p), answer, figures)


def continuous_improvement(ev: Evidence) -> PrincipleLine:
    """Actions completed in the year, and the year's checks that found practice improved."""
    p = Principle.CONTINUOUS_IMPROVEMENT
    done = [a for a in ev.records.actions if a.status is ActionStatus.COMPLETED and ev.inside(a.completed_on)]
    checks = [c for f in ev.records.findings for c in f.checks if ev.inside(c.checked_on)]
    if not done and not checks:
        return _missing(p, f"in {ev.year.label}", "no action was completed and no check made")
    on_time = sum(1 for a in done if a.completed_on is not None and a.completed_on <= a.due_on)
    improved = sum(1 for c in checks if c.result is CheckResult.IMPROVED)
    figures = {"actions completed": len(done), "completed on time": on_time, "monitoring checks": len(checks),
               "checks that found improvement": improved}  # fmt: skip
    answer = (
        f"{_n(len(done), 'action')} completed in the year ({on_time} on time); "
        f"{improved} of {_n(len(checks), 'monitoring check')} found practice improved."
    )
    return PrincipleLine(p.value, principle_name(p), answer, figures)


def proportionality(ev: Evidence) -> PrincipleLine:
    """Each method chosen in the year and the rationale recorded for the choice."""
    p = Principle.PROPORTIONALITY
    chosen = [a for a in ev.records.activities if ev.inside(a.started_on)]
    if not chosen:
        return _missing(p, f"in {ev.year.label}", "no learning activity was commissioned in the year")
    hidden = set() if ev.records.includes_restricted else {r.activity_id for r in ev.records.restricted}
    details = tuple(
        (
            a.method,
            "a review not published: its rationale is not shown" if a.activity_id in hidden else a.proportionality,
        )
        for a in chosen
    )
    methods = len({a.method for a in chosen})
    shown = sum(1 for a in chosen if a.activity_id not in hidden)
    figures = {"methods chosen": len(chosen), "different methods": methods, "rationale shown": shown}
    answer = (
        f"{_n(len(chosen), 'learning activity', 'learning activities')} commissioned in the year, by "
        f"{_n(methods, 'method')}, each with its reason"
        + (f" ({len(chosen) - shown} not shown: reviews not published)." if shown < len(chosen) else ".")
    )
    return PrincipleLine(p.value, principle_name(p), answer, figures, details)


def professionals_involved(ev: Evidence) -> PrincipleLine:
    """Learning delivered to professionals in the year (attendances and people reached, never
    added together), its districts and training, what feedback says of satisfaction and of impact
    on practice, and practitioners taking part in the year's reviews."""
    p = Principle.PROFESSIONALS_INVOLVED
    delivered = [d for d in ev.records.disseminations if ev.inside(d.delivered_on)]
    inv = ev.involvement
    reviews = [r for r in inv.reviews if r.practitioners_involved or r.practitioners_spoken_to] if inv else []
    if not delivered and not reviews:
        return _missing(p, f"in {ev.year.label}", "no learning was delivered and no practitioners took part in a review in the year")  # fmt: skip
    districts = {x for d in delivered for x in d.districts}
    courses = sum(1 for d in delivered if d.channel.value == "training_course")
    total = len(ev.records.board.districts)
    feedback = sum(1 for d in ev.records.disseminations for f in d.feedback if ev.inside(f.on))
    attendances = inv.attendances if inv else sum(d.reach for d in delivered)
    reached = inv.people_reached if inv else 0
    practitioners = sum((r.practitioners_involved or 0) + (r.practitioners_spoken_to or 0) for r in reviews)
    satisfied, asked = inv.satisfied if inv else (0, 0)
    impact, asked_impact = inv.impact if inv else (0, 0)
    figures = {"pieces of learning delivered": len(delivered), "attendances": attendances, "people reached": reached,
               "districts reached": len(districts), "training courses": courses, "feedback received": feedback,
               "feedback respondents": inv.feedback_respondents if inv else 0, "satisfied": satisfied,
               "reporting an impact on practice": impact, "reviews practitioners took part in": len(reviews),
               "practitioners taking part": practitioners}  # fmt: skip
    parts = [
        f"{_n(len(delivered), 'piece')} of learning: {_n(attendances, 'attendance')}"
        + (
            f" and {_n(reached, 'person', 'people')} reached by alerts and social media (counted apart)"
            if reached
            else ""
        )
        + f", in {len(districts)} of {_n(total, 'district')}; {_n(courses, 'training course')}"
    ]
    if asked or asked_impact:
        parts.append(f"{satisfied} of {asked} respondents satisfied, {impact} of {asked_impact} reporting an impact on practice")  # fmt: skip
    if reviews:
        parts.append(f"{_n(practitioners, 'practitioner')} took part in {_n(len(reviews), 'review')}")
    return PrincipleLine(p.value, principle_name(p), "; ".join(parts) + ".", figures)


def transparency(ev: Evidence) -> PrincipleLine:
    """Final reports of reviews whose method publishes a report, approved or decided in the year."""
    p = Principle.TRANSPARENCY
    reviews = [
        a
        for a in ev.records.activities
        if ev.menu.publishes(a.kind, a.method)
        and (ev.inside(a.report_approved_on) or ev.inside(a.publication_decided_on))
    ]
    if not reviews:
        return _missing(
            p, f"in {ev.year.label}", "no report of a review whose method publishes one was approved or decided"
        )
    status = [a.publication.status if a.publication is not None else None for a in reviews]
    published = status.count(PublicationStatus.PUBLISHED)
    withheld, delayed = status.count(PublicationStatus.WITHHELD), status.count(PublicationStatus.DELAYED)
    undecided = status.count(None)
    figures = {"reviews whose method publishes a report": len(reviews), "published": published,
               "withheld": withheld, "delayed": delayed, "not yet decided": undecided}  # fmt: skip
    answer = (
        f"Of {_n(len(reviews), 'review')} whose method publishes a final report, with a report approved or a "
        f"decision in the year: {published} published, {withheld} withheld, {delayed} delayed, {undecided} not yet decided."
    )
    return PrincipleLine(p.value, principle_name(p), answer, figures)


def sustained_improvement(ev: Evidence) -> PrincipleLine:
    """The three-year picture's verdicts on the findings it follows, last year's areas for
    development followed up in the year's self-assessment, and the peer review of the board's own
    assessment (framework §3.6)."""
    p = Principle.SUSTAINED_IMPROVEMENT
    verdicts = ev.picture.by_verdict
    followed = sum(verdicts.values())
    unchecked = verdicts.get("no_evidence_yet", 0) + verdicts.get("awaiting_action", 0)
    areas = [a for audit in ev.returns.audits for a in audit.followed_up] if ev.returns else []
    delivered = sum(1 for a in areas if a.delivery == "delivered")
    peer = ev.returns.peer_reviews[-1] if ev.returns and ev.returns.peer_reviews else None
    parts, figures = [], {}
    if followed and unchecked < followed:
        figures = {"findings followed": followed, **{k.replace("_", " "): v for k, v in verdicts.items()}}
        parts.append(
            f"Over {ev.picture.years[0]} to {ev.picture.years[-1]}, of {_n(followed, 'finding')} followed: "
            f"{verdicts.get('sustained', 0)} sustained, {verdicts.get('improving', 0)} improving, "
            f"{verdicts.get('stalled', 0)} stalled, {verdicts.get('deteriorating', 0)} deteriorating, "
            f"{unchecked} with no evidence yet"
        )
    if areas:
        figures |= {"areas for development followed up": len(areas), "areas delivered": delivered}
        parts.append(f"{delivered} of {_n(len(areas), 'area')} for development from last year delivered")
    if peer is not None:
        said = fields.value_words(PeerReviewState, "verdict", peer.verdict)
        figures["peer reviews of the board's own assessment"] = len(ev.returns.peer_reviews) if ev.returns else 0
        parts.append(f"a peer review found the board's own assessment {said}")
    if not parts:
        what = "no finding is followed" if not followed else f"none of the {_n(followed, 'finding')} followed has evidence of change yet"  # fmt: skip
        return _missing(p, f"over {ev.picture.years[0]} to {ev.picture.years[-1]}", what)
    answer = "; ".join(parts) + "."
    return PrincipleLine(p.value, principle_name(p), answer[0].upper() + answer[1:], figures)


ANSWERS: Mapping[Principle, Callable[[Evidence], PrincipleLine]] = {
    Principle.SYSTEMS_LEARNING: systems_learning,
    Principle.CONTINUOUS_IMPROVEMENT: continuous_improvement,
    Principle.PROPORTIONALITY: proportionality,
    Principle.PROFESSIONALS_INVOLVED: professionals_involved,
    Principle.TRANSPARENCY: transparency,
    Principle.SUSTAINED_IMPROVEMENT: sustained_improvement,
}
"""Each principle's answer, in the order of framework §1."""


def framework_line(records: BoardRecords, year: ReportingYear) -> FrameworkLine | None:
    """The board's framework as it stood at the year's end (its name and principles then), its last
    review by then, and the annual review after the year's stock-take (``None``: no framework adopted by the year's end)."""
    framework = next((f for f in records.frameworks if f.adopted_on <= year.ends_on), None)
    if framework is None:
        return None
    review = framework.last_review(year.ends_on)
    annual = framework.annual_review(year.first)
    name, principles = framework.as_of(year.ends_on)  # a later revision is not this year's framework
    return FrameworkLine(
        name=name,
        adopted_on=framework.adopted_on,
        agreed_by=framework.agreed_by,
        principles=tuple(p.value for p in principles),
        last_reviewed_on=review.reviewed_on if review else None,
        last_review_outcome=review.outcome.value if review else None,
        last_review_changes=review.changes if review else None,
        annual_review_on=annual.held_on if annual else None,
        annual_review_changes=annual.changes if annual else None,
    )


def principles_section(
    records: BoardRecords,
    year: ReportingYear,
    picture: Picture,
    menu: Menu,
    *,
    involvement: Involvement | None = None,
    returns: ReturnsSection | None = None,
) -> PrinciplesSection:
    """The stock-take of ``year`` against each principle, from ``records`` (as the stock-take sees them)."""
    head = framework_line(records, year)
    ev = Evidence(records, year, picture, menu, involvement, returns)
    adopted = set(head.principles) if head is not None else set()
    lines = tuple(attrs.evolve(answer(ev), adopted=p.value in adopted) for p, answer in ANSWERS.items())
    return PrinciplesSection(head, lines)


__all__ = [
    "ANSWERS",
    "Evidence",
    "FrameworkLine",
    "PrincipleLine",
    "PrinciplesSection",
    "framework_line",
    "principle_name",
    "principles_section",
]
