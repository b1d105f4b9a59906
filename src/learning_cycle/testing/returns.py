"""The conformance kit's steps of self-assessment: returns (Section 11, 175, 157, employer duties,
the Safe Network) with their ratings and areas for development, later years' follow-ups, the
board's analysis and the peer review of its own assessment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from hypothesis import strategies as st

from ..domain import Agency
from ..domain.returns import FROM_PARTNERS, STANDARDS, Audit, Delivery, Rating, Robustness

words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz ,.'"), min_size=1, max_size=30).map(
    lambda t: "Said: " + t.strip()
)


def returns_steps(draw: st.DrawFn, add: Callable[..., None], agencies: Sequence[Agency], first: date) -> None:
    """Add up to two returns of years from ``first`` (each perhaps with its areas followed up the
    next year), perhaps the board's analysis of one, and perhaps a peer review."""
    made: set[tuple[Audit, str, int]] = set()
    for n in range(draw(st.integers(0, 2))):
        audit = draw(st.sampled_from(list(Audit)))
        year = first.year + draw(st.integers(0, 2))
        if audit in FROM_PARTNERS:
            organisation = draw(st.sampled_from([a.key for a in agencies]))
        else:
            organisation = draw(st.sampled_from(["school-a", "college-b", "club-c"]))
        if (audit, organisation, year) in made:
            continue
        made.add((audit, organisation, year))
        standards = draw(st.lists(st.sampled_from(list(STANDARDS[audit])), min_size=1, unique=True))
        ratings = {s: draw(st.sampled_from(list(Rating))).value for s in standards}
        areas = {f"area-{i}": draw(words) for i in range(draw(st.integers(0, 2)))}
        strengths = draw(st.lists(words, max_size=2))
        on = date(year, 10, 1)
        add(
            f"submit a {audit.value} return of {organisation} for {year} rating {ratings}, areas {list(areas)}",
            lambda lc, r, audit=audit, organisation=organisation, year=year, ratings=ratings, areas=areas, strengths=strengths, on=on: (
                lc.submit_return(
                    r["board"],
                    audit=audit,
                    organisation=organisation,
                    year=_label(year),
                    ratings=ratings,
                    areas=areas,
                    strengths=strengths,
                    on=on,
                )
            ),
            on,
        )
        for area in areas:
            if draw(st.booleans()):
                delivery, later = draw(st.sampled_from(list(Delivery))), date(year + 1, 10, 1)
                add(
                    f"follow up {area} of {organisation}'s {audit.value} return of {year}: {delivery.value}",
                    lambda lc, r, audit=audit, organisation=organisation, year=year, area=area, delivery=delivery, later=later: (
                        lc.follow_up_area(
                            r["board"],
                            audit=audit,
                            organisation=organisation,
                            year=_label(year),
                            area=area,
                            delivery=delivery,
                            evidence="Checked in the next year's audit",
                            on=later,
                        )
                    ),
                    later,
                )
        if n == 0 and draw(st.booleans()):
            analysed = date(year + 1, 1, 15)
            add(
                f"analyse the {audit.value} returns of {year}",
                lambda lc, r, audit=audit, year=year, analysed=analysed: lc.analyse_returns(
                    r["board"], audit=audit, year=_label(year), analysis="Tested at a strategic level", on=analysed
                ),
                analysed,
            )
    if draw(st.booleans()):
        year = first.year + draw(st.integers(0, 2))
        verdict, on = draw(st.sampled_from(list(Robustness))), date(year + 1, 2, 1)
        text, reviewers = draw(words), draw(words)
        add(
            f"peer review of the self-assessment of {year}: {verdict.value}",
            lambda lc, r, year=year, verdict=verdict, on=on, text=text, reviewers=reviewers: lc.record_peer_review(
                r["board"], year=_label(year), verdict=verdict, improve=text, reviewers=reviewers, on=on
            ),
            on,
        )


def _label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


__all__: list[Any] = ["returns_steps"]
