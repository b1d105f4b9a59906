"""The commands of a dissemination: record it, and the feedback on it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from ..domain import Channel, CycleAggregate, Dissemination, Finding
from .arguments import as_uuid, choice
from .base import Commands


class DisseminationCommands(Commands):
    """Commands on disseminations."""

    def record_dissemination(
        self,
        board_id: UUID,
        *,
        channel: Channel | str,
        title: str,
        audience: str,
        districts: Iterable[str] = (),
        reach: int = 0,
        finding_ids: Iterable[UUID] = (),
        on: date | None = None,
        id: UUID | None = None,  # noqa: A002
    ) -> UUID:
        """Record learning fed into workforce development, and the findings it carried."""
        on = self._on(on)
        channel = choice("channel", channel, Channel)
        districts = tuple(districts)
        finding_ids = tuple(as_uuid("finding_ids", f) for f in finding_ids)

        def make() -> tuple[UUID, list[CycleAggregate[Any]]]:
            board = self._board(board_id)
            board.check_districts("districts", districts)
            findings = [self._load(Finding, board_id, f, "finding_ids") for f in finding_ids]
            dissemination = Dissemination.deliver(
                board_id=board.id,
                channel=channel,
                title=title,
                audience=audience,
                districts=districts,
                reach=reach,
                finding_ids=finding_ids,
                on=on,
                by=self.user,
                id=id,
            )
            for finding in findings:
                finding.disseminate(dissemination.id, on, self.user)
            return dissemination.id, [dissemination, *findings]

        return self._create("dissemination", id, "id", id, make)

    def record_feedback(
        self,
        board_id: UUID,
        dissemination_id: UUID,
        summary: str,
        *,
        respondents: int = 0,
        satisfied: int | None = None,
        impact: int | None = None,
        on: date | None = None,
    ) -> None:
        """Record what participants said later: of the ``respondents``, how many were ``satisfied``
        with the learning and how many reported an ``impact`` on their practice (each may be left out)."""
        on = self._on(on)
        self._update(
            Dissemination,
            board_id,
            dissemination_id,
            "dissemination_id",
            lambda d: d.record_feedback(summary, respondents, on, self.user, satisfied=satisfied, impact=impact),
        )
