"""Folding a batch of the log into view rows: what a catch-up and a rebuild share.

Both read the log in batches and fold each with :func:`fold_batch` into the rows of the records it
changed (state sealed as the store seals events: :class:`Codec`) and one row per event; a catch-up
commits them to the views, a rebuild to a file of its own (:mod:`.rebuild`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from ..eventlog.log import EventLog
from ..eventlog.serialization import converter, dumps_state, uuid_text
from .fold import STATE_TYPES, Shell, apply

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """A recorded moment as whole microseconds since 1970 (UTC), for ordering in SQL (exact:
    integer arithmetic on the time difference; a moment without a zone is local time)."""
    if moment.tzinfo is None:
        moment = moment.astimezone(UTC)
    return (moment - EPOCH) // MICROSECOND


class Codec:
    """A record's state as a view row holds it: JSON, compressed and encrypted exactly as the
    log's events are."""

    def __init__(self, log: EventLog) -> None:
        self.log = log

    def decode(self, kind: str, state: bytes) -> Any:
        return self.structure(kind, self.text(kind, state))

    def text(self, kind: str, state: bytes) -> bytes:
        """A row's JSON as :meth:`encode` wrote it (decrypted and decompressed)."""
        try:
            return self.log.unseal(state)
        except Exception as exc:
            raise self.log.undecodable(f"a {kind} row of the views", exc) from None

    def structure(self, kind: str, text: bytes) -> Any:
        """The record a row's JSON (:meth:`text`) holds."""
        try:
            data = json.loads(text)
        except Exception as exc:
            raise self.log.undecodable(f"a {kind} row of the views", exc) from None
        return converter.structure(data, STATE_TYPES[kind])

    def encode(self, state: Any) -> bytes:
        return self.log.seal(dumps_state(state).encode("utf-8"))


def fold_batch(
    positions: list[int],
    events: list[Any],
    kept: Mapping[int, Shell],
    rows: Callable[[list[str]], Mapping[str, tuple[str, str, int, bytes]]],
    codec: Codec,
) -> tuple[list[tuple], list[tuple], dict[int, Shell | None]]:
    """Fold one batch (``events`` at log ``positions``): the rows of the records it changed, its
    log rows, and every record it touched. A record
    neither in ``kept`` nor begun in the batch is read with ``rows``. Records are keyed by
    their ids' integers (a UUID hashes in Python; its integer in C)."""
    shells: dict[int, Shell | None] = {}
    missing: list[str] = []
    for e in events:  # each record's first event in the batch says where its state is
        key = e.originator_id.int
        if key not in shells:
            shell = shells[key] = kept.get(key)
            if shell is None and e.originator_version > 1:  # (a first event makes the record)
                missing.append(str(e.originator_id))
    if missing:
        missing.sort()
        for record_id, (_, kind, version, state) in rows(missing).items():
            ident = UUID(record_id)
            shells[ident.int] = Shell(ident, kind, codec.decode(kind, state), version)
    days: dict[date, str] = {}
    log: list[tuple] = []
    changed: dict[int, int] = {}
    for position, event in zip(positions, events, strict=True):
        ident = event.originator_id
        key = ident.int
        current = shells[key]
        if current is None or event.originator_version > current.version:  # (tracking makes an
            shell = apply(current, event)  # event folded twice impossible: this is defensive)
            if shell is not None:
                shells[key] = current = shell
                changed[key] = position
        day = event.effective_on
        effective = days.get(day)
        if effective is None:
            effective = days[day] = day.isoformat()
        log.append(  # every event has its row, even one that changes no record (a record's
            (  # event without its beginning, in a damaged log: verify reports the gap)
                position,
                None if current is None else current.board,
                uuid_text(ident),
                event.originator_version,
                micros(event.timestamp),
                effective,
            )
        )
    records = []
    for key, position in changed.items():
        shell = shells[key]
        assert shell is not None
        records.append(
            (uuid_text(shell.id), shell.board, shell.kind, shell.version, position, codec.encode(shell.state))
        )
    return records, log, shells
