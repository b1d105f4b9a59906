"""The commands of an indicator: define, link, and its figures (one at a time, or read from a source)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from ..domain import Cadence, CycleAggregate, Finding, Indicator, IndicatorKind, Polarity, indicator_id_for
from ..domain.errors import InvalidValue
from ..domain.sources import Figure, IndicatorSource, PullResult
from ..domain.values import check_key, check_text
from .arguments import as_uuid, choice
from .base import Commands
from .figures import FigureRun


class IndicatorCommands(Commands):
    """Commands on indicators and their figures."""

    def define_indicator(
        self,
        board_id: UUID,
        *,
        key: str,
        title: str,
        kind: IndicatorKind | str,
        unit: str,
        polarity: Polarity | str,
        cadence: Cadence | str,
        target: float | None = None,
        finding_ids: Iterable[UUID] = (),
        priorities: Iterable[str] = (),
        on: date | None = None,
    ) -> UUID:
        """Define a performance indicator of one of the three kinds; ``key`` is unique on the board."""
        on = self._on(on)
        check_key("key", key)
        kind = choice("kind", kind, IndicatorKind)
        polarity = choice("polarity", polarity, Polarity)
        cadence = choice("cadence", cadence, Cadence)
        finding_ids = tuple(as_uuid("finding_ids", f) for f in finding_ids)

        def make() -> tuple[UUID, list[Indicator]]:
            board = self._board(board_id)
            for f in finding_ids:
                self._load(Finding, board_id, f, "finding_ids")
            indicator = Indicator.define(
                board_id=board.id,
                key=key,
                title=title,
                kind=kind,
                unit=unit,
                polarity=polarity,
                cadence=cadence,
                target=target,
                year_start=board.state.year_start,
                finding_ids=finding_ids,
                priorities=tuple(priorities),
                on=on,
                by=self.user,
            )
            return indicator.id, [indicator]

        return self._create("indicator", indicator_id_for(board_id, key), "key", key, make)

    def _update_indicator(self, board_id: UUID, key: str, change: Callable[[Indicator], None]) -> None:
        def command() -> tuple[None, Sequence[CycleAggregate[Any]]]:
            indicator = self._indicator(board_id, key)
            change(indicator)
            return None, [indicator]

        self._run(Indicator.KIND, key, command)

    def link_indicator(
        self, board_id: UUID, indicator: str, finding_ids: Iterable[UUID], *, on: date | None = None
    ) -> None:
        on = self._on(on)
        finding_ids = tuple(as_uuid("finding_ids", f) for f in finding_ids)
        for f in finding_ids:
            self._load(Finding, board_id, f, "finding_ids")
        self._update_indicator(board_id, indicator, lambda i: i.link_findings(finding_ids, on, self.user))

    def record_measurement(
        self,
        board_id: UUID,
        indicator: str,
        period_start: date,
        value: float,
        *,
        source: str = "manual",
        on: date | None = None,
    ) -> None:
        """Record the figure for one period (named by its first day). A second figure for the same
        period is refused: record a correction instead."""
        on = self._on(on)
        self._update_indicator(
            board_id, indicator, lambda i: i.record_measurement(period_start, value, source, on, self.user)
        )

    def correct_measurement(
        self, board_id: UUID, indicator: str, period_start: date, value: float, reason: str, *, on: date | None = None
    ) -> None:
        """Restate the figure for a period; the first figure stays in the log."""
        on = self._on(on)
        self._update_indicator(
            board_id, indicator, lambda i: i.correct_measurement(period_start, value, reason, on, self.user)
        )

    def record_figures(
        self, board_id: UUID, figures: Iterable[Figure], *, source: str, on: date | None = None
    ) -> PullResult:
        """Record figures read from a source, idempotently and atomically.

        A figure for a period with none is recorded; one equal to the figure held records
        nothing; a different one records a correction. Every figure is checked first (the
        indicator exists on the board, the period is on its cadence, the value is a number, a
        period is not given twice); if any is bad, :class:`BadInput` names each by file, line
        and column, and nothing is recorded.
        """
        held = tuple(figures)
        return self._record_figures(board_id, lambda: iter(held), source, on)

    def _record_figures(
        self, board_id: UUID, read: Callable[[], Iterable[Figure]], source: str, on: date | None
    ) -> PullResult:
        """Check and record the figures ``read()`` gives (called again if the command is retried),
        one at a time (:class:`~.figures.FigureRun`). A :class:`BadInput` the source raises (when
        its good figures have been given, or with them as ``read``) lists its problems together
        with the ones found here, in the order of the input; then nothing is recorded."""
        on = self._on(on)
        check_text("source", source)

        def load(key: str) -> Indicator:
            return self._load(Indicator, board_id, self._indicator_id(board_id, key), "indicator")

        def command() -> tuple[PullResult, list[Indicator]]:
            self._board(board_id)
            run = FigureRun(load, source, on, self.user)
            for figure in run.figures(read):
                run.take(figure)
            return run.result()

        return self._run("indicator", None, command)

    def pull(self, board_id: UUID, source: IndicatorSource, location: str, *, on: date | None = None) -> PullResult:
        """Read ``location`` with an indicator ``source`` and record its figures
        (see :meth:`record_figures`), as they are read."""

        def read() -> Iterator[Figure]:
            try:
                yield from source.read(str(location))
            except OSError as exc:
                raise InvalidValue("location", str(location), f"cannot be read: {exc.strerror or exc}") from None

        return self._record_figures(board_id, read, source.key, on)
