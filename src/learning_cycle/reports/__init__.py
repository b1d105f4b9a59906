"""The stock-take report: Markdown for the annual report, one HTML file with charts, JSON for systems.

Every format renders the same :class:`~learning_cycle.projections.stocktake.StockTake` model, in
which the material of reports not published (withheld, delayed or not yet decided) is already
replaced by a placeholder (:mod:`learning_cycle.projections.disclosure`); a model made with
restricted access says so at the top of every format. Every string of the model is escaped for
each format, and what is rendered is neutralised once more at the edge (:mod:`.safe`). Output is a
pure function of the model: the same log and arguments give the same bytes.
"""

from __future__ import annotations

from ..eventlog.serialization import converter
from ..projections.stocktake import StockTake
from .briefing import render_briefing
from .html import render_html
from .markdown import render_markdown
from .safe import json_text

FORMATS = ("md", "html", "json")


def render_json(st: StockTake, *, generated: str | None = None) -> str:
    data = converter.unstructure(st)
    if generated:
        data = {"generated": generated, **data}
    return json_text(data) + "\n"


def render(st: StockTake, fmt: str, *, generated: str | None = None) -> str:
    """The report in ``fmt`` (``md``, ``html`` or ``json``), with no control character (but tab
    and newline) or bidirectional control in it (JSON escapes them), whatever the store held."""
    renderers = {"md": render_markdown, "html": render_html, "json": render_json}
    return renderers[fmt](st, generated=generated)


BRIEFING_FORMATS = ("md", "html")

__all__ = ["BRIEFING_FORMATS", "FORMATS", "render", "render_briefing", "render_html", "render_json", "render_markdown"]
