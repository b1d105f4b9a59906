"""The ``learning-cycle`` command.

Every verb chooses its store with ``--store PATH_OR_URL`` or ``$LEARNING_CYCLE_STORE``; the default
is ``learning-cycle.sqlite`` in the current folder. Results go to stdout, errors to stderr. A
mistake of the user's is a short diagnostic (what, where, a hint) with exit code 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from json import loads
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import PersistenceError
from rich.console import Console
from rich.progress import Progress
from rich.segment import Segment
from rich.text import Text

from .. import __version__
from ..application import LearningCycle
from ..application.cycle import USER_ENV
from ..demo import DEMO_AS_OF, DEMO_NOTICE, load_demo
from ..domain import LearningCycleError
from ..domain.access import RestrictedAccess
from ..domain.values import ReportingYear
from ..eventlog import Head
from ..eventlog.files import open_regular, read_small
from ..eventlog.log import EventLog
from ..eventlog.outputs import check_output, store_files, write_output
from ..eventlog.serialization import converter
from ..eventlog.store import DEFAULT_STORE, STORE_ENV, Store, cipher_settings, storage_failure
from ..interchange import export_file, export_log, import_log, migrate
from ..interchange.config import apply_config, read_config
from ..plugins import get_plugins, open_cycle
from ..projections.disclosure import redactions
from ..projections.store import Verification, Views
from ..reports import FORMATS
from ..reports import render as render_report
from ..reports.safe import json_text, terminal_text
from ..reports.words import RESTRICTED_BANNER
from .status_view import StatusView
from .views import (
    access_payload,
    activities_payload,
    findings_payload,
    outcomes_payload,
    plugins_payload,
    render_access,
    render_activities,
    render_findings,
    render_outcomes,
    render_picture,
    render_plugins,
)


class UsageError(Exception):
    """A mistake on the command line, shown as a diagnostic with a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="PATH_OR_URL",
        help=f"where the log lives: a SQLite file, 'memory:' or a postgresql:// URL "
        f"(default: ${STORE_ENV}, else ./{DEFAULT_STORE})",
    )
    parser = argparse.ArgumentParser(
        prog="learning-cycle",
        description="Record and review a safeguarding children partnership's learning and improvement cycle.",
    )
    parser.add_argument("--version", action="version", version=f"learning-cycle {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    demo = verbs.add_parser("demo", parents=[common], help="load the fictional demo board and show its status")
    demo.add_argument("--json", action="store_true", help="print JSON instead of the status view")
    demo.add_argument("--boards", type=int, default=1, metavar="N", help="also generate N - 1 fictional boards (scale)")
    demo.add_argument("--years", type=int, default=5, metavar="Y", help="years of history per generated board")
    boards = verbs.add_parser("boards", parents=[common], help="list the boards in the store")
    boards.add_argument("--json", action="store_true", help="print JSON instead of a table")
    board = argparse.ArgumentParser(add_help=False)
    board.add_argument("--board", metavar="KEY", help="the board's key (default: the only board in the store)")
    restricted = argparse.ArgumentParser(add_help=False)
    restricted.add_argument(
        "--include-restricted",
        action="store_true",
        help="show the material of reports not published (withheld, delayed, undecided): "
        "the read is recorded in the board's access log, and the output says it is restricted",
    )
    findings = verbs.add_parser(
        "findings", parents=[common, board, restricted], help="each finding of a board with its stage"
    )
    findings.add_argument("--json", action="store_true", help="print JSON instead of a table")
    activities = verbs.add_parser(
        "activities", parents=[common, board, restricted], help="each learning activity with its method and timescales"
    )
    activities.add_argument("--json", action="store_true", help="print JSON instead of a table")
    times = argparse.ArgumentParser(add_help=False, parents=[board, restricted])
    times.add_argument("--json", action="store_true", help="print JSON instead of tables")
    times.add_argument("--as-of", metavar="YYYY-MM-DD", help="the world as it was on this effective date")
    times.add_argument(
        "--as-known-at",
        metavar="MOMENT",
        help="only what the log held at this moment (ISO date-time; a bare date means the end of that day, UTC)",
    )
    verbs.add_parser("status", parents=[common, times], help="the cycle at a glance: stages, verdicts, timescales")
    picture = verbs.add_parser("picture", parents=[common, times], help="the three-year sustained-improvement picture")
    picture.add_argument("--year", metavar="YYYY/YY", help="the window's last reporting year (default: the current)")
    stocktake = verbs.add_parser(
        "stocktake", parents=[common, board, restricted], help="the annual stock-take report of a year"
    )
    stocktake.add_argument("--year", metavar="YYYY/YY", required=True, help="the reporting year, e.g. 2016/17")
    stocktake.add_argument(
        "--as-known-at",
        metavar="MOMENT",
        help="only what the log held then (e.g. 'stocktake' for the moment the stock-take was recorded)",
    )
    stocktake.add_argument("--format", choices=FORMATS, default="md", help="md (default), html or json")
    stocktake.add_argument("-o", "--output", metavar="FILE", default="-", help="where to write it (default: stdout)")
    stocktake.add_argument("--generated-at", metavar="TEXT", help="a 'generated' line to print (none by default)")
    verbs.add_parser("rebuild", parents=[common], help="fold the views again from the whole log (in place of the old)")
    verify = verbs.add_parser("verify", parents=[common], help="rebuild the views from the log and compare")
    verify.add_argument("--json", action="store_true", help="print JSON instead of a sentence")
    verify.add_argument(
        "--digest",
        metavar="POSITION:HEX",
        help="a head printed earlier (by verify, or in a stock-take): prove the log up to it is unchanged",
    )
    verify.add_argument(
        "--include-restricted",
        action="store_true",
        help="show the values of fields that differ (they may be restricted material): the read is recorded "
        "in the access log of each board concerned",
    )
    verbs.add_parser(
        "chain",
        parents=[common],
        help="chain a store an earlier version made without a chain, once: link every event (marked late) "
        "and record when and by whom ($LEARNING_CYCLE_USER); refused for a store with any link",
    )
    export = verbs.add_parser("export", parents=[common], help="write the whole log as JSON Lines (redacted)")
    export.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write ('-' for stdout)")
    export.add_argument(
        "--include-restricted",
        action="store_true",
        help="export the material of reports not published as recorded, instead of a placeholder: the read "
        "is recorded in each board's access log before any line is written",
    )
    export.add_argument(
        "--redacted",
        action="store_true",
        help="the default: the material of reports not published replaced with a placeholder (same ids; "
        "importable), for sharing with a national panel or a researcher",
    )
    load = verbs.add_parser("import", parents=[common], help="load a JSON Lines log (checked whole first)")
    load.add_argument("file", metavar="FILE", help="the JSON Lines file, as `export` writes it")
    load.add_argument("--batch", type=int, default=1000, metavar="N", help="events per insert (default 1000)")
    load.add_argument("--json", action="store_true", help="print JSON instead of a sentence")
    migrate = verbs.add_parser("migrate", help="copy a board's whole log to another store, and check the copy is exact")
    migrate.add_argument("--from", dest="source", metavar="STORE", required=True, help="the store to copy from")
    migrate.add_argument("--to", dest="target", metavar="STORE", required=True, help="the store to copy to")
    migrate.add_argument(
        "--to-key-file",
        metavar="FILE",
        help="encrypt the copy with the key in this file instead (key rotation; the source keeps its key)",
    )
    verbs.add_parser("keygen", help="print a new random key for encryption at rest (keep it secret)")
    init = verbs.add_parser("init", parents=[common], help="set up a board from a configuration file (JSON)")
    init.add_argument("config", metavar="FILE", help="the board configuration (schemas/board-config.schema.json)")
    plugins = verbs.add_parser("plugins", help="list the loaded plugins and what each registers")
    plugins.add_argument("--json", action="store_true", help="print JSON instead of a table")
    pull = verbs.add_parser(
        "pull", parents=[common, board], help="record indicator figures from a file (unchanged figures record nothing)"
    )
    pull.add_argument("file", metavar="FILE", help="the file of figures (CSV or JSON Lines, by its name)")
    pull.add_argument("--source", metavar="KEY", help="the indicator source to read it with (default: by file name)")
    pull.add_argument("--json", action="store_true", help="print JSON instead of a sentence")
    outcomes = verbs.add_parser("outcomes", parents=[common, board, restricted], help="the outcome measures of a board")
    outcomes.add_argument("--as-of", metavar="YYYY-MM-DD", help="measure as of this effective date (default: today)")
    outcomes.add_argument("--json", action="store_true", help="print JSON instead of a table")
    access = verbs.add_parser(
        "access-log", parents=[common, board], help="every recorded read of a board's restricted material"
    )
    access.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


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


def _check_arguments(args: argparse.Namespace) -> None:
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


def main(argv: Sequence[str] | None = None) -> int:
    out = SafeConsole()
    # errors are one line each, never wrapped (tools read file:line:column from them)
    err = SafeConsole(stderr=True, soft_wrap=True)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help()
        return 0
    try:
        _check_arguments(args)
        return _dispatch(args, out, err)
    except UsageError as exc:
        _diagnose(err, str(exc), exc.hint)
    except LearningCycleError as exc:
        user = exc.field is not None and exc.field.startswith(USER_ENV)
        _diagnose(err, str(exc), f"set {USER_ENV} to a plain name: one line, no control characters" if user else None)
    except (PersistenceError, sqlite3.Error) as exc:  # the store itself failed: locked, full, read-only, gone
        reason = storage_failure(str(exc)) or type(exc).__name__
        _diagnose(err, f"store: {reason}", "nothing half-written: a failed write records nothing")
    except BrokenPipeError:
        # the reader went away (``| head``): say so once, and write nothing more to the pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _diagnose(err, "the output was closed before all of it was written (broken pipe)", None)
    except OSError as exc:
        _diagnose(err, os_error(exc), None)
    return 2


def _diagnose(err: Console, message: str, hint: str | None) -> None:
    err.print(Text.assemble(("error:", "bold red"), " ", terminal_text(message)), highlight=False)
    if hint:
        err.print(Text.assemble(("hint:", "dim"), " ", terminal_text(hint)), highlight=False)


def _readable(name: str, hint: str) -> None:
    """An input file that can be read, before any store is opened (so a mistake creates nothing): a
    regular file (a pipe, a device or a folder is refused, never read)."""
    if not Path(name).exists():
        raise UsageError(f"no file at {name!r}", hint)
    try:
        with open_regular(name):
            pass
    except OSError as exc:
        raise UsageError(f"{name}: {os_error(exc).split(': ')[-1]}", hint) from None


def _store(setting: str | None, *, must_exist: bool) -> Store:
    store = Store.parse(setting)
    if must_exist and not store.exists():
        raise UsageError(f"no store at {store.setting!r}", "run `learning-cycle demo`, or name a store with --store")
    return store


def _open(args: argparse.Namespace, *, must_exist: bool) -> LearningCycle:
    return open_cycle(_store(args.store, must_exist=must_exist))


def _log(args: argparse.Namespace, *, must_exist: bool) -> EventLog:
    return EventLog(_store(args.store, must_exist=must_exist))


def _dispatch(args: argparse.Namespace, out: Console, err: Console) -> int:
    output = getattr(args, "output", "-")
    if output != "-":  # before the store is opened: a refused output reads and writes nothing
        check_output(output, store_files(Store.parse(args.store)))
    if args.verb == "demo":
        if args.boards < 1 or args.years < 1:
            raise UsageError(
                "--boards and --years must be 1 or more", "e.g. --boards 150 --years 10 for national scale"
            )
        with _open(args, must_exist=False) as lc:
            with _progress(err, "loading the demo") as progress:
                board_id, loaded = load_demo(lc, boards=args.boards, years=args.years, progress=progress)
            err.print(DEMO_NOTICE if loaded else f"{DEMO_NOTICE} (already in {lc.store.label})", style="dim")
            with Views.of(lc) as views, _progress(err, "bringing the views up to date") as progress:
                views.catch_up(progress=progress)
                model = views.status(board_id, as_of=DEMO_AS_OF)
            return _show(out, args, converter.unstructure(model) if args.json else None, lambda: StatusView(model))
    if args.verb == "plugins":
        payload = plugins_payload(get_plugins())
        return _show(out, args, payload, lambda: render_plugins(payload))
    if args.verb == "boards":
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            boards = views.boards()
            if args.json:
                out.print_json(json.dumps([{"key": b.key, "name": b.name, "id": str(b.board_id)} for b in boards]))
            else:
                for b in boards:
                    out.print(f"{b.key}\t{b.name}", highlight=False)
            return 0
    if args.verb in ("status", "picture"):
        as_of = _date_arg("--as-of", args.as_of)
        as_known_at = _moment_arg("--as-known-at", args.as_known_at)
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            board_id = _pick_board(lc, views, args.board)
            access = _restricted(lc, args, board_id)
            if args.verb == "status":
                model = views.status(board_id, as_of=as_of, as_known_at=as_known_at, restricted=access)
                render = StatusView
            else:
                model = views.picture(board_id, args.year, as_of=as_of, as_known_at=as_known_at, restricted=access)
                render = render_picture
            return _show(
                out,
                args,
                converter.unstructure(model) if args.json else None,
                lambda: render(model),
                model.includes_restricted,
            )
    if args.verb == "stocktake":
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            board_id = _pick_board(lc, views, args.board)
            year = ReportingYear.parse(args.year, lc.board(board_id).year_start)
            if args.as_known_at == "stocktake":
                as_known_at = views.stock_take_moment(board_id, year)
                if as_known_at is None:
                    raise UsageError(
                        f"--as-known-at stocktake: no stock-take of {year.label} is recorded",
                        "give a moment instead, or record the stock-take",
                    )
            else:
                as_known_at = _moment_arg("--as-known-at", args.as_known_at)
            measures = {key: c.item for key, c in get_plugins().outcome_measures().items()}
            access = _restricted(lc, args, board_id)
            model = views.stock_take(board_id, year, as_known_at=as_known_at, measures=measures, restricted=access)
            store = lc.store
        text = render_report(model, args.format, generated=args.generated_at)
        if args.output == "-":
            sys.stdout.write(text)
        else:
            write_output(args.output, lambda out: out.write(text), store=store, restricted=model.includes_restricted)
            err.print(f"wrote the {year.label} stock-take ({args.format}) to {args.output}", highlight=False)
        return 0
    if args.verb == "rebuild":
        with _log(args, must_exist=True) as log, Views(log) as views, _progress(err, "rebuilding") as progress:
            position = views.rebuild(progress=progress)
            out.print(f"rebuilt the views from the log: {position} events", highlight=False)
        return 0
    if args.verb == "verify":
        with _log(args, must_exist=True) as log, Views(log) as views, _progress(err, "rebuilding") as progress:
            digest = None if args.digest is None else Head.parse(args.digest, "--digest")
            result = views.verify(progress=progress, digest=digest)
            include = args.include_restricted and _read_differences(args, result)
            if not include:  # a field's values may be restricted material: named, not shown
                result = attrs.evolve(result, differences=tuple(d.withheld() for d in result.differences))
            if args.json:
                out.print_json(json.dumps(converter.unstructure(result), default=str))
            elif result.ok:
                out.print(
                    f"ok: the chain holds and the views equal a rebuild from the log ({result.events} events, "
                    f"{result.records} records, up to position {result.position})",
                    highlight=False,
                )
                if result.anchored:
                    out.print(f"ok: the log up to position {digest.position} is the one digest {result.anchored} was taken of", highlight=False)  # fmt: skip
                if result.chained_late_until:
                    out.print(f"note: {result.chained_late}; edits made to them before then cannot be detected", highlight=False)  # fmt: skip
            else:
                err.print(f"verify found {len(result.differences)} problem(s):")
                for difference in result.differences[:50]:
                    err.print(f"  {difference.shown() if include else difference}", highlight=False, markup=False)
                if not include and any(d.recorded for d in result.differences):
                    err.print(
                        "hint: verify --include-restricted shows the values (the read is logged)", highlight=False
                    )
            if not args.json and result.head:
                out.print(f"head: {result.head}", highlight=False)
            return 0 if result.ok else 1
    if args.verb == "chain":
        with _open(args, must_exist=True) as lc:
            linked = lc.chain_log()
        out.print(
            f"chained the store: events 1 to {linked} linked late, and the chaining recorded by {lc.user}; "
            "run `learning-cycle verify`",
            highlight=False,
        )
        return 0
    if args.verb == "keygen":
        from eventsourcing.cryptography import AESCipher

        out.print(AESCipher.create_key(32), highlight=False)
        err.print("set it as LEARNING_CYCLE_CIPHER_KEY, or put it in a file named by LEARNING_CYCLE_CIPHER_KEY_FILE")
        return 0
    if args.verb == "migrate":
        source = Store.parse(args.source)
        if not source.exists():
            raise UsageError(f"no store at {source.setting!r}", "name the SQLite file to copy from")
        target = Store.parse(args.target)
        rekey = None
        if args.to_key_file is not None:
            try:
                key = read_small(args.to_key_file).decode("ascii")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(
                    f"--to-key-file: {args.to_key_file}: cannot be read ({getattr(exc, 'strerror', None) or exc})",
                    "name a file holding a key made by `learning-cycle keygen`",
                ) from None
            rekey = cipher_settings(key, "--to-key-file")
        with EventLog(source) as src, EventLog(target, env=rekey) as dst, _progress(err, "migrating") as progress:
            result = migrate(src, dst, progress=progress)
        out.print(
            f"copied {result.recorded} events ({result.already} already there); "
            f"the two logs export to the same {result.size} bytes",
            highlight=False,
        )
        return 0
    if args.verb == "init":
        config = read_config(args.config)
        with _open(args, must_exist=False) as lc:
            apply_config(lc, config, source=args.config)
            out.print(f"set up board {config.key!r} ({config.name}) in {lc.store.label}", highlight=False)
        return 0
    if args.verb == "export":
        if args.redacted and args.include_restricted:
            raise UsageError("--redacted and --include-restricted: choose one", "leave out --redacted (the default)")
        with _open(args, must_exist=True) as lc:
            with Views.of(lc) as views:
                by_board = {board_id: redactions([views.records(board_id)]) for board_id in views.board_ids()}
            held = {record: text for found in by_board.values() for record, text in found.items()}
            redact = None if args.include_restricted else held
            if args.include_restricted:  # recorded before the log is read, so the export holds the reads too
                reads = [lc.read_restricted(board_id, "export") for board_id, found in by_board.items() if found]
                if reads:
                    err.print(f"recorded a read of restricted material in the access log of {len(reads)} board(s)")
            with _progress(err, "exporting") as progress:
                if args.output == "-":
                    count = export_log(lc.log, sys.stdout, progress=progress, redact=redact)
                    sys.stdout.flush()
                else:
                    count = export_file(lc.log, args.output, progress=progress, redact=redact)
        err.print(f"exported {count} events to {args.output}", highlight=False)
        if held and args.include_restricted:
            err.print(Text(RESTRICTED_EXPORT.format(n=len(held)), style="bold red"), highlight=False)
        elif held:
            err.print(f"redacted the material of {len(held)} records of reports not published", highlight=False)
        return 0
    if args.verb == "import":
        if args.batch < 1:
            raise UsageError(f"--batch: {args.batch} is not a batch size", "give a whole number, 1 or more")
        _readable(args.file, "name a JSON Lines file written by `learning-cycle export`")
        with _log(args, must_exist=False) as log, _progress(err, "importing") as progress:
            result = import_log(log, args.file, batch=args.batch, progress=progress)
        if args.json:
            out.print_json(json.dumps(attrs.asdict(result)))
        else:
            out.print(
                f"{result.recorded} events recorded, {result.already} already in the store, "
                f"from {result.lines} lines of {args.file}",
                highlight=False,
            )
        return 0
    if args.verb == "activities":
        plugins = get_plugins()
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            board_id = _pick_board(lc, views, args.board)
            records = views.records(board_id, restricted=_restricted(lc, args, board_id))
            listed = list(records.activities)
            deadlines = {a.activity_id: lc.deadlines(board_id, a.activity_id) for a in listed}
            payload = activities_payload(lc.board(board_id), listed, plugins, deadlines)
            return _show(out, args, payload, lambda: render_activities(payload), records.includes_restricted)
    if args.verb == "pull":
        plugins = get_plugins()
        source = plugins.indicator_source(args.source) if args.source else plugins.source_for(args.file)
        _readable(args.file, "name a CSV or JSON Lines file of figures")
        with _open(args, must_exist=True) as lc:
            if args.board is None:
                with Views.of(lc) as views:
                    board_id = _pick_board(lc, views, None)
            else:
                board_id = lc.board_id(args.board)
            result = lc.pull(board_id, source, args.file)
            if args.json:
                out.print_json(json.dumps(attrs.asdict(result)))
            else:
                out.print(
                    f"{result.recorded} recorded, {result.corrected} corrected, {result.unchanged} unchanged "
                    f"from {args.file} ({source.title})",
                    highlight=False,
                )
            return 0
    if args.verb == "outcomes":
        as_of = _date_arg("--as-of", args.as_of)
        plugins = get_plugins()
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            board_id = _pick_board(lc, views, args.board)
            records = views.records(board_id, as_of=as_of, restricted=_restricted(lc, args, board_id))
            payload = outcomes_payload(records.board, plugins, plugins.outcomes(records))
            return _show(out, args, payload, lambda: render_outcomes(payload), records.includes_restricted)
    if args.verb == "findings":
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            board_id = _pick_board(lc, views, args.board)
            records = views.records(board_id, restricted=_restricted(lc, args, board_id))
            findings = list(records.findings)
            payload = findings_payload(records.board, findings)
            return _show(
                out, args, payload, lambda: render_findings(records.board, findings), records.includes_restricted
            )
    if args.verb == "access-log":
        with _open(args, must_exist=True) as lc, Views.of(lc) as views:
            board_id = _pick_board(lc, views, args.board)
            reads = views.access_log(board_id)
            payload = access_payload(lc.board(board_id), reads)
            return _show(out, args, payload, lambda: render_access(payload))
    raise UsageError(f"unknown verb {args.verb!r}")  # pragma: no cover - argparse refuses first


def _show(
    out: Console, args: argparse.Namespace, data: Any, render: Callable[[], Any], restricted: bool | None = None
) -> int:
    """Print ``data`` as JSON with ``--json``, else what ``render()`` makes of it. An output that
    holds restricted material says so at its top (in JSON, ``includes_restricted``)."""
    if restricted is None and isinstance(data, dict):
        restricted = data.get("includes_restricted")
    if args.json:
        if restricted is not None and isinstance(data, dict):
            data = {"includes_restricted": restricted, **data}
        out.print_json(json.dumps(data))
    else:
        if restricted:
            out.print(Text(RESTRICTED_BANNER, style="bold red"))
        out.print(render())
    return 0


def _read_differences(args: argparse.Namespace, result: Verification) -> bool:
    """For ``verify --include-restricted``: record a read in the access log of each board whose
    fields differ, before their values are shown."""
    boards = dict.fromkeys(d.board_id for d in result.differences if d.recorded and d.board_id is not None)
    if boards:
        with _open(args, must_exist=True) as lc:
            for board_id in boards:
                lc.read_restricted(board_id, "verify")
    return True


def _restricted(lc: LearningCycle, args: argparse.Namespace, board_id: UUID) -> RestrictedAccess | None:
    """With ``--include-restricted``, the read recorded in the board's access log (who, when, what)."""
    if not getattr(args, "include_restricted", False):
        return None
    options = [f"{name} {value}" for name, value in (("--year", getattr(args, "year", None)),
               ("--as-of", getattr(args, "as_of", None)), ("--as-known-at", getattr(args, "as_known_at", None)),
               ("--format", getattr(args, "format", None))) if value]  # fmt: skip
    return lc.read_restricted(board_id, " ".join([args.verb, *options]))


def _date_arg(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date", "write dates as YYYY-MM-DD") from None


@contextmanager
def _progress(err: Console, description: str) -> Iterator[Callable[[int, int], None]]:
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


def _moment_arg(option: str, value: str | None) -> datetime | None:
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


def _pick_board(lc: LearningCycle, views: Views, key: str | None) -> UUID:
    if key is not None:
        return lc.board_id(key)
    boards = views.boards()
    if len(boards) == 1:
        return boards[0].board_id
    keys = ", ".join(b.key for b in boards) or "none"
    raise UsageError(f"the store has {len(boards)} boards: say which with --board (boards: {keys})")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
