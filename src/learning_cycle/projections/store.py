"""Persisted read models, maintained from the notification log with the engine's tracking.

The views live in the same kind of store as the events: in the same SQLite file, in tables
prefixed ``lc_view_`` (in memory for a ``memory:`` store), kept by a tracking recorder of
eventsourcing (:mod:`.viewdb`) and folded by a :class:`~eventsourcing.projection.Projection`
(:mod:`.maintained`). Two tables are folded from the log:

* ``lc_view_records``: the current state of every record (as sealed JSON: compressed and
  encrypted exactly when the events are), with its board, kind, version and log position;
* ``lc_view_log``: one row per event, keyed by its position: board, record, version, recorded time
  and effective date (so a view of one board on either time axis reads only that board's events).

The hash chain that ``verify`` checks is not here: the event log writes it with each event
(:mod:`learning_cycle.eventlog`), so neither a catch-up nor a rebuild ever makes it.

The engine's tracking table holds the last log position folded in. Each batch of events changes
the view rows and the tracking in one transaction, which first checks that the position is the
one the batch started from: a crash never half-applies a batch, two processes catching up at once
never apply an event twice, and catch-up resumes where it stopped. What the engine lacks is here
and in :mod:`.rebuild`: the as-of and as-known-at folds, and the staged rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

import attrs

from ..domain.access import AccessRecord, RestrictedAccess
from ..domain.board import Board, BoardState
from ..domain.errors import LearningCycleError, NotFound
from ..domain.menu import Menu
from ..domain.outcomes import BoardRecords, OutcomeMeasure
from ..domain.rules import EARLIEST, check_view_day
from ..domain.timescales import ENGLAND_AND_WALES, WorkingCalendar
from ..domain.values import ReportingYear
from ..eventlog.chain import Head
from ..eventlog.log import EventLog
from .batches import Codec, micros
from .briefing import Briefing, briefing
from .disclosure import policy
from .fold import STATE_TYPES, Shell, board_records, fold
from .maintained import APPLICATION, BATCH, RecordsProjection, catch_up, open_view_store
from .picture import Picture, picture, window
from .rebuild import rebuild
from .status import CycleStatus, cycle_status
from .stocktake import StockTake, stock_take
from .verification import Progress, Verification, verify
from .viewdb import ViewStore


class Cycle(Protocol):
    """What :meth:`Views.of` reads of a cycle (a :class:`~learning_cycle.LearningCycle` has it)."""

    log: EventLog
    menu: Menu
    calendar: WorkingCalendar

    def today(self) -> date: ...


class Views:
    """The read models of a store, kept up to date from its log.

    :param log: the event log the views fold.
    :param today: the clock for "now" (views as of today).
    :param menu: the kinds of activity and their methods (for the status view's stages).
    :param calendar: working days, for deadlines.
    :param path: the SQLite file the view tables live in (default: the events' store, a SQLite
        file or PostgreSQL; in memory for a ``memory:`` store).

    :meth:`of` makes them for a :class:`~learning_cycle.LearningCycle`, with its log, clock,
    menu and calendar.
    """

    def __init__(
        self,
        log: EventLog,
        *,
        today: Callable[[], date] = date.today,
        menu: Menu | None = None,
        calendar: WorkingCalendar = ENGLAND_AND_WALES,
        path: str | None = None,
    ) -> None:
        self.log = log
        self.today = today
        self.menu = menu if menu is not None else Menu()
        self.calendar = calendar
        self.codec = Codec(log)
        self.store: ViewStore = open_view_store(log.store, path)
        self.projection = RecordsProjection(self.store, self.codec)
        self._reads: set[RestrictedAccess] = set()

    @classmethod
    def of(cls, cycle: Cycle, *, path: str | None = None) -> Views:
        """The views of ``cycle``'s log, with its clock, menu and calendar."""
        return cls(cycle.log, today=cycle.today, menu=cycle.menu, calendar=cycle.calendar, path=path)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Views:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- maintenance -------------------------------------------------------------------

    def position(self) -> int:
        """The last log position folded into the views."""
        return self.store.position()

    def lag(self) -> int:
        """How many log positions the views are behind."""
        return max(0, self.log.position() - self.position())

    def catch_up(
        self,
        *,
        batch: int = BATCH,
        until: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Fold every event recorded since the last catch-up (up to position ``until``), a batch
        per transaction (:func:`.maintained.catch_up`); returns how many were folded."""
        return catch_up(self.log, self.projection, batch=batch, until=until, progress=progress)

    def wait(self, position: int, timeout: float = 1.0) -> None:
        """Block until the views have folded the log up to ``position`` (the engine's
        ``TrackingRecorder.wait``: :class:`TimeoutError` after ``timeout`` seconds); another
        process or thread catches up (e.g. :meth:`watch`)."""
        self.store.wait(APPLICATION, position, timeout=timeout)

    def watch(
        self, stop: threading.Event, *, poll: float = 0.5, on_change: Callable[[int], None] | None = None
    ) -> None:
        """Keep the views up to date until ``stop`` is set: catch up, then again every ``poll``
        seconds, on every kind of store alike (the engine's SQLite recorder has no subscription to
        wait on, see :mod:`.maintained`). Run it in a thread of a long-lived process."""
        self._changed(self.catch_up(), on_change)
        while not stop.wait(poll):
            self._changed(self.catch_up(), on_change)

    def _changed(self, folded: int, on_change: Callable[[int], None] | None) -> None:
        if folded and on_change is not None:
            on_change(self.position())

    def rebuild(self, *, progress: Progress | None = None, until: int | None = None) -> int:
        """Fold the whole log again into fresh tables, which then replace the views' in one
        transaction (readers see the old views until then; a rebuild that fails leaves them as
        they were). Returns the log position folded to. See :mod:`learning_cycle.projections.rebuild`.

        :param until: fold only up to this log position (default: all of it).
        """
        return rebuild(self.log, self.store, self.codec, progress=progress, until=until)

    def verify(self, *, progress: Progress | None = None, digest: Head | None = None) -> Verification:
        """Check the log and the views (:func:`.verification.verify`): the hash chain walked from the
        first event, a ``digest`` published earlier, the views' tracking, version gaps, that every
        event decodes, and that the maintained views equal a rebuild from scratch."""

        def fresh(path: str) -> Views:
            return Views(self.log, today=self.today, menu=self.menu, calendar=self.calendar, path=path)

        return verify(self, fresh, progress=progress, digest=digest)

    def head(self, as_known_at: datetime | None = None) -> Head | None:
        """The log's head (its last position and link), or as it stood at the moment ``as_known_at``."""
        if as_known_at is None:
            return self.log.head()
        self.catch_up()
        return self.log.head_at(self.store.position_recorded_by(micros(as_known_at)))

    # -- reading -----------------------------------------------------------------------

    def records(
        self,
        board_id: UUID,
        *,
        as_of: date | None = None,
        as_known_at: datetime | None = None,
        catch_up: bool = True,
        restricted: RestrictedAccess | None = None,
    ) -> BoardRecords:
        """A board's records: as they stand now, ``as_of`` an effective date (the world on that
        date), and/or ``as_known_at`` a recorded moment (what the log held then). ``as_of``
        defaults to the date of ``as_known_at``, else today.

        The material of reports not published is replaced by a placeholder (the disclosure
        policy, :mod:`.disclosure`), unless ``restricted`` is a recorded read of this board's
        restricted material (:meth:`LearningCycle.read_restricted`): one the board's log holds.

        ``as_of`` is a date; a moment (a ``datetime``) is refused: what the log held at a moment
        is ``as_known_at``, as in every view query.

        Views found incomplete (a record refers to one they do not hold, or their tracking is
        ahead of their rows) are rebuilt from the log before answering, never shown short."""
        if restricted is not None:
            self._check_read(board_id, restricted)
        if catch_up:
            self.catch_up()
        current = self._current(board_id)
        tracked = self.store.position()  # read first: a catch-up committed meanwhile only adds rows
        if _incomplete(current) or self.store.last_logged() < tracked:
            self.rebuild()  # the views lost rows (an edit in the database): the log has them
            current = self._current(board_id)
        if not current["Board"]:
            raise NotFound("board", board_id, field="board_id")
        (board,) = current["Board"]
        if as_known_at is not None and as_known_at.tzinfo is None:
            raise LearningCycleError(
                "as_known_at: give a moment with a time zone", field="as_known_at", value=as_known_at
            )
        day = self._day(as_of, as_known_at)
        states = [s for kind, states in current.items() for s in states if kind != "Board"]
        include = restricted is not None
        if as_known_at is None and (as_of is None or as_of >= self.today()):
            return policy(board_records(board, states, day), self.menu, include=include)
        recorded_until = None if as_known_at is None else micros(as_known_at)
        shells = fold(self._board_events(board_id, recorded_until), as_of=as_of, as_known_at=as_known_at)
        if _incomplete(_by_kind(shells.values())) and self._view_log_short(board_id, current):
            self.rebuild()  # the view log lost a record's rows: fold again from a whole one
            shells = fold(self._board_events(board_id, recorded_until), as_of=as_of, as_known_at=as_known_at)
        folded_board = shells.pop(board_id, None)
        exists = folded_board is not None
        view = board_records(
            folded_board.state if folded_board is not None else board,
            [s.state for s in shells.values()],
            day,
            exists=exists,
        )
        # what the board has decided not to publish, as known now, is restricted in every view
        return policy(view, self.menu, now=board_records(board, states, self.today()), include=include)

    def _current(self, board_id: UUID) -> dict[str, list[Any]]:
        current: dict[str, list[Any]] = {kind: [] for kind in STATE_TYPES}
        for kind, state in self.store.board_rows(board_id):
            current[kind].append(self._decode(kind, state))
        return current

    def _view_log_short(self, board_id: UUID, current: Mapping[str, list[Any]]) -> bool:
        """The view log lists fewer of the board's records than the views hold (a view of a past
        moment folds the events it lists)."""
        return len(self.store.board_versions(board_id, None)) < sum(len(states) for states in current.values())

    def _check_read(self, board_id: UUID, access: RestrictedAccess) -> None:
        """Refuse ``access`` unless it is a read of ``board_id``'s restricted material that the
        board's log holds (made by :meth:`LearningCycle.read_restricted`), so that only a logged
        read opens the material."""
        if not isinstance(access, RestrictedAccess):
            raise LearningCycleError(
                f"restricted: {type(access).__name__} is not a RestrictedAccess (make one with "
                "LearningCycle.read_restricted)",
                field="restricted",
                value=access,
            )
        if access.board_id != board_id:
            raise LearningCycleError(
                "restricted: this read of restricted material was recorded for another board",
                field="restricted",
                value=str(access.board_id),
            )
        if access in self._reads:
            return
        if AccessRecord(access.at, access.by, access.query) not in self.access_log(board_id):
            raise LearningCycleError(
                f"restricted: the read by {access.by!r} at {access.at} for {access.query!r} is not a read recorded "
                "in the board's log: make one with LearningCycle.read_restricted",
                field="restricted",
                value=access,
            )
        self._reads.add(access)

    def picture(
        self,
        board_id: UUID,
        last_year: ReportingYear | str | None = None,
        *,
        as_of: date | None = None,
        as_known_at: datetime | None = None,
        restricted: RestrictedAccess | None = None,
    ) -> Picture:
        """The three-year picture for the window ending with ``last_year`` (default: the year of
        ``as_of``), each year as it stood at its end (or at ``as_of`` if that comes first)."""
        self.catch_up()
        day = self._day(as_of, as_known_at)
        start = self.records(board_id, catch_up=False).board.year_start
        if last_year is None:
            last_year = start.year_of(day)
        elif isinstance(last_year, str):
            last_year = ReportingYear.parse(last_year, start)
        else:
            last_year = ReportingYear(last_year.first, start)
        years = []
        for year in window(last_year):
            if year.ends_on < EARLIEST:  # a year over before any record can take effect: not in the window
                continue
            end = min(year.ends_on, day)
            records = self.records(board_id, as_of=end, as_known_at=as_known_at, catch_up=False, restricted=restricted)
            years.append((year, records))
        return attrs.evolve(picture(years), includes_restricted=restricted is not None)

    def status(
        self,
        board_id: UUID,
        *,
        as_of: date | None = None,
        as_known_at: datetime | None = None,
        menu: Menu | None = None,
        restricted: RestrictedAccess | None = None,
        methods: Mapping[str, str] | None = None,
    ) -> CycleStatus:
        """The cycle at a glance, with each finding's verdict from the three-year window ending
        at ``as_of`` (default: today, or the day of ``as_known_at``); ``methods``: each review
        method's title by its key, for the words the view shows."""
        records = self.records(board_id, as_of=as_of, as_known_at=as_known_at, restricted=restricted)
        whole = self.picture(board_id, as_of=records.as_of, as_known_at=as_known_at, restricted=restricted)
        made = cycle_status(
            records,
            self.menu if menu is None else menu,
            whole,
            as_known_at=as_known_at,
            calendar=self.calendar,
            methods=methods,
        )
        return attrs.evolve(made, includes_restricted=restricted is not None)

    def stock_take(
        self,
        board_id: UUID,
        year: ReportingYear | str,
        *,
        as_known_at: datetime | None = None,
        measures: Mapping[str, OutcomeMeasure] | None = None,
        previous: bool = True,
        restricted: RestrictedAccess | None = None,
        methods: Mapping[str, str] | None = None,
    ) -> StockTake:
        """The stock-take model of ``year`` (``methods``: each review method's title by its key,
        from the plugins' descriptors, for the words the paper shows).

        By default it is built as known now, with every figure restated since the stock-take
        (the moment its event was recorded) marked with both values. With ``as_known_at`` it is
        built from only what the log held then: e.g. :meth:`stock_take_moment` reproduces the
        stock-take exactly as it could have been produced on the day.
        """
        self.catch_up()
        start = self.records(board_id, catch_up=False).board.year_start
        year = ReportingYear.parse(year, start) if isinstance(year, str) else ReportingYear(year.first, start)
        records = self.records(board_id, as_known_at=as_known_at, catch_up=False, restricted=restricted)
        end = min(year.ends_on, records.as_of)
        known_then = None
        moment = self.stock_take_moment(board_id, year)
        if as_known_at is None and moment is not None:
            known_then = self.records(board_id, as_known_at=moment, catch_up=False, restricted=restricted)
        before = None
        if previous:
            last = ReportingYear(year.first - 1, start)
            if last.ends_on >= records.board.started_on:
                before = self.stock_take(
                    board_id, last, as_known_at=as_known_at, measures=measures, previous=False,
                    restricted=restricted, methods=methods,
                )  # fmt: skip
        whole = self.picture(board_id, year, as_of=end, as_known_at=as_known_at, restricted=restricted)
        made = stock_take(
            year, records, whole, measures or {}, as_known_at=as_known_at, known_then=known_then, previous=before,
            methods=methods, menu=self.menu,
        )  # fmt: skip
        head = self.head(as_known_at)
        return attrs.evolve(
            made, log_head=None if head is None else str(head), includes_restricted=restricted is not None
        )

    def briefing(
        self,
        board_id: UUID,
        review: str | UUID,
        *,
        restricted: RestrictedAccess | None = None,
        methods: Mapping[str, str] | None = None,
    ) -> Briefing:
        """The 7-minute briefing of ``review`` (its id or title) for practitioners
        (:func:`.briefing.briefing`): none for a review whose report is not published
        (:class:`~.briefing.NoBriefing`) unless ``restricted`` is a recorded read."""
        return briefing(self.records(board_id, restricted=restricted), review, methods=methods)

    def stock_take_moment(self, board_id: UUID, year: ReportingYear) -> datetime | None:
        """When the stock-take of ``year`` was recorded (the last time, if recorded twice)."""
        found = None
        for stored in self.log.record(board_id):
            if stored.topic == Board.StockTakeHeld.TOPIC:
                event = self.log.decode(stored)
                if isinstance(event, Board.StockTakeHeld) and event.year == year.first:
                    found = event.timestamp
        return found

    def access_log(self, board_id: UUID) -> list[AccessRecord]:
        """Every recorded read of the board's restricted material, oldest first."""
        found = []
        for stored in self.log.record(board_id):
            if stored.topic == Board.RestrictedMaterialRead.TOPIC:
                event = self.log.decode(stored)
                assert isinstance(event, Board.RestrictedMaterialRead)  # the topic names the class
                found.append(AccessRecord(event.timestamp, event.recorded_by, event.query))
        return found

    def _day(self, as_of: date | None, as_known_at: datetime | None) -> date:
        if isinstance(as_of, datetime):
            raise LearningCycleError(
                f"as_of: give a date, not a moment (got {as_of}); for what the log held at a moment, give as_known_at",
                field="as_of",
                value=as_of,
            )
        if as_of is not None:
            check_view_day("as_of", as_of)
        if as_known_at is not None:
            check_view_day("as_known_at", as_known_at)
        return as_of or (as_known_at.astimezone(UTC).date() if as_known_at else self.today())

    def boards(self) -> list[BoardState]:
        """Every board in the store, in the order they started (then by key)."""
        self.catch_up()
        found = [self._decode("Board", state) for state in self.store.board_states()]
        return sorted(found, key=lambda b: (b.started_on, b.key))

    def board_ids(self) -> list[UUID]:
        self.catch_up()
        return self.store.board_ids()

    def _board_events(self, board_id: UUID, recorded_until: int | None) -> Iterator[Any]:
        for record_id, version in self.store.board_versions(board_id, recorded_until):
            yield from self.log.record_events(UUID(record_id), until=version)

    def _decode(self, kind: str, state: bytes) -> Any:
        return self.codec.decode(kind, state)


def _by_kind(shells: Iterable[Shell]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {kind: [] for kind in STATE_TYPES}
    for shell in shells:
        found[shell.kind].append(shell.state)
    return found


def _incomplete(current: Mapping[str, list[Any]]) -> bool:
    """A record of ``current`` (a board's rows by kind) refers to a record they do not hold."""
    activities = {a.activity_id for a in current["Activity"]}
    findings = {f.finding_id for f in current["Finding"]}
    return (
        any(f.activity_id not in activities for f in current["Finding"])
        or any(a.finding_id not in findings for a in current["Action"])
        or any(f not in findings for d in current["Dissemination"] for f in d.finding_ids)
    )
