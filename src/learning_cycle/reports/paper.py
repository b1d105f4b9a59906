"""The stock-take as the board's paper: one structure, rendered as Markdown and as HTML. :func:`prepare`
puts plain words in the model (names for keys, each restricted finding as its number under its review),
before the renderer escapes it; :func:`paper` lays the escaped model out as blocks: a title page, the
contents, a summary a chair can read aloud, the sections (some in modules of their own), a glossary, and
the provenance in a closing annex. Markdown and HTML render the same blocks, in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from ..projections.evidence import EvidenceChain
from ..projections.stocktake import IndicatorLine, StockTake
from . import principles
from .glossary import ASSURANCE, GLOSSARY, variation
from .involvement import reach_words, training
from .plain import plain, plain_in
from .programme import programme_blocks, subgroup_words
from .returns import returns_blocks
from .words import KIND_TITLES, RESTRICTED_BANNER

Block = tuple[Any, ...]


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular or plural as ``n`` asks."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def number(value: float, unit: str) -> str:
    """A figure with its unit: a percentage to one decimal place, a count as a whole number."""
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:,.0f} {unit}".strip()


def slug(text: str) -> str:
    """The anchor of a heading, as Markdown viewers make it (lower case, spaces as hyphens)."""
    return re.sub(r"[^a-z0-9 -]", "", text.lower()).strip().replace(" ", "-")


def finding_ref(chain: EvidenceChain) -> str:
    return f"Finding {chain.number}, not published (see review {chain.review})"


OWNER = re.compile(r"\(([a-z0-9_-]+), due ")
"""How a verdict's reason names an overdue action's owning agency (by its key)."""


def prepare(st: StockTake) -> StockTake:
    """``st`` with plain words in place of keys, and each restricted finding's placeholder replaced
    by its number and its review's label (the review is stated once, in the transparency section)."""
    names = dict(st.names)
    hidden = {c.statement: finding_ref(c) for c in st.chains if c.redacted and c.review}
    placeholders = re.compile("|".join(re.escape(p) for p in sorted({c.statement for c in st.chains if c.redacted}, key=len, reverse=True))) if hidden else None  # fmt: skip

    def words(text: str) -> str:
        if placeholders is not None:
            text = placeholders.sub(lambda m: "an action of a review not published", text)
        text = OWNER.sub(lambda m: f"({names.get(m[1], m[1])}, due ", text)  # an overdue action's owner
        return plain_in(text, names)

    chains = {c.finding_id: c for c in st.chains}
    findings = []
    for p in st.picture.findings:
        chain = chains.get(str(p.finding_id))
        statement = finding_ref(chain) if chain is not None and chain.redacted and chain.review else p.statement
        findings.append(attrs.evolve(p, statement=statement, reason=words(p.reason)))
    regroup = lambda groups: {names.get(k, plain(k)): v for k, v in groups.items()}
    picture = attrs.evolve(
        st.picture,
        findings=tuple(findings),
        by_theme=regroup(st.picture.by_theme),
        by_agency=regroup(st.picture.by_agency),
    )
    new_chains = tuple(
        attrs.evolve(
            c,
            statement=finding_ref(c) if c.redacted and c.review else c.statement,
            reason=words(c.reason),
            actions=tuple(attrs.evolve(a, owner=names.get(a.owner, a.owner)) for a in c.actions),
        )
        for c in st.chains
    )
    return attrs.evolve(
        st,
        picture=picture,
        chains=new_chains,
        findings_by_theme={names.get(k, plain(k)): v for k, v in st.findings_by_theme.items()},
        reach_by_district={
            names.get(
                k, ", ".join(names.get(d, d) for d in k.split(", ")) if k != "(board-wide)" else "whole board area"
            ): v
            for k, v in st.reach_by_district.items()
        },
        indicators={
            kind: tuple(attrs.evolve(i, reason=words(i.reason)) for i in lines) for kind, lines in st.indicators.items()
        },
    )


SECTIONS = (
    "Summary for the chair",
    "1. What we learnt",
    "2. What we did about it",
    "3. How it fed into training",
    "4. What monitoring shows",
    "5. The three-year picture",
    "6. Outcomes and their evidence",
    "7. Transparency and reviews not published",
    "8. What changed since the previous stock-take",
    "9. Restated figures",
    "10. Decisions and next year's priorities",
    principles.SECTION,
    "Glossary",
    "Annex: how this paper was made",
)


def _travel(i: IndicatorLine) -> str:
    words = variation(i.direction)[0]
    if i.assurance:
        target = number(i.target, i.unit) if i.target is not None else "its target"
        words += f"; target {target}: {ASSURANCE[i.assurance][0]}"
    if i.restated:
        words += f"; {count(len(i.restated), 'figure')} restated"
    return words


def _latest(i: IndicatorLine) -> str:
    if i.latest_value is None:
        return "no figure yet"
    text = f"{number(i.latest_value, i.unit)} in {i.latest_period}"
    latest = [r for r in i.restated if r.period == i.latest_period]
    if latest:
        text += f", restated from {number(latest[-1].old, i.unit)}"
    return text


def _counts(counts: Mapping[str, int], what: str) -> str:
    if not counts:
        return f"no {what} recorded"
    return ", ".join(f"{plain(k)} {v}" for k, v in counts.items())


def _chain_items(chain: EvidenceChain, names: Mapping[str, str]) -> list[str]:
    if chain.redacted:
        parts = [count(len(chain.actions), "action"), count(len(chain.disseminations), "piece") + " of learning delivered",
                 count(len(chain.checks), "monitoring check")]  # fmt: skip
        items = ["Its " + ", ".join(parts) + " are counted; their words are not shown."]
        items += [f"Check: {plain(c.result)} ({plain(c.kind)}, {c.checked_on})" for c in chain.checks]
        return items
    items = []
    for a in chain.actions:
        done = f"completed {a.completed_on}" if a.completed_on else plain(a.status)
        items.append(f"Action: {a.description} ({a.owner}, due {a.due_on}, {done}{', assured' if a.assured else ''})")
    for d in chain.disseminations:
        items.append(
            f"Learning delivered: {d.title} ({plain(d.channel)}, {d.delivered_on}, {count(d.reach, 'person', 'people')})"
        )
    for c in chain.checks:
        items.append(f"Check: {plain(c.result)} ({plain(c.kind)}, {c.checked_on}): {c.evidence}")
    items += [f"Indicator: {i.title}: {variation(i.direction)[0]}" for i in chain.indicators]
    return items


def _chain(chain: EvidenceChain, names: Mapping[str, str]) -> list[Block]:
    head = f"Finding {chain.number}. {chain.statement}" if not (chain.redacted and chain.review) else chain.statement
    head += f" ({plain(chain.level)}, raised {chain.raised_on}). Verdict: {plain(chain.verdict)}."
    items = _chain_items(chain, names) + [f"Gap: {g}" for g in chain.gaps]
    return [("p", head, "chain-head"), ("ul", items)]


def summary(st: StockTake) -> list[Block]:
    """The page a chair can read aloud: what was learnt, what changed, what is stuck, what the
    board is asked to decide."""
    v = st.picture.by_verdict
    total = sum(v.values())
    years = f"{st.picture.years[0]} to {st.picture.years[-1]}"
    learnt = (
        f"In {st.year} the board ran {count(len(st.activities), 'learning activity', 'learning activities')} "
        f"and raised {count(st.findings_raised, 'finding')}. Over {years}, {count(total, 'finding')} are followed: "
        f"{v.get('sustained', 0)} sustained, {v.get('improving', 0)} improving, "
        f"{v.get('no_evidence_yet', 0)} with no evidence yet, {v.get('stalled', 0)} stalled"
        + (f", {v.get('deteriorating', 0)} deteriorating" if v.get("deteriorating") else "")
        + "."
    )
    changed = (
        f"Partners completed {count(st.actions_completed, 'action')} ({st.actions_completed_on_time} on time). "
        f"{count(st.disseminations, 'piece')} of learning reached {reach_words(st)}. "
        f"{count(st.checks, 'monitoring check')} tested whether practice changed."
    )
    improving = [i.title for lines in st.indicators.values() for i in lines if i.direction == "improving"]
    if improving:
        changed += " Improving: " + "; ".join(improving) + "."
    stalled = [p for p in st.picture.findings if p.verdict.value in ("stalled", "deteriorating")]
    worse = [i.title for lines in st.indicators.values() for i in lines if i.direction == "deteriorating"]
    missing = [i.title for lines in st.indicators.values() for i in lines if i.assurance == "consistently_fails"]
    stuck = []
    if stalled:
        stuck.append(
            f"{count(len(stalled), 'finding')} stalled or deteriorating: "
            + "; ".join(p.statement.rstrip(".") for p in stalled)
            + "."
        )
    if st.actions_overdue_at_year_end:
        stuck.append(f"{count(st.actions_overdue_at_year_end, 'action')} overdue at the year's end.")
    if worse:
        stuck.append("Deteriorating: " + "; ".join(worse) + ".")
    if missing:
        stuck.append(f"{count(len(missing), 'indicator')} consistently missing the target.")
    unchecked = v.get("no_evidence_yet", 0)
    decide = []
    if stalled:
        decide.append("Whether to escalate the stalled findings, and to whom.")
    if unchecked:
        decide.append(
            f"When and how to check whether the {count(unchecked, 'finding')} with no evidence yet made a difference."
        )
    if st.restricted_reviews:
        decide.append(
            f"Whether to review the publication of {count(len(st.restricted_reviews), 'review')} not published."
        )
    decide.append("The priorities for next year.")
    return [
        ("h2", SECTIONS[0]),
        ("lead", "What we learnt.", learnt),
        ("lead", "What changed.", changed),
        ("lead", "What is stuck.", " ".join(stuck) or "Nothing is recorded as stuck."),
        ("lead", "The board is asked to decide:", ""),
        ("ol", decide),
    ]


def paper(st: StockTake, *, generated: str | None = None) -> list[Block]:
    """The blocks of the paper, from a model already prepared and escaped for its format."""
    names = st.names
    title = f"{st.board_name}{subgroup_words(st)}: annual stock-take {st.year}"
    cover = [
        f"The learning cycle in {st.year}: what was learnt, what was done about it, how it fed into training, "
        "and what monitoring shows.",
        f"Reporting year {st.starts_on:%-d %B %Y} to {st.ends_on:%-d %B %Y}.",
    ]
    if st.held_on:
        cover.append(f"For the stock-take held on {st.held_on:%-d %B %Y}.")
    out: list[Block] = [("title", title, cover, RESTRICTED_BANNER if st.includes_restricted else None)]
    out.append(("toc", list(SECTIONS)))
    out += summary(st)

    out += [("h2", SECTIONS[1])]
    if st.priorities:
        out.append(("p", "Priorities for the year: " + ", ".join(t for _, t in st.priorities) + ".", None))
    out.append(
        (
            "table",
            ["commissioned", "activity", "method", "status", "against its planned completion"],
            [
                (a.commissioned_on, a.title, names.get(a.method) or plain(a.kind), plain(a.status), a.delivery)
                for a in st.activities
            ],
            "Learning activities in the year",
        )
    )
    out.append(
        (
            "p",
            f"{count(st.findings_raised, 'finding')} raised in the year. By level: {_counts(st.findings_by_level, 'finding')}. "
            f"By theme: {_counts(st.findings_by_theme, 'theme')}. By underlying pattern: {_counts(st.findings_by_pattern, 'pattern')}.",
            None,
        )
    )
    out.append(
        (
            "p",
            f"Voice of the child: {st.voice_activities[0]} of {count(st.voice_activities[1], 'activity', 'activities')} and "
            f"{st.voice_findings[0]} of {count(st.voice_findings[1], 'finding')} were informed by children's and families' views.",
            None,
        )
    )

    out += [*programme_blocks(st), ("h2", SECTIONS[2])]
    out.append(
        (
            "table",
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
            "Actions in the year",
        )
    )

    out += [("h2", SECTIONS[3]), *training(st)]  # with who took part (reports/involvement.py)

    out += [("h2", SECTIONS[4])]
    out.append(("p", f"{count(st.checks, 'monitoring check')} in the year ({_counts(st.checks_by_result, 'check')}).", None))  # fmt: skip
    out.append(
        (
            "p",
            "Each indicator is read with Making Data Count's icons: the first shows the variation, the second whether the target is met. The glossary explains the words.",
            None,
        )
    )
    out.append(("legend",))
    n = 0
    for kind, lines in st.indicators.items():
        out.append(("h3", KIND_TITLES[kind]))
        if not lines:
            out.append(("p", "No indicator of this kind is recorded.", None))
        for line in lines:
            n += 1
            out.append(("indicator", f"indicator-{n}", line, _latest(line), _travel(line)))
    out += returns_blocks(st.returns)

    out += [("h2", SECTIONS[5])]
    out.append(
        (
            "p",
            f"Each finding followed over {st.picture.years[0]} to {st.picture.years[-1]}: the stage of the cycle it had reached at each year's end (learn, act, train, monitor), and its verdict. The findings' levels are counted below; each finding's evidence is in section 6.",
            None,
        )
    )
    out.append(("bars",))
    chains = {c.finding_id: c for c in st.chains}
    out.append(
        (
            "table",
            ["no.", "finding", *st.picture.years, "verdict", "why"],
            [
                (
                    chains[str(p.finding_id)].number if str(p.finding_id) in chains else "",
                    p.statement,
                    *(plain(r.stage) if r.stage else "-" for r in p.years),
                    plain(p.verdict),
                    p.reason,
                )
                for p in st.picture.findings
            ],
            "Each finding, year by year, and its verdict",
        )
    )
    for label, groups in (
        ("By theme", st.picture.by_theme),
        ("By agency", st.picture.by_agency),
        ("By level", st.picture.by_level),
    ):
        if groups:
            out.append(
                (
                    "table",
                    [label.split()[-1], "verdicts"],
                    [(plain(k), _counts(v, "verdict")) for k, v in groups.items()],
                    label,
                )
            )

    out += [("h2", SECTIONS[6])]
    rows = []
    for s in st.statements:
        what = s.title + (f" (outcome statement: {s.statement})" if s.statement and s.statement != s.title else "")
        if s.value is None:
            figure, note = "no evidence yet", s.note or "Nothing recorded answers this measure."
        else:
            figure = number(s.value, s.unit) + (f" ({s.numerator} of {s.denominator})" if s.denominator else "")
            latest = re.fullmatch(r"(\S+): [-\d.]+", s.note or "")
            note = f"latest figure, for {latest.group(1)}" if latest else s.note
        linked = [chains[f].number for f in s.findings if f in chains]
        rows.append((what, figure, note or "-", ", ".join(map(str, linked)) or "-"))
    out.append(
        ("table", ["outcome measure", "figure", "how to read it", "evidenced by findings"], rows, "Outcome measures")
    )
    out.append(("h3", "Every finding's evidence chain"))
    for chain in st.chains:
        out += _chain(chain, names)

    out += [("h2", SECTIONS[7])]
    out.append(("p", f"{count(st.reports_published, 'final report')} published in the year.", None))
    if st.restricted_reviews:
        out.append(
            (
                "p",
                "The reviews below are not published. Each is stated once; its findings are counted and numbered in this paper, but their words are not shown.",
                None,
            )
        )
        reviews: list[tuple[str, ...]] = []
        for r in st.restricted_reviews:
            why = {"withheld": f"withheld: {r.reason}", "delayed": f"delayed to {r.review_on}: {r.reason}"}.get(
                r.status, "publication not yet decided"
            )
            what = plain(r.kind) + (f" ({r.title})" if r.title else "")
            nums = ", ".join(map(str, r.finding_numbers)) or "none in this paper"
            reviews.append((r.label, what, why, count(r.findings, "finding"), count(r.actions, "action"), nums))
        out.append(
            (
                "table",
                ["review", "kind", "why not published", "findings", "actions", "its findings in this paper"],
                reviews,
                "Reviews not published",
            )
        )

    out += [("h2", SECTIONS[8])]
    out.append(
        (
            "table",
            ["what", "previous", "now"],
            [
                (
                    plain_in(str(c.what)),
                    plain(c.previous) if isinstance(c.previous, str) else c.previous,
                    plain(c.now) if isinstance(c.now, str) else c.now,
                )
                for c in st.changes
            ],
            "Changes since the previous stock-take",
        )
        if st.changes
        else ("p", "No earlier stock-take to compare with, or nothing changed.", None)
    )
    out += [("h2", SECTIONS[9])]
    out.append(
        (
            "table",
            ["indicator", "period", "as reported at the stock-take", "as restated"],
            [(r.title or r.indicator, r.period, f"{r.old:g}", f"{r.new:g}") for r in st.restatements],
            "Figures restated since the stock-take",
        )
        if st.restatements
        else ("p", "No figure of the year has been restated since the stock-take.", None)
    )
    out += [("h2", SECTIONS[10])]
    if st.held_on:
        out.append(("p", f"The stock-take was held on {st.held_on:%-d %B %Y}. It decided:", None))
        out.append(("ul", list(st.decisions) or ["nothing recorded"]))
        if st.next_priorities:
            out.append(
                ("p", "Priorities for the next year: " + ", ".join(t for _, t in st.next_priorities) + ".", None)
            )
    else:
        out.append(("p", "The stock-take of this year has not been recorded.", None))

    out += [*principles.principles_blocks(st), ("h2", SECTIONS[-2]), ("dl", list(GLOSSARY)), ("h2", SECTIONS[-1])]
    if st.as_known_at is not None:
        out.append(
            (
                "p",
                f"This paper shows what could be known at {st.as_known_at.isoformat(timespec='seconds')}: later corrections are not shown.",
                None,
            )
        )
    else:
        out.append(
            (
                "p",
                f"This paper shows what is known now, with facts up to {st.as_of}. A figure restated since the stock-take is shown with the value reported at the time.",
                None,
            )
        )
    if st.log_head:
        position = st.log_head.split(":", 1)[0]
        out.append(
            (
                "p",
                f"It was made from the board's tamper-evident event log up to event {position}. The log's digest at that point is:",
                None,
            )
        )
        out.append(("code", st.log_head))
        out.append(("p", "Anyone with the log can prove it unchanged since this paper was made by running:", None))
        out.append(("code", f"learning-cycle verify --digest {st.log_head}"))
    if generated:
        out.append(("p", f"Generated {generated}.", None))
    return out


__all__ = ["SECTIONS", "count", "number", "paper", "prepare", "slug", "summary"]
