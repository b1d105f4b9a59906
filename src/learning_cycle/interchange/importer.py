"""Import: a JSONL log into an empty or an existing store, validated whole before anything is written.

Two passes over the file. The first checks every line (JSON, envelope, topic and version, payload
types, dates, references to records, version sequences against the store) and collects every
problem, up to a limit, naming file, line, column, the JSON path, the value and what was expected.
If there is any, nothing is written. The second pass writes the lines not already in the store, in
batches inside **one transaction**: a crash or kill part-way leaves the store as it was, and running
the import again completes it. Lines already in the store (the same event, byte for byte as an
export would write it) are skipped, so importing a file twice records nothing the second time.
"""

from __future__ import annotations

import json
import os
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import StoredEvent

from ..domain.board import Board
from ..domain.errors import BadInput, InvalidValue, LearningCycleError, Problem, Where
from ..domain.indicator import indicator_id_for
from ..domain.kinds import kind_of_topic
from ..domain.returns import import_problem
from ..domain.rules import check_event, check_figure_in_unit
from ..eventlog.files import open_regular
from ..eventlog.log import EventLog, LogChanged
from ..eventlog.serialization import parse_uuid, payload_fields
from .lines import (
    ENVELOPE,
    IN_ENVELOPE,
    TOPICS,
    class_version,
    dumps,
    event_line,
    is_created,
    make_event,
    parse_state,
    structure_state,
)

CLOCK_SKEW = timedelta(minutes=10)
"""How far a line's ``recorded_at`` may be after now: the clocks of two machines may differ a little."""
MAX_LINE = 1 << 20
"""Longest line read (1 MiB): no event is that long; a longer line is reported, not parsed."""
MAX_PROBLEMS = 50
BATCH = 1000
PARSED = 4096
"""How many parsed ids and times are remembered (a record's id recurs on each of its lines; memory
stays bounded whatever the file's size)."""
ENVELOPE_KEYS = frozenset(ENVELOPE)
ONE_DAY = timedelta(days=1)


@attrs.frozen
class ImportResult:
    lines: int
    """Events read from the file."""
    recorded: int
    """Events written to the store."""
    already: int
    """Events the store already held, exactly as in the file: nothing written for them."""


class _Problems:
    def __init__(self, limit: int) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self.limit = limit

    def add(self, where: Where, field: str, value: Any, reason: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(Problem(where, field, value, reason))
        else:
            self.more += 1


@attrs.define
class _Record:
    kind: str
    version: int
    """The last version known (in the store, or earlier in the file)."""
    stored: int
    """The version the store holds (0 if none)."""
    line: int = 0
    unit: str | None = None
    """An indicator's unit (its figures are checked against it)."""
    indicator_kind: str | None = None
    """An indicator's kind (a "how much" indicator's figures are 0 or more)."""
    board: UUID | None = None
    """A finding's board (a check's indicator key is looked up on it)."""


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered lines; a line longer than ``MAX_LINE`` is skipped over in pieces (never held
    whole in memory) and given as ``MAX_LINE + 1`` bytes, so the check reports it."""
    with open_regular(path) as f:
        number = 0
        while True:
            raw = f.readline(MAX_LINE + 1)
            if not raw:
                return None
            number += 1
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while (rest := f.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                    pass
            yield number, raw


def _column(text: str, key: str) -> int | None:
    found = text.find(f'"{key}"')
    return found + 1 if found >= 0 else None


@cache
def _uuid_fields(cls: type) -> list[tuple[str, bool]]:
    """The payload fields of ``cls`` that refer to other records: (name, is a list)."""
    refs = []
    for name, kind in payload_fields(cls):
        args = typing.get_args(kind)
        if kind is UUID or (args and UUID in args and type(None) in args):
            refs.append((name, False))
        elif typing.get_origin(kind) is tuple and args and args[0] is UUID:
            refs.append((name, True))
    return refs


class _Checker:
    """Checks lines one by one, keeping only what later lines need."""

    def __init__(self, log: EventLog, name: str, limit: int) -> None:
        self.log = log
        self.name = name
        self.problems = _Problems(limit)
        self.records: dict[int, _Record] = {}
        """What is known of each record, by its id's integer (a UUID hashes in Python)."""
        self.missing: set[int] = set()
        self.empty = log.position() == 0
        """An empty store holds no record: nothing to look up."""
        self.made: list[StoredEvent] = []
        """The stored events made from the lines checked since they were last taken (:meth:`take`)."""
        self.to_write = 0
        self.broken: set[int] = set()
        """Records with a bad line: their later lines, and references to them, are not reported
        again (the first problem is the one to fix)."""
        self.already = 0
        self.count = 0
        self.boards: dict[int, Board | None] = {}
        """Each board a line refers to, as the store holds it with the file's lines so far applied:
        the agencies and districts its records name are checked against it."""

    def take(self) -> Iterator[list[StoredEvent]]:
        """The stored events made since last taken, to write (none once a line had a problem:
        nothing will be written)."""
        made, self.made = self.made, []
        if made and not self.problems.items:
            yield made

    def record(self, ident: UUID) -> _Record | None:
        key = ident.int
        found = self.records.get(key)
        if found is not None or self.empty or key in self.missing:
            return found
        last = self.log.record(ident, last=True)
        if not last:
            self.missing.add(key)
            return None
        found_kind = kind_of_topic(last[0].topic)
        kind = last[0].topic if found_kind is None else found_kind.name
        found = _Record(kind, last[0].originator_version, last[0].originator_version)
        if kind in ("Indicator", "Finding"):  # figures are checked against the unit, checks on the board
            (created,) = self.log.record(ident, until=1)
            first = self.log.decode(created)
            found.unit = getattr(first, "unit", None)
            found.indicator_kind = getattr(first, "kind", None) if kind == "Indicator" else None
            found.board = getattr(first, "board_id", None) if kind == "Finding" else None
        self.records[key] = found
        return found

    def board(self, ident: UUID) -> Board | None:
        """The board ``ident`` as the store holds it, with the file's lines so far applied."""
        key = ident.int
        if key not in self.boards:
            found = None
            if not self.empty and self.log.record(ident, last=True):
                found = self.log.load(ident)
            self.boards[key] = found if isinstance(found, Board) else None
        return self.boards[key]

    def check(self, number: int, raw: bytes) -> None:
        before = len(self.problems.items) + self.problems.more
        ident = self._check(number, raw)
        if ident is not None and len(self.problems.items) + self.problems.more > before:
            self.broken.add(ident.int)

    def _check(self, number: int, raw: bytes) -> UUID | None:
        """Check one line; returns the record it belongs to, once known."""
        add = self.problems.add
        row = Where(self.name, number)
        if len(raw) > MAX_LINE:
            add(Where(self.name, number, 1), "line", f"over {MAX_LINE} bytes", f"is longer than {MAX_LINE} bytes")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            add(
                Where(self.name, number, exc.start + 1), "encoding", raw[exc.start : exc.start + 4], "is not UTF-8 text"
            )
            return None
        text = text.rstrip("\r\n")
        if not text or text.isspace():
            return None
        self.count += 1
        try:
            line = json.loads(text)
        except json.JSONDecodeError as exc:
            add(Where(self.name, number, exc.colno), "json", text[max(0, exc.colno - 10) : exc.colno + 10], exc.msg)
            return None
        except RecursionError:
            add(Where(self.name, number, 1), "json", text[:20], "is nested too deeply to be an event line")
            return None
        except ValueError as exc:  # e.g. a number of thousands of digits
            add(Where(self.name, number, 1), "json", text[:20], " ".join(str(exc).split()))
            return None
        if not isinstance(line, dict):
            add(Where(self.name, number, 1), "line", line, "must be a JSON object (one event)")
            return None
        early = _parse(parse_uuid, line.get("originator_id"))  # to mark its record broken
        at = lambda key: Where(self.name, number, _column(text, key))
        if line.keys() != ENVELOPE_KEYS:
            for key in line:
                if key not in ENVELOPE_KEYS:
                    add(at(key), key, line[key], f"is not a field of an event line (expected {', '.join(ENVELOPE)})")
            for key in ENVELOPE:
                if key not in line:
                    add(row, key, None, "is missing")
            return early
        cls = TOPICS.get(line["topic"]) if isinstance(line["topic"], str) else None
        if cls is None:
            add(at("topic"), "topic", line["topic"], "is not the topic of a learning-cycle event")
            return early
        version = line["class_version"]
        current = class_version(cls)
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= current:
            add(at("class_version"), "class_version", version, f"is not a version of {cls.TOPIC} (1 to {current})")
            return early
        ident = early
        if ident is None:
            add(at("originator_id"), "originator_id", line["originator_id"], "must be a UUID")
        number_v = line["originator_version"]
        if isinstance(number_v, bool) or not isinstance(number_v, int) or number_v < 1:
            add(at("originator_version"), "originator_version", number_v, "must be a whole number from 1")
            number_v = None
        recorded = _parse(datetime.fromisoformat, line["recorded_at"])
        if recorded is None or recorded.tzinfo is None:
            add(at("recorded_at"), "recorded_at", line["recorded_at"], "must be an ISO 8601 date-time with a time zone")
            recorded = None
        if not isinstance(line["payload"], dict):
            add(at("payload"), "payload", line["payload"], "must be a JSON object")
            return ident
        try:
            _, state = parse_state(line)
        except Exception as exc:  # an upcaster met something it cannot read
            add(at("payload"), "payload", None, f"cannot be brought up to version {current}: {exc}")
            return ident
        values, problems = structure_state(cls, state)
        for path, reason, value in problems:
            add(at(path.rsplit(".", 1)[-1]), path, value, reason)
        if problems or ident is None or number_v is None or recorded is None:
            return ident
        if recorded > datetime.now(UTC) + CLOCK_SKEW:
            add(
                at("recorded_at"),
                "recorded_at",
                line["recorded_at"],
                "is in the future: nothing is recorded later than now",
            )
            return ident
        effective = values["effective_on"]
        if effective > recorded.date() + ONE_DAY:
            add(at("effective_on"), "effective_on", effective, "is after the day it was recorded")
            return ident
        try:  # the one set of value rules, as the commands check them; text must be NFC already
            check_event(cls, values, normalise=False)
        except InvalidValue as exc:
            name = (exc.field or "payload").split(".", 1)[0].split("[", 1)[0]
            where = exc.field if name in IN_ENVELOPE else f"payload.{exc.field}"
            add(at(name), where, exc.value, exc.reason)
            return ident
        if ident.int not in self.broken:
            self._sequence(number, at, cls, ident, number_v, line, values, recorded)
        return ident

    def _sequence(self, number, at, cls, ident, version, line, values, recorded) -> None:
        add = self.problems.add
        kind = (record_kind := kind_of_topic(cls.TOPIC)).name
        known = self.record(ident)
        if known is not None and known.kind != kind:
            add(at("topic"), "topic", cls.TOPIC, f"record {ident} is a {known.kind}, not a {kind}")
            return
        if known is not None and version <= known.stored:
            self._compare(number, at, ident, version, line, values, recorded, cls)
            return
        expected = 1 if known is None else known.version + 1
        if known is not None and version < expected:
            add(at("originator_version"), "originator_version", version,
                f"duplicate: version {version} of {ident} is already earlier in the file "
                f"(its version {known.version} is at line {known.line})")  # fmt: skip
            return
        if version != expected:
            add(at("originator_version"), "originator_version", version,
                f"version gap: the next version of {ident} is {expected}")  # fmt: skip
            return
        if (version == 1) != is_created(cls):
            what = "is how a record begins: version 1 only" if is_created(cls) else "cannot begin a record"
            add(at("topic"), "topic", cls.TOPIC, what)
            return
        expected_id = record_kind.expected_id(values) if version == 1 else None
        if expected_id is not None and ident != expected_id:  # made from a natural key, as every command makes it
            add(at("originator_id"), "originator_id", str(ident), f"is not the id of the {record_kind.label} with "
                f"{record_kind.natural_words(values)}, which is {expected_id}")  # fmt: skip
            return
        refused = import_problem(values) if kind == "Return" and version == 1 else None  # as the command would
        if refused is not None:
            return add(at(refused[0]), f"payload.{refused[0]}", *refused[1:])
        for name, many in _uuid_fields(cls):
            targets = values[name] if many else (values[name],)
            for target in targets:
                if target is not None and target.int in self.broken:
                    self.broken.add(ident.int)
                    return
                if target is not None and target != ident and self.record(target) is None:
                    add(
                        at(name),
                        f"payload.{name}",
                        target,
                        "refers to a record that is neither in the store nor earlier in the file",
                    )
                    return
        if kind != "Board" and values.get("board_id") is not None:  # its agencies and districts, on the board
            board = self.board(values["board_id"])
            if board is not None:
                try:
                    board.check_references(values)
                except InvalidValue as exc:
                    add(at(exc.field or "payload"), f"payload.{exc.field}", exc.value, exc.reason)
                    return
        unit = known.unit if known is not None else values.get("unit") if kind == "Indicator" else None
        measures = known.indicator_kind if known is not None else values.get("kind") if kind == "Indicator" else None
        for name in ("value", "target"):  # figures within their indicator's unit, as the commands check them
            if unit is not None and values.get(name) is not None:
                try:
                    check_figure_in_unit(name, values[name], unit, measures)
                except InvalidValue as exc:
                    add(at(name), f"payload.{name}", exc.value, exc.reason)
                    return
        key = values.get("indicator_key")
        board = known.board if known is not None else values.get("board_id")
        if key is not None and kind == "Finding" and board is not None:  # a check names a board's indicator
            found = self.record(indicator_id_for(board, key))
            if found is None or found.kind != "Indicator":
                add(
                    at("indicator_key"),
                    "payload.indicator_key",
                    key,
                    "no indicator with this key on the finding's board, in the store or earlier in the file",
                )
                return
        if known is None:
            known = self.records[ident.int] = _Record(
                kind,
                0,
                0,
                unit=values.get("unit") if kind == "Indicator" else None,
                indicator_kind=values.get("kind") if kind == "Indicator" else None,
                board=values.get("board_id") if kind == "Finding" else None,
            )
            self.missing.discard(ident.int)
        known.version = version
        known.line = number
        self.to_write += 1
        event = make_event(cls, values, ident, version, recorded)
        if kind == "Board":  # later lines are checked against the board as it now stands
            board = self.board(ident) if version > 1 else None
            if version == 1 or board is not None:
                self.boards[ident.int] = event.mutate(board)
        self.made.append(self.log.encode(event))

    def _compare(self, number, at, ident, version, line, values, recorded, cls) -> None:
        (stored,) = self.log.record(ident, after=version - 1, until=version)
        held = dumps(event_line(self.log.decode(stored)))
        ours = dumps(event_line(make_event(cls, values, ident, version, recorded)))
        if held != ours:
            self.problems.add(
                at("originator_version"),
                "originator_version",
                version,
                f"version {version} of {ident} is already in the store, recorded differently",
            )
            return
        self.already += 1


@lru_cache(maxsize=PARSED)
def _parse(make: Callable[[Any], Any], value: Any) -> Any:
    if not isinstance(value, str):
        return None
    try:
        return make(value)
    except ValueError:
        return None


Lines = Callable[[], Iterator[tuple[int, bytes]]]
"""Numbered lines, read again from the start each time it is called."""


def import_log(
    log: EventLog,
    path: str | Path,
    *,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
    max_problems: int = MAX_PROBLEMS,
) -> ImportResult:
    """Import the JSONL log at ``path`` into ``log`` (see the module's description).

    :raises BadInput: naming every problem (up to ``max_problems``); nothing is written.
    """
    path = Path(path)
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
    except OSError as exc:
        raise LearningCycleError(
            f"file: cannot be read: {exc.strerror or exc} ({path})", field="file", value=str(path)
        ) from None
    total = _count_lines(path) if progress is not None else 0
    return import_lines(
        log, path.name, lambda: _lines(path), total=total, batch=batch, progress=progress,
        max_problems=max_problems, empty=f"has no events ({size} bytes)", value=str(path),
    )  # fmt: skip


def _count_lines(path: Path) -> int:
    """How many lines the file has (for progress), read in blocks: nothing held."""
    with open_regular(path) as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def import_lines(
    log: EventLog,
    name: str,
    lines: Lines,
    *,
    total: int = 0,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
    max_problems: int = MAX_PROBLEMS,
    empty: str = "has no events",
    value: str | None = None,
) -> ImportResult:
    """Import numbered JSONL lines into ``log`` in one pass, in bounded memory: each line is
    checked and its stored event made as it is read, and written in batches inside one transaction
    that is rolled back, nothing written, if any line has a problem (:class:`BadInput` then names
    them all, by ``name`` and line). ``progress`` hears the lines read of ``total``."""
    checker = _Checker(log, name, max_problems)

    def checked() -> Iterator[list[StoredEvent]]:
        for number, raw in lines():
            checker.check(number, raw)
            if len(checker.made) >= batch:
                yield from checker.take()
            if progress is not None and number % batch == 0:
                progress(number, max(number, total))
        if checker.count == 0 and not checker.problems.items:
            checker.problems.add(Where(name, 1), "file", value or name, empty)
        if checker.problems.items:  # raised inside the write's transaction: it is rolled back
            raise BadInput(checker.problems.items, more=checker.problems.more)
        yield from checker.take()

    try:
        log.append_many(checked())
    except LogChanged:
        raise LearningCycleError(
            "file: another writer recorded some of these events while the import ran; nothing was "
            "imported: run the import again",
            field="file",
            value=value or name,
        ) from None
    if progress is not None:
        progress(checker.count, max(checker.count, total))
    return ImportResult(checker.count, checker.to_write, checker.already)
