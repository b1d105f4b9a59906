"""Recording figures read from a source: each checked as it comes, the first problems kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from ..domain import Indicator
from ..domain.errors import BadInput, InvalidValue, NotFound, Problem, RuleViolation, Where
from ..domain.sources import Figure, PullResult

MAX_PROBLEMS = 50
"""How many problems with an input one error reports at most."""


def _place(problem: Problem) -> tuple[str, int]:
    """The order problems are listed in: by file and line (a stable sort keeps the order each
    line's problems were found in)."""
    return (problem.where.file, problem.where.line)


class FigureRun:
    """One attempt at recording figures: memory holds the indicators, one place per figure's
    period and the first problems, never the whole input."""

    def __init__(self, load: Callable[[str], Indicator], source: str, on: date, by: str) -> None:
        self.load, self.source, self.on, self.by = load, source, on, by
        self.loaded: dict[str, Indicator | None] = {}
        self.first_seen: dict[tuple[str, date], Where] = {}
        self.problems: list[Problem] = []
        self.found = 0
        self.known: list[BadInput] = []
        self.recorded = self.corrected = self.unchanged = 0

    def figures(self, read: Callable[[], Iterable[Figure]]) -> Iterator[Figure]:
        try:
            yield from read()
        except BadInput as exc:
            self.known.append(exc)
            yield from exc.read or ()  # good figures a source passed on, checked here too

    def problem(self, *args: Any) -> None:
        self.found += 1
        if len(self.problems) < MAX_PROBLEMS:  # in the input's order: the first are the ones shown
            self.problems.append(Problem(*args))

    def indicator(self, key: str) -> Indicator | None:
        if key not in self.loaded:
            try:
                self.loaded[key] = self.load(key)
            except (NotFound, InvalidValue):
                self.loaded[key] = None
        return self.loaded[key]

    def take(self, figure: Figure) -> None:
        """Check one figure and record it on its indicator (or note its problem)."""
        key = figure.indicator
        indicator = self.indicator(key)
        if indicator is None:
            message = "no indicator with this key on the board: define it first (define_indicator)"
            return self.problem(figure.at("indicator"), "indicator", key, message)
        earlier = self.first_seen.get((key, figure.period_start))
        if earlier is not None:
            message = f"given twice (first at {earlier})"
            return self.problem(figure.at("period_start"), "period_start", figure.period_start, message)
        self.first_seen[(key, figure.period_start)] = figure.where
        try:
            self.record(indicator, figure)
        except (InvalidValue, RuleViolation) as exc:
            field = exc.field or "value"
            self.problem(figure.at("period_start" if field == "on" else field), field, exc.value, exc.reason)
        return None

    def record(self, indicator: Indicator, figure: Figure) -> None:
        held = indicator.state.measurement(figure.period_start)
        if held is None:
            indicator.record_measurement(figure.period_start, figure.value, self.source, self.on, self.by)
            self.recorded += 1
        elif held.value != figure.value:
            reason = f"restated by {self.source} ({figure.where})"
            indicator.correct_measurement(figure.period_start, figure.value, reason, self.on, self.by)
            self.corrected += 1
        else:
            self.unchanged += 1

    def result(self) -> tuple[PullResult, list[Indicator]]:
        """What was recorded, and the indicators to save; :class:`BadInput` with the first
        problems (the source's and these, in the order of the input) if there were any."""
        problems, total = self.problems, self.found
        if self.known:
            problems = sorted([*self.known[0].problems, *problems], key=_place)
            total += len(self.known[0].problems) + self.known[0].more
        if problems:
            shown = problems[:MAX_PROBLEMS]
            raise BadInput(shown, more=total - len(shown))
        result = PullResult(self.recorded, self.corrected, self.unchanged)
        return result, [i for i in self.loaded.values() if i is not None]
