"""The commands of self-assessment: returns and their follow-ups, the board's analysis of them,
and the peer review of the board's own assessment (framework §2.4, §2.7, §3.6)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from ..domain.errors import InvalidValue, NotFound
from ..domain.returns import (
    FROM_PARTNERS,
    Area,
    Audit,
    Delivery,
    PeerReview,
    Rating,
    Return,
    ReturnsAnalysis,
    Robustness,
    StandardRating,
    analysis_id_for,
    peer_review_id_for,
    return_id_for,
)
from ..domain.values import ReportingYear, check_key
from .arguments import as_year, choice
from .base import Commands


def _pairs(field: str, given: Mapping[str, Any] | Iterable[str], example: str) -> list[tuple[str, Any]]:
    """``{key: value}``, or items written ``KEY=VALUE`` (as the command line gives them)."""
    if isinstance(given, Mapping):
        return list(given.items())
    found = []
    for item in given:
        key, sep, value = str(item).partition("=")
        if not sep:
            raise InvalidValue(field, item, f"write each as KEY=VALUE, e.g. {example}")
        found.append((key.strip(), value.strip()))
    return found


class ReturnCommands(Commands):
    """Commands on self-assessment returns, their analysis and the peer review."""

    def submit_return(
        self,
        board_id: UUID,
        *,
        audit: Audit | str,
        organisation: str,
        year: str | ReportingYear,
        ratings: Mapping[str, Rating | str] | Iterable[str],
        strengths: Iterable[str] = (),
        areas: Mapping[str, str] | Iterable[str] = (),
        name: str | None = None,
        on: date | None = None,
    ) -> UUID:
        """Record an organisation's self-assessment return to an audit (Section 11, 175 or 157, or
        employer duties, or the Safe Network) for a reporting year: a rating of each standard
        (``standard=not_met|partly_met|fully_met``, red, amber, green), its strengths, and its areas
        for development (``key=what``, the key to follow each up by next year)."""
        on = self._on(on)
        audit = choice("audit", audit, Audit)
        check_key("organisation", organisation)
        rated = [
            StandardRating(k, choice("ratings", v, Rating))
            for k, v in _pairs("ratings", ratings, "s11-safer-recruitment=partly_met")
        ]
        raised = [Area(k, v) for k, v in _pairs("areas", areas, "recruitment-checks='Record every check'")]

        def make() -> tuple[UUID, list[Return]]:
            board = self._board(board_id)
            reporting = as_year(year, board.state.year_start)
            board.check_year("year", reporting, on)
            if audit in FROM_PARTNERS:
                board.check_agency("organisation", organisation, on)
            made = Return.submit(
                board_id=board.id,
                audit=audit,
                organisation=organisation,
                name=name or board.state.agency_name(organisation),
                year=reporting.first,
                ratings=tuple(rated),
                strengths=tuple(strengths),
                areas=tuple(raised),
                on=on,
                by=self.user,
            )
            return made.id, [made]

        ident = self._natural(lambda y: return_id_for(board_id, audit.value, organisation, y), year)
        return self._create("return", ident, "organisation", f"{organisation} ({audit.value}, {year})", make)

    def follow_up_area(
        self,
        board_id: UUID,
        *,
        audit: Audit | str,
        organisation: str,
        year: str | ReportingYear,
        area: str,
        delivery: Delivery | str,
        evidence: str,
        on: date | None = None,
    ) -> None:
        """Record whether an area for development raised in ``year``'s return is being delivered
        (``delivered``, ``in_progress`` or ``not_delivered``), as a later year's audit found it."""
        on = self._on(on)
        audit = choice("audit", audit, Audit)
        check_key("organisation", organisation)
        delivery = choice("delivery", delivery, Delivery)

        def command() -> tuple[None, list[Return]]:
            board = self._board(board_id)
            raised = as_year(year, board.state.year_start)
            ident = return_id_for(board_id, audit.value, organisation, raised.first)
            found = self._find(Return, board_id, ident, "organisation", f"{organisation} ({audit.value}, {raised.label})")  # fmt: skip
            found.follow_up(area, delivery, evidence, board.state.year_of(on).first, on, self.user)
            return None, [found]

        self._run(Return.KIND, organisation, command)

    def analyse_returns(
        self, board_id: UUID, *, audit: Audit | str, year: str | ReportingYear, analysis: str, on: date | None = None
    ) -> UUID:
        """Record the board's analysis across the returns of an audit and year: how they were tested
        at a strategic level, the good practice to build on and the weaker areas for development."""
        on = self._on(on)
        audit = choice("audit", audit, Audit)

        def make() -> tuple[UUID, list[ReturnsAnalysis]]:
            board = self._board(board_id)
            reporting = as_year(year, board.state.year_start)
            board.check_year("year", reporting, on)
            made = ReturnsAnalysis.analyse(
                board_id=board.id, audit=audit, year=reporting.first, analysis=analysis, on=on, by=self.user
            )
            return made.id, [made]

        ident = self._natural(lambda y: analysis_id_for(board_id, audit.value, y), year)
        return self._create("analysis of returns", ident, "year", f"{audit.value}, {year}", make)

    def record_peer_review(
        self,
        board_id: UUID,
        *,
        year: str | ReportingYear,
        verdict: Robustness | str,
        improve: str,
        reviewers: str,
        on: date | None = None,
    ) -> UUID:
        """Record a peer review of the board's self-assessment of ``year``: how robust and accurate
        the board's own assessment is (``robust``, ``partly_robust``, ``not_robust``), what must
        improve, and who reviewed (framework §3.6)."""
        on = self._on(on)
        verdict = choice("verdict", verdict, Robustness)

        def make() -> tuple[UUID, list[PeerReview]]:
            board = self._board(board_id)
            reporting = as_year(year, board.state.year_start)
            board.check_year("year", reporting, on)
            made = PeerReview.report(
                board_id=board.id,
                year=reporting.first,
                verdict=verdict,
                improve=improve,
                reviewers=reviewers,
                on=on,
                by=self.user,
            )
            return made.id, [made]

        ident = self._natural(lambda y: peer_review_id_for(board_id, y), year)
        return self._create("peer review", ident, "year", str(year), make)

    def _natural(self, ident: Any, year: str | ReportingYear) -> UUID | None:
        """The id a natural key gives (``None`` while the year cannot be read: the command then
        refuses it, naming the field)."""
        try:
            first = year.first if isinstance(year, ReportingYear) else ReportingYear.parse(year).first
        except InvalidValue:
            return None
        made: UUID = ident(first)
        return made

    def _find(self, cls: Any, board_id: UUID, ident: UUID, field: str, given: str) -> Any:
        try:
            return self._load(cls, board_id, ident, field)
        except NotFound:
            raise NotFound(cls.KIND, given, field=field, by="organisation, audit and year") from None
