"""The stock-take paper's part on the year's quality-assurance programme, planned against delivered
(framework §2.1), what prompted the year's learning and which activities made the checks; and the
words saying which sub-group a stock-take is read for. Blocks of :mod:`.paper`, from a model the
renderer has already escaped."""

from __future__ import annotations

from typing import Any

from ..projections.stocktake import StockTake

Block = tuple[Any, ...]


def subgroup_words(st: StockTake) -> str:
    """`` (read for the sub-group NAME)`` after the board's name, or nothing for the whole board."""
    return f" (read for the sub-group {st.programme.subgroup})" if st.programme.subgroup else ""


def programme_blocks(st: StockTake) -> list[Block]:
    """The programme of the year, planned against delivered, with what informed each item, what
    prompted the year's activities and the activities that made checks."""
    section = st.programme
    out: list[Block] = [("h3", "Quality-assurance programme: planned against delivered")]
    if not section.planned:
        out.append(("p", f"No quality-assurance programme is recorded for {st.year}.", None))
    else:
        rows = [
            (
                i.title,
                "; ".join(
                    [
                        *(f"priority {p}" for p in i.priorities),
                        *(f"action of {a}" for a in i.actions),
                    ]
                )
                or "-",
                "; ".join(i.delivered_by) if i.delivered else "not delivered",
            )
            for i in section.items
        ]
        out.append(("table", ["planned", "informed by", "delivered by"], rows, "The year's programme"))
        out.append(("p", f"{section.delivered} of {len(section.items)} planned items delivered.", None))
    links = [f"{link.activity}, prompted by {link.prompted_by}" for link in section.links]
    links += [f"{link.activity} made the {link.prompted_by}" for link in section.checks_made_by]
    if links:
        out.append(("p", "How the year's learning links up: " + "; ".join(links) + ".", None))
    return out
