"""The stock-take's section against the principles (framework §3), as blocks of the paper
(:mod:`.paper`): the board's framework at its head, then one compact table, a row per principle
(what the records show, with its figures, and where the paper sets them out, or that the evidence
is missing)."""

from __future__ import annotations

from typing import Any

from ..projections.principles import FrameworkLine
from ..projections.stocktake import StockTake
from .plain import plain

Block = tuple[Any, ...]

SECTION = "11. Taking stock against the principles"

OUTCOMES = {"kept": "kept as it was", "revised": "revised"}


def framework_text(f: FrameworkLine | None, year: str) -> str:
    """The head of the section: the framework, its last review, and the year's annual review (what
    each changed is in the JSON)."""
    if f is None:
        return f"No learning and improvement framework is recorded as adopted by the end of {year}."
    text = f"The board's framework: {f.name}, adopted {f.adopted_on:%-d %B %Y} by {f.agreed_by}; "
    if f.last_reviewed_on is None:
        text += "not reviewed by the end of the year. "
    else:
        outcome = OUTCOMES.get(str(f.last_review_outcome), str(f.last_review_outcome))
        text += f"last reviewed {f.last_reviewed_on:%-d %B %Y} ({outcome}). "
    if f.annual_review_on is None:
        return text + "The annual review after this stock-take is not recorded."
    return text + f"Annual review after this stock-take: {f.annual_review_on:%-d %B %Y}."


WHERE = {
    "systems_learning": "section\u00a01",
    "continuous_improvement": "sections\u00a02,\u00a04",
    "proportionality": "section\u00a01",
    "professionals_involved": "section\u00a03",
    "transparency": "section\u00a07",
    "sustained_improvement": "sections\u00a04,\u00a05",
}
"""The sections of the paper that set out the figures of each principle's answer (its evidence column)."""


def principles_blocks(st: StockTake) -> list[Block]:
    """The section's blocks, from a model already prepared and escaped for its format: the
    framework, then a row per principle (a choice of method is listed with its rationale)."""
    section = st.principles
    rows = []
    for line in section.lines:
        name = line.name[:1].upper() + line.name[1:]
        if section.framework is not None and not line.adopted:
            name += " (not among the framework's principles)"
        answer = line.answer
        if line.details:
            answer = answer.removesuffix(".") + ": " + "; ".join(f"{st.names.get(what) or plain(what)}: {why.rstrip('.')}" for what, why in line.details) + "."  # fmt: skip
        rows.append((name, answer, "missing" if line.evidence_missing else WHERE.get(line.principle, "-")))
    return [
        ("h2", SECTION),
        ("p", framework_text(section.framework, st.year), None),
        ("table", ["principle", "what the records show", "evidence"], rows, None),
    ]


__all__ = ["SECTION", "framework_text", "principles_blocks"]
