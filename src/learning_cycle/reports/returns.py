"""The paper's part on self-assessment: the year's returns per audit (red, amber, green per
standard), the areas for development and last year's followed up, the board's analysis, each
agency's assurance on its employer duties, and the peer review of the board's own assessment.

Compact by design (the paper prints to at most ten A4 pages): four short paragraphs. Every key is
said in its declared words."""

from __future__ import annotations

from typing import Any

from ..domain.fields import value_words
from ..domain.returns import FollowUp, PeerReviewState, ReturnState, StandardRating
from ..projections.returns import AreaLine, ReturnsSection

Block = tuple[Any, ...]


def count(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"


TITLE = "Self-assessment, organisational learning and peer review"


def _audit(key: str) -> str:
    """The audit's words, without what the heading says (``Section 11``, ``Safe Network``)."""
    return value_words(ReturnState, "audit", key).split(" (")[0]


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
    """The blocks of the part (an ``h3`` and what follows, in sentences: they print shorter than
    tables), from the escaped model."""
    out: list[Block] = [("h3", TITLE)]
    if not (section.audits or section.duties or section.peer_reviews):
        out.append(("p", "No self-assessment return, employer-duty assurance or peer review is recorded for the year.", None))  # fmt: skip
        return out
    audits, raised, followed = [], [], []
    for a in section.audits:
        red, amber, green = (sum(getattr(s, k) for s in a.standards) for k in ("red", "amber", "green"))
        weak = [_standard(s.standard) for s in a.standards if s.red or s.amber]
        said = f"{_audit(a.audit)}: {count(a.returns, 'return')} ({green} green, {amber} amber, {red} red"
        said += f"; red or amber: {', '.join(weak)})" if weak else ")"
        said += f", analysed by the board on {a.analysed_on:%-d %B %Y}: {a.analysis.rstrip('.')}" if a.analysis else ", not analysed yet"  # fmt: skip
        audits.append(said)
        raised += [f"{x.name}: {x.text.rstrip('.')}" for x in a.areas]
        followed += [f"{x.name}: {x.text.rstrip('.')} ({x.year}), {_delivery(x)}" for x in a.followed_up]
    if audits:
        out.append(("p", "Returns of the year. " + ". ".join(audits) + ".", None))
    if raised or followed:
        areas = "Areas for development raised: " + ("; ".join(raised) or "none") + "."
        areas += " Last year's followed up: " + ("; ".join(followed) or "none") + "."
        out.append(("p", areas, None))
    if section.duties:
        met = sum(1 for d in section.duties if set(d.ratings.values()) == {"fully_met"})
        short = []
        for d in section.duties:
            for rating in ("partly_met", "not_met"):
                duties = [_standard(w) for w, r in d.ratings.items() if r == rating]
                if duties:
                    through = " through the Safe Network" if d.through == "safe_network" else ""
                    short.append(f"{d.name}{through}, {_rating(rating)}: {', '.join(duties)}")
        said = f"Employer duties (learning at organisational level): {count(len(section.duties), 'assurance')}, every duty met in {met}"  # fmt: skip
        out.append(("p", said + (". " + "; ".join(short) if short else "") + ".", None))
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
