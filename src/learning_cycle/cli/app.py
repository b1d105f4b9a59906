"""The ``learning-cycle`` command's frame, on click: the group of verbs (listed by what people do
with them, with a suggestion for a mistyped verb), the shared options declared once and accepted
before or after the verb, ``-q``/``-v``, ``--version``, shell completion, and the one place where
errors become diagnostics and exit codes.

Exit codes: 0 done; 1 ``verify`` found a difference; 2 bad input or usage; 3 the store cannot be
reached, is locked or cannot be written; 130 interrupted.
"""

from __future__ import annotations

import difflib
import functools
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import click
from eventsourcing.persistence import PersistenceError
from rich.console import Console

from .. import __version__
from ..application.cycle import USER_ENV
from ..domain import LearningCycleError
from ..domain.errors import InvalidValue
from ..eventlog.outputs import check_output, store_files
from ..eventlog.store import DEFAULT_STORE, READ_ONLY, STORE_ENV, Store, storage_failure
from ..plugins import ALLOW_ENV, get_plugins
from .common import Args, SafeConsole, UsageError, check_arguments, diagnose, os_error

PROG = "learning-cycle"
DONE, DIFFERENT, BAD_INPUT, STORE_FAILED, INTERRUPTED = 0, 1, 2, 3, 130

VIEWING, RECORDING, DATA, STORE = "Viewing", "Recording", "Data in and out", "The store"
SECTIONS = (VIEWING, RECORDING, DATA, STORE)

SHARED_OPTIONS: dict[str, Callable[..., Any]] = {
    "store": functools.partial(
        click.option,
        "--store",
        metavar="PATH_OR_URL",
        help=f"where the log lives: a SQLite file, 'memory:' or a postgresql:// URL  "
        f"[default: ${STORE_ENV}, else ./{DEFAULT_STORE}]",
    ),
    "board": functools.partial(
        click.option, "--board", metavar="KEY", help="the board's key  [default: the only board in the store]"
    ),
    "json": functools.partial(click.option, "--json", is_flag=True, help="print JSON instead of text"),
    "as_of": functools.partial(
        click.option, "--as-of", metavar="YYYY-MM-DD", help="the world as it was on this effective date"
    ),
    "as_known_at": functools.partial(
        click.option,
        "--as-known-at",
        metavar="MOMENT",
        help="only what the log held at this moment (ISO date-time; a bare date means the end of that day, UTC)",
    ),
    "include_restricted": functools.partial(
        click.option,
        "--include-restricted",
        is_flag=True,
        help="show the material of reports not published (withheld, delayed, undecided): the read is "
        "recorded in the board's access log, and the output says it is restricted",
    ),
}
SHARED_KEY = "learning_cycle.shared"


class PipeClosed(Exception):
    """The reader of the output went away (``| head``)."""


@attrs.frozen
class Streams:
    """Where a verb writes: ``out`` its result (stdout), ``err`` warnings and problems (stderr,
    always), ``notes`` what it did (stderr; silent with ``-q``)."""

    out: Console
    err: Console
    notes: Console
    verbose: bool = False


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A shared option given before or after the verb: kept once, for the verb (the later wins)."""
    if value not in (None, False) and param.name is not None:
        ctx.find_root().meta.setdefault(SHARED_KEY, {})[param.name] = value
    return value


def shared(name: str) -> Callable[[Any], Any]:
    """The shared option ``name`` (a key of :data:`SHARED_OPTIONS`), not passed to the function."""
    return SHARED_OPTIONS[name](expose_value=False, callback=_remember, is_eager=False)


class Verbs(click.Group):
    """The verbs, listed in the help by section, with a suggestion for a mistyped one."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            raise UsageError(
                f"no verb {name!r}",
                f"did you mean {' or '.join(repr(c) for c in close)}?" if close else f"`{PROG} --help` lists the verbs",
            )
        return super().resolve_command(ctx, args)

    plugin_verbs: frozenset[str] = frozenset()

    def add_plugin_verbs(self) -> None:
        """The verbs the loaded plugins add (``learning_cycle_register_commands``), in place of those
        an earlier run added; a plugin named in ``$LEARNING_CYCLE_PLUGINS`` that is not installed
        is an error, not a quiet absence."""
        for name in self.plugin_verbs:
            self.commands.pop(name, None)
        plugins = get_plugins()
        wanted = {n.strip() for n in os.environ.get(ALLOW_ENV, "").split(",") if n.strip()}
        missing = sorted(wanted - {p.name for p in plugins.plugins()})
        if missing:
            raise UsageError(
                f"{ALLOW_ENV}: no installed plugin is named {missing[0]!r}",
                "`learning-cycle plugins` lists them (run it with the variable unset)",
            )
        before = set(self.commands)
        plugins.register_commands(self)
        self.plugin_verbs = frozenset(set(self.commands) - before)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        verbs = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        for section in (*SECTIONS, None):
            rows = [
                (name, cmd.get_short_help_str(formatter.width - 20))
                for name, cmd in verbs
                if cmd is not None and not cmd.hidden and getattr(cmd, "section", None) == section
            ]
            if rows:
                with formatter.section(section or "Added by plugins"):
                    formatter.write_dl(rows)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        """Run the command line; errors become ``error:``/``hint:`` lines and an exit code, never a
        traceback. Exits with the code in ``standalone_mode`` (click's and CliRunner's), else returns it."""

        def run() -> Any:
            self.add_plugin_verbs()
            return super(Verbs, self).main(args, prog_name or PROG, standalone_mode=False, **extra)

        code = guarded(run)
        if standalone_mode:
            sys.exit(code)
        return code


#: How the layers below say the store itself failed (all ``field="store"``): unreachable, busy,
#: locked, written meanwhile by another writer, or its disk refused a write.
STORE_FAILURES = (
    "store: cannot open ",
    "store: cannot reach PostgreSQL",
    "store: the PostgreSQL connection was lost",
    "store: the SQLite file is busy",
    "store: could not record (",
    "store: another writer recorded",
    "store: the views could not be written",
)


def _store_failed(exc: LearningCycleError) -> bool:
    """The store named is fine as a setting, but cannot be reached (a server down, a lock held) or
    cannot be written (a read-only file or folder): exit 3, not a mistake in the input."""
    if exc.field != "store":
        return False
    if isinstance(exc, InvalidValue):
        return exc.reason.startswith(READ_ONLY.split("(")[0])
    return str(exc).startswith(STORE_FAILURES)


def guarded(run: Callable[[], Any]) -> int:
    """``run()``'s exit code; each kind of failure as a diagnostic on stderr and its own code."""
    err = SafeConsole(stderr=True, soft_wrap=True)  # one line each, never wrapped (tools read file:line:column)
    try:
        result = run()
        return result if isinstance(result, int) else DONE
    except UsageError as exc:
        diagnose(err, str(exc), exc.hint)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else PROG
        diagnose(err, exc.format_message(), f"`{command} --help` shows how to use it")
    except click.Abort:
        diagnose(err, "interrupted: nothing more was done", None)
        return INTERRUPTED
    except LearningCycleError as exc:
        if _store_failed(exc):
            diagnose(err, str(exc), "nothing was written; try again when the store can be reached and written")
            return STORE_FAILED
        user = exc.field is not None and exc.field.startswith(USER_ENV)
        diagnose(err, str(exc), f"set {USER_ENV} to a plain name: one line, no control characters" if user else None)
    except (PersistenceError, sqlite3.Error) as exc:  # the store itself failed: unreachable, locked, full, read-only
        reason = storage_failure(str(exc)) or type(exc).__name__
        diagnose(err, f"store: {reason}", "nothing half-written: a failed write records nothing")
        return STORE_FAILED
    except (BrokenPipeError, PipeClosed):
        # the reader went away (``| head``): say so once, and write nothing more to the pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        diagnose(err, "the output was closed before all of it was written (broken pipe)", None)
    except OSError as exc:
        diagnose(err, os_error(exc), None)
    return BAD_INPUT


@click.group(cls=Verbs, invoke_without_command=True, subcommand_metavar="VERB [ARGS]...", context_settings={"help_option_names": ["-h", "--help"], "show_default": True})  # fmt: skip
@click.version_option(__version__, "--version", prog_name=PROG, message="%(prog)s %(version)s")
@click.option("-q", "--quiet", is_flag=True, help="print only results and errors, not what was done")
@click.option("-v", "--verbose", is_flag=True, help="progress as lines on stderr, for logs")
@shared("store")
@shared("board")
@shared("json")
@shared("as_of")
@shared("as_known_at")
@shared("include_restricted")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> int:
    """Record and review a safeguarding children partnership's learning and improvement cycle.

    The options --store, --board, --json, --as-of, --as-known-at and --include-restricted may come
    before or after the verb. Exit codes: 0 done, 1 verify found a difference, 2 bad input or usage,
    3 the store cannot be reached, is locked or cannot be written.

    \b
    Example:
      learning-cycle demo
      learning-cycle --store northshire.sqlite status --as-of 2016-03-31
    """
    err = SafeConsole(stderr=True, soft_wrap=True)
    ctx.obj = Streams(SafeConsole(), err, SafeConsole(stderr=True, soft_wrap=True, quiet=quiet), verbose)
    if verbose:
        os.environ.setdefault("LEARNING_CYCLE_PROGRESS", "lines")
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
    return DONE


def gather(ctx: click.Context, verb: str, names: Sequence[str], params: dict[str, Any]) -> Args:
    """The verb's arguments: its own, and the shared ones it takes (given before or after it). A
    shared option given before a verb that does not take it is a mistake, not ignored."""
    given = ctx.find_root().meta.get(SHARED_KEY, {})
    for name in given:
        if name not in names:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option}: `{verb}` takes no {option}", f"`{PROG} {verb} --help` lists its options")
    args = Args(verb=verb, **{name: given.get(name) for name in SHARED_OPTIONS}, **params)
    for flag in ("json", "include_restricted"):
        setattr(args, flag, bool(getattr(args, flag)))
    check_arguments(args)
    output = getattr(args, "output", "-")
    if output != "-":  # before the store is opened: a refused output reads and writes nothing
        check_output(output, store_files(Store.parse(args.store)))
    return args


def verb(section: str, *names: str) -> Callable[[Callable[[Args, Streams], int]], click.Command]:
    """Make ``body(args, streams)`` a verb of :data:`cli`, listed under ``section``, taking the
    shared options ``names``; its name is the function's (``_`` as ``-``, a trailing ``_`` dropped)."""

    def wrap(body: Callable[[Args, Streams], int]) -> click.Command:
        name = body.__name__.rstrip("_").replace("_", "-")

        @functools.wraps(body)
        def callback(**params: Any) -> int:
            ctx = click.get_current_context()
            try:
                streams = ctx.find_object(Streams)
                if streams is None:  # pragma: no cover - the group sets them before any verb runs
                    raise RuntimeError("the command line's streams are not set")
                return body(gather(ctx, name, names, params), streams)
            except BrokenPipeError:  # past click, which would exit 1 for it
                raise PipeClosed from None

        for option in reversed(names):
            callback = shared(option)(callback)
        command = cli.command(name=name)(callback)
        command.section = section  # type: ignore[attr-defined]
        return command

    return wrap
