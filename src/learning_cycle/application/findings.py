"""The commands of a finding: raise, respond, voice, checks, corrections."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from ..domain import Activity, CheckKind, CheckResult, CycleAggregate, Finding, Level, Nature, VoiceOfChild
from ..domain.values import VOICE_NOT_RECORDED
from .arguments import choice
from .base import Commands
from .programme import check_subgroup


class FindingCommands(Commands):
    """Commands on findings."""

    def raise_finding(
        self,
        board_id: UUID,
        activity_id: UUID,
        *,
        statement: str,
        level: Level | str,
        nature: Nature | str = Nature.PROBLEM,
        themes: Iterable[str] = (),
        agencies: Iterable[str] = (),
        patterns: Iterable[str] = (),
        challenge: str | None = None,
        voice_of_child: VoiceOfChild | None = None,
        on: date | None = None,
        id: UUID | None = None,  # noqa: A002
        subgroup: str | None = None,
    ) -> UUID:
        """Record a finding of an activity that has started and is not closed; ``subgroup`` (one of
        the board's sub-groups) owns it, by default the sub-group that owns the activity."""
        on = self._on(on)
        agencies, patterns = tuple(agencies), tuple(patterns)
        level = choice("level", level, Level)
        nature = choice("nature", nature, Nature)

        def make() -> tuple[UUID, list[Finding]]:
            # the activity is on the board (checked as it loads); the board itself is read only
            # when there are agencies to check against its partners
            activity = self._load(Activity, board_id, activity_id, "activity_id")
            activity.check_can_raise_findings()
            if agencies:
                self._board(board_id).check_agencies("agencies", agencies, on)
            if subgroup is not None:
                check_subgroup(self._board(board_id), "subgroup", subgroup)
            self.menu.check_finding_tags(activity.state.method, patterns)
            finding = Finding.raise_finding(
                board_id=activity.state.board_id,
                activity_id=activity.id,
                statement=statement,
                level=level,
                nature=nature,
                themes=tuple(themes),
                agencies=agencies,
                patterns=patterns,
                challenge=challenge,
                voice_of_child=voice_of_child or VOICE_NOT_RECORDED,
                on=on,
                by=self.user,
                id=id,
                subgroup=subgroup if subgroup is not None else activity.state.subgroup,
            )
            return finding.id, [finding]

        return self._create("finding", id, "id", id, make)

    def assign_finding_subgroup(
        self, board_id: UUID, finding_id: UUID, subgroup: str, *, on: date | None = None
    ) -> None:
        """Pass the finding to one of the board's sub-groups (its owner from ``on``)."""
        on = self._on(on)

        def command() -> tuple[None, list[Finding]]:
            finding = self._load(Finding, board_id, finding_id, "finding_id")
            check_subgroup(self._board(board_id), "subgroup", subgroup)
            finding.assign_subgroup(subgroup, on, self.user)
            return None, [finding]

        self._run(Finding.KIND, finding_id, command)

    def respond_to_finding(self, board_id: UUID, finding_id: UUID, response: str, *, on: date | None = None) -> None:
        """Record the board's response to a finding (or to the challenge it put)."""
        on = self._on(on)
        self._update(Finding, board_id, finding_id, "finding_id", lambda f: f.respond(response, on, self.user))

    def record_finding_voice(
        self, board_id: UUID, finding_id: UUID, voice: VoiceOfChild, *, on: date | None = None
    ) -> None:
        """Record whether and how children's and families' views informed the finding."""
        on = self._on(on)
        self._update(
            Finding, board_id, finding_id, "finding_id", lambda f: f.record_voice_of_child(voice, on, self.user)
        )

    def record_check(
        self,
        board_id: UUID,
        finding_id: UUID,
        *,
        kind: CheckKind | str,
        result: CheckResult | str,
        evidence: str,
        indicator_key: str | None = None,
        made_by: UUID | None = None,
        on: date | None = None,
    ) -> None:
        """Record a monitoring check of a finding: re-audit, S11/S175 follow-up, peer review...;
        ``made_by`` names the activity of the board that made it (a re-audit, a peer review, a
        themed audit), when there is one."""
        on = self._on(on)
        kind = choice("kind", kind, CheckKind)
        result = choice("result", result, CheckResult)

        def command() -> tuple[None, list[CycleAggregate[Any]]]:
            finding = self._load(Finding, board_id, finding_id, "finding_id")
            if indicator_key is not None:  # a check names an indicator the board has
                self._indicator(board_id, indicator_key, "indicator_key")
            maker = None if made_by is None else self._load_begun(Activity, board_id, made_by, "made_by", on).id
            finding.record_check(
                kind=kind,
                result=result,
                evidence=evidence,
                indicator_key=indicator_key,
                on=on,
                by=self.user,
                made_by=maker,
            )
            return None, [finding]

        self._run(Finding.KIND, finding_id, command)

    def correct_finding(
        self,
        board_id: UUID,
        finding_id: UUID,
        *,
        reason: str,
        statement: str | None = None,
        level: Level | str | None = None,
        themes: Iterable[str] | None = None,
        on: date | None = None,
    ) -> None:
        on = self._on(on)
        level = None if level is None else choice("level", level, Level)
        themes = None if themes is None else tuple(themes)
        self._update(
            Finding,
            board_id,
            finding_id,
            "finding_id",
            lambda f: f.correct(reason=reason, statement=statement, level=level, themes=themes, on=on, by=self.user),
        )
