"""One command as one unit of work: decide on current records, save atomically, or decide again.

A command loads the records it needs, checks its rules and returns the records to save. The unit
of work saves them in one transaction, expecting the log's head as it was when the command was
decided (see :class:`Decisions`): if anyone recorded anything since, nothing is written and the
command is decided again on fresh records. A command therefore never acts on a record that changed
unseen, whether it writes that record or only reads it (no lost update, no write skew).
"""

from __future__ import annotations

import contextlib
import copy
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, RecordConflictError

from ..domain import CycleAggregate
from ..domain.errors import ConcurrencyConflict, LearningCycleError
from ..eventlog.log import EventLog, RecordedNotice
from ..eventlog.recorders import HeadMoved

MAX_ATTEMPTS = 12
"""How often a command is decided again when another writer saved first."""
MAX_BACKOFF = 0.2
"""The longest pause (seconds) between two attempts; pauses grow with jitter up to it."""


class Decisions:
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

    def begin(self, log: EventLog, attempt: int) -> int | None:
        """Start an attempt; the head its save will expect (None: no check)."""
        self._local.loaded = []
        self._local.cached = False
        if not self.checked:
            self._local.loaded = None
            return None
        if self.head is None:
            self.current.clear()
            self.head = log.position()  # read before any record
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


class UnitOfWork:
    """Runs commands against one :class:`~learning_cycle.eventlog.EventLog`, one at a time per process."""

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.decisions = Decisions(log.checks_head)
        self.listeners: list[Callable[[list[RecordedNotice]], None]] = []

    def get(self, ident: UUID) -> Any:
        """A record for the command being decided (from the cache when it is known current)."""
        return self.decisions.get(self.log.repository, ident)

    def run(self, kind: str, ident: Any, command: Callable[[], tuple[Any, Sequence[CycleAggregate]]]) -> Any:
        """Run ``command`` (which loads, decides and returns the aggregates to save) and save
        atomically. If another writer saved first, run it again on fresh state: the command
        re-checks its rules, so a retry can never lose an update or break a rule. Listeners hear
        the recorded events after the save."""
        decisions = self.decisions
        with decisions.lock:
            for attempt in range(MAX_ATTEMPTS):
                expected = decisions.begin(self.log, attempt)
                try:
                    result, aggregates = command()
                except LearningCycleError:
                    if decisions.end_refused():
                        continue  # refused on cached records: decide again on what the store holds
                    raise
                try:
                    recordings = self.log.append(aggregates, expected_head=expected)
                except (OperationalError, InterfaceError) as exc:  # the store went away or stayed locked
                    decisions.forget()
                    reason = " ".join(str(exc).split()) or type(exc).__name__
                    raise LearningCycleError(
                        f"store: could not record ({reason}); nothing was recorded: try again",
                        field="store",
                        value=self.log.store.label,
                    ) from None
                except HeadMoved:
                    if decisions.moved():
                        time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.005 * 2**attempt)))
                    continue
                except RecordConflictError:
                    decisions.forget()
                    time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.005 * 2**attempt)))
                    continue
                decisions.saved(self.log.repository, aggregates, recordings)
                if self.listeners:
                    notices = [
                        RecordedNotice(r.notification.id, r.notification.topic, r.domain_event)  # type: ignore[arg-type]
                        for r in recordings
                    ]
                    for listener in list(self.listeners):
                        listener(notices)
                return result
        raise ConcurrencyConflict(kind, ident, MAX_ATTEMPTS)
