"""The commands of the year's quality-assurance programme (framework §2.1), and the checks of what
names a sub-group, a role or what prompted an activity, shared by the activities' and findings' commands."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from ..domain import Action, Activity, Board, Finding, Programme, programme_id_for
from ..domain.base import violation
from ..domain.menu import ROLE_KINDS
from ..domain.values import ReportingYear, check_key
from .arguments import as_year
from .base import Commands


def check_subgroup(board: Board, field: str, subgroup: str | None) -> None:
    """Refuse a sub-group the board does not have (a sub-group is added with ``add_subgroup``)."""
    if subgroup is not None and subgroup not in board.state.subgroups:
        known = "; ".join(board.state.subgroups) or "none: add one with add_subgroup"
        raise violation(field, subgroup, f"not a sub-group of the board (its sub-groups: {known})")


def check_role(board: Board, role: str) -> None:
    """A role is ``board``, ``independent-chair``, ``subgroup:NAME`` (one of the board's sub-groups),
    ``agency:KEY`` (one of its agencies), ``panel:KEY`` or ``external:KEY``."""
    kind, colon, name = role.partition(":")
    named = ("subgroup", "agency", "panel", "external")
    if kind not in ROLE_KINDS or (kind in named) != bool(colon) or (colon and not name):
        raise violation(
            "role",
            role,
            "not a role: give board, independent-chair, subgroup:NAME, agency:KEY, panel:KEY or external:KEY",
        )
    if kind == "subgroup":
        check_subgroup(board, "role", name)
    elif kind == "agency" and name not in board.state.current_agencies:
        raise violation("role", role, f"{name!r} is not an agency of the board")
    elif kind in ("panel", "external"):
        check_key("role", name)


class ProgrammeCommands(Commands):
    """Commands on the quality-assurance programme, and the checks of links between records."""

    def plan_programme_item(
        self,
        board_id: UUID,
        *,
        year: str | ReportingYear,
        item: str,
        title: str,
        priorities: Iterable[str] = (),
        action_ids: Iterable[UUID] = (),
        on: date | None = None,
    ) -> None:
        """Plan an item of the board's quality-assurance programme for ``year`` ("2016/17"), naming
        the priorities of that year (by key) and the case reviews' actions that informed it; the programme
        is begun by its first item. An activity commissioned with ``programme_item`` delivers it."""
        on = self._on(on)
        priorities, actions = tuple(priorities), tuple(action_ids)

        def command() -> tuple[None, list[Programme]]:
            board = self._board(board_id)
            reporting = self._year(board, year)
            wanted = {p.key for p in board.state.priorities_for(reporting)}
            for key in priorities:
                if key not in wanted:
                    known = ", ".join(sorted(wanted)) or "none set"
                    raise violation("priorities", key, f"not a priority of {reporting.label} (its priorities: {known})")
            board.check_year("year", reporting, on, ahead=1)  # planned for this year or the next
            for ident in actions:
                self._load_begun(Action, board_id, ident, "action_ids", on)
            ident = programme_id_for(board.id, reporting.first)
            programme = (
                self._load(Programme, board_id, ident, "year")
                if self.log.exists(ident)
                else Programme.plan(board_id=board.id, year=reporting.first, on=on, by=self.user)
            )
            programme.plan_item(item=item, title=title, priorities=priorities, action_ids=actions, on=on, by=self.user)
            return None, [programme]

        self._run(Programme.KIND, year, command)

    def _year(self, board: Board, year: str | ReportingYear) -> ReportingYear:
        return as_year(year, board.state.year_start)

    def _check_links(
        self,
        board: Board,
        on: date,
        *,
        prompted_by_activity: UUID | None,
        prompted_by_finding: UUID | None,
        prompted_by_priority: str | None,
        prompted_by_indicator: str | None,
        programme_item: str | None,
    ) -> dict[str, Any]:
        """What prompted an activity, and the programme item it delivers, each checked to exist on
        the board (a priority among the year's, an item in the year's programme); as the
        commissioning event records them."""
        activity = finding = None
        if prompted_by_activity is not None:
            activity = self._load_begun(Activity, board.id, prompted_by_activity, "prompted_by_activity", on).id
        if prompted_by_finding is not None:
            finding = self._load_begun(Finding, board.id, prompted_by_finding, "prompted_by_finding", on).id
        year = board.state.year_of(on)
        if prompted_by_priority is not None:
            wanted = {p.key for p in board.state.priorities_for(year)}
            if prompted_by_priority not in wanted:
                known = ", ".join(sorted(wanted)) or "none set"
                raise violation(
                    "prompted_by_priority",
                    prompted_by_priority,
                    f"not a priority of {year.label} (its priorities: {known})",
                )
        if prompted_by_indicator is not None:
            self._indicator(board.id, prompted_by_indicator, "prompted_by_indicator")
        if programme_item is not None:
            self._programme_item(board, year, programme_item)
        return {
            "prompted_by_activity": activity,
            "prompted_by_finding": finding,
            "prompted_by_priority": prompted_by_priority,
            "prompted_by_indicator": prompted_by_indicator,
            "programme_item": programme_item,
        }

    def _programme_item(self, board: Board, year: ReportingYear, item: str) -> None:
        ident = programme_id_for(board.id, year.first)
        if not self.log.exists(ident):
            raise violation("programme_item", item, f"no quality-assurance programme is planned for {year.label}")
        programme = self._load(Programme, board.id, ident, "programme_item")
        if programme.state.item(item) is None:
            known = ", ".join(i.item for i in programme.state.items)
            raise violation("programme_item", item, f"not an item of the {year.label} programme (its items: {known})")
