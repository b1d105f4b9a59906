"""The commands of a learning activity: commission, run, report, publish, correct."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from ..domain import Activity, PublicationDecision, VoiceOfChild
from ..domain.values import VOICE_NOT_RECORDED
from .programme import ProgrammeCommands, check_role, check_subgroup


class ActivityCommands(ProgrammeCommands):
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
        subgroup: str | None = None,
        prompted_by_activity: UUID | None = None,
        prompted_by_finding: UUID | None = None,
        prompted_by_priority: str | None = None,
        prompted_by_indicator: str | None = None,
        programme_item: str | None = None,
    ) -> UUID:
        """Commission a learning activity of ``kind`` by ``method`` (both from the menu);
        ``on`` is the date the decision was made. ``subgroup`` is the board's sub-group that owns
        it; ``prompted_by_*`` name what prompted it (another activity, a finding, a priority of the
        year, an indicator); ``programme_item`` the item of the year's quality-assurance programme
        it delivers."""
        on = self._on(on)
        agencies = tuple(agencies)

        def make() -> tuple[UUID, list[Activity]]:
            board = self._board(board_id)
            board.check_agencies("agencies", agencies, on)
            self.menu.check_commission(kind, method, agencies)
            check_subgroup(board, "subgroup", subgroup)
            links = self._check_links(
                board,
                on,
                prompted_by_activity=prompted_by_activity,
                prompted_by_finding=prompted_by_finding,
                prompted_by_priority=prompted_by_priority,
                prompted_by_indicator=prompted_by_indicator,
                programme_item=programme_item,
            )
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
                subgroup=subgroup,
                **links,
            )
            return activity.id, [activity]

        return self._create("activity", id, "id", id, make)

    def record_decision_step(
        self, board_id: UUID, activity_id: UUID, *, step: str, role: str, on: date | None = None
    ) -> None:
        """Record a step of the activity's decision path (``recommends``, ``decides``, ``oversees``,
        ``reported_to``) and the role that took it (``board``, ``independent-chair``,
        ``subgroup:NAME``, ``agency:KEY``, ``panel:KEY``, ``external:KEY``), checked against the
        method's path: its roles, and its order."""
        on = self._on(on)

        def command() -> tuple[None, list[Activity]]:
            activity = self._load(Activity, board_id, activity_id, "activity_id")
            check_role(self._board(board_id), role)
            taken = tuple(s.step for s in activity.state.steps)
            self.menu.check_step(activity.state.method, step, role, taken)
            activity.record_step(step, role, on, self.user)
            return None, [activity]

        self._run(Activity.KIND, activity_id, command)

    def assign_activity_subgroup(
        self, board_id: UUID, activity_id: UUID, subgroup: str, *, on: date | None = None
    ) -> None:
        """Pass the activity to one of the board's sub-groups (its owner from ``on``)."""
        on = self._on(on)

        def command() -> tuple[None, list[Activity]]:
            activity = self._load(Activity, board_id, activity_id, "activity_id")
            check_subgroup(self._board(board_id), "subgroup", subgroup)
            activity.assign_subgroup(subgroup, on, self.user)
            return None, [activity]

        self._run(Activity.KIND, activity_id, command)

    def name_programme_item(
        self, board_id: UUID, activity_id: UUID, programme_item: str, *, on: date | None = None
    ) -> None:
        """Name the item of the quality-assurance programme of the activity's year (the year it was
        commissioned in) that the activity delivers."""
        on = self._on(on)

        def command() -> tuple[None, list[Activity]]:
            activity = self._load(Activity, board_id, activity_id, "activity_id")
            board = self._board(board_id)
            self._programme_item(board, board.state.year_of(activity.state.started_on), programme_item)
            activity.name_programme_item(programme_item, on, self.user)
            return None, [activity]

        self._run(Activity.KIND, activity_id, command)

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
