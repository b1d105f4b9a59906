"""The stock-take report as Markdown, for pasting into an annual report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..projections.stocktake import EvidenceChain, StockTake
from .safe import markdown_model, markdown_text, neutralise
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


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    rows = [[_cell(c) for c in row] for row in rows]
    if not rows:
        return []
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _cell(value: object) -> str:
    return "-" if value is None else str(value)  # recorded text is escaped already (markdown_model)


def _counts(counts: Mapping[str, int], what: str) -> str:
    if not counts:
        return f"no {what} recorded"
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())


def render_markdown(st: StockTake, *, generated: str | None = None) -> str:
    st = markdown_model(st)  # every string of the model is literal: no HTML, no Markdown syntax
    out: list[str] = [f"# {st.board_name}: annual stock-take {st.year}", ""]
    if st.includes_restricted:
        out += [f"> **{RESTRICTED_BANNER}**", ""]
    out += [f"*{as_known(st)}*", ""]
    if log_head(st):
        out += [f"*{log_head(st)}*", ""]
    if generated:
        out += [f"*Generated {markdown_text(generated)}.*", ""]
    out += ["## How effective are we at safeguarding children?", "", answer(st), ""]

    out += ["## 1. What we learnt", ""]
    if st.priorities:
        out += ["Priorities for the year: " + ", ".join(title for _, title in st.priorities) + ".", ""]
    out += _table(
        ["commissioned", "activity", "kind", "method", "status", "planned against delivered"],
        [(a.commissioned_on, a.title, a.kind.replace("_", " "), a.method, a.status, a.delivery) for a in st.activities],
    ) or [nothing("learning activity"), ""]
    out += [
        f"Findings raised in the year: **{st.findings_raised}**. By level: {_counts(st.findings_by_level, 'finding')}. "
        f"By theme: {_counts(st.findings_by_theme, 'theme')}. "
        f"By underlying pattern: {_counts(st.findings_by_pattern, 'pattern')}.",
        "",
        f"Voice of the child: {st.voice_activities[0]} of {st.voice_activities[1]} activities and "
        f"{st.voice_findings[0]} of {st.voice_findings[1]} findings were informed by children's and families' views.",
        "",
    ]

    out += ["## 2. What we did about it", ""]
    out += [
        f"Actions raised: {st.actions_raised}; completed: {st.actions_completed} "
        f"({st.actions_completed_on_time} on time); assured: {st.actions_assured}; "
        f"open at the year's end: {st.actions_open_at_year_end}; overdue at the year's end: "
        f"**{st.actions_overdue_at_year_end}**.",
        "",
    ]

    out += ["## 3. How it fed into training", ""]
    if st.disseminations:
        out += [
            f"{st.disseminations} pieces of learning delivered, reaching **{st.reach}** people. "
            f"By channel: {_counts(st.disseminations_by_channel, 'channel')}. "
            f"Feedback received: {st.feedback_received}.",
            "",
        ]
        out += _table(["district", "reach"], st.reach_by_district.items())
    else:
        out += [nothing("dissemination"), ""]

    out += ["## 4. What monitoring shows", ""]
    out += [f"Monitoring checks in the year: {st.checks} ({_counts(st.checks_by_result, 'check')}).", ""]
    for kind, lines in st.indicators.items():
        out += [f"### {KIND_TITLES[kind]}", ""]
        out += _table(
            ["indicator", "latest", "direction of travel", "why"],
            [
                (i.title, figure(i.latest_value, i.unit, i.latest_period, i.restated), direction_words(i), i.reason)
                for i in lines
            ],
        ) or [nothing("indicator of this kind"), ""]

    out += [f"## 5. The three-year picture ({st.picture.years[0]} to {st.picture.years[-1]})", ""]
    out += [f"Verdicts: {_counts({v: st.picture.by_verdict.get(v, 0) for v in VERDICT_ORDER if st.picture.by_verdict.get(v)}, 'verdict')}.", ""]  # fmt: skip
    out += _table(
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
    ) or [nothing("finding"), ""]
    for title, groups in (
        ("By theme", st.picture.by_theme),
        ("By agency", st.picture.by_agency),
        ("By level", st.picture.by_level),
    ):
        if groups:
            out += [f"**{title}:** " + "; ".join(f"{k}: {_counts(v, 'verdict')}" for k, v in groups.items()), ""]

    out += ["## 6. Outcomes and their evidence", ""]
    chains = {c.finding_id: c for c in st.chains}
    for s in st.statements:
        out += [f"### {s.title}", ""]
        if s.statement and s.statement != s.title:
            out += [f"Outcome statement: *{s.statement}*", ""]
        if s.value is None:
            out += [f"**No evidence yet.** {s.note or 'Nothing recorded answers this measure.'}", ""]
        else:
            of = f" ({s.numerator} of {s.denominator})" if s.denominator else ""
            out += [f"**{s.value:.1f}{s.unit if s.unit == '%' else ' ' + s.unit}**{of}. {s.note}".rstrip(), ""]
        linked = [chains[f] for f in s.findings if f in chains]
        if linked:
            out += ["Evidence chains:", ""]
            for chain in linked:
                out += _chain(chain)
    out += ["### Every finding's evidence chain", ""]
    for chain in st.chains:
        out += _chain(chain)

    out += ["## 7. Transparency", ""]
    out += [f"Final reports published in the year: {st.reports_published}.", ""]
    for title, reason in st.reports_withheld:
        out += [f"- {title}: withheld. Reason: {reason}"]
    for title, reason, review in st.reports_delayed:
        out += [f"- {title}: publication delayed" + (f" to {review}" if review else "") + f". Reason: {reason}"]
    if st.reports_withheld or st.reports_delayed:
        out += ["", "The material of reports not published is not included in this report.", ""]

    out += ["## 8. What changed since the previous stock-take", ""]
    out += _table(["what", "previous", "now"], [(c.what, c.previous, c.now) for c in st.changes]) or [
        "No earlier stock-take to compare with, or nothing changed.",
        "",
    ]
    out += ["## 9. Restated figures", ""]
    if st.restatements:
        out += _table(["indicator", "period", "as reported at the stock-take", "as restated"],
                      [(r.indicator, r.period, f"{r.old:g}", f"{r.new:g}") for r in st.restatements])  # fmt: skip
    else:
        out += ["No figure of the year has been restated since the stock-take.", ""]
    out += ["## Decisions and next year's priorities", ""]
    if st.held_on:
        out += [f"The stock-take was held on {st.held_on}."]
        out += [f"- {d}" for d in st.decisions]
        if st.next_priorities:
            out += ["", "Priorities for the next year: " + ", ".join(t for _, t in st.next_priorities) + "."]
        out += [""]
    else:
        out += ["The stock-take of this year has not been recorded.", ""]
    return neutralise("\n".join(out).rstrip() + "\n")  # nothing raw at the edge, whatever made it


def _chain(chain: EvidenceChain) -> list[str]:
    lines = [f"- **{chain.statement}** ({chain.level}, raised {chain.raised_on}): {verdict_words(chain.verdict)}"]
    lines += [f"  - {kind}: {text}" for kind, text in chain_links(chain)]
    for gap in chain.gaps:
        lines.append(f"  - *gap: {gap}*")
    return [*lines, ""]


__all__ = ["STAGES", "render_markdown"]
