"""The event log: one object for everything the layers above need of the store.

:class:`EventLog` holds the parsed :class:`~.store.Store`, the event mapper and the recorder,
behind a small public interface: append with an expected head, read after a position, the events of
one record, bulk append, and the head (position and digest). The application saves through it;
the read models, import, export, migrate and ``verify`` take an ``EventLog``, never the
application. Underneath it is eventsourcing's :class:`~eventsourcing.application.Application`,
whose repository the application's commands use to load records.
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

import attrs
from eventsourcing.application import AggregateNotFoundError, Application, Cache, LRUCache, project_aggregate
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification, RecordConflictError, StoredEvent
from eventsourcing.utils import Environment, EnvType

from ..domain.base import RecordedEvent
from ..domain.errors import InvalidValue, LearningCycleError
from .chain import SIGNING_HINT, ChainReport, Head, Row, link, signing_fingerprint, signing_key, walk
from .recorders import SIGNING_SETTING, LogEntry
from .serialization import EventMapper, UndecodableEvent
from .store import Store, check_sqlite_file, prepare_store, security_env

CACHE_DEFAULTS = {"AGGREGATE_CACHE_MAXSIZE": os.environ.get("AGGREGATE_CACHE_MAXSIZE", "10000")}
"""Records read by commands are cached (eventsourcing's repository cache): a command whose log is
settled (see :meth:`EventLog.deciding`) reads from the store only the records not cached."""
CACHE_FIXED = {
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    "AGGREGATE_CACHE_FASTFORWARD_SKIPPING": "n",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
}
"""How the cache is used, whatever the environment says: updated by each save (eventsourcing puts
the saved records in it), trusted only while the log is settled (never fast-forwarded: emptied
instead when another writer may have recorded), and always a copy (a refused command leaves the
cached record as it was)."""
DDL_ATTEMPTS = 8
READ_BATCH = 500


@attrs.frozen
class RecordedNotice:
    """One event as recorded in the log: its position (1, 2, ...) and the event itself."""

    position: int
    topic: str
    event: RecordedEvent


class LogChanged(LearningCycleError):
    """A bulk append met events another writer recorded meanwhile: nothing was appended."""


class _Settings(Environment):
    """eventsourcing's environment, whose settings are read under their own names only: it would
    first read ``LEARNINGCYCLE_<SETTING>`` from the process environment, and so let a variable
    override what the event log fixes (:data:`CACHE_FIXED`, the store, encryption). The
    application's name stays, for what eventsourcing derives from it (PostgreSQL's table names)."""

    def create_keys(self, key: str) -> list[str]:
        return [key]


class _EventStoreApp(Application[UUID]):
    """eventsourcing's application over the store: its factory, mapper, recorder and repository."""

    name = "LearningCycle"

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """eventsourcing's environment, read under each setting's own name only (:class:`_Settings`)."""
        return _Settings(name, super().construct_env(name, env))

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=EventMapper)


@runtime_checkable
class ChainStore(Protocol):
    """What the store's recorder adds to eventsourcing's ``ApplicationRecorder`` (the chain, the
    store's settings, the bulk reads and writes): the part :class:`~.recorders.ChainedRecorder` and
    each dialect's recorder give. Every recorder a :class:`~.store.Store` names has it; one that
    has not is refused when the log is opened (:func:`_chained`)."""

    signing_key: bytes | None

    def read_log(self, after: int, stop: int, limit: int) -> list[LogEntry]: ...

    def store_setting(self, name: str, cursor: Any = None) -> str | None: ...

    def put_setting(self, name: str, value: str) -> str: ...

    def chain_head(self, cursor: Any = None) -> Head | None: ...

    def chain_at(self, position: int) -> str | None: ...

    def events(self, after: int = 0, until: int | None = None) -> Iterator[Row]: ...

    def chain(self, after: int = 0, until: int | None = None) -> Iterator[tuple[int, str, bool]]: ...

    def append_many(
        self, chunks: Iterable[Sequence[StoredEvent]], on_chunk: Callable[[int], None] | None = None
    ) -> int: ...

    def chain_late(self, stored_events: Sequence[StoredEvent], signing: str) -> int: ...


def _chained(recorder: ApplicationRecorder) -> ChainStore:
    """The store's recorder, as the chain it keeps (fail closed: a recorder without one is refused)."""
    if not isinstance(recorder, ChainStore):
        raise LearningCycleError(f"store: the recorder {type(recorder).__qualname__} keeps no chain", field="store")
    return recorder


def is_ddl_race(exc: BaseException) -> bool:
    """PostgreSQL refuses one of two processes creating the same tables at once ("tuple
    concurrently updated", or a duplicate in its catalogue): the other has made them, so try again."""
    text = " ".join(str(e) for e in (exc, exc.__cause__, exc.__context__) if e is not None)
    return "concurrently updated" in text or ("duplicate key value" in text and "pg_" in text)


class EventLog:
    """The log of one store.

    :param store: a SQLite file path (default ``learning-cycle.sqlite``, or ``$LEARNING_CYCLE_STORE``),
        ``"memory:"``, a ``postgresql://`` URL, or a parsed :class:`~.store.Store`.
    :param env: extra eventsourcing settings (cipher, compressor, pool sizes); encryption and
        compression are otherwise read from the environment (:func:`~.store.security_env`).
    """

    def __init__(self, store: str | os.PathLike[str] | Store | None = None, *, env: dict[str, str] | None = None):
        self.store = Store.parse(store)
        self._app, self._chain = _open(
            self.store, {**CACHE_DEFAULTS, **self.store.settings, **security_env(), **(env or {}), **CACHE_FIXED}
        )
        self._deciding = threading.RLock()
        self._decider: int | None = None
        """The thread deciding a command (holding :meth:`deciding`): its loads use the cache."""
        self._settled: int | None = None
        """The position as of which every cached record is current (``None``: not known)."""
        self._by_save = False
        """Whether :attr:`_settled` is where this log's own last save ended."""

    def close(self) -> None:
        self._app.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the layers above use ---------------------------------------------------------

    @property
    def mapper(self) -> EventMapper:
        """Events to stored events and back: for the event log's own tools, tests and benchmarks
        (the layers above use :meth:`decode`, :meth:`encode` and :meth:`undecodable`)."""
        return self._app.mapper  # type: ignore[return-value]  # construct_mapper makes an EventMapper; Application types it Mapper

    @property
    def recorder(self) -> Any:
        """The store's recorder (:mod:`.recorders`): for the event log's own tools and tests."""
        return self._app.recorder

    @contextmanager
    def deciding(self) -> Iterator[tuple[int, bool]]:
        """Decide one command on this log, one at a time in this process. Yields the head the
        command's save must expect (``append(..., expected_head=head)``), as of which every record
        in the cache is current, and whether it is where this log's own last save ended.

        After a save through this log, the cache holds the records it saved, and no other record
        in it can have changed unless another writer recorded since, which moves the head: the
        save expecting it is then refused, nothing is written, and the next attempt is given the
        position read from the store, with the cache emptied first (records are read again). A
        command that records nothing, or is refused, on a head of this log's own asks
        :meth:`moved_since` before it answers. So a command never decides on a record older than
        the store's, and a settled command reads nothing but the records the cache does not hold.
        Within it, :meth:`load` of a current version reads the cache. A command cannot be
        decided while another is being decided in the same thread (a plugin's hook that records):
        refused, nothing recorded."""
        with self._deciding:
            if self._decider == threading.get_ident():
                raise LearningCycleError(
                    "command: a command cannot record another while it is being decided (a plugin's hook or a "
                    "menu that records?): nothing was recorded",
                    field="command",
                )
            self._decider = threading.get_ident()
            try:
                if self._settled is None:
                    repository = self._app.repository
                    repository.cache = _emptied(repository.cache)
                    self._settled, self._by_save = self.position(), False
                yield self._settled, self._by_save
            finally:
                self._decider = None

    def moved_since(self, head: int) -> bool:
        """Whether anything was recorded after position ``head``; if so, the cache is no longer
        trusted (the next command reads its records from the store)."""
        with self._deciding:
            if self.position() == head:
                return False
            self._settled = None
            return True

    def load(self, ident: UUID, *, version: int | None = None) -> Any | None:
        """The record ``ident`` (an aggregate; at ``version`` if given), or ``None`` if the log has
        none, as a copy the caller may change. A command being decided (:meth:`deciding`) takes a
        current version from eventsourcing's repository cache, current as of the head it was
        given; any other read reads the record's events from the store."""
        if version is None and self._decider == threading.get_ident():
            try:
                return self._app.repository.get(ident)
            except AggregateNotFoundError:
                return None
        events = self._app.repository.event_store.get(originator_id=ident, lte=version)
        return project_aggregate(None, events)

    def exists(self, ident: UUID) -> bool:
        """Whether the log holds any event of record ``ident``."""
        return bool(self._app.recorder.select_events(ident, limit=1))

    def decode(self, stored: StoredEvent | Notification | LogEntry) -> RecordedEvent:
        """A stored event (as :meth:`stored`, :meth:`entries` or :meth:`record` give it) decoded."""
        event = self._app.mapper.to_domain_event(stored)  # type: ignore[arg-type]  # a LogEntry has every field to_domain_event reads (it is typed for StoredEvent only)
        assert isinstance(event, RecordedEvent)  # every topic the mapper resolves is a RecordedEvent
        return event

    def encode(self, event: DomainEventProtocol[UUID]) -> StoredEvent:
        """An event as it would be stored (encrypted and compressed as the store is): for bulk
        appends (:meth:`append_many`, :meth:`chain_late`)."""
        return self._app.mapper.to_stored_event(event)

    def undecodable(self, what: str, exc: Exception) -> UndecodableEvent:
        """The error for bytes of this store that do not read (``what`` names them)."""
        return self.mapper.undecodable(what, exc)

    def append(self, aggregates: Sequence[Any], *, expected_head: int | None = None) -> list[RecordedNotice]:
        """Record the pending events of ``aggregates`` in one transaction, each record's at its
        expected version; with ``expected_head``, only if the log's last position is still that
        (else :class:`~.recorders.HeadMoved` and nothing is written). Returns what was recorded:
        each event with its position (its recorded time is the event's ``timestamp``)."""
        with self._deciding:
            settled, self._settled = self._settled, None  # (known again only if this save lands where expected)
            if expected_head is None:
                recordings = self._app.save(*aggregates)
            else:
                recordings = self._app.save(*aggregates, expected_head=expected_head)
                if expected_head == settled:  # nothing recorded since: the cache is current, with what was saved
                    self._settled = recordings[-1].notification.id if recordings else settled
                    self._by_save = True
        return [RecordedNotice(r.notification.id, r.notification.topic, r.domain_event) for r in recordings]  # type: ignore[arg-type]  # Recording types its event by eventsourcing's protocol; ours are RecordedEvents

    def position(self) -> int:
        """The last position recorded (0 for an empty log)."""
        return self._app.recorder.max_notification_id() or 0

    def read(
        self, after: int = 0, *, until: int | None = None, topics: Sequence[str] = (), batch: int = READ_BATCH
    ) -> Iterator[RecordedNotice]:
        """The events after position ``after`` (up to ``until``, default the end as it is now), in
        recorded order, decoded."""
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            raise InvalidValue("after", after, "must be a whole number, 0 or more")
        for notification in self.stored(after, until=until, topics=topics, batch=batch):
            yield RecordedNotice(notification.id, notification.topic, self.decode(notification))

    def stored(
        self, after: int = 0, *, until: int | None = None, topics: Sequence[str] = (), batch: int = READ_BATCH
    ) -> Iterator[Notification]:
        """The stored events after position ``after`` (up to ``until``), as stored, in batches."""
        recorder = self._app.recorder
        while until is None or after < until:
            limit = batch if until is None else min(batch, until - after)
            found = recorder.select_notifications(
                start=after, limit=limit, stop=until, topics=topics, inclusive_of_start=False
            )
            yield from found
            if len(found) < limit:
                return
            after = found[-1].id

    def entries(self, after: int, until: int, limit: int) -> list[LogEntry]:
        """Up to ``limit`` stored events after ``after`` up to ``until``, as plain tuples (a rebuild
        reads every event: no object is made for each but the tuple)."""
        return self._chain.read_log(after, until, limit)

    def record(
        self, ident: UUID, *, after: int | None = None, until: int | None = None, last: bool = False
    ) -> list[StoredEvent]:
        """The stored events of one record, oldest first: after version ``after`` up to version
        ``until`` (default all); only its last with ``last``."""
        if last:
            return list(self._app.recorder.select_events(ident, desc=True, limit=1))
        return list(self._app.recorder.select_events(ident, gt=after, lte=until))

    def record_events(self, ident: UUID, *, until: int | None = None) -> list[RecordedEvent]:
        """The events of one record, decoded, oldest first (up to version ``until``)."""
        return [self.decode(s) for s in self.record(ident, until=until)]

    def append_many(
        self, chunks: Iterable[Sequence[StoredEvent]], *, on_chunk: Callable[[int], None] | None = None
    ) -> int:
        """Append stored events in chunks, all in one transaction (all or nothing), chained like
        any append; returns how many. :class:`LogChanged` if another writer recorded one of them
        meanwhile."""
        try:
            with self._deciding:  # (records in the cache may change: the next command reads them again)
                self._settled = None
                return self._chain.append_many(chunks, on_chunk)
        except RecordConflictError:
            raise LogChanged(
                "store: another writer recorded some of these events meanwhile; nothing was recorded: try again",
                field="store",
                value=self.store.label,
            ) from None

    def subscribe(self, after: int) -> Any:
        """eventsourcing's subscription to the events recorded after ``after`` (PostgreSQL: LISTEN)."""
        return self._app.recorder.subscribe(gt=after)

    # -- the chain ----------------------------------------------------------------------------

    def head(self) -> Head | None:
        """The log's head: its last position and that event's link (``None`` when empty)."""
        return self._chain.chain_head()

    def head_at(self, position: int) -> Head | None:
        """The head as it stood when ``position`` was the last event."""
        found = self._chain.chain_at(position) if position else None
        return None if found is None else Head(position, found)

    def walk(self, mark: Head | None = None) -> ChainReport:
        """Walk the chain from the first event (see :func:`~.chain.walk`)."""
        recorder = self._chain
        return walk(recorder.signing_key, recorder.events(), recorder.chain(), mark=mark)

    def chain_late(self, stored_events: Sequence[StoredEvent]) -> int:
        """Chain a store an earlier version made (``learning-cycle chain``), all in one transaction:
        link every event, marked late; record the store's signing (the key this process holds); then
        record ``stored_events`` (the record of this chaining), chained as any. Returns how many
        events were linked late. Refused, nothing written, for a store with any link, one that
        records its signing (a store made chained, whose chain is gone), or an empty one."""
        recorder = self._chain
        with self._deciding:
            self._settled = None
            return recorder.chain_late(stored_events, signing_fingerprint(recorder.signing_key))

    def seal(self, data: bytes) -> bytes:
        """``data`` compressed and encrypted exactly as the store's events are."""
        return self.mapper.seal(data)

    def unseal(self, data: bytes) -> bytes:
        return self.mapper.unseal(data)


def _emptied(cache: Cache[UUID, Any] | None) -> Cache[UUID, Any] | None:
    """A new, empty cache like ``cache`` (eventsourcing's ``LRUCache.clear`` leaves its entries)."""
    if isinstance(cache, LRUCache):
        return LRUCache(maxsize=cache.maxsize)
    return None if cache is None else Cache()


def cipher_fingerprint(settings: dict[str, str]) -> str:
    """What a store records about its encryption: ``none``, or ``aes:`` and a fingerprint of the
    key (the first 16 hex digits of a SHA-256 of it; never the key, and no way back to it)."""
    key = settings.get("CIPHER_KEY")
    if not settings.get("CIPHER_TOPIC") or not key:
        return "none"
    digest = hashlib.sha256(b"learning-cycle cipher key\x00" + base64.b64decode(key)).hexdigest()
    return f"aes:{digest[:16]}"


def _check_cipher(app: _EventStoreApp, chain: ChainStore, store: Store, mine: str) -> None:
    """Encryption cannot be half on: the store records, when it is made, whether it is encrypted
    and its key's fingerprint; opened with no key or another key, it is refused before anything is
    written. A store an earlier version made records it when its first event reads with this key."""
    recorded = chain.store_setting("cipher")
    if recorded is None:
        first = app.recorder.select_notifications(start=0, limit=1, inclusive_of_start=False)
        if first:
            app.mapper.to_domain_event(first[0])  # UndecodableEvent, naming the key, if it does not read
        recorded = chain.put_setting("cipher", mine)
    if recorded != mine:
        expected = "no key (it is not encrypted)" if recorded == "none" else f"the key with fingerprint {recorded}"
        given = "no key" if mine == "none" else f"the key with fingerprint {mine}"
        raise LearningCycleError(
            f"store: {store.label} was made with {expected}, and is opened with {given}: nothing was read or "
            "written; set LEARNING_CYCLE_CIPHER_KEY (or _KEY_FILE) to its key",
            field="store",
            value=store.label,
        )


def _check_signing(app: _EventStoreApp, recorder: ChainStore, store: Store, key: bytes | None) -> None:
    """Signing cannot be half on either: the store records, when it is made, whether its links are
    keyed and the key's fingerprint; opened with no key or another key, it is refused before
    anything is read or written. A store an earlier version chained records it when its first link
    verifies with this key (and is refused otherwise); one an earlier version made without a chain
    records it when ``learning-cycle chain`` links it."""
    mine = signing_fingerprint(key)
    recorded = recorder.store_setting(SIGNING_SETTING)
    if recorded is None:
        first_link = recorder.chain_at(1)
        if first_link is not None:
            first = next(recorder.events(0, 1), None)
            made = None if first is None else link(key, "", 1, first.record, first.version, first.topic, first.state)
            if made != first_link:
                raise LearningCycleError(
                    f"store: {store.label} was chained with a signing key, or none, that its first link does "
                    f"not verify with: it is opened with {_keyed(mine)}, and nothing was read or written; "
                    + SIGNING_HINT,
                    field="store",
                    value=store.label,
                )
        elif app.recorder.max_notification_id():
            return  # made by an earlier version, unchained: `learning-cycle chain` records its signing
        recorded = recorder.put_setting(SIGNING_SETTING, mine)
    if recorded != mine:
        raise LearningCycleError(
            f"store: {store.label} was made with {_keyed(recorded)}, and is opened with {_keyed(mine)}: nothing "
            f"was read or written; {SIGNING_HINT}",
            field="store",
            value=store.label,
        )


def _keyed(fingerprint: str) -> str:
    if fingerprint == "none":
        return "no signing key (links unkeyed)"
    return f"the signing key with fingerprint {fingerprint}"


def _open(store: Store, settings: dict[str, str]) -> tuple[_EventStoreApp, ChainStore]:
    """eventsourcing's application over the store; a clear error if it cannot be opened."""
    key = signing_key()  # read (and refused, if it cannot be) before the store is touched
    if store.path is not None:
        check_sqlite_file(store.path, store.label)
    try:
        for attempt in range(DDL_ATTEMPTS):
            try:
                prepare_store(settings)
                app = _EventStoreApp(env=settings)
                chain = _chained(app.recorder)
                chain.signing_key = key
                _check_signing(app, chain, store, key)
                _check_cipher(app, chain, store, cipher_fingerprint(settings))
                return app, chain  # (a store an earlier version made without a chain stays so: `learning-cycle chain`)
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
            f"store: {store.label} needs a package that is not installed ({exc.name}): "
            "pip install 'learning-cycle[postgres]'",
            field="store",
            value=store.label,
        ) from None
    except Exception as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise LearningCycleError(
            f"store: cannot open {store.label}: {reason}", field="store", value=store.label
        ) from None
