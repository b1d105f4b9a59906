"""The commands of a board: set it up, its partners, districts, subgroups, priorities and stock-takes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from ..domain import Agency, Board, Priority, ReportingYear, YearStart, board_id_for
from ..domain.values import check_key
from .arguments import as_agency, as_priority, as_year
from .base import Commands


class BoardCommands(Commands):
    """Commands on a board record."""

    def create_board(
        self,
        key: str,
        name: str,
        *,
        agencies: Iterable[Agency | tuple[str, str]] = (),
        districts: Iterable[str] = (),
        subgroups: Iterable[str] = (),
        year_start: YearStart | None = None,
        on: date | None = None,
    ) -> UUID:
        """Set up a board. Its id follows from ``key``, which must be new to the store."""
        return self.set_up_board(
            key, name, agencies=agencies, districts=districts, subgroups=subgroups, year_start=year_start, on=on
        )

    def set_up_board(
        self,
        key: str,
        name: str,
        *,
        agencies: Iterable[Agency | tuple[str, str]] = (),
        districts: Iterable[str] = (),
        subgroups: Iterable[str] = (),
        year_start: YearStart | None = None,
        priorities: Iterable[tuple[str | ReportingYear, Iterable[Priority | tuple[str, str]]]] = (),
        measures: Iterable[tuple[str, Iterable[str]]] = (),
        on: date | None = None,
    ) -> UUID:
        """Set up a board and its priorities for some reporting years, and adopt the outcome
        measures it reports (each with the indicators an outcome statement rests on), as one
        command: all of it is recorded, or nothing (``learning-cycle init``)."""
        check_key("key", key)
        on = self._on(on)
        members = tuple(as_agency(a) for a in agencies)
        wanted = [(year, tuple(as_priority(p) for p in items)) for year, items in priorities]
        adopted = [(measure, tuple(indicators)) for measure, indicators in measures]
        ident = board_id_for(key)

        def make() -> tuple[UUID, list[Board]]:
            board = Board.create(
                key=key,
                name=name,
                year_start=year_start or YearStart(),
                agencies=members,
                districts=tuple(districts),
                subgroups=tuple(subgroups),
                on=on,
                by=self.user,
            )
            for year, items in wanted:
                board.set_priorities(as_year(year, board.state.year_start), items, on, self.user)
            for measure, indicators in adopted:
                board.adopt_measure(measure, indicators, on, self.user)
            return board.id, [board]

        return self._create("board", ident, "key", key, make)

    def join_agency(self, board_id: UUID, key: str, name: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Board, board_id, board_id, "board_id", lambda b: b.join_agency(Agency(key, name), on, self.user))

    def leave_agency(self, board_id: UUID, key: str, reason: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Board, board_id, board_id, "board_id", lambda b: b.leave_agency(key, reason, on, self.user))

    def add_district(self, board_id: UUID, district: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Board, board_id, board_id, "board_id", lambda b: b.add_district(district, on, self.user))

    def add_subgroup(self, board_id: UUID, subgroup: str, *, on: date | None = None) -> None:
        on = self._on(on)
        self._update(Board, board_id, board_id, "board_id", lambda b: b.add_subgroup(subgroup, on, self.user))

    def set_priorities(
        self,
        board_id: UUID,
        year: str | ReportingYear,
        priorities: Iterable[Priority | tuple[str, str]],
        *,
        on: date | None = None,
    ) -> None:
        """Set the board's priorities for a reporting year ("2015/16")."""
        on = self._on(on)
        items = tuple(as_priority(p) for p in priorities)

        def change(board: Board) -> None:
            board.set_priorities(as_year(year, board.state.year_start), items, on, self.user)

        self._update(Board, board_id, board_id, "board_id", change)

    def hold_stock_take(
        self,
        board_id: UUID,
        year: str | ReportingYear,
        *,
        decisions: Iterable[str] = (),
        next_priorities: Iterable[Priority | tuple[str, str]] = (),
        on: date | None = None,
    ) -> None:
        """Record the annual stock-take of ``year``: its decisions and next year's priorities."""
        on = self._on(on)
        items = tuple(as_priority(p) for p in next_priorities)

        def change(board: Board) -> None:
            board.hold_stock_take(as_year(year, board.state.year_start), tuple(decisions), items, on, self.user)

        self._update(Board, board_id, board_id, "board_id", change)

    def adopt_measure(
        self, board_id: UUID, measure: str, *, indicators: Iterable[str] = (), on: date | None = None
    ) -> None:
        """Adopt an outcome measure for the board's reports from ``on`` (a plugin's measure enters a
        board's stock-take only once the board adopts it); for a measure of an outcome statement,
        ``indicators`` names the indicators the statement rests on (adopting again changes them)."""
        on = self._on(on)
        chosen = tuple(indicators)

        def adopt(board: Board) -> None:
            for key in chosen:  # a statement rests on indicators the board has
                self._indicator(board_id, key, "indicators")
            board.adopt_measure(measure, chosen, on, self.user)

        self._update(Board, board_id, board_id, "board_id", adopt)

    def drop_measure(self, board_id: UUID, measure: str, reason: str, *, on: date | None = None) -> None:
        """Stop reporting an outcome measure from ``on`` (a first-party one too); reports of the days
        before still carry it."""
        on = self._on(on)
        self._update(Board, board_id, board_id, "board_id", lambda b: b.drop_measure(measure, reason, on, self.user))
