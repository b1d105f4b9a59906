"""The commands of a learning activity: commission, run, report, publish, correct."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from ..domain import Activity, PublicationDecision, VoiceOfChild
from ..domain.values import VOICE_NOT_RECORDED
from .base import Commands


class ActivityCommands(Commands):
    """Commands on learning activities."""

    def commission_activity(
        self,
        board_id: UUID,
        *,
        kind: str,
        method: str,
        title: str,
        why: str,
        decided_by: str,
        proportionality: str,
        agencies: Iterable[str],
        themes: Iterable[str] = (),
        planned_start: date | None = None,
        planned_completion: date | None = None,
        voice_of_child: VoiceOfChild | None = None,
        on: date | None = None,
        id: UUID | None = None,  # noqa: A002
    ) -> UUID:
        """Commission a learning activity of ``kind`` by ``method`` (both from the menu);
        ``on`` is the date the decision was made."""
        on = self._on(on)
        agencies = tuple(agencies)

        def make() -> tuple[UUID, list[Activity]]:
            board = self._board(board_id)
            board.check_agencies("agencies", agencies, on)
            self.menu.check_commission(kind, method, agencies)
            activity = Activity.commission(
                board_id=board.id,
                kind=kind,
                method=method,
                title=title,
                why=why,
                decided_by=decided_by,
                proportionality=proportionality,
                agencies=agencies,
                themes=tuple(themes),
                planned_start=planned_start,
                planned_completion=planned_completion,
                voice_of_child=voice_of_child or VOICE_NOT_RECORDED,
                on=on,
                by=self.user,
                id=id,
            )
            return activity.id, [activity]

        return self._create("activity", id, "id", id, make)

    def start_activity(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.start(on, self.user))

    def complete_activity(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.complete(on, self.user))

    def record_activity_voice(
        self, board_id: UUID, activity_id: UUID, voice: VoiceOfChild, *, on: date | None = None
    ) -> None:
        """Record whether and how children's and families' views informed the activity."""
        on = self._on(on)
        self._update(
            Activity, board_id, activity_id, "activity_id", lambda a: a.record_voice_of_child(voice, on, self.user)
        )

    def approve_report(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.approve_report(on, self.user))

    def decide_publication(
        self, board_id: UUID, activity_id: UUID, decision: PublicationDecision, *, on: date | None = None
    ) -> None:
        """Record the transparency decision: published (reference), withheld (reason) or delayed
        (reason and review date)."""
        on = self._on(on)
        self._update(
            Activity, board_id, activity_id, "activity_id", lambda a: a.decide_publication(decision, on, self.user)
        )

    def pause_activity_clock(self, board_id: UUID, activity_id: UUID, reason: str, *, on: date | None = None) -> None:
        """Stop the activity's timescale clock (e.g. parallel criminal proceedings)."""
        on = self._on(on)
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.pause_clock(reason, on, self.user))

    def resume_activity_clock(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> None:
        """Start the activity's timescale clock again; the paused working days do not count."""
        on = self._on(on)
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.resume_clock(on, self.user))

    def close_activity(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.close(on, self.user))

    def correct_activity(
        self,
        board_id: UUID,
        activity_id: UUID,
        *,
        reason: str,
        title: str | None = None,
        why: str | None = None,
        themes: Iterable[str] | None = None,
        on: date | None = None,
    ) -> None:
        on = self._on(on)
        themes = None if themes is None else tuple(themes)
        self._update(
            Activity,
            board_id,
            activity_id,
            "activity_id",
            lambda a: a.correct(reason=reason, title=title, why=why, themes=themes, on=on, by=self.user),
        )
