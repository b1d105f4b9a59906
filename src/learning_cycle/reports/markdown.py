"""The stock-take report as Markdown, for pasting into an annual report: the same paper as the
HTML (:mod:`.paper`), with a contents list whose links are the headings' anchors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..projections.stocktake import StockTake
from .paper import paper, prepare, slug
from .safe import markdown_model, markdown_text, neutralise


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    rows = [["-" if c is None else str(c) for c in row] for row in rows]
    if not rows:
        return []
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def render_markdown(st: StockTake, *, generated: str | None = None) -> str:
    st = markdown_model(prepare(st))  # every string of the model is literal: no HTML, no Markdown syntax
    out: list[str] = []
    for block in paper(st, generated=markdown_text(generated) if generated else None):
        kind = block[0]
        if kind == "title":
            _, title, lines, banner = block
            out += [f"# {title}", ""]
            if banner:
                out += [f"> **{banner}**", ""]
            out += [*(f"{line}  " for line in lines[:-1]), lines[-1], ""]
        elif kind == "toc":
            out += ["## Contents", "", *(f"- [{s}](#{slug(s)})" for s in block[1]), ""]
        elif kind in ("h2", "h3"):
            out += [("## " if kind == "h2" else "### ") + block[1], ""]
        elif kind == "lead":
            out += [f"**{block[1]}** {block[2]}", ""]
        elif kind == "p":
            text, cls = block[1], block[2]
            out += [f"**{text}**" if cls == "figure" else text, ""]
        elif kind in ("ul", "ol"):
            out += [("1. " if kind == "ol" else "- ") + i for i in block[1]] + [""]
        elif kind == "dl":
            out += [f"- **{term}**: {text}" for term, text in block[1]] + [""]
        elif kind == "code":
            out += ["```", block[1], "```", ""]
        elif kind == "table":
            out += _table(block[1], block[2])
        elif kind == "indicator":
            _, _, line, latest, travel = block
            out += [f"- **{line.title}**: {latest}. {travel[:1].upper() + travel[1:]}."]
            if line.special:
                out += [f"  Why: {line.reason}."]
            out += [""]
        elif kind == "legend" or kind == "bars":
            continue
    return neutralise("\n".join(out).rstrip() + "\n")  # nothing raw at the edge, whatever made it


__all__ = ["render_markdown"]
