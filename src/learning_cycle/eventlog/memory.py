"""The in-memory store (``memory:``): eventsourcing's plain-Python recorder, chained like the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

from .chain import Head, Row, record_text
from .recorders import ChainedRecorder, HeadMoved


class MemoryRecorder(ChainedRecorder, POPOApplicationRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._chain: list[tuple[int, str, int]] = []
        self._settings: dict[str, str] = {}

    def _insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self._database_lock:  # (re-entrant: the insert below takes it too)
            expected = kwargs.get("expected_head")
            if expected is not None and len(self._stored_events) != expected:
                raise HeadMoved(expected, len(self._stored_events))
            positions = super()._insert_events(stored_events, **kwargs)
            if positions:
                self._chain += self._link_stored(None, positions, stored_events)
            return positions

    def append_many(
        self, chunks: Iterable[Sequence[StoredEvent]], on_chunk: Callable[[int], None] | None = None
    ) -> int:
        """One insert of them all (it holds the store's lock throughout)."""
        stored = [s for chunk in chunks for s in chunk]
        if stored:
            self.insert_events(stored)
        if on_chunk is not None:
            on_chunk(len(stored))
        return len(stored)

    def _rows(self, after: int, limit: int, cursor: Any = None) -> list[Row]:
        with self._database_lock:
            chosen = self._stored_events[after : after + limit]
            return [
                Row(after + i + 1, record_text(s.originator_id), s.originator_version, s.topic, s.state)
                for i, s in enumerate(chosen)
            ]

    def chain_head(self, cursor: Any = None) -> Head | None:
        with self._database_lock:
            return Head(*self._chain[-1][:2]) if self._chain else None

    def chain_at(self, position: int) -> str | None:
        with self._database_lock:
            return self._chain[position - 1][1] if 0 < position <= len(self._chain) else None

    def _chain_rows(self, after: int, limit: int) -> list[tuple[int, str, int]]:
        with self._database_lock:
            return self._chain[after : after + limit]

    def store_setting(self, name: str, cursor: Any = None) -> str | None:
        return self._settings.get(name)

    def put_setting(self, name: str, value: str) -> str:
        with self._database_lock:
            return self._settings.setdefault(name, value)

    def chain_late(self, stored_events: Sequence[StoredEvent], signing: str) -> int:
        """A memory store is new with its process, so every event is chained as it is recorded:
        refused as a store with a chain is (or as an empty one)."""
        with self._database_lock:
            self._late_links(None, len(self._stored_events))
        raise AssertionError("unreachable: a memory store is chained from its first event")  # pragma: no cover


class Factory(POPOFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return MemoryRecorder()
