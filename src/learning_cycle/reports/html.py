"""The stock-take report as one self-contained HTML file, laid out as the board's paper
(:mod:`.paper`): a title page, contents with working links, the summary, the sections, a glossary
and the provenance annex. Inline styles and SVG (charts and Making Data Count's icons), no script,
no network; printable on A4 with margins, numbered pages and table headers repeated; real headings,
table semantics, and text alternatives for every chart.

Every string of the report's model is made literal HTML before the template reads it
(:func:`~.safe.html_model`), so the template and the charts interpolate text as it is, and never
escape it again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..projections.stocktake import IndicatorLine, StockTake
from .charts import assurance_icon, bar_chart, legend, run_chart, variation_icon
from .glossary import ASSURANCE, variation
from .paper import count, number, paper, prepare, slug
from .plain import plain
from .safe import html_model, html_text, neutralise
from .words import STAGES, VERDICT_ORDER

STYLE = """
:root { --ink: #1b1b1b; --muted: #505a5f; --line: #b1b4b6; --accent: #005ea5; --good: #00703c; --bad: #d4351c; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2.2rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--accent); }
h3 { margin: 1.4rem 0 .4rem; } h4 { margin: 1rem 0 .2rem; font-size: 1rem; }
.cover { padding: 2rem 0 1rem; border-bottom: 6px solid var(--accent); margin-bottom: 1rem; }
.cover p { font-size: 1.15rem; margin: .3rem 0; }
nav.contents ol { columns: 2; padding-left: 0; list-style: none; } nav.contents a { color: var(--accent); }
.summary, section.chair ol { font-size: 1.05rem; } .summary strong { color: var(--accent); }
section.chair { background: #f3f2f1; padding: .2rem 1.2rem 1rem; border-left: 6px solid var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.2rem; font-size: 0.88rem; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.45rem; border-bottom: 1px solid var(--line); }
th { background: #f3f2f1; }
td.num, th.num { text-align: right; }
table.picture td:nth-child(2) { width: 30%; } table.picture td:last-child { width: 32%; }
table.picture { font-size: .8rem; }
figure.chart { margin: .4rem 0 1.2rem; break-inside: avoid; }
figure.chart svg { max-width: 38rem; display: block; }
figcaption { color: var(--muted); font-size: 0.85rem; }
.axis, .tick { stroke: #6f777b; stroke-width: 1; }
.mean { stroke: #505a5f; stroke-dasharray: 5 3; stroke-width: 1.2; }
.limit { stroke: #6f777b; stroke-dasharray: 2 3; stroke-width: 1.2; }
.target { stroke: var(--good); stroke-width: 1.8; }
.series { fill: none; stroke: var(--accent); stroke-width: 2; }
.point { fill: var(--accent); } .point.special { fill: #ed8b00; stroke: #1b1b1b; stroke-width: 1; }
.label { font-size: 11px; fill: #383f43; } .axis-title { font-size: 11px; fill: var(--muted); font-style: italic; }
.bar { fill: var(--accent); }
.indicator { break-inside: avoid; display: grid; grid-template-columns: 40% 60%; column-gap: 1rem; align-items: start; }
.indicator > .text { grid-column: 1; }
.indicator > figure, .indicator > .no-chart { grid-column: 2; grid-row: 1; margin: 0 0 1rem; }
.indicator .icons { flex-direction: column; align-items: flex-start; gap: .2rem; }
@media (max-width: 40rem) { .indicator { display: block; } }
.icons { display: flex; gap: .6rem; align-items: center; margin: .2rem 0; font-size: .9rem; }
.icons span { display: inline-flex; align-items: center; gap: .3rem; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; font-size: .9rem; }
ul.legend svg { vertical-align: middle; }
.gap { color: var(--bad); }
.chain-head { margin: .8rem 0 .1rem; font-weight: 600; }
ul.chain { margin-top: 0; font-size: .92rem; }
.restricted { border: 2px solid #b00020; padding: .5em; font-weight: bold; }
dl.glossary dt { font-weight: bold; } dl.glossary dd { margin: 0 0 .5rem 1.2rem; }
pre { white-space: pre-wrap; word-break: break-all; background: #f3f2f1; padding: .5rem; font-size: .85rem; }
@page { size: A4; margin: 14mm 14mm 16mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt system-ui, Arial, sans-serif; color: #505a5f; } }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.3; }
  details { display: none; }
  h2 { break-after: avoid; margin-top: 1.2rem; } h3, h4 { break-after: avoid; }
  .cover { padding-top: 6mm; } .cover h1 { font-size: 22pt; }
  nav.contents h2 { margin-top: .6rem; } section.chair { break-inside: avoid; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  figure.chart svg { max-width: 9cm; }

  figure#flow, figure#verdicts { display: inline-block; width: 49%; vertical-align: top; } figcaption { display: none; }
  dl.glossary { display: grid; grid-template-columns: 12em 1fr; gap: 1mm 3mm; font-size: 9.5pt; }
  dl.glossary dd { margin: 0; } pre { break-inside: avoid; font-size: 8.5pt; padding: 1.5mm; }
  table { font-size: 8.5pt; } th, td { padding: 1.5pt 3pt; }
  .chain-head { margin-top: 4pt; } ul.chain { font-size: 9pt; margin-bottom: 2pt; }
  a { color: inherit; text-decoration: none; }
}
"""


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], caption: str | None = None) -> str:
    rows = list(rows)
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{'-' if c is None else c}</td>" for c in row) + "</tr>\n" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    cls = ' class="picture"' if caption and caption.startswith("Each finding") else ""
    return f"<table{cls}>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"


def _p(text: str, cls: str | None = None) -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<p{attribute}>{text}</p>\n"


def _icons(line: IndicatorLine) -> str:
    words, kind = variation(line.direction)
    up = bool(line.values) and line.values[-1] >= sum(line.values) / len(line.values)
    out = [f"<span>{variation_icon(kind, words, up)} {words}</span>"]
    if line.assurance:
        said, icon = ASSURANCE[line.assurance]
        out.append(f"<span>{assurance_icon(icon, said)} {said}</span>")
    return '<div class="icons">' + "".join(out) + "</div>\n"


def render_html(st: StockTake, *, generated: str | None = None) -> str:
    st = html_model(prepare(st))  # every string of the model is literal HTML: the template interpolates it as it is
    title = f"{st.board_name}: annual stock-take {st.year}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
    ]
    in_section = False
    for block in paper(st, generated=html_text(generated) if generated else None):
        kind = block[0]
        if kind == "title":
            _, heading, lines, banner = block
            out += ['<header class="cover">', f"<h1>{heading}</h1>"]
            out += [_p(banner, "restricted")] if banner else []
            out += [_p(line) for line in lines] + ["</header>", "<main>"]
        elif kind == "toc":
            links = "".join(f'<li><a href="#{slug(s)}">{s}</a></li>' for s in block[1])
            out.append(
                f'<nav class="contents" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>{links}</ol></nav>'
            )
        elif kind == "h2":
            if in_section:
                out.append("</section>")
            cls = ' class="chair"' if block[1].startswith("Summary") else ""
            out.append(f'<section{cls} aria-labelledby="{slug(block[1])}"><h2 id="{slug(block[1])}">{block[1]}</h2>')
            in_section = True
        elif kind == "h3":
            out.append(f"<h3>{block[1]}</h3>")
        elif kind == "p":
            out.append(_p(block[1], block[2]))
        elif kind == "lead":
            out.append(_p(f"<strong>{block[1]}</strong> {block[2]}", "summary"))
        elif kind in ("ul", "ol"):
            cls = ' class="chain"' if kind == "ul" else ""
            out.append(
                f"<{kind}{cls}>"
                + "".join(f"<li{' class=gap' if i.startswith('Gap:') else ''}>{i}</li>" for i in block[1])
                + f"</{kind}>"
            )
        elif kind == "dl":
            out.append('<dl class="glossary">' + "".join(f"<dt>{t}</dt><dd>{d}</dd>" for t, d in block[1]) + "</dl>")
        elif kind == "code":
            out.append(f"<pre><code>{block[1]}</code></pre>")
        elif kind == "table":
            out.append(_table(block[1], block[2], block[3]))
        elif kind == "legend":
            out.append(legend())
        elif kind == "indicator":
            _, ident, line, latest, _ = block  # the icons say the direction of travel
            out.append('<div class="indicator"><div class="text">')
            out.append(f"<h4>{line.title}</h4>")
            out.append(_icons(line))
            more = f" Target: {number(line.target, line.unit)}." if line.target is not None else ""
            if line.restated:
                more += f" {count(len(line.restated), 'figure')} restated since the stock-take."
            if line.special:
                more += f" Why: {line.reason}."
            out.append(_p(f"Latest: {latest}.{more}"))
            out.append("</div>")
            out.append(run_chart(ident, line))
            out.append("</div>")
        elif kind == "bars":
            final = [row.stage.value for p in st.picture.findings for row in p.years[-1:] if row.stage is not None]
            out.append(
                bar_chart(
                    "flow",
                    "Findings by stage at the year's end",
                    [(plain(s), final.count(s)) for s in STAGES],
                    "How far the findings had travelled round the cycle by the year's end.",
                )
            )
            out.append(
                bar_chart(
                    "verdicts",
                    "Verdicts after three years",
                    [
                        (plain(v), st.picture.by_verdict.get(v, 0))
                        for v in VERDICT_ORDER
                        if v in st.picture.by_verdict or v != "awaiting_action"
                    ],
                    "The verdict on each finding at the end of the three-year window.",
                )
            )
    if in_section:
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return neutralise("\n".join(out) + "\n")  # nothing raw at the edge, whatever made it


__all__ = ["render_html"]
