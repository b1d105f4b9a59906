"""The hash chain over the stored events: how a link is made, the head, and the walk that checks it."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple
from uuid import UUID

import attrs

from ..domain.errors import InvalidValue
from .files import read_small

SIGNING_KEY_ENV = "LEARNING_CYCLE_SIGNING_KEY"
SIGNING_KEY_FILE_ENV = "LEARNING_CYCLE_SIGNING_KEY_FILE"
SIGNING_HINT = (
    f"set {SIGNING_KEY_ENV} (or {SIGNING_KEY_FILE_ENV}) to its key, or unset both for a store made without one"
)
"""How a refusal names what to set (the store's signing key)."""
CHAIN_TABLE = "lc_chain"
"""One row per stored event: its position, its link, and whether the link was made late (for an
event recorded by a version of learning-cycle that did not chain, linked by ``learning-cycle chain``)."""


def secret(env: Mapping[str, str], name: str, file_name: str, encoding: str = "utf-8") -> str:
    """A secret set in the environment as ``name``, or in a file named by ``file_name`` (readable by
    the service alone); ``""`` when neither is set. Both set, or a file that cannot be read, is an error."""
    value = env.get(name, "").strip()
    path = env.get(file_name, "").strip()
    if value and path:
        raise InvalidValue(file_name, path, f"set either {name} or {file_name}, not both")
    if path:
        try:
            value = read_small(path).decode(encoding).strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidValue(file_name, path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
        if not value:
            raise InvalidValue(file_name, path, "is empty")
    return value


def signing_key(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The key for keyed links, from ``LEARNING_CYCLE_SIGNING_KEY`` (any text) or a file named by
    ``LEARNING_CYCLE_SIGNING_KEY_FILE``; ``None`` when neither is set (links are plain SHA-256)."""
    key = secret(os.environ if environ is None else environ, SIGNING_KEY_ENV, SIGNING_KEY_FILE_ENV)
    return key.encode("utf-8") if key else None


def signing_fingerprint(key: bytes | None) -> str:
    """What a store records about its links when it is made: ``none`` (plain SHA-256), or ``hmac:``
    and a fingerprint of the signing key (the first 16 hex digits of a SHA-256 over it, domain
    separated; never the key, and no way back to it)."""
    if key is None:
        return "none"
    return "hmac:" + hashlib.sha256(b"learning-cycle signing key\x00" + key).hexdigest()[:16]


def record_text(ident: UUID | str) -> str:
    """A record id as the chain covers it: the UUID's canonical text (SQLite stores 32 hex digits)."""
    return str(ident if isinstance(ident, UUID) else UUID(ident))


def link(key: bytes | None, previous: str, position: int, record: str, version: int, topic: str, state: bytes) -> str:
    """The link of one stored event: SHA-256 (HMAC-SHA256 with a key) over the link before it
    (``""`` for the first), the event's position, record id, version and topic, and its stored bytes."""
    head = f"{previous}|{position}|{record}|{version}|{topic}|".encode()
    made = hmac.new(key, head, hashlib.sha256) if key is not None else hashlib.sha256(head)
    made.update(state)
    return made.hexdigest()


class Row(NamedTuple):
    """A stored event as the chain reads it."""

    position: int
    record: str
    version: int
    topic: str
    state: bytes


def links(key: bytes | None, previous: str, rows: Iterable[Row]) -> Iterator[tuple[int, str]]:
    """(position, link) for stored events in log order, going on from the link ``previous``."""
    for row in rows:
        previous = link(key, previous, row.position, row.record, row.version, row.topic, row.state)
        yield row.position, previous


_HEAD = re.compile(r"\A(\d+):([0-9a-f]{64})\Z")


@attrs.frozen
class Head:
    """The log's head: the last position and its link. Published as ``POSITION:HEX`` (in every
    stock-take report and by ``verify``); kept outside the store, it anchors the history up to it."""

    position: int
    digest: str

    def __str__(self) -> str:
        return f"{self.position}:{self.digest}"

    @classmethod
    def parse(cls, text: str, field: str = "digest") -> Head:
        match = _HEAD.match(text.strip().lower()) if isinstance(text, str) else None
        if not match:
            raise InvalidValue(field, text, "must read POSITION:HEX, as verify prints it (64 hex digits)")
        return cls(int(match.group(1)), match.group(2))


@attrs.frozen
class Break:
    """Where the chain and the log part: the position and what was found there."""

    position: int
    found: str

    def __str__(self) -> str:
        return f"event at position {self.position} {self.found}"


@attrs.frozen
class ChainReport:
    """What a walk of the chain proves: the head it reached, the first break if any, and from which
    position on links were made as events were recorded (before it, they were made late)."""

    head: Head | None
    broken: Break | None
    chained_late_until: int
    at_mark: str | None = None
    """The link recomputed at the position of the ``mark`` the walk was given."""
    unchained: bool = False
    """The log holds events and the chain none at all: a store an earlier version made (to be
    chained with ``learning-cycle chain``), or one whose chain was emptied."""


def walk(
    key: bytes | None,
    events: Iterable[Row],
    chain: Iterable[tuple[int, str, bool]],
    *,
    mark: Head | None = None,
) -> ChainReport:
    """Walk the log and the chain together, from the first event, both in position order; report
    the first position where they part: an event changed, missing, out of place or never chained,
    or a link that does not follow. The link at ``mark``'s position is recomputed from the events
    alone, so a history rewritten with every later link made again still differs from a digest
    taken before it."""
    previous, head, late_until, at_mark, broken = "", None, 0, None, None
    events_it, chain_it = iter(events), iter(chain)
    event, chained = next(events_it, None), next(chain_it, None)
    unchained = event is not None and chained is None
    while broken is None and (event is not None or chained is not None):
        if chained is not None and event is not None and event.position < chained[0] and head is None:
            broken = Break(
                event.position, f"is in the log before the chain begins (at position {chained[0]}): unchained"
            )
        elif chained is None or (event is not None and event.position < chained[0]):
            broken = Break(event.position, "is in the log but was never chained: added since")
        elif event is None or event.position > chained[0]:
            broken = Break(chained[0], "was chained when recorded but is missing from the log")
        else:
            position, recorded, late = chained
            previous = link(key, previous, event.position, event.record, event.version, event.topic, event.state)
            if previous != recorded:
                where = f"record {event.record} version {event.version}, {event.topic}"
                broken = Break(position, f"({where}) was changed in the database since it was chained")
            else:
                if late:
                    late_until = position
                if mark is not None and position == mark.position:
                    at_mark = previous
                head = Head(position, recorded)
                event, chained = next(events_it, None), next(chain_it, None)
    return ChainReport(head, broken, late_until, at_mark, unchained)
