"""Section 3 of the stock-take paper, "How it fed into training": the learning delivered, what each
channel's reach counts (attendances are never added to people reached), what feedback says of
satisfaction and of impact on practice, and who took part in the year's reviews (framework §3.4)."""

from __future__ import annotations

from typing import Any

from ..projections.involvement import Involvement, ReviewInvolvement
from ..projections.stocktake import StockTake
from .plain import plain

Block = tuple[Any, ...]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def reach_words(st: StockTake) -> str:
    """The year's reach in words: attendances and people reached by alerts and social media, never
    added together (framework §3.4)."""
    if st.involvement is None:
        return _count(st.reach, "person", "people")
    said = [
        _count(st.involvement.attendances, "attendance") if st.involvement.attendances or not st.involvement.people_reached else "",
        f"{_count(st.involvement.people_reached, 'person', 'people')} by alerts and social media" if st.involvement.people_reached else "",
    ]  # fmt: skip
    return " and ".join(part for part in said if part)


def training(st: StockTake) -> list[Block]:
    """The blocks of the section (the paper's layout: see :mod:`.paper`)."""
    out: list[Block] = []
    if st.disseminations:
        by_channel = ", ".join(f"{plain(k)} {v}" for k, v in st.disseminations_by_channel.items())
        out.append(
            (
                "p",
                f"{_count(st.disseminations, 'piece')} of learning delivered, reaching {reach_words(st)}. "
                f"By channel: {by_channel or 'no channel recorded'}. "
                f"{_count(st.feedback_received, 'piece')} of feedback received.",
                None,
            )
        )
        out.append(("table", ["district", "people reached"], list(st.reach_by_district.items()), "Reach by district"))
    else:
        out.append(("p", "No learning was delivered in the year.", None))
    if st.involvement is not None:
        out += _involvement(st.involvement)
    return out


def _involvement(inv: Involvement) -> list[Block]:
    out: list[Block] = []
    if inv.channels:
        counted = "; ".join(
            f"{plain(c.channel)}: {_count(c.pieces, 'piece')}, "
            + _count(
                c.reach,
                "attendance" if c.counts == "attendances" else "person reached",
                None if c.counts == "attendances" else "people reached",
            )
            for c in inv.channels
        )
        out.append(
            (
                "p",
                f"Reach counts attendances at courses, briefings and sessions ({inv.attendances}) apart from people "
                f"reached by alerts, social media and other channels ({inv.people_reached}): {counted}.",
                None,
            )
        )
    said = []
    if inv.satisfied[1]:
        said.append(f"{inv.satisfied[0]} of {inv.satisfied[1]} respondents were satisfied with the learning")
    if inv.impact[1]:
        said.append(f"{inv.impact[0]} of {inv.impact[1]} reported an impact on their practice")
    if said:
        out.append(("p", "Feedback: " + "; ".join(said) + ".", None))
    if inv.reviews:
        rows = [(r.title, _sample(r), _spoken(r), _involved(r)) for r in inv.reviews]
        out.append(("table", ["review", "sample", "spoken to", "practitioners involved"], rows, "Who took part in the year's reviews"))  # fmt: skip
    return out


def involvement_words(inv: Involvement | None) -> str:
    """The involvement in one line (the status view), or ``""`` when nothing of it is recorded."""
    if inv is None:
        return ""
    parts = []
    if inv.channels:
        parts.append(f"{_count(inv.attendances, 'attendance')} and {_count(inv.people_reached, 'person', 'people')} reached by alerts and social media")  # fmt: skip
    if inv.satisfied[1]:
        parts.append(f"{inv.satisfied[0]} of {inv.satisfied[1]} respondents satisfied")
    if inv.impact[1]:
        parts.append(f"{inv.impact[0]} of {inv.impact[1]} reporting an impact on practice")
    sampled = [r for r in inv.reviews if r.cases is not None]
    if sampled:
        parts.append(
            f"{_count(len(sampled), 'review')} recorded {_count(sum(r.cases or 0 for r in sampled), 'case')} sampled and spoke to "
            f"{_count(sum(r.practitioners_spoken_to or 0 for r in sampled), 'practitioner')}, "
            f"{_count(sum(r.young_people_spoken_to or 0 for r in sampled), 'young person', 'young people')} and "
            f"{_count(sum(r.parents_spoken_to or 0 for r in sampled), 'parent or carer', 'parents or carers')}"
        )  # fmt: skip
    involved = [r for r in inv.reviews if r.practitioners_involved is not None]
    if involved:
        parts.append(f"{_count(sum(r.practitioners_involved or 0 for r in involved), 'practitioner')} involved in {_count(len(involved), 'review')}")  # fmt: skip
    return "; ".join(parts)


def _sample(r: ReviewInvolvement) -> str:
    if r.cases is None:
        return "not recorded"
    return f"{_count(r.cases, 'case')}: {r.criteria}" if r.criteria else _count(r.cases, "case")


def _spoken(r: ReviewInvolvement) -> str:
    if r.cases is None:
        return "not recorded"
    return (
        f"{_count(r.practitioners_spoken_to or 0, 'practitioner')}, {_count(r.young_people_spoken_to or 0, 'young person', 'young people')}, "
        f"{_count(r.parents_spoken_to or 0, 'parent or carer', 'parents or carers')}"
    )  # fmt: skip


def _involved(r: ReviewInvolvement) -> str:
    if r.practitioners_involved is None:
        return "not recorded"
    return f"{r.practitioners_involved} {plain(r.how)}"
