"""The commands of the board's learning and improvement framework: adopt it, review it, correct
it, and hold its annual review after each year's stock-take (framework §1 and §5 d)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from ..domain import Framework, FrameworkState, Principle, ReportingYear, ReviewOutcome, framework_id_for
from ..domain.errors import RuleViolation
from .arguments import as_year, choice
from .base import Commands


def _principles(principles: Iterable[Principle | str] | None) -> tuple[Principle, ...] | None:
    if principles is None:
        return None
    return tuple(choice("principles", p, Principle) for p in principles)


class FrameworkCommands(Commands):
    """Commands on the board's framework record."""

    def adopt_framework(
        self,
        board_id: UUID,
        *,
        name: str,
        agreed_by: str,
        principles: Iterable[Principle | str],
        summary: str,
        on: date | None = None,
    ) -> UUID:
        """Record that the board adopted its learning and improvement framework: its name, who
        agreed it, the principles it commits to (systems_learning, continuous_improvement,
        proportionality, professionals_involved, transparency, sustained_improvement) and a
        summary. One a board: a later version is a review with the outcome revised."""
        on = self._on(on)
        chosen = _principles(principles) or ()
        ident = framework_id_for(board_id)

        def make() -> tuple[UUID, list[Framework]]:
            board = self._board(board_id)
            framework = Framework.adopt(
                board_id=board.id,
                name=name,
                agreed_by=agreed_by,
                principles=chosen,
                summary=summary,
                board_since=board.state.started_on,
                on=on,
                by=self.user,
            )
            return framework.id, [framework]

        return self._create("framework", ident, "board_id", board_id, make)

    def review_framework(
        self,
        board_id: UUID,
        *,
        outcome: ReviewOutcome | str,
        agreed_by: str,
        changes: str,
        name: str | None = None,
        principles: Iterable[Principle | str] = (),
        on: date | None = None,
    ) -> None:
        """Record a review of the board's framework: kept or revised, who agreed it and what
        changed (a revision may give the framework a new name or principles)."""
        on = self._on(on)
        decided = choice("outcome", outcome, ReviewOutcome)
        chosen = _principles(principles) or None
        self._update(
            Framework,
            board_id,
            self._framework_id(board_id),
            "board_id",
            lambda f: f.review(decided, agreed_by, changes, on, self.user, name=name, principles=chosen),
        )

    def correct_framework(
        self,
        board_id: UUID,
        *,
        reason: str,
        name: str | None = None,
        agreed_by: str | None = None,
        principles: Iterable[Principle | str] = (),
        summary: str | None = None,
        on: date | None = None,
    ) -> None:
        """Correct what was recorded of the board's framework (its name, who agreed it, its
        principles or summary), with the reason; what was recorded first stays in the log."""
        on = self._on(on)
        chosen = _principles(principles) or None
        self._update(
            Framework,
            board_id,
            self._framework_id(board_id),
            "board_id",
            lambda f: f.correct(
                reason, on, self.user, name=name, agreed_by=agreed_by, principles=chosen, summary=summary
            ),
        )

    def hold_annual_review(
        self,
        board_id: UUID,
        year: str | ReportingYear,
        *,
        agreed_by: str,
        changes: str,
        on: date | None = None,
    ) -> None:
        """Record the annual review of the framework after the stock-take of ``year`` ("2015/16")
        at the business planning day: who agreed it and what changed in the framework and the
        priorities. Refused before that year's stock-take is recorded."""
        on = self._on(on)

        def change(framework: Framework) -> None:
            board = self._board(board_id)
            reporting = as_year(year, board.state.year_start)
            held = next((s for s in board.state.stock_takes if s.year == reporting.first), None)
            framework.hold_annual_review(reporting, held, agreed_by, changes, on, self.user)

        self._update(Framework, board_id, self._framework_id(board_id), "board_id", change)

    def framework(self, board_id: UUID, framework_id: UUID | None = None) -> FrameworkState:
        """The board's framework as recorded (its id follows from the board's: ``framework_id`` may
        be left out); an error naming the board if it has none."""
        ident = self._framework_id(board_id) if framework_id is None else framework_id
        return self._load(Framework, board_id, ident, "framework_id").state

    def _framework_id(self, board_id: UUID) -> UUID:
        """The board's framework; :class:`NotFound` naming the board when none is adopted."""
        board = self._board(board_id)
        ident = framework_id_for(board.id)
        if not self.log.exists(ident):
            raise RuleViolation("board_id", str(board.id), "the board has no framework recorded: adopt it first")
        return ident
