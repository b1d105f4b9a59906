"""The paper's part on self-assessment: the year's returns per audit (red, amber, green per
standard), the areas for development and last year's followed up, the board's analysis, each
agency's assurance on its employer duties, and the peer review of the board's own assessment.

Compact by design (the paper prints to at most ten A4 pages): one table of the audits, one of the
areas for development, one of the employer duties. Every key is said in its declared words."""

from __future__ import annotations

from typing import Any

from ..domain.fields import value_words
from ..domain.returns import FollowUp, PeerReviewState, ReturnState, StandardRating
from ..projections.returns import AreaLine, ReturnsSection

Block = tuple[Any, ...]
TITLE = "Self-assessment, organisational learning and peer review"


def _audit(key: str) -> str:
    return value_words(ReturnState, "audit", key)


def _standard(key: str) -> str:
    return value_words(StandardRating, "standard", key)


def _rating(key: str) -> str:
    return value_words(StandardRating, "rating", key)


def _delivery(area: AreaLine) -> str:
    if area.delivery is None:
        return "not followed up yet"
    said = value_words(FollowUp, "delivery", area.delivery)
    return f"{said} ({area.evidence})" if area.evidence else said


def returns_blocks(section: ReturnsSection) -> list[Block]:
    """The blocks of the part (an ``h3`` and what follows), from the escaped model."""
    out: list[Block] = [("h3", TITLE)]
    if not (section.audits or section.duties or section.peer_reviews):
        out.append(("p", "No self-assessment return, employer-duty assurance or peer review is recorded for the year.", None))  # fmt: skip
        return out
    rows = []
    areas = []
    for a in section.audits:
        red = sum(s.red for s in a.standards)
        amber = sum(s.amber for s in a.standards)
        green = sum(s.green for s in a.standards)
        weak = [
            f"{_standard(s.standard)} ({', '.join(p for p in (f'{s.red} red' if s.red else '', f'{s.amber} amber' if s.amber else '') if p)})"
            for s in a.standards
            if s.red or s.amber
        ]
        analysed = f"analysed {a.analysed_on:%-d %B %Y}: {a.analysis}" if a.analysis else "not analysed yet"
        rows.append((_audit(a.audit), a.returns, green, amber, red, "; ".join(weak) or "none", analysed))
        areas += [(x.name, x.text, x.year, "raised this year") for x in a.areas]
        areas += [(x.name, x.text, x.year, _delivery(x)) for x in a.followed_up]
    if rows:
        out.append(
            (
                "table",
                ["audit", "returns", "green", "amber", "red", "standards rated red or amber", "the board's analysis"],
                rows,
                "Self-assessment returns of the year, ratings counted over every standard",
            )
        )
    if areas:
        out.append(
            (
                "table",
                ["organisation", "area for development", "raised in", "being delivered"],
                areas,
                "Areas for development: this year's, and last year's followed up",
            )
        )
    if section.duties:
        met = [d.name for d in section.duties if set(d.ratings.values()) == {"fully_met"}]
        duties = []
        for d in section.duties:
            if d.name in met:
                continue
            by = {k: [w for w, r in d.ratings.items() if r == k] for k in ("fully_met", "partly_met", "not_met")}
            duties.append(
                (
                    d.name,
                    _audit(d.through).split(" (")[0],
                    len(by["fully_met"]),
                    "; ".join(_standard(w) for w in by["partly_met"]) or "-",
                    "; ".join(_standard(w) for w in by["not_met"]) or "-",
                )
            )
        out.append(("p", f"Learning at organisational level (framework 2.7): {len(section.duties)} assurances on the employer duties; every duty rated met by {', '.join(met) or 'none'}.", None))  # fmt: skip
        if duties:
            out.append(
                (
                    "table",
                    ["organisation", "assured through", "duties met", "partly met (amber)", "not met (red)"],
                    duties,
                    "Employer duties not fully met",
                )
            )
    for p in section.peer_reviews:
        verdict = value_words(PeerReviewState, "verdict", p.verdict)
        out.append(
            (
                "p",
                f"Peer review of the board's self-assessment ({p.reviewers}, {p.reported_on:%-d %B %Y}): "
                f"the board's own assessment is {verdict}. What must improve: {p.improve}",
                None,
            )
        )
    return out


__all__ = ["TITLE", "returns_blocks"]
