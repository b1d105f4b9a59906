"""The commands of the cycle, and queries of one record at a time.

:class:`LearningCycle` is the one object an embedding system creates to record. Every command is
scoped to one board, takes primitives, ids and value objects, validates everything before writing,
and either records all its events atomically or nothing (:mod:`.unit_of_work`). Every command
takes ``on``, the effective date (when it happened in the world; default today), which may be
years back.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ..domain import (
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
from ..domain.access import RestrictedAccess
from ..domain.errors import (
    AlreadyExists,
    BadInput,
    InvalidValue,
    NotFound,
    Problem,
    RuleViolation,
    Where,
)
from ..domain.rules import check_value, rule_at
from ..domain.sources import Figure, IndicatorSource, PullResult
from ..domain.timescales import ENGLAND_AND_WALES, Deadline, WorkingCalendar
from ..domain.values import VOICE_NOT_RECORDED, check_key, check_not_future, check_text
from ..eventlog.log import EventLog, RecordedNotice
from ..eventlog.store import Store
from .arguments import as_agency, as_priority, as_uuid, as_year, choice
from .unit_of_work import UnitOfWork

A = TypeVar("A", bound=CycleAggregate)

MAX_PROBLEMS = 50


def _place(problem: Problem) -> tuple[str, int]:
    """The order problems are listed in: by file and line (a stable sort keeps the order each
    line's problems were found in)."""
    return (problem.where.file, problem.where.line)


"""How many problems with an input one error reports at most."""


USER_ENV = "LEARNING_CYCLE_USER"
"""The environment variable naming who records events, when ``user`` is not given."""


def recorder(user: str | None) -> str:
    """Who records events: ``user``, else ``$LEARNING_CYCLE_USER``, else the login name; checked
    as every name is (the ``recorded_by`` rule: one line, no control character), the error naming
    where it came from."""
    if user is not None:
        field, name = "user", user
    elif os.environ.get(USER_ENV):
        field, name = f"{USER_ENV} (the recorder's name, from the environment)", os.environ[USER_ENV]
    else:
        field, name = "user (the login name)", getpass.getuser()
    return check_value(field, rule_at(RecordedEvent, "recorded_by"), name, None, normalise=True)


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
    :param log: an open :class:`~learning_cycle.eventlog.EventLog` to record in, instead of
        ``store`` and ``env``.

    Its queries read one record at a time (by id); lists of records, and any view of a board,
    come from the read models (:class:`learning_cycle.Views`).
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
        log: EventLog | None = None,
    ) -> None:
        self.calendar = calendar
        self.menu = menu if menu is not None else Menu()
        self.user = recorder(user)
        self._today = today
        self.log = log if log is not None else EventLog(store, env=env)
        self._work = UnitOfWork(self.log)

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self.log.close()

    def __enter__(self) -> LearningCycle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def store(self) -> Store:
        """Where the log lives (parsed from the store setting)."""
        return self.log.store

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
        ident = as_uuid(field, ident)
        try:
            aggregate = self._work.get(ident)
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
            self.log.repository.get(ident)
        except AggregateNotFoundError:
            return False
        return True

    def _run(self, kind: str, ident: Any, command: Callable[[], tuple[Any, Sequence[CycleAggregate]]]) -> Any:
        """Decide and save ``command`` as one unit of work (see :class:`UnitOfWork`)."""
        return self._work.run(kind, ident, command)

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
        on: date | None = None,
    ) -> UUID:
        """Set up a board and its priorities for some reporting years, as one command: all of it
        is recorded, or nothing (``learning-cycle init``)."""
        check_key("key", key)
        on = self._on(on)
        agencies = tuple(as_agency(a) for a in agencies)
        wanted = [(year, tuple(as_priority(p) for p in items)) for year, items in priorities]
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
            for year, items in wanted:
                board.set_priorities(as_year(year, board.state.year_start), items, on, self.user)
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

    def read_restricted(self, board_id: UUID, query: str) -> RestrictedAccess:
        """Record a read of the board's restricted material (who, when, ``query``: the verb or
        view query), then return the :class:`RestrictedAccess` a view query takes to show it.
        Nothing restricted is shown without one; the board's access log lists every such read."""
        self._update(
            Board, board_id, board_id, "board_id", lambda b: b.read_restricted(query, self._on(None), self.user)
        )
        (last,) = self.log.record(board_id, last=True)
        event = self.log.mapper.to_domain_event(last)
        return RestrictedAccess(board_id, query, self.user, event.timestamp)

    def chain_log(self) -> int:
        """Chain a store an earlier version made without a chain (``learning-cycle chain``): link
        every event, marked late, and record on every board of the store, as ordinary chained
        events, when and by whom (:attr:`user`) it was done, all in one transaction. Returns how many
        events were linked late. Refused, nothing written, for a store with any link, one made
        chained whose chain is gone, or an empty one (see :meth:`.EventLog.chain_late`)."""
        last, on = self.log.position(), self._on(None)
        boards = [self._board(n.event.originator_id) for n in self.log.read(topics=[Board.Created.TOPIC])]
        for board in boards:
            board.log_chained(last, on, self.user)
        mapper = self.log.mapper
        return self.log.chain_late([mapper.to_stored_event(e) for b in boards for e in b.collect_events()])

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
        level = choice("level", level, Level)
        nature = choice("nature", nature, Nature)

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
        kind = choice("kind", kind, CheckKind)
        result = choice("result", result, CheckResult)

        def command() -> tuple[None, list[CycleAggregate]]:
            finding = self._load(Finding, board_id, finding_id, "finding_id")
            if indicator_key is not None:  # a check names an indicator the board has
                self._indicator(board_id, indicator_key, "indicator_key")
            finding.record_check(
                kind=kind, result=result, evidence=evidence, indicator_key=indicator_key, on=on, by=self.user
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
        channel = choice("channel", channel, Channel)
        districts = tuple(districts)
        finding_ids = tuple(as_uuid("finding_ids", f) for f in finding_ids)

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
        kind = choice("kind", kind, IndicatorKind)
        polarity = choice("polarity", polarity, Polarity)
        cadence = choice("cadence", cadence, Cadence)
        finding_ids = tuple(as_uuid("finding_ids", f) for f in finding_ids)

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

    def _update_indicator(self, board_id: UUID, key: str, change: Callable[[Indicator], None]) -> None:
        def command() -> tuple[None, Sequence[CycleAggregate]]:
            indicator = self._indicator(board_id, key)
            change(indicator)
            return None, [indicator]

        self._run(Indicator.KIND, key, command)

    def _indicator(self, board_id: UUID, key: str, field: str = "indicator") -> Indicator:
        """The board's indicator with ``key``; :class:`NotFound` naming the key given (not an id)."""
        check_key(field, key)
        try:
            return self._load(Indicator, board_id, indicator_id_for(board_id, key), field)
        except NotFound:
            raise NotFound("indicator", key, field=field, by="key") from None

    def link_indicator(
        self, board_id: UUID, indicator: str, finding_ids: Iterable[UUID], *, on: date | None = None
    ) -> None:
        on = self._on(on)
        finding_ids = tuple(as_uuid("finding_ids", f) for f in finding_ids)
        for f in finding_ids:
            self._load(Finding, board_id, f, "finding_ids")
        self._update_indicator(board_id, indicator, lambda i: i.link_findings(finding_ids, on, self.user))

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
        self._update_indicator(
            board_id, indicator, lambda i: i.record_measurement(period_start, value, source, on, self.user)
        )

    def correct_measurement(
        self, board_id: UUID, indicator: str, period_start: date, value: float, reason: str, *, on: date | None = None
    ) -> None:
        """Restate the figure for a period; the first figure stays in the log."""
        on = self._on(on)
        self._update_indicator(
            board_id, indicator, lambda i: i.correct_measurement(period_start, value, reason, on, self.user)
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
        held = tuple(figures)
        return self._record_figures(board_id, lambda: iter(held), source, on)

    def _record_figures(
        self, board_id: UUID, read: Callable[[], Iterable[Figure]], source: str, on: date | None
    ) -> PullResult:
        """Check and record the figures ``read()`` gives (called again if the command is retried),
        one at a time: memory holds the indicators, one place per figure's period and the first
        problems, never the whole input. A :class:`BadInput` the source raises (when its good
        figures have been given, or with them as ``read``) lists its problems together with the
        ones found here, in the order of the input; then nothing is recorded."""
        on = self._on(on)
        check_text("source", source)

        def command() -> tuple[PullResult, list[Indicator]]:
            self._board(board_id)
            loaded: dict[str, Indicator | None] = {}
            first_seen: dict[tuple[str, date], Where] = {}
            problems: list[Problem] = []
            found = 0
            known: list[BadInput] = []
            recorded = corrected = unchanged = 0

            def figures() -> Iterator[Figure]:
                try:
                    yield from read()
                except BadInput as exc:
                    known.append(exc)
                    yield from exc.read or ()  # good figures a source passed on, checked here too

            def problem(*args: Any) -> None:
                nonlocal found
                found += 1
                if len(problems) < MAX_PROBLEMS:  # in the input's order: the first are the ones shown
                    problems.append(Problem(*args))

            for figure in figures():
                key = figure.indicator
                if key not in loaded:
                    try:
                        loaded[key] = self._load(Indicator, board_id, self._indicator_id(board_id, key), "indicator")
                    except (NotFound, InvalidValue):
                        loaded[key] = None
                indicator = loaded[key]
                if indicator is None:
                    problem(
                        figure.at("indicator"),
                        "indicator",
                        key,
                        "no indicator with this key on the board: define it first (define_indicator)",
                    )
                    continue
                earlier = first_seen.get((key, figure.period_start))
                if earlier is not None:
                    problem(
                        figure.at("period_start"),
                        "period_start",
                        figure.period_start,
                        f"given twice (first at {earlier})",
                    )
                    continue
                first_seen[(key, figure.period_start)] = figure.where
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
                    problem(place, field, exc.value, exc.reason)
            total = found
            if known:
                problems = sorted([*known[0].problems, *problems], key=_place)
                total += len(known[0].problems) + known[0].more
            if problems:
                shown = problems[:MAX_PROBLEMS]
                raise BadInput(shown, more=total - len(shown))
            return PullResult(recorded, corrected, unchanged), [i for i in loaded.values() if i is not None]

        return self._run("indicator", None, command)

    def pull(self, board_id: UUID, source: IndicatorSource, location: str, *, on: date | None = None) -> PullResult:
        """Read ``location`` with an indicator ``source`` and record its figures
        (see :meth:`record_figures`), as they are read."""

        def read() -> Iterator[Figure]:
            try:
                yield from source.read(str(location))
            except OSError as exc:
                raise InvalidValue("location", str(location), f"cannot be read: {exc.strerror or exc}") from None

        return self._record_figures(board_id, read, source.key, on)

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
        try:
            return self._state(Indicator, board_id, self._indicator_id(board_id, key), "indicator", version)
        except NotFound:
            raise NotFound("indicator", key, field="indicator", by="key") from None

    def version_of(self, ident: UUID) -> int:
        """The current version (number of events) of any record."""
        try:
            return self.log.repository.get(ident).version
        except AggregateNotFoundError:
            raise NotFound("record", ident) from None

    def history(self, ident: UUID) -> list[RecordedEvent]:
        """Every event of one record, oldest first."""
        events = self.log.record_events(as_uuid("id", ident))
        if not events:
            raise NotFound("record", ident)
        return events  # type: ignore[return-value]

    def _state(self, cls: type[A], board_id: UUID, ident: Any, field: str, version: int | None) -> Any:
        if version is None:
            return self._load(cls, board_id, ident, field).state
        if not isinstance(version, int) or version < 1:
            raise InvalidValue("version", version, "must be a whole number from 1")
        ident = as_uuid(field, ident)
        try:
            aggregate = self.log.repository.get(ident, version=version)
        except AggregateNotFoundError:
            raise NotFound(cls.KIND, ident, field=field) from None
        if not isinstance(aggregate, cls):
            raise NotFound(cls.KIND, ident, field=field)
        aggregate.check_on_board(board_id, field)
        return aggregate.state

    # -- the log -----------------------------------------------------------------------

    def subscribe(self, listener: Callable[[list[RecordedNotice]], None]) -> Callable[[], None]:
        """Call ``listener`` with the events of each command this object records, right after
        they are saved. Returns a function that unsubscribes. For events recorded by other
        processes, use :meth:`follow` with the last position seen."""
        listeners = self._work.listeners
        listeners.append(listener)
        return lambda: listeners.remove(listener) if listener in listeners else None

    def position(self) -> int:
        """The position of the last recorded event (0 when the log is empty)."""
        return self.log.position()

    def follow(self, after: int = 0, *, topics: Sequence[str] = (), batch: int = 500) -> Iterator[RecordedNotice]:
        """The recorded events after position ``after``, in recorded order, up to the end of the
        log as it is now. Keep the last position you saw and pass it next time to follow on."""
        return self.log.read(after, topics=topics, batch=batch)
