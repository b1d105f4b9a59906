"""The 7-minute briefing of a review, as Markdown and as one self-contained HTML page.

Both render the same :class:`~learning_cycle.projections.briefing.Briefing`, escaped first as the
stock-take is (:mod:`.safe`): every recorded string is literal text in its format."""

from __future__ import annotations

from typing import Any

from ..projections.briefing import Briefing
from .paper import count
from .plain import plain
from .safe import html_model, markdown_model, neutralise
from .words import RESTRICTED_BANNER

SECTIONS = (
    "The case in brief",
    "Why it matters",
    "What was found",
    "What practitioners should do",
    "Questions for reflection",
    "Where to learn more",
)


def _blocks(b: Briefing) -> list[tuple[str, Any]]:
    """The briefing's sections as (heading, paragraphs or list items): ``str`` is a paragraph,
    ``list`` a bulleted list, ``tuple`` a numbered one."""
    done = f", completed on {b.completed_on:%-d %B %Y}" if b.completed_on else ", not yet completed"
    method = f" ({b.method})" if b.method else ""
    case = [
        f"A {plain(b.kind)}{method}, commissioned on {b.commissioned_on:%-d %B %Y}{done}.",
        f"Why the board commissioned it: {b.why}" + ("" if b.why.rstrip().endswith((".", "!", "?")) else "."),
    ]
    if b.agencies:
        case.append("Agencies involved: " + ", ".join(b.agencies) + ".")
    problems = sum(1 for f in b.findings if not f.good_practice)
    good = len(b.findings) - problems
    parts = [f"{problems} to put right" if problems else "", f"{good} of good practice to share" if good else ""]
    matters = [
        f"The review raised {count(len(b.findings), 'finding')}"
        + (": " + " and ".join(p for p in parts if p) if b.findings else "")
        + "."
    ]
    if b.themes:
        matters.append("It bears on: " + ", ".join(b.themes) + ".")
    if b.voice_of_child:
        matters.append("Children's and families' own views informed what it found.")
    found = tuple(("Good practice: " if f.good_practice else "") + f.statement for f in b.findings)
    todo: list[str] = []
    for a in b.actions:
        state = "done" if a.done else f"due by {a.due_on:%-d %B %Y}"
        todo.append(f"Know the change for finding {a.finding}: {a.description} (led by {a.owner}, {state}).")
    if problems:
        todo.append("Read the findings against your own cases, and talk them through in supervision.")
    if good:
        todo.append("Use the good practice found: it is what the review wants more of.")
    more = [f"{x.title} ({plain(x.channel)} for {x.audience}, {x.delivered_on:%-d %B %Y})" for x in b.learning]
    if b.published_on:
        more.append(f"The full report, published on {b.published_on:%-d %B %Y}.")
    more.append("Your agency's safeguarding lead, who can explain what the changes mean for your team.")
    return [
        (SECTIONS[0], case),
        (SECTIONS[1], matters),
        (SECTIONS[2], found or ("The review raised no finding.",)),
        (SECTIONS[3], todo),
        (SECTIONS[4], tuple(b.questions)),
        (SECTIONS[5], more),
    ]


def _title(b: Briefing) -> str:
    return f"7-minute briefing: {b.title}"


def briefing_markdown(b: Briefing) -> str:
    b = markdown_model(b)
    out = [f"# {_title(b)}", "", f"{b.board_name}. Facts as recorded up to {b.as_of:%-d %B %Y}.", ""]
    if b.includes_restricted:
        out[2:2] = [f"> **{RESTRICTED_BANNER}**", ""]
    for heading, body in _blocks(b):
        out += [f"## {heading}", ""]
        if isinstance(body, tuple):
            out += [f"{n}. {item}" for n, item in enumerate(body, 1)] + [""]
        else:
            items = [body] if isinstance(body, str) else body
            if heading in (SECTIONS[3], SECTIONS[5]):
                out += [f"- {item}" for item in items] + [""]
            else:
                for item in items:
                    out += [item, ""]
    return neutralise("\n".join(out).rstrip() + "\n")


STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1b1b1b; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; border-bottom: 6px solid #005ea5; padding-bottom: .3rem; }
h2 { font-size: 1.2rem; color: #005ea5; margin: 1.4rem 0 .3rem; }
.board { color: #505a5f; } .restricted { border: 2px solid #b00020; padding: .5em; font-weight: bold; }
@page { size: A4; margin: 16mm 16mm 18mm; @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; } }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { break-after: avoid; } }
"""


def briefing_html(b: Briefing) -> str:
    b = html_model(b)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_title(b)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f"<header><h1>{_title(b)}</h1>",
    ]
    if b.includes_restricted:
        out.append(f'<p class="restricted">{RESTRICTED_BANNER}</p>')
    out += [f'<p class="board">{b.board_name}. Facts as recorded up to {b.as_of:%-d %B %Y}.</p>', "</header>", "<main>"]
    for heading, body in _blocks(b):
        out.append(f"<section><h2>{heading}</h2>")
        if isinstance(body, tuple):
            out.append("<ol>" + "".join(f"<li>{i}</li>" for i in body) + "</ol>")
        elif heading in (SECTIONS[3], SECTIONS[5]):
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in body) + "</ul>")
        else:
            out += [f"<p>{i}</p>" for i in body]
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return neutralise("\n".join(out) + "\n")


def render_briefing(b: Briefing, fmt: str) -> str:
    """The briefing in ``fmt``: ``md`` or ``html``."""
    return {"md": briefing_markdown, "html": briefing_html}[fmt](b)


__all__ = ["SECTIONS", "render_briefing"]
