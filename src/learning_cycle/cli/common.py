"""What every verb of the ``learning-cycle`` command shares: the consoles, the diagnostics, the
store and board it works on, the parsing of dates and moments, and the printing of results."""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from json import loads
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from rich.console import Console
from rich.progress import Progress
from rich.segment import Segment
from rich.text import Text

from ..application import LearningCycle
from ..domain.access import RestrictedAccess
from ..domain.values import ReportingYear
from ..eventlog.files import open_regular
from ..eventlog.log import EventLog
from ..eventlog.store import Store
from ..plugins import open_cycle
from ..projections.store import Views
from ..projections.verification import Verification
from ..reports.safe import json_text, terminal_text
from ..reports.words import RESTRICTED_BANNER

Args = SimpleNamespace
"""A verb's options and arguments, by name (shared options merged in, whichever side of the verb)."""


class UsageError(Exception):
    """A mistake on the command line, shown as a diagnostic with a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


OS_WORDS = {
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EFBIG: "the file is larger than allowed",
}


def os_error(exc: OSError) -> str:
    """An operating system error in words, naming the file."""
    words = OS_WORDS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
    name = exc.filename if exc.filename is not None else None
    return f"{name}: {words}" if name else words


def check_arguments(args: Args) -> None:
    """Arguments no operating system or store can take: a NUL, or bytes that are not text in the
    locale's encoding (they reach Python as lone surrogates)."""
    for name, value in vars(args).items():
        if not isinstance(value, str):
            continue
        option = "--" + name.replace("_", "-")
        if "\x00" in value:
            raise UsageError(f"{option}: holds a NUL character", "remove it")
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise UsageError(f"{option}: is not text in this system's encoding", "use UTF-8 names")


RESTRICTED_EXPORT = (
    "warning: the export holds the material of reports not published ({n} records): keep it as safe as "
    "the store; export without --include-restricted for a copy to share"
)


class SafeConsole(Console):
    """A console that recorded text cannot drive (:mod:`learning_cycle.reports.safe`): no console
    markup, no emoji code, no highlighting, and no control character (but tab and newline) or
    bidirectional control in any text it renders, whatever made it (a string, a ``Text``, a table
    cell); JSON is printed exact, with its controls escaped (:func:`json_text`). Styles come only
    from the renderables themselves."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **options)

    def render_str(self, text: str, **options: Any) -> Text:  # every str printed or put in a table
        options.update(markup=False, emoji=False, highlight=False)
        return super().render_str(terminal_text(text), **options)

    def render(self, renderable: Any, options: Any = None) -> Iterator[Segment]:  # every piece of text shown
        for segment in super().render(renderable, options):
            yield segment if segment.control else Segment(terminal_text(segment.text), segment.style)

    def print_json(self, json: str | None = None, *, data: Any = None, **_: Any) -> None:
        self.out(json_text(data if json is None else loads(json)), highlight=False)


def diagnose(err: Console, message: str, hint: str | None) -> None:
    err.print(Text.assemble(("error:", "bold red"), " ", terminal_text(message)), highlight=False)
    if hint:
        err.print(Text.assemble(("hint:", "dim"), " ", terminal_text(hint)), highlight=False)


def readable(name: str, hint: str) -> None:
    """An input file that can be read, before any store is opened (so a mistake creates nothing): a
    regular file (a pipe, a device or a folder is refused, never read)."""
    if not Path(name).exists():
        raise UsageError(f"no file at {name!r}", hint)
    try:
        with open_regular(name):
            pass
    except OSError as exc:
        raise UsageError(f"{name}: {os_error(exc).split(': ')[-1]}", hint) from None


def store_at(setting: str | None, *, must_exist: bool) -> Store:
    store = Store.parse(setting)
    if must_exist and not store.exists():
        raise UsageError(f"no store at {store.setting!r}", "run `learning-cycle demo`, or name a store with --store")
    return store


def open_cycle_for(args: Args, *, must_exist: bool) -> LearningCycle:
    return open_cycle(store_at(args.store, must_exist=must_exist))


def open_log(args: Args, *, must_exist: bool) -> EventLog:
    return EventLog(store_at(args.store, must_exist=must_exist))


#: The version of the envelope every ``--json`` output shares (schemas/cli/); raised by a change
#: that could break a reader.
SCHEMA_VERSION = 1


def envelope(
    args: Args,
    payload: dict[str, Any],
    *,
    board: dict[str, str] | None = None,
    restricted: bool | None = None,
    as_of: str | None = None,
    as_known_at: str | None = None,
) -> dict[str, Any]:
    """The one shape of every ``--json`` output: the version, the verb, the board (or null), when it
    was made, the two time axes it was made for, whether it holds restricted material; then the
    verb's own fields (``payload``; its ``board`` and ``includes_restricted``, if any, move up)."""
    payload = dict(payload)
    board = payload.pop("board", board)
    restricted = payload.pop("includes_restricted", restricted)
    return {
        "schema_version": SCHEMA_VERSION,
        "verb": args.verb,
        "board": board,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "as_of": as_of if as_of is not None else args.as_of,
        "as_known_at": as_known_at,
        "includes_restricted": bool(restricted),
        **payload,
    }


def print_envelope(out: Console, args: Args, payload: dict[str, Any], **header: Any) -> int:
    """Print :func:`envelope` as JSON."""
    out.print_json(json.dumps(envelope(args, payload, **header), default=str))
    return 0


def show(
    out: Console, args: Args, data: Any, render: Callable[[], Any], restricted: bool | None = None, **header: Any
) -> int:
    """Print ``data`` in its :func:`envelope` with ``--json``, else what ``render()`` makes of it. An
    output that holds restricted material says so at its top (in JSON, ``includes_restricted``)."""
    if restricted is None and isinstance(data, dict):
        restricted = data.get("includes_restricted")
    if args.json:
        return print_envelope(out, args, data, restricted=restricted, **header)
    if restricted:
        out.print(Text(RESTRICTED_BANNER, style="bold red"))
    out.print(render())
    return 0


def read_differences(args: Args, result: Verification) -> bool:
    """For ``verify --include-restricted``: record a read in the access log of each board whose
    fields differ, before their values are shown."""
    boards = dict.fromkeys(d.board_id for d in result.differences if d.recorded and d.board_id is not None)
    if boards:
        with open_cycle_for(args, must_exist=True) as lc:
            for board_id in boards:
                lc.read_restricted(board_id, "verify")
    return True


def restricted_read(lc: LearningCycle, args: Args, board_id: UUID) -> RestrictedAccess | None:
    """With ``--include-restricted``, the read recorded in the board's access log (who, when, what)."""
    if not getattr(args, "include_restricted", False):
        return None
    options = [f"{name} {value}" for name, value in (("--year", getattr(args, "year", None)),
               ("--as-of", getattr(args, "as_of", None)), ("--as-known-at", getattr(args, "as_known_at", None)),
               ("--format", getattr(args, "format", None))) if value]  # fmt: skip
    return lc.read_restricted(board_id, " ".join([args.verb, *options]))


def date_arg(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date", "write dates as YYYY-MM-DD") from None


@contextmanager
def progress_bar(err: Console, description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr while long work runs; nothing when stderr is not a terminal, unless
    ``LEARNING_CYCLE_PROGRESS=lines`` asks for plain progress lines (for logs)."""
    if not err.is_terminal and os.environ.get("LEARNING_CYCLE_PROGRESS") == "lines":

        def line(done: int, total: int) -> None:
            print(f"{description}: {done}/{total}", file=sys.stderr, flush=True)

        yield line
        return
    # refreshed by each update, not by a thread of its own: a rebuild forks only from a process
    # with a single thread
    with Progress(console=err, transient=True, disable=not err.is_terminal, auto_refresh=False) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done), refresh=True)

        yield update


def moment_arg(option: str, value: str | None) -> datetime | None:
    """An ISO date-time (no zone: UTC), or a date meaning the end of that day (UTC)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.max, tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option}: {value!r} is not a moment", "write YYYY-MM-DD or an ISO date-time like 2016-11-30T17:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pick_board(lc: LearningCycle, views: Views, key: str | None) -> UUID:
    if key is not None:
        return lc.board_id(key)
    boards = views.boards()
    if len(boards) == 1:
        return boards[0].board_id
    keys = ", ".join(b.key for b in boards) or "none"
    raise UsageError(f"the store has {len(boards)} boards: say which with --board (boards: {keys})")


def within_years(lc: LearningCycle, board_id: UUID, year: ReportingYear) -> ReportingYear:
    """``year`` if it has begun by the cycle's clock and ended no earlier than the board started; a
    year to come, or one over before the board existed, selects nothing, so it is an error."""
    today = lc.today()
    if year.starts_on > today:
        raise UsageError(
            f"--year: {year.label} has not begun (it starts on {year.starts_on.isoformat()}; today is {today.isoformat()})",
            "name a reporting year that has begun, or leave --year out for the current one",
        )
    started = lc.board(board_id).started_on
    if year.ends_on < started:
        raise UsageError(
            f"--year: {year.label} ended before the board started (on {started.isoformat()}): it holds nothing",
            f"name a reporting year from {year.start.year_of(started).label} on",
        )
    return year
