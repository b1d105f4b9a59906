"""The maintained views as an eventsourcing :class:`~eventsourcing.projection.Projection`.

:class:`RecordsProjection` folds events with the records' pure folds (:func:`.fold.apply`, through
:func:`.batches.fold_batch`) into the rows of its view, a tracking recorder of the engine
(:mod:`.viewdb`), and records the tracking in the same transaction. ``process_event`` is the
engine's protocol (one event and its :class:`~eventsourcing.persistence.Tracking`);
:meth:`RecordsProjection.process` takes a batch, with the tracking of its last event, which is what
a catch-up (:func:`catch_up`) uses: one transaction per event would make catching up on a large
log many times slower (docs/performance.md).

eventsourcing 9.5's ``ProjectionRunner`` is not used to drive it: it follows an application through
its recorder's subscription, which the engine's SQLite recorder does not offer (it raises
``NotImplementedError``), and it processes one event per transaction. :func:`catch_up` reads the
log through the public :class:`~learning_cycle.eventlog.log.EventLog` instead, in batches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from ..eventlog.log import EventLog
from ..eventlog.store import Store
from .batches import Codec, fold_batch
from .viewdb import APPLICATION, Moved, ViewStore, sqlite_view_store

BATCH = 500
"""Events folded in one transaction by a catch-up."""


class RecordsProjection(Projection[ViewStore]):
    """Each record's current state and each event's row, folded from the log (see the module)."""

    name = "lc_views"

    def __init__(self, view: ViewStore, codec: Codec) -> None:
        super().__init__(view)
        self.codec = codec

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Fold one event (the engine's protocol); nothing if the view is already past it."""
        start = self.view.position()
        if tracking.notification_id > start:
            self.process(start, [tracking.notification_id], [domain_event])

    def process(self, start: int, positions: list[int], events: list[Any]) -> bool:
        """Fold ``events`` (at log ``positions``, after the view's position ``start``) and record
        the tracking of the last, in one transaction; ``False`` (and nothing written) if another
        process moved the view's position meanwhile."""
        records, log, _ = fold_batch(positions, events, {}, self.view.rows, self.codec)
        try:
            self.view.commit(start, positions[-1], records, log)
        except Moved:
            return False
        return True


def catch_up(
    log: EventLog,
    projection: RecordsProjection,
    *,
    batch: int = BATCH,
    until: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Fold every event of ``log`` after the view's position (up to position ``until``), a batch
    per transaction; returns how many were folded (by this call: a batch another process folded
    first is read again from where it got to)."""
    view = projection.view
    folded = 0
    head = log.position() if until is None else until
    total = max(0, head - view.position())
    while True:
        start = view.position()
        if start >= head:
            return folded
        entries = log.entries(start, head, min(batch, head - start))
        if not entries:
            return folded
        if not projection.process(start, [e.id for e in entries], [log.decode(e) for e in entries]):
            continue  # another process folded these; start again from where it got to
        folded += len(entries)
        if progress is not None:
            progress(folded, total)


def open_view_store(store: Store, path: str | None = None) -> ViewStore:
    """The views live with the events: the same SQLite file (or memory), or the same PostgreSQL
    database and schema; or in the SQLite file ``path``."""
    lock_timeout = int(store.settings.get("SQLITE_LOCK_TIMEOUT") or 10)
    if path is not None:
        return sqlite_view_store(path, lock_timeout=lock_timeout)
    if store.kind == "memory":
        return sqlite_view_store(":memory:")
    if store.kind == "postgresql":
        from .viewdb_postgres import postgres_view_store

        return postgres_view_store(store)
    return sqlite_view_store(str(store.path), lock_timeout=lock_timeout)


__all__ = ["APPLICATION", "BATCH", "RecordsProjection", "catch_up", "open_view_store"]
