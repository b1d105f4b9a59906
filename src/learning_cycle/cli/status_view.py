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


def _bar(n: int, most: int, width: int, char: str) -> str:
    return char * max(1 if n else 0, round(width * n / most)) if most else ""


class StatusView:
    """A rich renderable of a :class:`CycleStatus`."""

    def __init__(self, status: CycleStatus) -> None:
        self.status = status

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = not console.is_terminal or console.color_system is None
        ascii_only = plain and not (console.encoding or "").lower().startswith("utf")
        frame = box.ASCII2 if plain else box.ROUNDED
        width = options.max_width
        s = self.status
        title = Text(s.board_name, style="bold")
        when = f"as of {s.as_of}"
        if s.as_known_at is not None:
            when += f", as known at {s.as_known_at.isoformat(timespec='seconds')}"
        yield Text.assemble(title, "  ", (when, "dim"))
        if s.empty:
            yield Text("Nothing recorded by then: an empty cycle.")
            return
        parts = [self._cycle(frame, ascii_only), self._verdicts(frame, width, ascii_only)]
        if s.overdue_actions_by_agency:
            parts.append(self._overdue(frame, width, ascii_only))
        parts.append(self._activities(frame))
        if s.indicators:
            parts.append(self._indicators(frame, ascii_only))
        parts.append(self._findings(frame))
        for part in parts:
            if ascii_only:  # no "…" where a narrow column is cut: fold it onto the next line
                for column in part.columns:
                    column.overflow = "fold"
            yield part
        yield self._footer()

    # -- parts -------------------------------------------------------------------------

    def _cycle(self, frame: box.Box, ascii_only: bool) -> Table:
        arrow = " -> " if ascii_only else " → "
        back = " (and round again)" if ascii_only else " ↺"
        stages = self.status.by_stage
        line = Text()
        for n, (stage, count) in enumerate(stages.items()):
            if n:
                line.append(arrow, style="dim")
            line.append(stage.upper(), style="bold")
            line.append(f" {count}")
        line.append(back, style="dim")
        table = Table(box=frame, show_header=False, title="The cycle", title_justify="left", expand=False)
        table.add_column("cycle")
        table.add_row(line)
        return table

    def _verdicts(self, frame: box.Box, width: int, ascii_only: bool) -> Table:
        counts = self.status.by_verdict
        most = max(counts.values(), default=0)
        table = Table(box=frame, title="Three-year verdicts", title_justify="left")
        table.add_column("verdict", no_wrap=True)
        table.add_column("findings", justify="right")
        table.add_column("", no_wrap=True)
        for verdict in VERDICT_ORDER:
            n = counts.get(verdict, 0)
            if n:
                bar = _bar(n, most, max(5, min(30, width - 40)), "#" if ascii_only else "■")
                table.add_row(Text(verdict.replace("_", " "), style=VERDICT_STYLE[verdict]), str(n), bar)
        return table

    def _overdue(self, frame: box.Box, width: int, ascii_only: bool) -> Table:
        counts = self.status.overdue_actions_by_agency
        most = max(counts.values())
        table = Table(box=frame, title="Overdue actions by agency", title_justify="left")
        table.add_column("agency", no_wrap=True)
        table.add_column("overdue", justify="right")
        table.add_column("", no_wrap=True)
        for agency, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(
                agency,
                str(n),
                Text(_bar(n, most, max(5, min(30, width - 40)), "#" if ascii_only else "■"), style="red"),
            )
        return table

    def _activities(self, frame: box.Box) -> Table:
        table = Table(box=frame, title="Activities against their timescales", title_justify="left")
        table.add_column("commissioned", no_wrap=True)
        table.add_column("activity", ratio=3)
        table.add_column("method", ratio=2)
        table.add_column("status", no_wrap=True)
        table.add_column("timescale", ratio=2)
        for a in self.status.activities:
            method = Text(a.method) if a.method_known else Text(f"unknown method {a.method!r}", style="yellow")
            if a.deadlines:
                timescale = Text("; ".join(_deadline(d) for d in a.deadlines))
                if a.overdue_steps:
                    timescale.stylize("bold red")
            else:
                timescale = Text("-", style="dim")
            if a.clock_paused:
                timescale.append(" (clock paused)", style="yellow")
            table.add_row(str(a.commissioned_on), a.title, method, a.status, timescale)
        return table

    def _indicators(self, frame: box.Box, ascii_only: bool) -> Table:
        table = Table(box=frame, title="Indicators: direction of travel", title_justify="left")
        table.add_column("indicator", ratio=3)
        table.add_column("kind", no_wrap=True)
        table.add_column("trend", no_wrap=True)
        table.add_column("latest", no_wrap=True, justify="right")
        table.add_column("direction", ratio=1)
        for i in self.status.indicators:
            mark, ascii_mark, words, style = DIRECTION[i.direction]
            latest = "-" if i.latest_value is None else f"{i.latest_value:g}{i.unit if i.unit == '%' else ''}"
            direction = Text(f"{ascii_mark if ascii_only else mark} {words}", style=style)
            if i.assurance:
                direction.append(f" ({i.assurance.replace('_', ' ')} target {i.target:g})", style="dim")
            if i.restated:
                direction.append(f" [{i.restated} restated]", style="yellow")
            table.add_row(
                i.title, i.kind.replace("_", " "), sparkline(i.values, ascii_only=ascii_only), latest, direction
            )
        return table

    def _findings(self, frame: box.Box) -> Table:
        table = Table(box=frame, title="Findings", title_justify="left")
        table.add_column("raised", no_wrap=True)
        table.add_column("finding", ratio=4)
        table.add_column("level", no_wrap=True)
        table.add_column("stage", no_wrap=True)
        table.add_column("actions", no_wrap=True, justify="right")
        table.add_column("verdict", ratio=2)
        order = {v: n for n, v in enumerate(VERDICT_ORDER)}
        findings = sorted(
            self.status.findings, key=lambda f: (order.get(f.verdict.value if f.verdict else "", 9), f.raised_on)
        )
        for f in findings:
            actions = f"{f.open_actions} open" + (f", {f.overdue_actions} overdue" if f.overdue_actions else "")
            verdict = f.verdict.value if f.verdict else ""
            table.add_row(
                str(f.raised_on), f.statement, f.level, f.stage.value, actions,
                Text(verdict.replace("_", " "), style=VERDICT_STYLE.get(verdict, "")),
            )  # fmt: skip
        return table

    def _footer(self) -> Group:
        v, t = self.status.voice, self.status.transparency
        voice = Text.assemble(
            ("Voice of the child: ", "bold"),
            f"{v.activities_informed} of {v.activities} activities and {v.findings_informed} of {v.findings} findings "
            "were informed by children's and families' views",
        )
        withheld = "; ".join(f"withheld: {reason}" for _, reason in t.withheld)
        delayed = "; ".join(f"delayed to {review}: {reason}" for _, reason, review in t.delayed)
        transparency = Text.assemble(
            ("Transparency: ", "bold"),
            f"{t.approved} final reports approved, {t.published} published, {len(t.withheld)} withheld, "
            f"{len(t.delayed)} delayed, {t.undecided} awaiting a decision",
            *((f" ({'; '.join(x for x in (withheld, delayed) if x)})",) if withheld or delayed else ()),
        )
        return Group(voice, transparency)


def _deadline(d: Any) -> str:
    words = d.status.value.replace("_", " ")
    if d.due_on is not None and d.status.value in ("on_track", "overdue"):
        return f"{words}, due {d.due_on}"
    if d.met_on is not None:
        return f"{words} on {d.met_on}"
    return words
