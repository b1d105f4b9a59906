"""The verbs of the ``learning-cycle`` command that view a store, move data in and out of it, and
look after it (the store's own verbs: :mod:`learning_cycle.cli.store_verbs`). Each is a click command whose docstring is its help (a description, then an
example); the shared options (``--store``, ``--board``, ``--json``, ``--as-of``, ``--as-known-at``,
``--include-restricted``) are declared once, in :mod:`learning_cycle.cli.app`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID

import attrs
import click
from rich.text import Text

from ..demo import DEMO_AS_OF, DEMO_NOTICE, load_demo
from ..domain import BoardState
from ..domain.errors import InvalidValue
from ..domain.values import ReportingYear
from ..eventlog.outputs import write_output
from ..eventlog.serialization import converter
from ..interchange import export_file, export_log, import_log
from ..interchange.config import apply_config, read_config
from ..plugins import get_plugins
from ..projections.disclosure import redactions
from ..projections.picture import Picture
from ..projections.references import CREATED, References, is_reference, references
from ..projections.reviews import board_names
from ..projections.status import CycleStatus, last_recorded
from ..projections.store import Views
from ..reports import BRIEFING_FORMATS, FORMATS, render_briefing
from ..reports import render as render_report
from .app import DATA, VIEWING, Args, Streams, verb
from .common import (
    RESTRICTED_EXPORT,
    UsageError,
    date_arg,
    moment_arg,
    open_cycle_for,
    open_log,
    pick_board,
    print_envelope,
    progress_bar,
    readable,
    restricted_read,
    show,
    within_years,
)
from .status_view import StatusView
from .views import (
    SUBGROUP_HELP,
    access_payload,
    activities_payload,
    board_of,
    findings_payload,
    for_subgroup,
    held_reviews,
    outcomes_payload,
    plugins_payload,
    render_access,
    render_activities,
    render_findings,
    render_outcomes,
    render_picture,
    render_plugins,
    views_for,
)


@click.option("--boards", type=int, default=1, show_default=True, metavar="N", help="also generate N - 1 fictional boards (scale)")  # fmt: skip
@click.option("--years", type=int, default=5, show_default=True, metavar="Y", help="years of history per generated board")  # fmt: skip
@verb(VIEWING, "store", "json")
def demo(args: Args, io: Streams) -> int:
    """Load the fictional demo board and show its status.

    \b
    Example:
      learning-cycle demo
      learning-cycle --store demo.sqlite demo --boards 150 --years 10
    """
    if args.boards < 1 or args.years < 1:
        raise UsageError("--boards and --years must be 1 or more", "e.g. --boards 150 --years 10 for national scale")
    with open_cycle_for(args, must_exist=False) as lc:
        with progress_bar(io.err, "loading the demo") as progress:
            board_id, loaded = load_demo(lc, boards=args.boards, years=args.years, progress=progress)
        io.notes.print(DEMO_NOTICE if loaded else f"{DEMO_NOTICE} (already in {lc.store.label})", style="dim")
        with Views.of(lc) as views, progress_bar(io.err, "bringing the views up to date") as progress:
            views.catch_up(progress=progress)
            model = views.status(board_id, as_of=DEMO_AS_OF, methods=_titles(get_plugins()))
        refs = references(lc.follow(topics=list(CREATED)), board_id)
        data, header = _model_json(model, lc.board(board_id), refs) if args.json else (None, {})
        return show(io.out, args, data, lambda: StatusView(model, why="the last day of the demo's story"), **header)


@verb(VIEWING, "json")
def plugins(args: Args, io: Streams) -> int:
    """List the loaded plugins and what each registers.

    \b
    Example:
      learning-cycle plugins --json
    """
    payload = plugins_payload(get_plugins())
    return show(io.out, args, payload, lambda: render_plugins(payload))


@verb(VIEWING, "store", "json")
def boards(args: Args, io: Streams) -> int:
    """List the boards in the store (key, then name).

    \b
    Example:
      learning-cycle boards --store northshire.sqlite
    """
    with open_cycle_for(args, must_exist=True) as lc, Views.of(lc) as views:
        found = views.boards()
        if args.json:
            print_envelope(io.out, args, {"boards": [board_of(b) for b in found]})
        else:
            for b in found:
                io.out.print(f"{b.key}\t{b.name}", highlight=False)
        return 0


def _status_or_picture(args: Args, io: Streams) -> int:
    as_of = date_arg("--as-of", args.as_of)
    as_known_at = moment_arg("--as-known-at", args.as_known_at)
    subgroup = getattr(args, "subgroup", None)
    with open_cycle_for(args, must_exist=True) as lc, views_for(lc, subgroup) as views:
        board_id = pick_board(lc, views, args.board)
        year = None
        if getattr(args, "year", None) is not None:
            year = within_years(lc, board_id, ReportingYear.parse(args.year, lc.board(board_id).year_start))
        access = restricted_read(lc, args, board_id)
        model: CycleStatus | Picture
        render: Callable[[], Any]
        if args.verb == "status":
            status = model = views.status(
                board_id, as_of=as_of, as_known_at=as_known_at, restricted=access, methods=_titles(get_plugins())
            )
            why = "the day asked for" if as_of else "the day of --as-known-at" if as_known_at else "today"
            render = for_subgroup(lambda: StatusView(status, why=why), subgroup)
        else:
            if year is None and as_of is None:  # a board whose records stop in the past: its last year
                year = _last_year_recorded(lc, views, board_id, as_known_at, io)
            picture = model = views.picture(board_id, year, as_of=as_of, as_known_at=as_known_at, restricted=access)
            records = views.records(board_id, as_of=as_of, as_known_at=as_known_at)  # placeholders, not material
            reviews, held = held_reviews(records) if access is None else ((), {})
            names = {**board_names(records, _titles(get_plugins())), **{i.key: i.title for i in records.indicators}}
            render = lambda: render_picture(picture, names, reviews, held)
        refs = references(lc.follow(topics=list(CREATED)), board_id)
        data, header = _model_json(model, lc.board(board_id), refs) if args.json else (None, {})
        data = {"subgroup": subgroup, **data} if subgroup and data is not None else data
        if args.verb == "picture":
            header.update(as_of=args.as_of, as_known_at=as_known_at and as_known_at.isoformat())
        return show(io.out, args, data, render, model.includes_restricted, **header)


def _last_year_recorded(lc: Any, views: Views, board_id: UUID, as_known_at: Any, io: Streams) -> Any:
    """The reporting year of the board's last recorded activity when that is before the current
    one (with a note saying so), else ``None`` (the current year)."""
    records = views.records(board_id, as_known_at=as_known_at)
    last = last_recorded(records)
    start = records.board.year_start
    if last is None or start.year_of(last) == start.year_of(records.as_of):
        return None
    year = start.year_of(last)
    io.notes.print(
        f"nothing is recorded after {last}: the picture ends with {year.label}, the last year with records "
        "(--year or --as-of for another)",
        style="dim",
        highlight=False,
    )
    return year


def _model_json(model: Any, board: BoardState, refs: References) -> tuple[dict[str, Any], dict[str, Any]]:
    """A view's model as an envelope's payload and header: the board and the time axes move up, and
    each finding and activity gains its reference."""
    data = converter.unstructure(model)
    for key, ident in (("findings", "finding_id"), ("activities", "activity_id")):
        for row in data.get(key) or ():
            if isinstance(row, dict) and row.get(ident):
                row["ref"] = refs.of(UUID(row[ident]))
    data.pop("board_key", None)
    data.pop("board_name", None)
    header = {"board": board_of(board), "as_of": data.pop("as_of", None), "as_known_at": data.pop("as_known_at", None)}
    return data, header


TIMES = ("store", "board", "json", "as_of", "as_known_at", "include_restricted")


@click.option("--subgroup", metavar="NAME", help=SUBGROUP_HELP)
@verb(VIEWING, *TIMES)
def status(args: Args, io: Streams) -> int:
    """The cycle at a glance: stages, verdicts, timescales.

    \b
    Example:
      learning-cycle status
      learning-cycle status --board northshire-demo --as-of 2016-03-31
    """
    return _status_or_picture(args, io)


@click.option("--year", metavar="YYYY/YY", help="the window's last reporting year  [default: the current]")
@verb(VIEWING, *TIMES)
def picture(args: Args, io: Streams) -> int:
    """The three-year sustained-improvement picture.

    \b
    Example:
      learning-cycle picture --year 2016/17
    """
    return _status_or_picture(args, io)


@click.option("--year", metavar="YYYY/YY", required=True, help="the reporting year, e.g. 2016/17")
@click.option("--format", "format", type=click.Choice(FORMATS), default="md", show_default=True, help="md, html or json")  # fmt: skip
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True, help="where to write it ('-': stdout)")  # fmt: skip
@click.option("--generated-at", metavar="TEXT", help="a 'generated' line to print  [default: none]")
@click.option("--subgroup", metavar="NAME", help=SUBGROUP_HELP)
@verb(VIEWING, "store", "board", "as_known_at", "include_restricted")
def stocktake(args: Args, io: Streams) -> int:
    """The annual stock-take report of a year. --as-known-at stocktake shows the year as it was known
    when its stock-take was recorded.

    \b
    Example:
      learning-cycle stocktake --year 2016/17 --format html -o stocktake.html
    """
    with open_cycle_for(args, must_exist=True) as lc, views_for(lc, args.subgroup) as views:
        board_id = pick_board(lc, views, args.board)
        year = within_years(lc, board_id, ReportingYear.parse(args.year, lc.board(board_id).year_start))
        if args.as_known_at == "stocktake":
            as_known_at = views.stock_take_moment(board_id, year)
            if as_known_at is None:
                raise UsageError(
                    f"--as-known-at stocktake: no stock-take of {year.label} is recorded",
                    "give a moment instead, or record the stock-take",
                )
        else:
            as_known_at = moment_arg("--as-known-at", args.as_known_at)
        plugins = get_plugins()
        measures = {key: c.item for key, c in plugins.outcome_measures().items()}
        access = restricted_read(lc, args, board_id)
        model = views.stock_take(
            board_id, year, as_known_at=as_known_at, measures=measures, restricted=access, methods=_titles(plugins)
        )
        store = lc.store
    text = render_report(model, args.format, generated=args.generated_at)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_output(args.output, lambda out: out.write(text), store=store, restricted=model.includes_restricted)
        io.notes.print(f"wrote the {year.label} stock-take ({args.format}) to {args.output}", highlight=False)
    return 0


def _titles(plugins: Any) -> dict[str, str]:
    """Each installed review method's title, by its key (the words reports show for a method)."""
    return {key: c.item.title for key, c in plugins.review_methods().items()}


@click.argument("review", metavar="REVIEW")
@click.option("--format", "format", type=click.Choice(BRIEFING_FORMATS), default="md", show_default=True, help="md or html")  # fmt: skip
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True, help="where to write it ('-': stdout)")  # fmt: skip
@verb(VIEWING, "store", "board", "include_restricted")
def briefing(args: Args, io: Streams) -> int:
    """The 7-minute briefing of a review, for practitioners: the case in brief, why it matters, what
    was found, what practitioners should do, questions for reflection, where to learn more. REVIEW is
    the review's reference (A-3), the start of its id, or its title. A review whose report is not
    published gets none, unless --include-restricted (the read is recorded in the access log).

    \b
    Example:
      learning-cycle briefing A-4 --format html -o briefing.html
    """
    with open_cycle_for(args, must_exist=True) as lc, Views.of(lc) as views:
        board_id = pick_board(lc, views, args.board)
        refs = references(lc.follow(topics=list(CREATED)), board_id)
        review: str | UUID = args.review.strip()
        try:  # a reference or the start of an id; else a title
            review = refs.resolve(args.review, "A", "review")
        except InvalidValue:
            if is_reference(args.review):
                raise
        access = restricted_read(lc, args, board_id)
        model = views.briefing(board_id, review, restricted=access, methods=_titles(get_plugins()))
        store = lc.store
    text = render_briefing(model, args.format)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_output(args.output, lambda out: out.write(text), store=store, restricted=access is not None)
        io.notes.print(f"wrote the briefing ({args.format}) to {args.output}", highlight=False)
    return 0


@verb(VIEWING, "store", "board", "json", "include_restricted")
def findings(args: Args, io: Streams) -> int:
    """Each finding of a board with its stage.

    \b
    Example:
      learning-cycle findings --board northshire-demo --json
    """
    with open_cycle_for(args, must_exist=True) as lc, Views.of(lc) as views:
        board_id = pick_board(lc, views, args.board)
        records = views.records(board_id, restricted=restricted_read(lc, args, board_id))
        listed = list(records.findings)
        refs = references(lc.follow(topics=list(CREATED)), board_id)
        payload = findings_payload(records.board, listed, refs)
        return show(
            io.out,
            args,
            payload,
            lambda: render_findings(records.board, listed, refs, records),
            records.includes_restricted,
        )


@verb(VIEWING, "store", "board", "json", "include_restricted")
def activities(args: Args, io: Streams) -> int:
    """Each learning activity with its method and timescales.

    \b
    Example:
      learning-cycle activities
    """
    menu = get_plugins()
    with open_cycle_for(args, must_exist=True) as lc, Views.of(lc) as views:
        board_id = pick_board(lc, views, args.board)
        records = views.records(board_id, restricted=restricted_read(lc, args, board_id))
        listed = list(records.activities)
        deadlines = {a.activity_id: lc.deadlines(board_id, a.activity_id) for a in listed}
        refs = references(lc.follow(topics=list(CREATED)), board_id)
        payload = activities_payload(lc.board(board_id), listed, menu, deadlines, refs)
        return show(io.out, args, payload, lambda: render_activities(payload, records), records.includes_restricted)


@verb(VIEWING, "store", "board", "json", "as_of", "include_restricted")
def outcomes(args: Args, io: Streams) -> int:
    """The outcome measures a board reports, as of a day (default: today).

    \b
    Example:
      learning-cycle outcomes --as-of 2017-03-31
    """
    as_of = date_arg("--as-of", args.as_of)
    menu = get_plugins()
    with open_cycle_for(args, must_exist=True) as lc, Views.of(lc) as views:
        board_id = pick_board(lc, views, args.board)
        records = views.records(board_id, as_of=as_of, restricted=restricted_read(lc, args, board_id))
        payload = outcomes_payload(records.board, menu, menu.reported_outcomes(records))
        return show(io.out, args, payload, lambda: render_outcomes(payload), records.includes_restricted)


@verb(VIEWING, "store", "board", "json")
def access_log(args: Args, io: Streams) -> int:
    """Every recorded read of a board's restricted material.

    \b
    Example:
      learning-cycle access-log --json
    """
    with open_cycle_for(args, must_exist=True) as lc, Views.of(lc) as views:
        board_id = pick_board(lc, views, args.board)
        payload = access_payload(lc.board(board_id), views.access_log(board_id))
        return show(io.out, args, payload, lambda: render_access(payload))


@click.option("-o", "--output", metavar="FILE", required=True, help="the file to write ('-' for stdout)")
@click.option("--redacted", is_flag=True, help="the default: unpublished material replaced with a placeholder")
@verb(DATA, "store", "include_restricted")
def export(args: Args, io: Streams) -> int:
    """Write the whole log as JSON Lines, redacted: the material of reports not published is replaced
    with a placeholder (same ids; importable), for sharing with a national panel or a researcher.
    With --include-restricted it is exported as recorded, and the read is recorded in each board's
    access log before any line is written.

    \b
    Example:
      learning-cycle export -o northshire.jsonl
    """
    if args.redacted and args.include_restricted:
        raise UsageError("--redacted and --include-restricted: choose one", "leave out --redacted (the default)")
    with open_cycle_for(args, must_exist=True) as lc:
        with Views.of(lc) as views:
            by_board = {board_id: redactions([views.records(board_id)]) for board_id in views.board_ids()}
        held = {record: text for found in by_board.values() for record, text in found.items()}
        redact = None if args.include_restricted else held
        if args.include_restricted:  # recorded before the log is read, so the export holds the reads too
            reads = [lc.read_restricted(board_id, "export") for board_id, found in by_board.items() if found]
            if reads:
                io.err.print(f"recorded a read of restricted material in the access log of {len(reads)} board(s)")
        with progress_bar(io.err, "exporting") as progress:
            if args.output == "-":
                count = export_log(lc.log, sys.stdout, progress=progress, redact=redact)
                sys.stdout.flush()
            else:
                count = export_file(lc.log, args.output, progress=progress, redact=redact)
    io.notes.print(f"exported {count} events to {args.output}", highlight=False)
    if held and args.include_restricted:
        io.err.print(Text(RESTRICTED_EXPORT.format(n=len(held)), style="bold red"), highlight=False)
    elif held:
        io.notes.print(f"redacted the material of {len(held)} records of reports not published", highlight=False)
    return 0


@click.argument("file", metavar="FILE")
@click.option("--batch", type=int, default=1000, show_default=True, metavar="N", help="events per insert")
@verb(DATA, "store", "json")
def import_(args: Args, io: Streams) -> int:
    """Load a JSON Lines log, as `export` writes it (checked whole first).

    \b
    Example:
      learning-cycle import northshire.jsonl --store copy.sqlite
    """
    if args.batch < 1:
        raise UsageError(f"--batch: {args.batch} is not a batch size", "give a whole number, 1 or more")
    readable(args.file, "name a JSON Lines file written by `learning-cycle export`")
    with open_log(args, must_exist=False) as log, progress_bar(io.err, "importing") as progress:
        result = import_log(log, args.file, batch=args.batch, progress=progress)
    if args.json:
        print_envelope(io.out, args, attrs.asdict(result))
    else:
        io.out.print(
            f"{result.recorded} events recorded, {result.already} already in the store, "
            f"from {result.lines} lines of {args.file}",
            highlight=False,
        )
    return 0


@click.argument("file", metavar="FILE")
@click.option("--source", metavar="KEY", help="the indicator source to read it with  [default: by file name]")
@click.option("--on", metavar="YYYY-MM-DD", help="the day the figures were recorded, to backfill  [default: today]")
@verb(DATA, "store", "board", "json")
def pull(args: Args, io: Streams) -> int:
    """Record indicator figures from a file (CSV or JSON Lines, by its name); unchanged figures
    record nothing.

    \b
    Example:
      learning-cycle pull figures-2016.csv
      learning-cycle pull figures-2016-q1.csv --on 2016-07-15
    """
    menu = get_plugins()
    source = menu.indicator_source(args.source) if args.source else menu.source_for(args.file)
    readable(args.file, "name a CSV or JSON Lines file of figures")
    with open_cycle_for(args, must_exist=True) as lc:
        if args.board is None:
            with Views.of(lc) as views:
                board_id = pick_board(lc, views, None)
        else:
            board_id = lc.board_id(args.board)
        result = lc.pull(board_id, source, args.file, on=date_arg("--on", args.on))
        if args.json:
            print_envelope(io.out, args, attrs.asdict(result), board=board_of(lc.board(board_id)))
        else:
            io.out.print(
                f"{result.recorded} recorded, {result.corrected} corrected, {result.unchanged} unchanged "
                f"from {args.file} ({source.title})",
                highlight=False,
            )
        return 0


@click.argument("config", metavar="FILE")
@verb(DATA, "store")
def init(args: Args, io: Streams) -> int:
    """Set up a board from a configuration file (JSON; schemas/board-config.schema.json).

    \b
    Example:
      learning-cycle init northshire.json
    """
    config = read_config(args.config)
    with open_cycle_for(args, must_exist=False) as lc:
        apply_config(lc, config, source=args.config)
        io.out.print(f"set up board {config.key!r} ({config.name}) in {lc.store.label}", highlight=False)
    return 0
