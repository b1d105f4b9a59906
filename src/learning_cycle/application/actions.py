"""The commands of an action: raise, progress, reschedule, complete, assure, cancel, supersede."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ..domain import Action, CycleAggregate, Finding
from .base import Commands


class ActionCommands(Commands):
    """Commands on actions."""

    def raise_action(
        self,
        board_id: UUID,
        finding_id: UUID,
        *,
        owner: str,
        description: str,
        due_on: date,
        single_agency: bool = False,
        on: date | None = None,
        id: UUID | None = None,  # noqa: A002
    ) -> UUID:
        """Raise an action for a finding, owned by one partner agency. Single-agency actions
        count as done only when the agency's assurance is back with the board (the rule in
        docs/three-year-picture.md, "When an action is done")."""
        on = self._on(on)

        def make() -> tuple[UUID, list[CycleAggregate[Any]]]:
            board = self._board(board_id)
            finding = self._load(Finding, board_id, finding_id, "finding_id")
            board.check_agency("owner", owner, on)
            action = Action.raise_action(
                board_id=board.id,
                finding_id=finding.id,
                finding_raised_on=finding.state.raised_on,
                owner=owner,
                description=description,
                due_on=due_on,
                single_agency=single_agency,
                on=on,
                by=self.user,
                id=id,
            )
            finding.link_action(action.id, on, self.user)
            return action.id, [action, finding]

        return self._create("action", id, "id", id, make)

    def report_progress(self, board_id: UUID, action_id: UUID, note: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Action, board_id, action_id, "action_id", lambda a: a.report_progress(note, on, self.user))

    def reschedule_action(
        self, board_id: UUID, action_id: UUID, due_on: date, reason: str, *, on: date | None = None
    ) -> None:
        on = self._on(on)
        self._update(Action, board_id, action_id, "action_id", lambda a: a.reschedule(due_on, reason, on, self.user))

    def complete_action(self, board_id: UUID, action_id: UUID, evidence: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Action, board_id, action_id, "action_id", lambda a: a.complete(evidence, on, self.user))

    def assure_action(self, board_id: UUID, action_id: UUID, assurance: str, *, on: date | None = None) -> None:
        """Record the owning agency's assurance to the board that a completed action is embedded."""
        on = self._on(on)
        self._update(Action, board_id, action_id, "action_id", lambda a: a.assure(assurance, on, self.user))

    def cancel_action(self, board_id: UUID, action_id: UUID, reason: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Action, board_id, action_id, "action_id", lambda a: a.cancel(reason, on, self.user))

    def supersede_action(
        self, board_id: UUID, action_id: UUID, reason: str, *, superseded_by: UUID | None = None, on: date | None = None
    ) -> None:
        on = self._on(on)
        if superseded_by is not None:
            self._load(Action, board_id, superseded_by, "superseded_by")
        self._update(
            Action, board_id, action_id, "action_id", lambda a: a.supersede(reason, superseded_by, on, self.user)
        )
