"""What the stock-take and the three-year picture show of self-assessment (framework §2.4, §2.7, §3.6).

For a reporting year: per audit, the returns made for the year and the counts of red, amber and
green per standard, the areas for development raised, last year's areas and whether they are being
delivered, and the board's analysis; each agency's assurance on its employer duties (and the
voluntary sector's through the Safe Network); and the peer review of the board's own assessment.
For the picture, every area for development raised in the window and whether it is being delivered.

The model holds keys (audits, standards, ratings): the JSON gives them as recorded, the paper says
them in their declared words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import attrs

from ..domain.outcomes import BoardRecords
from ..domain.returns import STANDARDS, Audit, Rating, ReturnState
from ..domain.values import ReportingYear

AUDITS = (Audit.SECTION_11, Audit.SECTION_175, Audit.SECTION_157)
"""The self-assessment audits (the others are the assurance on employer duties)."""
DUTIES = (Audit.EMPLOYER_DUTIES, Audit.SAFE_NETWORK)


@attrs.frozen
class StandardCount:
    """How the returns of an audit rated one standard."""

    standard: str
    red: int
    amber: int
    green: int


@attrs.frozen
class AreaLine:
    """An area for development and whether it is being delivered (its latest follow-up)."""

    audit: str
    organisation: str
    name: str
    year: str
    """The reporting year of the return that raised it."""
    key: str
    text: str
    delivery: str | None = None
    """``delivered``, ``in_progress``, ``not_delivered``; ``None``: not followed up yet."""
    evidence: str | None = None
    followed_up_on: date | None = None


@attrs.frozen
class AuditLine:
    """One audit of the year."""

    audit: str
    returns: int
    organisations: tuple[str, ...]
    standards: tuple[StandardCount, ...]
    areas: tuple[AreaLine, ...]
    """The areas for development raised in the year's returns."""
    followed_up: tuple[AreaLine, ...]
    """Last year's areas for development, each with whether it is being delivered by the year's end."""
    analysis: str | None = None
    """The board's analysis across the returns (strategic testing); ``None``: not recorded."""
    analysed_on: date | None = None


@attrs.frozen
class DutyLine:
    """One organisation's assurance on the employer duties for the year."""

    organisation: str
    name: str
    through: str
    """``employer_duties`` (its own assurance) or ``safe_network`` (the voluntary sector's check)."""
    ratings: Mapping[str, str]
    """Each duty's rating (``not_met``, ``partly_met``, ``fully_met``)."""


@attrs.frozen
class PeerReviewLine:
    year: str
    reported_on: date
    verdict: str
    improve: str
    reviewers: str


@attrs.frozen
class ReturnsSection:
    """Self-assessment, organisational learning and peer review in one reporting year."""

    audits: tuple[AuditLine, ...] = ()
    duties: tuple[DutyLine, ...] = ()
    peer_reviews: tuple[PeerReviewLine, ...] = ()


def _area(r: ReturnState, start: ReportingYear, key: str, text: str, until: date) -> AreaLine:
    follow = [f for f in r.follow_ups if f.area == key and f.on <= until]
    last = follow[-1] if follow else None
    return AreaLine(
        r.audit.value,
        r.organisation,
        r.name,
        ReportingYear(r.year, start.start).label,
        key,
        text,
        last.delivery.value if last else None,
        last.evidence if last else None,
        last.on if last else None,
    )


def returns_section(records: BoardRecords, year: ReportingYear) -> ReturnsSection:
    """The section of the stock-take of ``year`` (follow-ups as they stood at the year's end)."""
    end = min(year.ends_on, records.as_of)
    audits = []
    for audit in AUDITS:
        made = [r for r in records.returns if r.audit is audit and r.year == year.first]
        before = [r for r in records.returns if r.audit is audit and r.year == year.first - 1]
        analysis = next((a for a in records.analyses if a.audit is audit and a.year == year.first), None)
        if not made and not before and analysis is None:
            continue
        counts = []
        for standard in STANDARDS[audit]:
            rated = [x.rating for r in made for x in r.ratings if x.standard == standard]
            if rated:
                counts.append(StandardCount(standard, *(rated.count(k) for k in (Rating.NOT_MET, Rating.PARTLY_MET, Rating.FULLY_MET))))  # fmt: skip
        audits.append(
            AuditLine(
                audit.value,
                len(made),
                tuple(r.organisation for r in made),
                tuple(counts),
                tuple(_area(r, year, a.key, a.text, end) for r in made for a in r.areas),
                tuple(_area(r, year, a.key, a.text, end) for r in before for a in r.areas),
                analysis.analysis if analysis else None,
                analysis.started_on if analysis else None,
            )
        )
    duties = tuple(
        DutyLine(r.organisation, r.name, r.audit.value, {x.standard: x.rating.value for x in r.ratings})
        for r in sorted(records.returns, key=lambda r: (r.audit.value, r.organisation))
        if r.audit in DUTIES and r.year == year.first
    )
    reviews = tuple(
        PeerReviewLine(year.label, p.started_on, p.verdict.value, p.improve, p.reviewers)
        for p in records.peer_reviews
        if p.year == year.first
    )
    return ReturnsSection(tuple(audits), duties, reviews)


def areas_in_window(years: Sequence[tuple[ReportingYear, BoardRecords]]) -> tuple[AreaLine, ...]:
    """For the three-year picture: every area for development raised in a return of the window's
    years, and whether it is being delivered at the window's end (its latest follow-up by then)."""
    if not years:
        return ()
    _, last = years[-1]
    firsts = {y.first for y, _ in years}
    start = years[-1][0]
    return tuple(
        _area(r, start, a.key, a.text, last.as_of)
        for r in sorted(last.returns, key=lambda r: (r.year, r.audit.value, r.organisation))
        if r.year in firsts and r.audit in AUDITS
        for a in r.areas
    )
