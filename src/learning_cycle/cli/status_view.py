"""The rich status view: the whole learning cycle of a board on one screen.

It adapts to the terminal's width. When the output is not a terminal there is no colour, and tables
are drawn with plain ASCII (``+``, ``-``, ``|``), so the text pastes cleanly into an email or a file.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from ..projections.status import CycleStatus
from ..reports.involvement import involvement_words
from ..reports.plain import plain

SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = "_.-=+*#@"
DIRECTION = {
    "improving": ("▲", "^", "improving", "green"),
    "deteriorating": ("▼", "v", "deteriorating", "red"),
    "changed": ("◆", "*", "changed", "magenta"),
    "no_significant_change": ("●", "o", "no significant change", "blue"),
    "not_enough_data": ("·", ".", "not enough data", "dim"),
}
VERDICT_STYLE = {
    "sustained": "bold green",
    "improving": "green",
    "no_evidence_yet": "yellow",
    "awaiting_action": "cyan",
    "stalled": "bold yellow",
    "deteriorating": "bold red",
}
VERDICT_ORDER = ("deteriorating", "stalled", "no_evidence_yet", "awaiting_action", "improving", "sustained")


def sparkline(values: tuple[float, ...], *, ascii_only: bool = False, width: int = 20) -> str:
    """The last ``width`` values as a line of block characters, lowest to highest."""
    marks = ASCII_SPARKS if ascii_only else SPARKS
    values = values[-width:]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(marks[min(len(marks) - 1, int((v - low) / span * (len(marks) - 1) + 0.5))] for v in values)


WIDE = 120
"""From this width the parts are tables; below it each finding and activity is stacked: its words
on their own lines, wrapped at the width, its details on the next."""


class StatusView:
    """A rich renderable of a :class:`CycleStatus`; ``why``: why it is as of its day (``today``,
    ``the day asked for``...), said next to the date."""

    def __init__(self, status: CycleStatus, why: str | None = None) -> None:
        self.status = status
        self.why = why

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain_out = not console.is_terminal or console.color_system is None
        self.ascii_only = plain_out and not (console.encoding or "").lower().startswith("utf")
        self.frame = box.ASCII2 if plain_out else box.ROUNDED
        self.width = width = options.max_width
        self.dot = " - " if self.ascii_only else " · "
        s = self.status
        yield Text(s.board_name, style="bold")
        yield self._when()
        if s.empty:
            yield Text("Nothing recorded by then: an empty cycle.")
            return
        parts: list[Any] = [self._cycle(), self._verdicts(width)]
        if s.overdue_actions_by_agency:
            parts.append(self._overdue(width))
        if s.restricted_reviews:
            parts.append(self._restricted())
        wide = width >= WIDE
        parts.append(self._activities() if wide else self._activities_stacked())
        if s.indicators:
            parts.append(self._indicators() if wide else self._indicators_stacked())
        parts.append(self._findings() if wide else self._findings_stacked())
        for part in parts:
            for column in getattr(part, "columns", ()):  # wrap a long word rather than cut it
                column.overflow = "fold"
            yield part
        yield self._footer()

    # -- words ---------------------------------------------------------------------------

    def name(self, key: str) -> str:
        """The board's or a plugin's name for ``key``, else its plain words."""
        return self.status.names.get(key) or plain(key)

    def _when(self) -> Text:
        s = self.status
        line = Text("as of ", style="dim")
        line.append(str(s.as_of), style="bold")
        if self.why:
            line.append(f" ({self.why})", style="dim")
        if s.as_known_at is not None:
            line.append(f", as known at {s.as_known_at.isoformat(timespec='seconds')}", style="dim")
        last = s.last_recorded
        if last is not None and last < s.as_of:
            line.append(f"; nothing recorded happens after {last}", style="dim")
            if (s.as_of - last).days > 90:
                line.append(
                    f". Timescales and overdue actions are counted to {s.as_of}: "
                    f"--as-of {last} shows the board as it stood then",
                    style="yellow",
                )
        return line

    def _review(self, label: str) -> Text:
        return Text(f"not published: see review {label}", style="italic yellow")

    # -- parts -------------------------------------------------------------------------

    def _cycle(self) -> Table:
        arrow = " -> " if self.ascii_only else " → "
        back = " (and round again)" if self.ascii_only else " ↺"
        stages = self.status.by_stage
        line = Text()
        for n, (stage, count) in enumerate(stages.items()):
            if n:
                line.append(arrow, style="dim")
            line.append(plain(stage).upper(), style="bold")
            line.append(f" {count}")
        line.append(back, style="dim")
        table = Table(
            box=self.frame, show_header=False, title="The cycle: findings at each stage", title_justify="left"
        )
        table.add_column("cycle")
        table.add_row(line)
        return table

    def _bar(self, n: int, most: int, width: int) -> str:
        char = "#" if self.ascii_only else "■"
        return char * max(1 if n else 0, round(width * n / most)) if most else ""

    def _verdicts(self, width: int) -> Table:
        counts = self.status.by_verdict
        most = max(counts.values(), default=0)
        table = Table(box=self.frame, title="Three-year verdicts", title_justify="left")
        table.add_column("verdict", no_wrap=True)
        table.add_column("findings", justify="right")
        table.add_column("", no_wrap=True)
        for verdict in VERDICT_ORDER:
            n = counts.get(verdict, 0)
            if n:
                bar = self._bar(n, most, max(5, min(30, width - 40)))
                table.add_row(Text(plain(verdict), style=VERDICT_STYLE[verdict]), str(n), bar)
        return table

    def _overdue(self, width: int) -> Table:
        counts = self.status.overdue_actions_by_agency
        most = max(counts.values())
        table = Table(box=self.frame, title="Overdue actions by agency", title_justify="left")
        table.add_column("agency")
        table.add_column("overdue", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        for agency, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            bar = self._bar(n, most, max(5, min(30, width - 50)))
            table.add_row(Text(self.name(agency)), str(n), Text(bar, style="red"))
        return table

    def _restricted(self) -> Table:
        """Each review whose report is not published, once; its rows below refer to it."""
        table = Table.grid(padding=(0, 1))
        table.title = "Reviews not published (their material is not shown)"
        table.title_justify = "left"
        table.add_column("review", no_wrap=True, style="bold")
        table.add_column("what")
        for r in self.status.restricted_reviews:
            what = Text(plain(r.kind).capitalize())
            what.append(f": {_publication(r.status)}")
            if r.review_on is not None:
                what.append(f" to {r.review_on}")
            if r.reason:
                what.append(f" ({r.reason})")
            what.append(f"; {_count(r.findings, 'finding')}, {_count(r.actions, 'action')}")
            table.add_row(f"review {r.label}", what)
        return table

    def _method(self, a: Any) -> Text:
        if not a.method_known:
            return Text(f"unknown method {a.method!r} (its plugin is not installed)", style="yellow")
        return Text(self.name(a.method))

    def _timescale(self, a: Any) -> Text:
        if a.deadlines:
            timescale = Text("; ".join(_deadline(d) for d in a.deadlines))
            if a.overdue_steps:
                timescale.stylize("bold red")
        else:
            timescale = Text("no timescale", style="dim")
        if a.clock_paused:
            timescale.append(" (clock paused)", style="yellow")
        return timescale

    def _activities(self) -> Table:
        table = Table(
            box=self.frame, title="Activities against their timescales", title_justify="left", show_lines=True
        )
        table.add_column("commissioned", no_wrap=True)
        table.add_column("activity", ratio=3)
        table.add_column("method", ratio=2)
        table.add_column("status", no_wrap=True)
        table.add_column("timescale", ratio=2)
        for a in self.status.activities:
            title = self._review(a.review) if a.review else Text(a.title)
            table.add_row(str(a.commissioned_on), title, self._method(a), plain(a.status), self._timescale(a))
        return table

    def _activities_stacked(self) -> Table:
        table = _stack("Activities against their timescales")
        for a in self.status.activities:
            title = self._review(a.review) if a.review else Text(a.title, style="bold")
            details = Text.assemble(self._method(a), self.dot, plain(a.status), self.dot, self._timescale(a))
            table.add_row(str(a.commissioned_on), Text.assemble(title, "\n", details))
        return table

    def _latest(self, i: Any) -> str:
        if i.latest_value is None:
            return "no figure yet"
        unit = "%" if i.unit == "%" else f" {i.unit}" if i.unit else ""
        return f"{i.latest_value:g}{unit}" + (f" in {i.latest_period}" if i.latest_period else "")

    def _direction(self, i: Any) -> Text:
        mark, ascii_mark, _, style = DIRECTION[i.direction]
        direction = Text(f"{ascii_mark if self.ascii_only else mark} {plain(i.direction)}", style=style)
        if i.assurance:
            unit = "%" if i.unit == "%" else ""
            direction.append(f" ({plain(i.assurance)} of {i.target:g}{unit})", style="dim")
        if i.restated:
            figures = "figure" if i.restated == 1 else "figures"
            direction.append(f" [{i.restated} {figures} restated]", style="yellow")
        return direction

    def _indicators(self) -> Table:
        table = Table(box=self.frame, title="Indicators: direction of travel", title_justify="left", show_lines=True)
        table.add_column("indicator", ratio=3)
        table.add_column("kind", ratio=1)
        table.add_column("trend", no_wrap=True)
        table.add_column("latest", justify="right", ratio=1)
        table.add_column("direction", ratio=2)
        for i in self.status.indicators:
            table.add_row(
                Text(i.title), plain(i.kind), sparkline(i.values, ascii_only=self.ascii_only),
                self._latest(i), self._direction(i),
            )  # fmt: skip
        return table

    def _indicators_stacked(self) -> Table:
        table = _stack("Indicators: direction of travel")
        for i in self.status.indicators:
            spark = sparkline(i.values, ascii_only=self.ascii_only, width=max(8, min(20, self.width - 16)))
            details = Text.assemble(self._direction(i), self.dot, f"latest {self._latest(i)}", self.dot, plain(i.kind))
            table.add_row(spark, Text.assemble(Text(i.title, style="bold"), "\n", details))
        return table

    def _ordered(self) -> list[Any]:
        order = {v: n for n, v in enumerate(VERDICT_ORDER)}
        return sorted(
            self.status.findings, key=lambda f: (order.get(f.verdict.value if f.verdict else "", 9), f.raised_on)
        )

    def _statement(self, f: Any, style: str = "") -> Text:
        return self._review(f.review) if f.review else Text(f.statement, style=style)

    def _verdict(self, f: Any) -> Text:
        verdict = f.verdict.value if f.verdict else ""
        return Text(plain(verdict) if verdict else "no verdict", style=VERDICT_STYLE.get(verdict, "dim"))

    def _findings(self) -> Table:
        table = Table(box=self.frame, title="Findings", title_justify="left", show_lines=True)
        table.add_column("raised", no_wrap=True)
        table.add_column("finding", ratio=4)
        table.add_column("level", no_wrap=True)
        table.add_column("stage", no_wrap=True)
        table.add_column("actions", ratio=1)
        table.add_column("verdict", no_wrap=True)
        for f in self._ordered():
            stage = Text(plain(f.stage))
            stage.append(f"\nsince {f.since}", style="dim")
            table.add_row(str(f.raised_on), self._statement(f), plain(f.level), stage, _actions(f), self._verdict(f))
        return table

    def _findings_stacked(self) -> Table:
        table = _stack("Findings")
        for f in self._ordered():
            details = Text.assemble(
                self._verdict(f), self.dot, f"{plain(f.level)} level", self.dot,
                f"{plain(f.stage)} since {f.since}", self.dot, _actions(f),
            )  # fmt: skip
            table.add_row(str(f.raised_on), Text.assemble(self._statement(f, "bold"), "\n", details))
        return table

    def _footer(self) -> Group:
        s = self.status
        v, t = s.voice, s.transparency
        voice = Text.assemble(
            ("Voice of the child: ", "bold"),
            f"{v.activities_informed} of {_count(v.activities, 'activity', 'activities')} and "
            f"{v.findings_informed} of {_count(v.findings, 'finding')} were informed by children's and families' views",
        )
        transparency = Text.assemble(
            ("Transparency: ", "bold"),
            f"of {_count(t.approved, 'approved final report')} to publish, {t.published} published, {len(t.withheld)} withheld, "
            f"{len(t.delayed)} delayed, {t.undecided} awaiting a decision",
        )
        if not s.restricted_reviews:  # with the material shown, say why each is not published here
            withheld = "; ".join(f"withheld: {reason}" for _, reason in t.withheld)
            delayed = "; ".join(f"delayed to {review}: {reason}" for _, reason, review in t.delayed)
            if withheld or delayed:
                transparency.append(f" ({'; '.join(x for x in (withheld, delayed) if x)})")
        said = involvement_words(s.involvement)  # (reports/involvement.py)
        return Group(voice, transparency, *([Text.assemble(("Involvement: ", "bold"), said)] if said else []))


def _stack(title: str) -> Table:
    """A part whose rows are a date (or mark) and, beside it, words wrapped at the width."""
    table = Table.grid(padding=(0, 1), pad_edge=False)
    table.title = title
    table.title_justify = "left"
    table.add_column("when", no_wrap=True, vertical="top")
    table.add_column("what")
    return table


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _publication(status: str) -> str:
    return {"withheld": "report withheld", "delayed": "publication delayed"}.get(status, plain(status))


def _actions(f: Any) -> str:
    words = f"{_count(f.open_actions, 'open action')}"
    return words + (f", {f.overdue_actions} overdue" if f.overdue_actions else "")


def _deadline(d: Any) -> str:
    words = plain(d.status)
    if d.due_on is not None and d.status.value in ("on_track", "overdue"):
        return f"{words}, due {d.due_on}"
    if d.met_on is not None:
        return f"{words} on {d.met_on}"
    return words
