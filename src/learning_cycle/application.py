"""The application: commands in, events saved; queries out, as frozen value objects.

:class:`LearningCycle` is the one object an embedding system creates. Every command is scoped
to one board, takes primitives, ids and value objects, validates everything before writing,
and either records all its events atomically or nothing. Every command takes ``on``, the
effective date (when it happened in the world; default today), which may be years back.
"""

from __future__ import annotations

import contextlib
import copy
import getpass
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import attrs
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import InterfaceError, Mapper, OperationalError, RecordConflictError

from .domain import (
    Action,
    ActionState,
    Activity,
    ActivityState,
    Agency,
    Board,
    BoardState,
    Cadence,
    Channel,
    CheckKind,
    CheckResult,
    CycleAggregate,
    Dissemination,
    DisseminationState,
    Finding,
    FindingState,
    Indicator,
    IndicatorKind,
    IndicatorState,
    Level,
    Menu,
    Nature,
    Polarity,
    Priority,
    PublicationDecision,
    RecordedEvent,
    ReportingYear,
    VoiceOfChild,
    YearStart,
    board_id_for,
    indicator_id_for,
)
from .domain.errors import (
    AlreadyExists,
    BadInput,
    ConcurrencyConflict,
    InvalidValue,
    LearningCycleError,
    NotFound,
    Problem,
    RuleViolation,
)
from .domain.outcomes import BoardRecords
from .domain.sources import Figure, IndicatorSource, PullResult
from .domain.timescales import ENGLAND_AND_WALES, Deadline, WorkingCalendar
from .domain.values import VOICE_NOT_RECORDED, check_date, check_key, check_not_future, check_text
from .eventlog import signing_key
from .eventlog.recorders import HeadMoved
from .serialization import EventMapper
from .stores import prepare_store, resolve_store, store_env, store_label

A = TypeVar("A", bound=CycleAggregate)

#: How often a command is re-run against fresh state when another writer saved first.
MAX_ATTEMPTS = 12
#: The longest pause (seconds) between two attempts; pauses grow with jitter up to it.
CACHE_DEFAULTS = {"AGGREGATE_CACHE_MAXSIZE": os.environ.get("AGGREGATE_CACHE_MAXSIZE", "10000")}
"""Records read by commands are cached (and fast-forwarded from the store before each use, so
other writers' events are never missed): a command then reads only what changed."""
MAX_PROBLEMS = 50
"""How many problems with an input one error reports at most."""
MAX_BACKOFF = 0.2


class _Decisions:
    """What a writer knows of the log, so that a command need not read again what it knows.

    ``head`` is a log position as of which every record in ``current`` is known to be current in
    the repository's cache: this process loaded or saved it, and its last save (whose recorder
    checked that nothing had been recorded since the position before it) ended at ``head``. A
    command then takes those records from the cache as they are, and its save expects ``head``:
    if anything at all was recorded since, by anyone, the save writes nothing and the command is
    decided again (:class:`~learning_cycle.eventlog.recorders.HeadMoved`). A record not in ``current`` is
    read from the store, as every record is when ``head`` is unknown; ``head`` is then first read
    from the store. Every attempt expects a head, so a record a command only reads can never
    change unseen before its save (no write skew), however busy the other writers are.

    Every recorder of ours makes the check (``checks_head``: SQLite, PostgreSQL, memory); one
    command at a time in a process (``lock``), so that this bookkeeping stays true.
    """

    MAX_CURRENT = 100_000

    def __init__(self, checked: bool) -> None:
        self.checked = checked
        self.lock: Any = threading.RLock() if checked else contextlib.nullcontext()
        self.head: int | None = None
        self.current: set[UUID] = set()
        self._local = threading.local()

    def begin(self, recorder: Any, attempt: int) -> int | None:
        """Start an attempt; the head its save will expect (None: no check)."""
        self._local.loaded = []
        self._local.cached = False
        if not self.checked:
            self._local.loaded = None
            return None
        if self.head is None:
            self.current.clear()
            self.head = recorder.max_notification_id() or 0  # read before any record
        return self.head

    def get(self, repository: Any, ident: UUID) -> Any:
        """A record for the command being decided (or for a query)."""
        loaded = getattr(self._local, "loaded", None)
        if loaded is None:  # a query, or a command without a check
            return repository.get(ident)
        loaded.append(ident)
        if ident in self.current and repository.cache:
            try:
                aggregate = repository.cache.get(ident)
            except KeyError:  # left the cache: read it again
                pass
            else:
                self._local.cached = True
                return copy.deepcopy(aggregate)
        return repository.get(ident)

    def end_refused(self) -> bool:
        """The command refused: whether to decide it again on records read from the store."""
        cached = getattr(self._local, "cached", False)
        self._local.loaded = None
        if cached:
            self.forget()
        return cached

    def moved(self) -> bool:
        """The head moved: forget what was known. Whether to pause before trying again (it
        moved under a head just read: other writers are busy)."""
        busy = not getattr(self._local, "cached", False)
        self.forget()
        self._local.loaded = None
        return busy

    def forget(self) -> None:
        self.head = None
        self.current.clear()

    def saved(self, repository: Any, aggregates: Sequence[Any], recordings: Sequence[Any]) -> None:
        """The save went through: the records loaded and saved are current as of its last event."""
        loaded = getattr(self._local, "loaded", None)
        self._local.loaded = None
        if loaded is None:
            return
        if recordings:
            self.head = max(r.notification.id for r in recordings)
        if len(self.current) > self.MAX_CURRENT:
            self.current.clear()
        self.current.update(loaded)
        for aggregate in aggregates:  # (eventsourcing caches saved records only without fast-forward)
            if repository.cache:
                repository.cache.put(aggregate.id, aggregate)
                self.current.add(aggregate.id)


class _EventStoreApp(Application):
    """The eventsourcing application underneath: storage is chosen by the store setting."""

    name = "LearningCycle"

    def construct_mapper(self) -> Mapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=EventMapper)


@attrs.frozen
class RecordedNotice:
    """One event as recorded in the log: its position (1, 2, ...) and the event itself."""

    position: int
    topic: str
    event: RecordedEvent


@attrs.frozen
class Summary:
    """A line about a record, for listings."""

    id: UUID
    kind: str
    version: int


def _text(value: str | None) -> str | None:
    return value


DDL_ATTEMPTS = 8


def is_ddl_race(exc: BaseException) -> bool:
    """PostgreSQL refuses one of two processes creating the same tables at once ("tuple
    concurrently updated", or a duplicate in its catalogue): the other has made them, so try again."""
    text = " ".join(str(e) for e in (exc, exc.__cause__, exc.__context__) if e is not None)
    return "concurrently updated" in text or ("duplicate key value" in text and "pg_" in text)


def open_store(settings: dict[str, str], store: str) -> _EventStoreApp:
    """The eventsourcing application over the store; a clear error if it cannot be opened."""
    try:
        for attempt in range(DDL_ATTEMPTS):
            try:
                prepare_store(settings)
                app = _EventStoreApp(env=settings)
                app.recorder.signing_key = signing_key()
                app.recorder.chain_backlog()  # a store an earlier version made: chained once, now
                return app
            except Exception as exc:
                if attempt + 1 < DDL_ATTEMPTS and is_ddl_race(exc):
                    time.sleep(0.05 * (attempt + 1) + random.uniform(0, 0.05))
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover
    except LearningCycleError:
        raise
    except ImportError as exc:
        raise LearningCycleError(
            f"store: {store_label(store)} needs a package that is not installed ({exc.name}): "
            "pip install 'learning-cycle[postgres]'",
            field="store",
            value=store_label(store),
        ) from None
    except Exception as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise LearningCycleError(
            f"store: cannot open {store_label(store)}: {reason}", field="store", value=store_label(store)
        ) from None


class LearningCycle:
    """Record a board's learning and improvement cycle in an event store, and read it back.

    :param store: where the log lives: a SQLite file path (default ``learning-cycle.sqlite``, or
        ``$LEARNING_CYCLE_STORE``), ``"memory:"``, or a ``postgresql://`` URL.
    :param menu: the kinds of activity and review methods that may be commissioned; filled from
        the installed plugins by :func:`learning_cycle.open_cycle`.
    :param user: who records events (``recorded_by``); default ``$LEARNING_CYCLE_USER`` or the
        login name.
    :param today: the clock for effective dates; effective dates after ``today()`` are refused.
    :param env: extra eventsourcing settings (cipher, compressor, pool sizes).
    """

    def __init__(
        self,
        store: str | os.PathLike[str] | None = None,
        *,
        menu: Menu | None = None,
        user: str | None = None,
        today: Callable[[], date] = date.today,
        env: dict[str, str] | None = None,
        calendar: WorkingCalendar = ENGLAND_AND_WALES,
    ) -> None:
        self.store = resolve_store(store)
        self.calendar = calendar
        settings = {**CACHE_DEFAULTS, **store_env(self.store)}
        settings.update(env or {})
        self.menu = menu if menu is not None else Menu()
        self.user = check_text("user", user or os.environ.get("LEARNING_CYCLE_USER") or getpass.getuser())
        self._today = today
        self._settings = settings
        self._app = open_store(settings, self.store)
        self._listeners: list[Callable[[list[RecordedNotice]], None]] = []
        self._decisions = _Decisions(getattr(self._app.recorder, "checks_head", False))

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._app.close()

    def __enter__(self) -> LearningCycle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def mapper(self) -> EventMapper:
        return self._app.mapper  # type: ignore[return-value]

    @property
    def recorder(self) -> Any:
        """The eventsourcing application recorder (for projections and tools)."""
        return self._app.recorder

    def today(self) -> date:
        """Today, by this cycle's clock (effective dates after it are refused)."""
        return self._today()

    # -- plumbing ----------------------------------------------------------------------

    def _on(self, on: date | None, field: str = "on") -> date:
        today = self._today()
        if on is None:
            return today
        return check_not_future(field, on, today)

    def _load(self, cls: type[A], board_id: UUID, ident: Any, field: str) -> A:
        ident = _uuid(field, ident)
        try:
            aggregate = self._decisions.get(self._app.repository, ident)
        except AggregateNotFoundError:
            raise NotFound(cls.KIND, ident, field=field) from None
        if not isinstance(aggregate, cls):
            raise NotFound(cls.KIND, ident, field=field)
        if cls is not Board:
            aggregate.check_on_board(board_id, field)
        return aggregate

    def _board(self, board_id: UUID) -> Board:
        return self._load(Board, board_id, board_id, "board_id")

    def _exists(self, ident: UUID) -> bool:
        try:
            self._app.repository.get(ident)
        except AggregateNotFoundError:
            return False
        return True

    def _run(self, kind: str, ident: Any, command: Callable[[], tuple[Any, Sequence[CycleAggregate]]]) -> Any:
        """Run ``command`` (which loads, decides and returns the aggregates to save) and save
        atomically. If another writer saved first, run it again on fresh state: the command
        re-checks its rules, so a retry can never lose an update or break a rule.

        On a SQLite or PostgreSQL store, a save also requires that nothing at all was recorded since the log
        position the command was decided against (``expected_head``, see
        :mod:`learning_cycle.eventlog.recorders`). Records this process has loaded or saved since that
        position are then known to be current, and a command reads them from the cache without
        asking the store what changed (see :class:`_Decisions`)."""
        decisions = self._decisions
        with decisions.lock:
            for attempt in range(MAX_ATTEMPTS):
                expected = decisions.begin(self._app.recorder, attempt)
                try:
                    result, aggregates = command()
                except LearningCycleError:
                    if decisions.end_refused():
                        continue  # refused on cached records: decide again on what the store holds
                    raise
                try:
                    if expected is None:
                        recordings = self._app.save(*aggregates)
                    else:
                        recordings = self._app.save(*aggregates, expected_head=expected)
                except (OperationalError, InterfaceError) as exc:  # the store went away or stayed locked
                    decisions.forget()
                    reason = " ".join(str(exc).split()) or type(exc).__name__
                    raise LearningCycleError(
                        f"store: could not record ({reason}); nothing was recorded: try again",
                        field="store",
                        value=store_label(self.store),
                    ) from None
                except HeadMoved:
                    if decisions.moved():
                        time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.005 * 2**attempt)))
                    continue
                except RecordConflictError:
                    decisions.forget()
                    time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.005 * 2**attempt)))
                    continue
                decisions.saved(self._app.repository, aggregates, recordings)
                if self._listeners:
                    notices = [
                        RecordedNotice(r.notification.id, r.notification.topic, r.domain_event)  # type: ignore[arg-type]
                        for r in recordings
                    ]
                    for listener in list(self._listeners):
                        listener(notices)
                return result
        raise ConcurrencyConflict(kind, ident, MAX_ATTEMPTS)

    def _create(
        self,
        kind: str,
        ident: UUID | None,
        field: str,
        value: Any,
        make: Callable[[], tuple[Any, Sequence[CycleAggregate]]],
    ) -> Any:
        def command() -> tuple[Any, Sequence[CycleAggregate]]:
            if ident is not None and self._exists(ident):
                raise AlreadyExists(kind, field, value)
            return make()

        return self._run(kind, ident, command)

    def _update(self, cls: type[A], board_id: UUID, ident: Any, field: str, change: Callable[[A], None]) -> None:
        def command() -> tuple[None, Sequence[CycleAggregate]]:
            aggregate = self._load(cls, board_id, ident, field)
            change(aggregate)
            return None, [aggregate]

        self._run(cls.KIND, ident, command)

    # -- boards ------------------------------------------------------------------------

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
        check_key("key", key)
        on = self._on(on)
        agencies = tuple(_agency(a) for a in agencies)
        ident = board_id_for(key)

        def make() -> tuple[UUID, list[Board]]:
            board = Board.create(
                key=key,
                name=name,
                year_start=year_start or YearStart(),
                agencies=agencies,
                districts=tuple(districts),
                subgroups=tuple(subgroups),
                on=on,
                by=self.user,
            )
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
        items = tuple(_priority(p) for p in priorities)

        def change(board: Board) -> None:
            board.set_priorities(_year(year, board.state.year_start), items, on, self.user)

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
        items = tuple(_priority(p) for p in next_priorities)

        def change(board: Board) -> None:
            board.hold_stock_take(_year(year, board.state.year_start), tuple(decisions), items, on, self.user)

        self._update(Board, board_id, board_id, "board_id", change)

    # -- learning activities -----------------------------------------------------------

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

    def deadlines(self, board_id: UUID, activity_id: UUID, *, on: date | None = None) -> tuple[Deadline, ...] | None:
        """Where each of the activity's method timescales stands on ``on`` (default today),
        worked out from its recorded events; ``None`` if its method is not on the menu."""
        state = self.activity(board_id, activity_id)
        timescales = self.menu.timescales(state.method)
        if timescales is None:
            return None
        return state.deadlines(timescales, on or self._today(), self.calendar)

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

    # -- findings ----------------------------------------------------------------------

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
    ) -> UUID:
        """Record a finding of an activity that has started and is not closed."""
        on = self._on(on)
        agencies, patterns = tuple(agencies), tuple(patterns)
        level = _choice("level", level, Level)
        nature = _choice("nature", nature, Nature)

        def make() -> tuple[UUID, list[Finding]]:
            # the activity is on the board (checked as it loads); the board itself is read only
            # when there are agencies to check against its partners
            activity = self._load(Activity, board_id, activity_id, "activity_id")
            activity.check_can_raise_findings()
            if agencies:
                self._board(board_id).check_agencies("agencies", agencies, on)
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
            )
            return finding.id, [finding]

        return self._create("finding", id, "id", id, make)

    def respond_to_finding(self, board_id: UUID, finding_id: UUID, response: str, *, on: date | None = None) -> None:
        """Record the board's response to a finding (or to the challenge it put)."""
        on = self._on(on)
        self._update(Finding, board_id, finding_id, "finding_id", lambda f: f.respond(response, on, self.user))

    def record_finding_voice(
        self, board_id: UUID, finding_id: UUID, voice: VoiceOfChild, *, on: date | None = None
    ) -> None:
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
        on: date | None = None,
    ) -> None:
        """Record a monitoring check of a finding: re-audit, S11/S175 follow-up, peer review..."""
        on = self._on(on)
        kind = _choice("kind", kind, CheckKind)
        result = _choice("result", result, CheckResult)
        self._update(
            Finding,
            board_id,
            finding_id,
            "finding_id",
            lambda f: f.record_check(
                kind=kind, result=result, evidence=evidence, indicator_key=indicator_key, on=on, by=self.user
            ),
        )

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
        level = None if level is None else _choice("level", level, Level)
        themes = None if themes is None else tuple(themes)
        self._update(
            Finding,
            board_id,
            finding_id,
            "finding_id",
            lambda f: f.correct(reason=reason, statement=statement, level=level, themes=themes, on=on, by=self.user),
        )

    # -- actions -----------------------------------------------------------------------

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
        count as done only when the agency's assurance is back with the board."""
        on = self._on(on)

        def make() -> tuple[UUID, list[CycleAggregate]]:
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

    # -- dissemination -----------------------------------------------------------------

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
        channel = _choice("channel", channel, Channel)
        districts = tuple(districts)
        finding_ids = tuple(_uuid("finding_ids", f) for f in finding_ids)

        def make() -> tuple[UUID, list[CycleAggregate]]:
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
        self, board_id: UUID, dissemination_id: UUID, summary: str, *, respondents: int = 0, on: date | None = None
    ) -> None:
        on = self._on(on)
        self._update(
            Dissemination,
            board_id,
            dissemination_id,
            "dissemination_id",
            lambda d: d.record_feedback(summary, respondents, on, self.user),
        )

    # -- indicators --------------------------------------------------------------------

    def define_indicator(
        self,
        board_id: UUID,
        *,
        key: str,
        title: str,
        kind: IndicatorKind | str,
        unit: str,
        polarity: Polarity | str,
        cadence: Cadence | str,
        target: float | None = None,
        finding_ids: Iterable[UUID] = (),
        priorities: Iterable[str] = (),
        on: date | None = None,
    ) -> UUID:
        """Define a performance indicator of one of the three kinds; ``key`` is unique on the board."""
        on = self._on(on)
        check_key("key", key)
        kind = _choice("kind", kind, IndicatorKind)
        polarity = _choice("polarity", polarity, Polarity)
        cadence = _choice("cadence", cadence, Cadence)
        finding_ids = tuple(_uuid("finding_ids", f) for f in finding_ids)

        def make() -> tuple[UUID, list[Indicator]]:
            board = self._board(board_id)
            for f in finding_ids:
                self._load(Finding, board_id, f, "finding_ids")
            indicator = Indicator.define(
                board_id=board.id,
                key=key,
                title=title,
                kind=kind,
                unit=unit,
                polarity=polarity,
                cadence=cadence,
                target=target,
                year_start=board.state.year_start,
                finding_ids=finding_ids,
                priorities=tuple(priorities),
                on=on,
                by=self.user,
            )
            return indicator.id, [indicator]

        return self._create("indicator", indicator_id_for(board_id, key), "key", key, make)

    def _indicator_id(self, board_id: UUID, key: str) -> UUID:
        check_key("indicator", key)
        return indicator_id_for(board_id, key)

    def link_indicator(
        self, board_id: UUID, indicator: str, finding_ids: Iterable[UUID], *, on: date | None = None
    ) -> None:
        on = self._on(on)
        finding_ids = tuple(_uuid("finding_ids", f) for f in finding_ids)
        for f in finding_ids:
            self._load(Finding, board_id, f, "finding_ids")
        self._update(
            Indicator,
            board_id,
            self._indicator_id(board_id, indicator),
            "indicator",
            lambda i: i.link_findings(finding_ids, on, self.user),
        )

    def record_measurement(
        self,
        board_id: UUID,
        indicator: str,
        period_start: date,
        value: float,
        *,
        source: str = "manual",
        on: date | None = None,
    ) -> None:
        """Record the figure for one period (named by its first day). A second figure for the same
        period is refused: record a correction instead."""
        on = self._on(on)
        self._update(
            Indicator,
            board_id,
            self._indicator_id(board_id, indicator),
            "indicator",
            lambda i: i.record_measurement(period_start, value, source, on, self.user),
        )

    def correct_measurement(
        self, board_id: UUID, indicator: str, period_start: date, value: float, reason: str, *, on: date | None = None
    ) -> None:
        """Restate the figure for a period; the first figure stays in the log."""
        on = self._on(on)
        self._update(
            Indicator,
            board_id,
            self._indicator_id(board_id, indicator),
            "indicator",
            lambda i: i.correct_measurement(period_start, value, reason, on, self.user),
        )

    def record_figures(
        self, board_id: UUID, figures: Iterable[Figure], *, source: str, on: date | None = None
    ) -> PullResult:
        """Record figures read from a source, idempotently and atomically.

        A figure for a period with none is recorded; one equal to the figure held records
        nothing; a different one records a correction. Every figure is checked first (the
        indicator exists on the board, the period is on its cadence, the value is a number, a
        period is not given twice); if any is bad, :class:`BadInput` names each by file, line
        and column, and nothing is recorded.
        """
        on = self._on(on)
        check_text("source", source)
        figures = tuple(figures)

        def command() -> tuple[PullResult, list[Indicator]]:
            self._board(board_id)
            loaded: dict[str, Indicator | None] = {}
            first_seen: dict[tuple[str, date], Figure] = {}
            problems: list[Problem] = []
            recorded = corrected = unchanged = 0
            known: str | None = None
            for figure in figures:
                key = figure.indicator
                if key not in loaded:
                    try:
                        loaded[key] = self._load(Indicator, board_id, self._indicator_id(board_id, key), "indicator")
                    except (NotFound, InvalidValue):
                        loaded[key] = None
                indicator = loaded[key]
                if indicator is None:
                    if known is None:
                        known = ", ".join(sorted(i.key for i in self.indicators(board_id))) or "none"
                    problems.append(
                        Problem(
                            figure.at("indicator"),
                            "indicator",
                            key,
                            f"no indicator with this key on the board (known: {known})",
                        )
                    )
                    continue
                earlier = first_seen.setdefault((key, figure.period_start), figure)
                if earlier is not figure:
                    problems.append(
                        Problem(
                            figure.at("period_start"),
                            "period_start",
                            figure.period_start,
                            f"given twice (first at {earlier.where})",
                        )
                    )
                    continue
                held = indicator.state.measurement(figure.period_start)
                try:
                    if held is None:
                        indicator.record_measurement(figure.period_start, figure.value, source, on, self.user)
                        recorded += 1
                    elif held.value != figure.value:
                        reason = f"restated by {source} ({figure.where})"
                        indicator.correct_measurement(figure.period_start, figure.value, reason, on, self.user)
                        corrected += 1
                    else:
                        unchanged += 1
                except (InvalidValue, RuleViolation) as exc:
                    field = exc.field or "value"
                    place = figure.at("period_start" if field == "on" else field)
                    problems.append(Problem(place, field, exc.value, exc.reason))
            if problems:
                raise BadInput(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))
            return PullResult(recorded, corrected, unchanged), [i for i in loaded.values() if i is not None]

        return self._run("indicator", None, command)

    def pull(self, board_id: UUID, source: IndicatorSource, location: str, *, on: date | None = None) -> PullResult:
        """Read ``location`` with an indicator ``source`` and record its figures
        (see :meth:`record_figures`)."""
        try:
            figures = list(source.read(str(location)))
        except OSError as exc:
            raise InvalidValue("location", str(location), f"cannot be read: {exc.strerror or exc}") from None
        return self.record_figures(board_id, figures, source=source.key, on=on)

    def records(self, board_id: UUID, *, as_of: date | None = None) -> BoardRecords:
        """Everything recorded for a board, as outcome measures read it."""
        return BoardRecords(
            board=self.board(board_id),
            as_of=as_of or self._today(),
            activities=tuple(self.activities(board_id)),
            findings=tuple(self.findings(board_id)),
            actions=tuple(self.actions(board_id)),
            disseminations=tuple(self.disseminations(board_id)),
            indicators=tuple(self.indicators(board_id)),
        )

    # -- queries -----------------------------------------------------------------------

    def board(self, board_id: UUID, *, version: int | None = None) -> BoardState:
        return self._state(Board, board_id, board_id, "board_id", version)

    def board_id(self, key: str) -> UUID:
        """The id of the board with ``key``; :class:`NotFound` if there is none."""
        ident = board_id_for(check_key("key", key))
        if not self._exists(ident):
            raise NotFound("board", key, field="board", by="key")
        return ident

    def activity(self, board_id: UUID, activity_id: UUID, *, version: int | None = None) -> ActivityState:
        return self._state(Activity, board_id, activity_id, "activity_id", version)

    def finding(self, board_id: UUID, finding_id: UUID, *, version: int | None = None) -> FindingState:
        return self._state(Finding, board_id, finding_id, "finding_id", version)

    def action(self, board_id: UUID, action_id: UUID, *, version: int | None = None) -> ActionState:
        return self._state(Action, board_id, action_id, "action_id", version)

    def dissemination(
        self, board_id: UUID, dissemination_id: UUID, *, version: int | None = None
    ) -> DisseminationState:
        return self._state(Dissemination, board_id, dissemination_id, "dissemination_id", version)

    def indicator(self, board_id: UUID, key: str, *, version: int | None = None) -> IndicatorState:
        return self._state(Indicator, board_id, self._indicator_id(board_id, key), "indicator", version)

    def version_of(self, ident: UUID) -> int:
        """The current version (number of events) of any record."""
        try:
            return self._app.repository.get(ident).version
        except AggregateNotFoundError:
            raise NotFound("record", ident) from None

    def history(self, ident: UUID) -> list[RecordedEvent]:
        """Every event of one record, oldest first."""
        events = list(self._app.events.get(_uuid("id", ident)))
        if not events:
            raise NotFound("record", ident)
        return events  # type: ignore[return-value]

    def _state(self, cls: type[A], board_id: UUID, ident: Any, field: str, version: int | None) -> Any:
        if version is None:
            return self._load(cls, board_id, ident, field).state
        if not isinstance(version, int) or version < 1:
            raise InvalidValue("version", version, "must be a whole number from 1")
        ident = _uuid(field, ident)
        try:
            aggregate = self._app.repository.get(ident, version=version)
        except AggregateNotFoundError:
            raise NotFound(cls.KIND, ident, field=field) from None
        if not isinstance(aggregate, cls):
            raise NotFound(cls.KIND, ident, field=field)
        aggregate.check_on_board(board_id, field)
        return aggregate.state

    def boards(self) -> list[BoardState]:
        """Every board in the store, in the order they were set up."""
        return [self._load(Board, i, i, "board_id").state for i in self._created_ids(Board.Created.TOPIC, None)]

    def activities(self, board_id: UUID) -> list[ActivityState]:
        """Every activity of a board, in recorded order."""
        return [self.activity(board_id, i) for i in self._created_ids(Activity.Commissioned.TOPIC, board_id)]

    def findings(self, board_id: UUID) -> list[FindingState]:
        """Every finding of a board, in recorded order."""
        return [self.finding(board_id, i) for i in self._created_ids(Finding.Raised.TOPIC, board_id)]

    def actions(self, board_id: UUID) -> list[ActionState]:
        return [self.action(board_id, i) for i in self._created_ids(Action.Raised.TOPIC, board_id)]

    def disseminations(self, board_id: UUID) -> list[DisseminationState]:
        return [self.dissemination(board_id, i) for i in self._created_ids(Dissemination.Delivered.TOPIC, board_id)]

    def indicators(self, board_id: UUID) -> list[IndicatorState]:
        return [
            self._load(Indicator, board_id, i, "indicator").state
            for i in self._created_ids(Indicator.Defined.TOPIC, board_id)
        ]

    def _created_ids(self, topic: str, board_id: UUID | None) -> list[UUID]:
        self._board(board_id) if board_id is not None else None
        found = []
        for notice in self.follow(topics=(topic,)):
            event = notice.event
            if board_id is None or getattr(event, "board_id", None) == board_id:
                found.append(event.originator_id)
        return found

    # -- the log -----------------------------------------------------------------------

    def subscribe(self, listener: Callable[[list[RecordedNotice]], None]) -> Callable[[], None]:
        """Call ``listener`` with the events of each command this object records, right after
        they are saved. Returns a function that unsubscribes. For events recorded by other
        processes, use :meth:`follow` with the last position seen."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def position(self) -> int:
        """The position of the last recorded event (0 when the log is empty)."""
        return self._app.recorder.max_notification_id() or 0

    def follow(self, after: int = 0, *, topics: Sequence[str] = (), batch: int = 500) -> Iterator[RecordedNotice]:
        """The recorded events after position ``after``, in recorded order, up to the end of the
        log as it is now. Keep the last position you saw and pass it next time to follow on."""
        if not isinstance(after, int) or after < 0:
            raise InvalidValue("after", after, "must be a whole number, 0 or more")
        while True:
            notifications = self._app.recorder.select_notifications(
                start=after, limit=batch, topics=topics, inclusive_of_start=False
            )
            for notification in notifications:
                yield RecordedNotice(notification.id, notification.topic, self.mapper.to_domain_event(notification))
            if len(notifications) < batch:
                return
            after = notifications[-1].id


# -- argument helpers -------------------------------------------------------------------


def _uuid(field: str, value: Any) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidValue(field, value, "must be an id (a UUID)") from None


E = TypeVar("E")


def _choice(field: str, value: Any, enum: type[E]) -> E:
    try:
        return enum(value)  # type: ignore[call-arg]
    except ValueError:
        choices = ", ".join(e.value for e in enum)  # type: ignore[attr-defined]
        raise InvalidValue(field, value, f"must be one of {choices}") from None


def _agency(value: Agency | tuple[str, str]) -> Agency:
    if isinstance(value, Agency):
        return value
    try:
        key, name = value
    except (TypeError, ValueError):
        raise InvalidValue("agencies", value, "an agency is a key and a name") from None
    return Agency(key, name)


def _priority(value: Priority | tuple[str, str]) -> Priority:
    if isinstance(value, Priority):
        return value
    try:
        key, title = value
    except (TypeError, ValueError):
        raise InvalidValue("priorities", value, "a priority is a key and a title") from None
    return Priority(key, title)


def _year(value: str | ReportingYear, start: YearStart) -> ReportingYear:
    if isinstance(value, ReportingYear):
        return ReportingYear(value.first, start)
    return ReportingYear.parse(value, start)


__all__ = ["LearningCycle", "RecordedNotice", "check_date"]
