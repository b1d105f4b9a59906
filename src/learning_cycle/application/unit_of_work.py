"""One command as one unit of work: decide on current records, save atomically, or decide again.

A command loads the records it needs, checks its rules and returns the records to save. The unit
of work saves them in one transaction expecting the log's head as it was before the command read
anything (the head the log's own last save left, or else read from the store first): if anyone
recorded anything since, nothing is written (:class:`~learning_cycle.eventlog.recorders.HeadMoved`)
and the command is decided again on records read from the store and a fresh head. A command
therefore never acts on a record that changed unseen, whether it writes that record or only reads
it (no lost update, no write skew).

Records come from eventsourcing's repository cache, the one cache, which every save updates and
which is trusted only as of that head (:meth:`~learning_cycle.eventlog.EventLog.deciding`). The
save returns what it recorded (:class:`Done`): positions and events, whose ``timestamp`` is when
each was recorded.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import attrs
from eventsourcing.persistence import InterfaceError, OperationalError, RecordConflictError

from ..domain import CycleAggregate
from ..domain.errors import ConcurrencyConflict, LearningCycleError
from ..eventlog.log import EventLog, RecordedNotice
from ..eventlog.recorders import HeadMoved

MAX_ATTEMPTS = 12
"""How often a command is decided again when another writer saved first."""
MAX_BACKOFF = 0.2
"""The longest pause (seconds) between two attempts; pauses grow with jitter up to it."""

R = TypeVar("R")

Command = Callable[[], tuple[R, Sequence[CycleAggregate[Any]]]]
"""A command: loads, decides, and returns its result and the records to save."""


@attrs.frozen
class Done(Generic[R]):
    """What a command returned, and what its save recorded (in recorded order)."""

    result: R
    recorded: tuple[RecordedNotice, ...]


class UnitOfWork:
    """Runs commands against one :class:`~learning_cycle.eventlog.EventLog`, one at a time per
    log in a process (so the threads of one process never decide again each other's commands)."""

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.listeners: list[Callable[[list[RecordedNotice]], None]] = []

    def run(self, kind: str, ident: Any, command: Command[R]) -> Done[R]:
        """Run ``command`` (which loads, decides and returns the aggregates to save) and save
        atomically, expecting the head read before it ran. If another writer saved first, run it
        again on fresh records: the command re-checks its rules, so a retry can never lose an
        update or break a rule. A command decided on records this log's own last save left, that
        is refused or records nothing, is decided again on the store's if anything was recorded
        since. Listeners hear the recorded events after the save."""
        for attempt in range(MAX_ATTEMPTS):
            with self.log.deciding() as (head, known):  # the head before any record is read
                try:
                    result, aggregates = command()
                except Exception:
                    if known and self.log.moved_since(head):  # refused on records another has changed
                        continue
                    raise
                try:
                    recorded = self.log.append(aggregates, expected_head=head)
                except (OperationalError, InterfaceError) as exc:  # the store went away or stayed locked
                    reason = " ".join(str(exc).split()) or type(exc).__name__
                    raise LearningCycleError(
                        f"store: could not record ({reason}); nothing was recorded: try again",
                        field="store",
                        value=self.log.store.label,
                    ) from None
                except (HeadMoved, RecordConflictError):
                    pass
                else:  # (a command that records nothing was checked by no save: is its head still the log's?)
                    if recorded or not known or not self.log.moved_since(head):
                        break
            if not known:  # it moved under a head just read: other writers are busy (pause unlocked)
                time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.005 * 2**attempt)))
        else:
            raise ConcurrencyConflict(kind, ident, MAX_ATTEMPTS)
        for listener in list(self.listeners):
            listener(list(recorded))
        return Done(result, tuple(recorded))
