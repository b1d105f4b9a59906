"""The commands of the cycle, and queries of one record at a time.

:class:`LearningCycle` is the one object an embedding system creates to record. Every command is
scoped to one board, takes primitives, ids and value objects, validates everything before writing,
and either records all its events atomically or nothing (:mod:`.unit_of_work`). Every command
takes ``on``, the effective date (when it happened in the world; default today), which may be
years back.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from ..domain import Menu
from ..domain.timescales import ENGLAND_AND_WALES, WorkingCalendar
from ..eventlog.log import EventLog
from ..eventlog.store import Store
from .access import AccessCommands
from .actions import ActionCommands
from .activities import ActivityCommands
from .base import USER_ENV, recorder
from .boards import BoardCommands
from .disseminations import DisseminationCommands
from .findings import FindingCommands
from .framework import FrameworkCommands
from .indicators import IndicatorCommands
from .involvement import InvolvementCommands
from .programme import ProgrammeCommands
from .queries import Queries
from .returns import ReturnCommands
from .unit_of_work import UnitOfWork

__all__ = ["USER_ENV", "LearningCycle", "recorder"]


class LearningCycle(
    BoardCommands,
    AccessCommands,
    ActivityCommands,
    FindingCommands,
    ActionCommands,
    DisseminationCommands,
    IndicatorCommands,
    FrameworkCommands,
    ReturnCommands,
    ProgrammeCommands,
    InvolvementCommands,
    Queries,
):
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
