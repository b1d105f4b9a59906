"""The stock-take report as one self-contained HTML file: inline styles and SVG charts, no script,
no network; printable; real headings, table semantics, and text alternatives for every chart.

Every string of the report's model is made literal HTML before the template reads it
(:func:`~.safe.html_model`), so the template and the charts interpolate text as it is, and never
escape it again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..projections.stocktake import EvidenceChain, StockTake
from .charts import bar_chart, run_chart
from .safe import html_model, html_text, neutralise
from .words import (
    KIND_TITLES,
    RESTRICTED_BANNER,
    STAGES,
    VERDICT_ORDER,
    answer,
    as_known,
    chain_links,
    direction_words,
    figure,
    log_head,
    nothing,
    verdict_words,
)

STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --line: #ccc; --accent: #005ea5; --good: #00703c; --bad: #d4351c; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--accent); }
.when { color: var(--muted); font-style: italic; }
.answer { font-size: 1.1rem; background: #f3f2f1; padding: 1rem; border-left: 6px solid var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.2rem; font-size: 0.92rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
th { background: #f3f2f1; }
figure.chart { margin: 1rem 0 1.6rem; page-break-inside: avoid; }
figure.chart svg { max-width: 40rem; display: block; }
figcaption { color: var(--muted); font-size: 0.9rem; }
.axis { stroke: #6f777b; stroke-width: 1; }
.mean { stroke: #6f777b; stroke-dasharray: 4 3; }
.limit { stroke: #b1b4b6; stroke-dasharray: 2 3; }
.target { stroke: var(--good); stroke-width: 1.5; }
.series { fill: none; stroke: var(--accent); stroke-width: 2; }
.point { fill: var(--accent); } .point.special { fill: #f47738; stroke: #1b1b1b; stroke-width: 1; }
.label { font-size: 11px; fill: #383f43; }
.bar { fill: var(--accent); }
.gap { color: var(--bad); }
.withheld { color: var(--muted); }
.restricted { border: 2px solid #b00020; padding: .5em; font-weight: bold; }
ul.chain { margin-top: 0; }
@media print { body { margin: 0; max-width: none; } details { display: none; } h2 { page-break-after: avoid; } }
"""


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], caption: str | None = None) -> str:
    rows = list(rows)
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>\n" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"


def _text(value: object) -> str:
    return "-" if value is None else str(value)


def _p(text: str, cls: str | None = None) -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<p{attribute}>{text}</p>\n"


def _counts(counts: Mapping[str, int], what: str) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()) if counts else f"no {what} recorded"


def render_html(st: StockTake, *, generated: str | None = None) -> str:
    st = html_model(st)  # every string of the model is literal HTML: the template interpolates it as it is
    generated = html_text(generated) if generated else generated
    title = f"{st.board_name}: annual stock-take {st.year}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f"<header><h1>{title}</h1>",
        *([_p(RESTRICTED_BANNER, "restricted")] if st.includes_restricted else []),
        _p(as_known(st), "when"),
    ]
    if log_head(st):
        out.append(_p(log_head(st).replace("`", ""), "when"))
    if generated:
        out.append(_p(f"Generated {generated}.", "when"))
    out += ["</header>", "<main>"]
    out += ["<section><h2>How effective are we at safeguarding children?</h2>", _p(answer(st), "answer")]
    final = [row.stage.value for p in st.picture.findings for row in p.years[-1:] if row.stage is not None]
    out.append(
        bar_chart(
            "flow",
            "Findings by stage at the end of the year",
            [(s, final.count(s)) for s in STAGES],
            "How far the findings of the three-year window had travelled round the cycle by the year's end.",
        )
    )
    verdicts = [(verdict_words(v), st.picture.by_verdict.get(v, 0)) for v in VERDICT_ORDER]
    out.append(
        bar_chart(
            "verdicts",
            "Three-year verdicts",
            verdicts,
            "The verdict on each finding at the end of the three-year window.",
        )
    )
    out.append("</section>")

    out += ["<section><h2>1. What we learnt</h2>"]
    if st.priorities:
        out.append(_p("Priorities for the year: " + ", ".join(t for _, t in st.priorities) + "."))
    out.append(
        _table(
            ["commissioned", "activity", "kind", "method", "status", "planned against delivered"],
            [
                (a.commissioned_on, a.title, a.kind.replace("_", " "), a.method, a.status, a.delivery)
                for a in st.activities
            ],
            "Learning activities in the year",
        )
        or _p(nothing("learning activity"))
    )
    out.append(
        _p(
            f"Findings raised in the year: {st.findings_raised}. By level: {_counts(st.findings_by_level, 'finding')}. "
            f"By theme: {_counts(st.findings_by_theme, 'theme')}. By underlying pattern: {_counts(st.findings_by_pattern, 'pattern')}."
        )
    )
    out.append(
        _p(
            f"Voice of the child: {st.voice_activities[0]} of {st.voice_activities[1]} activities and "
            f"{st.voice_findings[0]} of {st.voice_findings[1]} findings were informed by children's and families' views."
        )
    )
    out.append("</section>")

    out += ["<section><h2>2. What we did about it</h2>"]
    out.append(
        _table(
            ["actions raised", "completed", "on time", "assured", "open at year end", "overdue at year end"],
            [
                (
                    st.actions_raised,
                    st.actions_completed,
                    st.actions_completed_on_time,
                    st.actions_assured,
                    st.actions_open_at_year_end,
                    st.actions_overdue_at_year_end,
                )
            ],
            "Action progress in the year",
        )
    )
    out.append("</section>")

    out += ["<section><h2>3. How it fed into training</h2>"]
    if st.disseminations:
        out.append(
            _p(
                f"{st.disseminations} pieces of learning delivered, reaching {st.reach} people. "
                f"By channel: {_counts(st.disseminations_by_channel, 'channel')}. Feedback received: {st.feedback_received}."
            )
        )
        out.append(_table(["district", "reach"], list(st.reach_by_district.items()), "Reach by district"))
    else:
        out.append(_p(nothing("dissemination")))
    out.append("</section>")

    out += ["<section><h2>4. What monitoring shows</h2>"]
    out.append(_p(f"Monitoring checks in the year: {st.checks} ({_counts(st.checks_by_result, 'check')})."))
    n = 0
    for kind, lines in st.indicators.items():
        out.append(f"<h3>{KIND_TITLES[kind]}</h3>")
        if not lines:
            out.append(_p(nothing("indicator of this kind")))
        for line in lines:
            n += 1
            out.append(f"<h4>{line.title}</h4>")
            out.append(
                _p(
                    f"Latest: {figure(line.latest_value, line.unit, line.latest_period, line.restated)}. "
                    f"Direction of travel: {direction_words(line)}."
                )
            )
            out.append(run_chart(f"indicator-{n}", line))
    out.append("</section>")

    out += [f"<section><h2>5. The three-year picture ({st.picture.years[0]} to {st.picture.years[-1]})</h2>"]
    out.append(
        _table(
            ["finding", "level", *st.picture.years, "verdict", "why"],
            [
                (
                    p.statement,
                    p.level,
                    *(r.stage.value if r.stage else "-" for r in p.years),
                    verdict_words(p.verdict.value),
                    p.reason,
                )
                for p in st.picture.findings
            ],
            "Each finding, year by year, and its verdict",
        )
        or _p(nothing("finding"))
    )
    for label, groups in (
        ("By theme", st.picture.by_theme),
        ("By agency", st.picture.by_agency),
        ("By level", st.picture.by_level),
    ):
        if groups:
            out.append(
                _table([label.split()[-1], "verdicts"], [(k, _counts(v, "verdict")) for k, v in groups.items()], label)
            )
    out.append("</section>")

    out += ["<section><h2>6. Outcomes and their evidence</h2>"]
    chains = {c.finding_id: c for c in st.chains}
    for s in st.statements:
        out.append(f"<h3>{s.title}</h3>")
        if s.statement and s.statement != s.title:
            out.append(_p(f"Outcome statement: {s.statement}"))
        if s.value is None:
            out.append(_p(f"No evidence yet. {s.note or 'Nothing recorded answers this measure.'}", "gap"))
        else:
            of = f" ({s.numerator} of {s.denominator})" if s.denominator else ""
            out.append(_p(f"{s.value:.1f}{s.unit if s.unit == '%' else ' ' + s.unit}{of}. {s.note}".rstrip()))
        linked = [chains[f] for f in s.findings if f in chains]
        if linked:
            out.append("<p>Evidence chains:</p>")
            out += [_chain(c) for c in linked]
    out.append("<h3>Every finding's evidence chain</h3>")
    out += [_chain(c) for c in st.chains]
    out.append("</section>")

    out += ["<section><h2>7. Transparency</h2>", _p(f"Final reports published in the year: {st.reports_published}.")]
    items = [f"{t}: withheld. Reason: {r}" for t, r in st.reports_withheld]
    items += [
        f"{t}: publication delayed" + (f" to {d}" if d else "") + f". Reason: {r}" for t, r, d in st.reports_delayed
    ]
    if items:
        out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        out.append(_p("The material of reports not published is not included in this report.", "withheld"))
    out.append("</section>")

    out += ["<section><h2>8. What changed since the previous stock-take</h2>"]
    out.append(
        _table(
            ["what", "previous", "now"],
            [(c.what, c.previous, c.now) for c in st.changes],
            "Changes since the previous stock-take",
        )
        or _p("No earlier stock-take to compare with, or nothing changed.")
    )
    out.append("</section>")
    out += ["<section><h2>9. Restated figures</h2>"]
    out.append(
        _table(
            ["indicator", "period", "as reported at the stock-take", "as restated"],
            [(r.indicator, r.period, f"{r.old:g}", f"{r.new:g}") for r in st.restatements],
            "Figures restated since the stock-take",
        )
        or _p("No figure of the year has been restated since the stock-take.")
    )
    out.append("</section>")
    out += ["<section><h2>Decisions and next year's priorities</h2>"]
    if st.held_on:
        out.append(_p(f"The stock-take was held on {st.held_on}."))
        if st.decisions:
            out.append("<ul>" + "".join(f"<li>{d}</li>" for d in st.decisions) + "</ul>")
        if st.next_priorities:
            out.append(_p("Priorities for the next year: " + ", ".join(t for _, t in st.next_priorities) + "."))
    else:
        out.append(_p("The stock-take of this year has not been recorded."))
    out += ["</section>", "</main>", "</body>", "</html>"]
    return neutralise("\n".join(out) + "\n")  # nothing raw at the edge, whatever made it


def _chain(chain: EvidenceChain) -> str:
    items = [f"{kind.capitalize()}: {text}" for kind, text in chain_links(chain)]
    body = "".join(f"<li>{i}</li>" for i in items)
    body += "".join(f'<li class="gap">Gap: {g}</li>' for g in chain.gaps)
    head = (
        f"<strong>{chain.statement}</strong> ({chain.level}, raised {chain.raised_on}): {verdict_words(chain.verdict)}"
    )
    return f'<div class="chain-block"><p>{head}</p><ul class="chain">{body}</ul></div>\n'
