"""Renderables for the terminal. They return rich renderables; only the CLI prints."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from ..domain import ActivityState, BoardState, FindingState, Stage
from ..domain.access import AccessRecord
from ..domain.outcomes import OutcomeValue
from ..plugins import Plugins
from ..projections.references import References
from ..projections.reviews import restricted_reviews
from ..projections.store import Views
from ..projections.subgroups import SubgroupViews
from ..reports.plain import plain, plain_in

WIDE = 120
"""From this width the views are tables; below it each row is stacked, its words wrapped at the width."""


def held_reviews(records: Any) -> tuple[tuple[Any, ...], dict[str, str]]:
    """The reviews of ``records`` whose reports are not published, each once (none when the material
    is shown), and each one's label by the placeholder its rows carry."""
    if records.includes_restricted:
        return (), {}
    reviews, _ = restricted_reviews(records, [])
    return reviews, {r.placeholder: review.label for r, review in zip(records.restricted, reviews, strict=True)}


def _see(text: str, held: dict[str, str]) -> Text:
    label = held.get(text)
    return Text(f"not published: see review {label}", style="italic") if label else Text(text)


class Adaptive:
    """A table from :data:`WIDE` columns on, else the same rows stacked (``rows``: for each, its
    leading cells, e.g. a reference and a date, and the words beside them), wrapped, never cut."""

    def __init__(self, table: Table, rows: Sequence[tuple[tuple[str, ...], Text]], before: Any = None) -> None:
        self.table, self.rows, self.before = table, rows, before

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.before is not None:
            yield self.before
        if options.max_width >= WIDE:
            for column in self.table.columns:
                column.overflow = "fold"
            yield self.table
            return
        grid = Table.grid(padding=(0, 1))
        grid.title, grid.title_justify = self.table.title, "left"
        lead = max((len(lead) for lead, _ in self.rows), default=0)
        for _ in range(lead):
            grid.add_column(no_wrap=True, vertical="top")
        grid.add_column(overflow="fold")
        for cells, body in self.rows:
            grid.add_row(*cells, body)
        yield grid


def render_held(reviews: Any) -> Table:
    """Each review whose report is not published, once."""
    grid = Table.grid(padding=(0, 1))
    grid.title, grid.title_justify = "Reviews not published (their material is not shown)", "left"
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for r in reviews:
        when = f" to {r.review_on}" if r.review_on else ""
        reason = f" ({r.reason})" if r.reason else ""
        counts = f"; {r.findings} finding{'s' * (r.findings != 1)}, {r.actions} action{'s' * (r.actions != 1)}"
        grid.add_row(
            f"review {r.label}", Text(f"{plain(r.kind).capitalize()}: {plain(r.status)}{when}{reason}{counts}")
        )
    return grid


def board_of(board: BoardState) -> dict[str, str]:
    """A board as every JSON output names it."""
    return {"key": board.key, "name": board.name, "id": str(board.board_id)}


def findings_payload(board: BoardState, findings: list[FindingState], refs: References) -> dict[str, Any]:
    return {
        "board": board_of(board),
        "findings": [
            {
                "ref": refs.of(f.finding_id),
                "id": str(f.finding_id),
                "statement": f.statement,
                "level": f.level.value,
                "nature": f.nature.value,
                "stage": f.stage.value,
                "stage_dates": {s.value: d.isoformat() for s, d in f.stage_dates},
            }
            for f in findings
        ],
    }


def render_findings(board: BoardState, findings: list[FindingState], refs: References, records: Any = None) -> Adaptive:
    reviews, held = held_reviews(records) if records is not None else ((), {})
    table = Table(title=f"{board.name}: findings and their stage", title_justify="left")
    table.add_column("ref", no_wrap=True)
    table.add_column("raised", no_wrap=True)
    table.add_column("finding")
    table.add_column("level", no_wrap=True)
    table.add_column("stage", no_wrap=True)
    table.add_column("since", no_wrap=True)
    rows = []
    for f in findings:
        stage = f.stage
        since = (f.reached(stage) or f.raised_on).isoformat()
        body = _see(f.statement, held)
        body.stylize("bold")
        body.append(f"\n{plain(f.level)} level; {_STAGE_MARK[stage]} since {since}", style="")
        rows.append(((refs.of(f.finding_id) or "", f.raised_on.isoformat()), body))
        table.add_row(
            refs.of(f.finding_id) or "",
            f.raised_on.isoformat(),
            _see(f.statement, held),
            plain(f.level),
            _STAGE_MARK[stage],
            (f.reached(stage) or f.raised_on).isoformat(),
        )
    return Adaptive(table, rows, render_held(reviews) if reviews else None)


def access_payload(board: BoardState, reads: list[AccessRecord]) -> dict[str, Any]:
    return {
        "board": board_of(board),
        "reads": [{"at": r.at.isoformat(), "by": r.by, "query": r.query} for r in reads],
    }


def render_access(payload: dict[str, Any]) -> Table:
    board = payload["board"]
    # a line between reads: no text in a cell can pass for a read of its own
    table = Table(title=f"{board['name']}: reads of restricted material", title_justify="left", show_lines=True)
    table.add_column("at (UTC)", no_wrap=True)
    table.add_column("by")
    table.add_column("what was read")
    for read in payload["reads"]:
        table.add_row(read["at"].replace("+00:00", ""), read["by"], read["query"])
    if not payload["reads"]:
        table.add_row("-", "-", "no read of restricted material is recorded")
    return table


_STAGE_MARK = {Stage.LEARN: "learn", Stage.ACT: "act", Stage.TRAIN: "train", Stage.MONITOR: "monitor"}


def plugins_payload(plugins: Plugins) -> dict[str, Any]:
    """Every loaded plugin, its distribution and version, and what it registers, by hook."""
    methods = plugins.review_methods()
    sources = plugins.indicator_sources()
    measures = plugins.outcome_measures()

    def of(found: dict[str, Any], name: str) -> list[str]:
        return sorted(k for k, c in found.items() if c.plugin == name)

    def origin(c: Any) -> dict[str, Any]:
        return {"plugin": c.plugin, "distribution": c.distribution, "version": c.version}

    return {
        "plugins": [
            {
                "name": info.name,
                "distribution": info.distribution,
                "version": info.version,
                "review_methods": of(methods, info.name),
                "indicator_sources": of(sources, info.name),
                "outcome_measures": of(measures, info.name),
            }
            for info in plugins.plugins()
        ],
        "review_methods": [
            {
                "key": key,
                "title": c.item.title,
                "kinds": list(c.item.kinds),
                "min_agencies": c.item.min_agencies,
                "timescales": [t.label for t in c.item.timescales],
                "finding_taxonomy": list(c.item.finding_taxonomy) if c.item.finding_taxonomy is not None else None,
                **origin(c),
            }
            for key, c in sorted(methods.items())
        ],
        "indicator_sources": [
            {
                "key": key,
                "title": c.item.title,
                "columns": [col.name for col in c.item.columns],
                "suffixes": list(c.item.suffixes),
                **origin(c),
            }
            for key, c in sorted(sources.items())
        ],
        "outcome_measures": [
            {
                "key": key,
                "title": c.item.title,
                "kind": c.item.kind.value,
                "unit": c.item.unit,
                "statement": c.item.statement,
                **origin(c),
            }
            for key, c in sorted(measures.items())
        ],
    }


def render_plugins(payload: dict[str, Any]) -> Group:
    plugins = Table(title="Plugins", title_justify="left")
    for column in ("name", "distribution", "version", "registers"):
        plugins.add_column(column)
    for p in payload["plugins"]:
        counts = [
            f"{len(p[k])} {label}"
            for k, label in (
                ("review_methods", "review methods"),
                ("indicator_sources", "indicator sources"),
                ("outcome_measures", "outcome measures"),
            )
            if p[k]
        ]
        plugins.add_row(p["name"], p["distribution"] or "-", p["version"] or "-", ", ".join(counts) or "nothing")
    methods = Table(title="Review methods", title_justify="left")
    for column in ("method", "title", "kinds", "from"):
        methods.add_column(column, no_wrap=column in ("method", "from"))
    for m in payload["review_methods"]:
        methods.add_row(m["key"], m["title"], ", ".join(m["kinds"]), m["distribution"] or m["plugin"])
    sources = Table(title="Indicator sources", title_justify="left")
    for column in ("source", "title", "columns", "from"):
        sources.add_column(column)
    for x in payload["indicator_sources"]:
        sources.add_row(x["key"], x["title"], ", ".join(x["columns"]), x["distribution"] or x["plugin"])
    measures = Table(title="Outcome measures", title_justify="left")
    for column in ("measure", "title", "kind", "from"):
        measures.add_column(column)
    for x in payload["outcome_measures"]:
        measures.add_row(x["key"], x["title"], x["kind"], x["distribution"] or x["plugin"])
    return Group(plugins, methods, sources, measures)


def outcomes_payload(board: BoardState, plugins: Plugins, values: dict[str, OutcomeValue]) -> dict[str, Any]:
    measures = plugins.outcome_measures()
    return {
        "board": board_of(board),
        "outcomes": [
            {
                "key": key,
                "title": measures[key].item.title,
                "unit": measures[key].item.unit,
                "value": v.value,
                "numerator": v.numerator,
                "denominator": v.denominator,
                "breakdown": dict(v.breakdown),
                "evidence": list(v.evidence),
                "note": v.note,
                "plugin": measures[key].plugin,
            }
            for key, v in values.items()
        ],
    }


def render_outcomes(payload: dict[str, Any]) -> Table:
    table = Table(title=f"{payload['board']['name']}: outcome measures", title_justify="left")
    for column in ("measure", "value", "of", "note"):
        table.add_column(column, justify="right" if column in ("value", "of") else "left")
    for o in payload["outcomes"]:
        value = "no data" if o["value"] is None else f"{o['value']:.1f}{o['unit'] if o['unit'] == '%' else ''}"
        of = "" if o["denominator"] is None else f"{o['numerator']}/{o['denominator']}"
        table.add_row(o["title"], value, of, o["note"])
    return table


def activities_payload(
    board: BoardState, activities: list[ActivityState], plugins: Plugins, deadlines: dict[Any, Any], refs: References
) -> dict[str, Any]:
    """Each activity with its method (``known: false`` when no installed plugin registers it) and
    where each of its method's timescales stands."""
    methods = plugins.review_methods()
    return {
        "board": board_of(board),
        "activities": [
            {
                "ref": refs.of(a.activity_id),
                "id": str(a.activity_id),
                "title": a.title,
                "kind": a.kind,
                "method": {
                    "key": a.method,
                    "known": a.method in methods,
                    "title": methods[a.method].item.title if a.method in methods else None,
                },
                "status": a.status.value,
                "commissioned_on": a.started_on.isoformat(),
                "clock_paused": a.clock_paused,
                "deadlines": [
                    {
                        "timescale": d.timescale.label,
                        "status": d.status.value,
                        "due_on": d.due_on.isoformat() if d.due_on else None,
                        "met_on": d.met_on.isoformat() if d.met_on else None,
                        "working_days_used": d.working_days_used,
                    }
                    for d in deadlines.get(a.activity_id) or ()
                ],
            }
            for a in activities
        ],
    }


def render_activities(payload: dict[str, Any], records: Any = None) -> Adaptive:
    reviews, held = held_reviews(records) if records is not None else ((), {})
    table = Table(title=f"{payload['board']['name']}: learning activities", title_justify="left")
    for column in ("ref", "commissioned", "activity", "method", "status", "timescale"):
        table.add_column(column, no_wrap=column in ("ref", "commissioned", "status"))
    rows = []
    for a in payload["activities"]:
        method = a["method"]["title"] or f"unknown method {a['method']['key']!r} (its plugin is not installed)"
        timescale = "; ".join(
            plain(d["status"]) + (f" (due {d['due_on']})" if d["due_on"] else "")
            + (f" on {d['met_on']}" if d["met_on"] and not d["due_on"] else "")
            for d in a["deadlines"]
        )  # fmt: skip
        table.add_row(
            a["ref"] or "", a["commissioned_on"], _see(a["title"], held), Text(method), plain(a["status"]),
            timescale or "no timescale",
        )  # fmt: skip
        body = _see(a["title"], held)
        body.stylize("bold")
        body.append(f"\n{method}; {plain(a['status'])}; {timescale or 'no timescale'}", style="")
        rows.append(((a["ref"] or "", a["commissioned_on"]), body))
    return Adaptive(table, rows, render_held(reviews) if reviews else None)


# -- read models -------------------------------------------------------------------------


class PictureView:
    """The three-year picture at the terminal's width, in plain words: ``names``, the board's and the
    plugins' names for its keys; ``reviews``, the reviews whose reports are not published (each
    stated once, its findings referring to it by its label); ``placeholders``, each review's label
    by the placeholder its findings carry."""

    def __init__(
        self, picture: Any, names: dict[str, str] | None = None, reviews: Any = (), placeholders: Any = None
    ) -> None:
        self.picture = picture
        self.names = dict(names or {})
        self.reviews = tuple(reviews)
        self.placeholders = dict(placeholders or {})

    def name(self, key: str) -> str:
        return self.names.get(key) or plain(key)

    def _statement(self, f: Any) -> Text:
        label = self.placeholders.get(f.statement)
        return Text(f"not published: see review {label}", style="italic") if label else Text(f.statement)

    def _reason(self, f: Any) -> str:
        reason = f.reason
        for placeholder, label in self.placeholders.items():
            reason = reason.replace(placeholder, f"(not published: see review {label})")
        reason = re.sub(r"\((\w[\w-]*), due ", lambda m: f"({self.name(m.group(1))}, due ", reason)  # an owner
        return plain_in(reason, self.names)

    @staticmethod
    def _year(row: Any) -> str:
        if row.stage is None:
            return "not raised yet"
        bits = [plain(row.stage)]
        if row.actions_overdue:
            bits.append(f"{row.actions_overdue} overdue")
        if row.checks:
            bits.append("checks " + ", ".join(plain(c) for c in row.checks))
        return "; ".join(bits)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        picture = self.picture
        title = f"Three-year picture {picture.years[0]} to {picture.years[-1]} (to {picture.ends_on})"
        if self.reviews:
            yield render_held(self.reviews)
        if options.max_width >= WIDE:
            table = Table(title=title, title_justify="left", show_lines=True)
            table.add_column("finding", ratio=3, overflow="fold")
            for year in picture.years:
                table.add_column(year, ratio=1, overflow="fold")
            table.add_column("verdict", no_wrap=True)
            table.add_column("why", ratio=3, overflow="fold")
            for f in picture.findings:
                cells = [self._year(row) for row in f.years]
                table.add_row(self._statement(f), *map(Text, cells), plain(f.verdict), Text(self._reason(f)))
            yield table
        else:
            yield Text(title, style="italic")
            for f in picture.findings:
                body = Text.assemble(self._statement(f), "\n")
                body.append(plain(f.verdict), style="bold")
                body.append(f": {self._reason(f)}")
                for row in f.years:
                    body.append(f"\n{row.year}: {self._year(row)}")
                grid = Table.grid(padding=(0, 1))
                grid.add_column(no_wrap=True)
                grid.add_column(overflow="fold")
                grid.add_row("-", body)
                yield grid
        for label, groups in (
            ("By theme", picture.by_theme),
            ("By agency", picture.by_agency),
            ("By level", picture.by_level),
        ):
            if groups:
                text = "; ".join(
                    f"{self.name(key) if key else 'no theme'}: "
                    + ", ".join(f"{plain(k)} {n}" for k, n in counts.items())
                    for key, counts in groups.items()
                )
                yield Text(f"{label}: {text}", overflow="fold")
        if picture.areas:  # the self-assessment returns' areas for development, and whether each is delivered
            said = [f"{a.name}: {a.text} ({a.year}), {plain(a.delivery) if a.delivery else 'not followed up yet'}" for a in picture.areas]  # fmt: skip
            yield Text("Areas for development: " + "; ".join(said), overflow="fold")


def render_picture(picture: Any, names: Any = None, reviews: Any = (), placeholders: Any = None) -> PictureView:
    return PictureView(picture, names, reviews, placeholders)


SUBGROUP_HELP = "read it for one of the board's sub-groups (its name, as added): its activities and findings"


def views_for(lc: Any, subgroup: str | None) -> Views:
    """The views of the whole board, or of one of its sub-groups (``--subgroup``)."""
    return Views.of(lc) if subgroup is None else SubgroupViews.of_subgroup(lc, subgroup)


def for_subgroup(render: Any, subgroup: str | None) -> Any:
    """``render``, headed by the sub-group it is read for, when there is one."""
    if subgroup is None:
        return render
    return lambda: Group(Text(f"Read for the sub-group {subgroup}", style="bold"), render())
