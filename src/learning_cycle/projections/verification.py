"""Verification: the log and the views checked against each other (``learning-cycle verify``).

The hash chain written with the events is walked from the first (an edit, a deleted, swapped or
added row is found, with the first bad position); a digest published earlier is checked; the views'
tracking must not be behind their rows; no record has a version gap; every event decodes; and the
maintained views must equal a rebuild from scratch, field by field. A difference in a field is named
by record and field, never by its values, which may be restricted material (:class:`Difference`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

import attrs
from eventsourcing.persistence import MapperDeserialisationError

from ..domain.board import Board
from ..eventlog.chain import Head
from ..eventlog.log import EventLog
from .batches import Codec
from .rebuild import sweep_stale
from .viewdb import ViewStore

Progress = Callable[[int, int], None]
"""Called with (events folded so far, events to fold in all) as catch-up goes."""


class Verified(Protocol):
    """What verification reads of a set of views (:class:`~.store.Views` has it)."""

    log: EventLog
    store: ViewStore
    codec: Codec

    def catch_up(self) -> int: ...

    def position(self) -> int: ...

    def rebuild(self, *, progress: Progress | None = None, until: int | None = None) -> int: ...

    def close(self) -> None: ...


@attrs.frozen
class Difference:
    """One way the maintained views differ from a rebuild."""

    where: str
    maintained: Any = None
    rebuilt: Any = None
    recorded: bool = False
    """``maintained`` and ``rebuilt`` are a field's values as recorded, which may be restricted
    material: ``str`` names the record and field only; :meth:`shown` gives the values (after a
    read recorded with :meth:`LearningCycle.read_restricted`: the command line's ``verify
    --include-restricted``)."""
    board_id: UUID | None = None
    """The board of the record whose field differs (whose access log such a read goes in)."""

    def __str__(self) -> str:
        if self.recorded:
            return f"{self.where}: the maintained value is not the rebuilt one (values not shown)"
        return self.shown()

    def shown(self) -> str:
        """The difference with its values."""
        if self.maintained is None and self.rebuilt is None:  # a finding of its own (the chain's)
            return self.where
        return f"{self.where}: maintained {self.maintained!r}, rebuilt {self.rebuilt!r}"

    def withheld(self) -> Difference:
        """The difference without a field's recorded values (for an output that is no logged read)."""
        return attrs.evolve(self, maintained=None, rebuilt=None) if self.recorded else self


@attrs.frozen
class Verification:
    position: int
    records: int
    events: int
    differences: tuple[Difference, ...]
    head: str | None = None
    """The log's head as ``POSITION:HEX``: keep it outside the store, and ``verify --digest`` it later."""
    chained_late_until: int = 0
    """Events up to this position were recorded before the store was chained (by an earlier version)
    and were linked late, by ``learning-cycle chain``: edits made to them before then cannot be seen."""
    chained_late: str | None = None
    """When and by whom they were linked, as the chaining recorded it in the log (``events 1 to N
    were chained late, on DATE by WHO (learning-cycle chain)``)."""
    anchored: str | None = None
    """The digest the log was checked against, if one was given."""

    @property
    def ok(self) -> bool:
        return not self.differences


def verify(
    views: Verified, fresh: Callable[[str], Verified], *, progress: Progress | None = None, digest: Head | None = None
) -> Verification:
    """Check the log and the views: the hash chain written with the events, walked from the
    first (an edit, a deleted, swapped or added row is found, with the first bad position);
    with ``digest`` (a head published earlier), that the log up to its position is the one it
    was taken of; the views' tracking is not behind their rows; no version gaps; every event
    decodes; and the maintained views equal a rebuild from scratch."""
    differences: list[Difference] = []
    tracked, logged = views.store.position(), views.store.last_logged()
    if logged > tracked:
        differences.append(
            Difference(
                f"the views' tracking position is {tracked}, behind the rows they hold (to {logged}): moved back"
            )
        )
    try:
        views.catch_up()
    except MapperDeserialisationError as exc:
        differences.append(Difference(f"the views cannot catch up with the log: {' '.join(str(exc).split())}"))
    position = views.position()
    report = views.log.walk(mark=digest)
    chained_late = None
    if report.unchained:
        differences.append(
            Difference(
                f"the chain: the store is unchained: its {views.log.position()} events have no links (a version "
                "before the chain made it, or its chain was removed); a store an earlier version made is "
                "chained once with `learning-cycle chain`"
            )
        )
    elif report.broken is not None:  # (a process with another signing key than the store's is refused at open)
        differences.append(Difference(f"the chain: {report.broken}"))
    elif report.chained_late_until:
        chained_late = _chaining(views.log, report.chained_late_until)
        if chained_late is None:
            differences.append(
                Difference(
                    f"the chain: events 1 to {report.chained_late_until} were linked late, and no chaining by "
                    "`learning-cycle chain` is recorded after them"
                )
            )
    if digest is not None and report.broken is None and report.at_mark != digest.digest:
        found = "it has no such position" if report.at_mark is None else f"it reads {digest.position}:{report.at_mark}"
        differences.append(
            Difference(
                f"the digest: the log up to position {digest.position} is not the one {digest} was taken of ({found})"
            )
        )
    for record_id, count, lowest, highest in views.store.version_gaps():
        differences.append(
            Difference(
                f"record {record_id}",
                f"{count} events, versions {lowest} to {highest}",
                "versions 1 to n without gaps",
            )
        )
    sweep_stale()
    handle, path = tempfile.mkstemp(prefix=f"lc-verify-{os.getpid()}-", suffix=".sqlite")
    os.close(handle)
    records = events = 0
    try:
        rebuilt = fresh(path)
        try:
            try:
                rebuilt.rebuild(until=position, progress=progress)
            except MapperDeserialisationError as exc:
                differences.append(Difference("log", "every event decodes", " ".join(str(exc).split())))
                made = rebuilt.store.dump()
            else:
                made = rebuilt.store.dump()
                differences += _compare(views, rebuilt, made)
            records, events = len(made[0]), len(made[1])
        finally:
            rebuilt.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    return Verification(
        position,
        records,
        events,
        tuple(differences),
        head=None if report.head is None or report.broken is not None else str(report.head),
        chained_late_until=report.chained_late_until,
        chained_late=chained_late,
        anchored=None if digest is None else str(digest),
    )


def _chaining(log: EventLog, until: int) -> str | None:
    """What the log records of ``learning-cycle chain`` linking events 1 to ``until`` late: the
    first such record after them (chained as it was recorded), in words; ``None`` if there is none."""
    try:
        for notice in log.read(until, topics=[Board.LogChained.TOPIC]):
            event = notice.event
            if isinstance(event, Board.LogChained) and event.chained_until == until:
                when = event.timestamp.astimezone(UTC).date().isoformat()
                return f"events 1 to {until} were chained late, on {when} by {event.recorded_by} (learning-cycle chain)"
    except MapperDeserialisationError:
        return None  # (reported as an event that does not decode)
    return None


def _compare(maintained: Verified, rebuilt: Verified, made: tuple[dict, dict]) -> list[Difference]:
    """The differences of the maintained views from the rebuilt ones (``made``: the rebuilt store's dump)."""
    differences: list[Difference] = []
    if maintained.position() != rebuilt.position():
        differences.append(Difference("tracking position", maintained.position(), rebuilt.position()))
    ours, our_log = maintained.store.dump()
    theirs, their_log = made
    for record_id in sorted(ours.keys() | theirs.keys()):
        a, b = ours.get(record_id), theirs.get(record_id)
        if a is None or b is None:
            differences.append(
                Difference(f"record {record_id}", "present" if a else "missing", "present" if b else "missing")
            )
            continue
        (a_board, a_kind, a_version, a_pos, a_state), (b_board, b_kind, b_version, b_pos, b_state) = a, b
        if (a_board, a_kind, a_version, a_pos) != (b_board, b_kind, b_version, b_pos):
            differences.append(
                Difference(
                    f"{a_kind} {record_id}", f"version {a_version} at {a_pos}", f"version {b_version} at {b_pos}"
                )
            )
            continue
        b_text = rebuilt.codec.text(b_kind, b_state)
        try:
            a_text = maintained.codec.text(a_kind, a_state)
            if a_text == b_text:  # the same JSON, written by the same encoder: the same record
                continue
            a_value = maintained.codec.structure(a_kind, a_text)
        except MapperDeserialisationError:
            differences.append(
                Difference(f"lc_view_records row {record_id} ({a_kind}, at position {a_pos}): cannot be decoded")
            )
            continue
        b_value = rebuilt.codec.structure(b_kind, b_text)
        if a_value != b_value:
            for field in attrs.fields(type(a_value)):
                x, y = getattr(a_value, field.name), getattr(b_value, field.name)
                if x != y:
                    where = f"{a_kind} {record_id} {field.name} (last changed at position {a_pos})"
                    differences.append(Difference(where, x, y, recorded=True, board_id=UUID(a_board)))
    for key in sorted(our_log.keys() ^ their_log.keys()):
        differences.append(
            Difference(
                f"log entry {key}",
                "present" if key in our_log else "missing",
                "present" if key in their_log else "missing",
            )
        )
    for key in sorted(our_log.keys() & their_log.keys()):
        if our_log[key] != their_log[key]:
            differences.append(Difference(f"log entry {key}", our_log[key], their_log[key]))
    return differences
