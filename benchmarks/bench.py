"""learning-cycle benchmarks: every figure a ratio to a baseline measured in the same run.

    python benchmarks/bench.py --quick        # under a minute on 2 cores (make bench-quick)
    python benchmarks/bench.py                # board and national scale (make bench)
    python benchmarks/bench.py --smoke        # seconds: the suite checks the keys are all printed

One JSON object on stdout; progress on stderr. Stores are real SQLite files in a temporary folder
(and a PostgreSQL server, when $LEARNING_CYCLE_TEST_POSTGRES names one). The national-scale store is
made by replicating one generated fictional board under new ids, then bulk-importing it: the same
path a national body would use to load years of history. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from uuid import UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from learning_cycle import Store, open_cycle
from learning_cycle.demo import load_demo
from learning_cycle.domain import board_id_for
from learning_cycle.domain.kinds import kind_of_topic
from learning_cycle.interchange import export_log, import_log
from learning_cycle.interchange.lines import make_event, parse_state, structure_state
from learning_cycle.plugins import get_plugins
from learning_cycle.projections.store import Views

SCALES = {
    #            template years, density, national boards, record commands, repetitions, rebuild sizes
    "smoke": dict(years=2, density=1, boards=3, commands=20, reps=1, sizes=(200, 400, 800)),
    "quick": dict(years=4, density=4, boards=12, commands=400, reps=5, sizes=(2_000, 8_000, 16_000)),
    "full": dict(years=10, density=25, boards=150, commands=400, reps=5, sizes=(10_000, 100_000, 1_000_000)),
}
NS = UUID("5b3f3c1e-4a49-4a43-9d11-7ad6b7f0a0b1")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TODAY = date(2026, 11, 26)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(reps: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(reps))


def paired(reps: int, ours: Callable[[], float], raw: Callable[[], float]) -> tuple[float, float]:
    """Medians of ``reps`` runs of each, taken in turn (ours, raw, ours, raw, ...), so that a
    slow spell of the machine falls on both sides alike."""
    runs = [(ours(), raw()) for _ in range(reps)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


# -- data ------------------------------------------------------------------------------------


def template(folder: Path, years: int, density: int) -> tuple[Path, str]:
    """One generated fictional board, exported: the board-scale history."""
    with open_cycle(str(folder / "template.sqlite"), user="bench", today=lambda: TODAY) as lc:
        load_demo(lc, boards=2, years=years, density=density)
        board = lc.board_id("demo-board-002")
        lines = folder / "all.jsonl"
        with lines.open("w", encoding="utf-8") as f:
            export_log(lc.log, f)
    ids = {str(board)}
    kept = []
    for text in lines.read_text(encoding="utf-8").splitlines():
        line = json.loads(text)
        if line["payload"].get("board_id") == str(board):  # a record of the board begins
            ids.add(line["originator_id"])
        if line["originator_id"] in ids:
            kept.append(text)
    path = folder / "board.jsonl"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path, str(board)


def replicate(source: Path, boards: int, target: Path, *, limit: int | None = None) -> int:
    """``boards`` copies of a board's history under new ids and keys (copy 0 keeps the originals)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    original = str(board_id_for("demo-board-002"))
    natural = {}  # records whose id is made from what they are (import checks it): their kind and payload
    for text in lines:
        line = json.loads(text)
        kind = kind_of_topic(line["topic"])
        if line["originator_version"] == 1 and kind is not None and kind.natural_key:
            natural[line["originator_id"]] = (kind, line["payload"])
    written = 0

    def new_id(k: int, old: str) -> str:
        board = board_id_for(f"bench-board-{k:04d}")
        if old == original:
            return str(board)
        if old in natural:
            kind, payload = natural[old]
            return str(kind.expected_id({**payload, "board_id": board}))
        return str(uuid5(NS, f"{k}/{old}"))

    with target.open("w", encoding="utf-8") as out:
        for k in range(boards):
            for text in lines:
                if k:
                    text = UUID_TEXT.sub(lambda m, k=k: new_id(k, m.group(0)), text)
                    text = text.replace('"key":"demo-board-002"', f'"key":"bench-board-{k:04d}"')
                out.write(text + "\n")
                written += 1
                if limit is not None and written >= limit:
                    return written
    return written


def store_from(path: Path, lines: Path) -> str:
    store = str(path)
    with open_cycle(store, user="bench", today=lambda: TODAY) as lc:
        import_log(lc.log, lines, batch=2000)
        with Views.of(lc) as views:
            views.catch_up(batch=2000)
    return store


def events_of(lines: Path) -> list:
    found = []
    for text in lines.read_text(encoding="utf-8").splitlines():
        line = json.loads(text)
        cls, state = parse_state(line)
        values, _ = structure_state(cls, state)
        found.append(
            make_event(
                cls,
                values,
                UUID(line["originator_id"]),
                line["originator_version"],
                datetime.fromisoformat(line["recorded_at"]),
            )
        )
    return found


# -- baselines: the raw engine ------------------------------------------------------------------


class Note(Aggregate):
    """The raw engine's equivalent of one recorded fact: an aggregate created with a payload."""

    @event("Noted")
    def __init__(self, board_id: str, statement: str, level: str, raised_on: str) -> None:
        self.statement = statement


# -- the measurements ----------------------------------------------------------------------------


def started_activity(lc) -> tuple[UUID, UUID]:
    """A fictional board with one started activity, for findings to be raised from (the workload
    of ``record_ratio``, and of ``benchmarks/profile_record.py``)."""
    b = lc.create_board(
        "rec", "Record Board (fictional)", agencies=[("csc", "CSC"), ("police", "P")], on=date(2015, 4, 1)
    )
    a = lc.commission_activity(b, kind="case_review", method="scie-learning-together", title="R", why="W",
                               decided_by="D", proportionality="P", agencies=["csc", "police"], on=date(2015, 5, 1))  # fmt: skip
    lc.start_activity(b, a, on=date(2015, 5, 2))
    return b, a


def record_pair(
    commands: int, reps: int, our_store: Callable[[], str], raw_env: Callable[[], dict[str, str]]
) -> tuple[float, float, float, float]:
    """Medians of recording ``commands`` findings one command at a time, ours against the raw engine
    saving one aggregate a time, each in a fresh store: wall seconds and CPU seconds of each."""
    statement = "Referrals from schools were not followed up when the family moved between districts."
    cpu: dict[str, list[float]] = {"ours": [], "raw": []}

    def ours() -> float:
        with open_cycle(our_store(), user="bench", today=lambda: TODAY) as lc:
            b, a = started_activity(lc)
            return cpu_timed(cpu["ours"], lambda: [lc.raise_finding(b, a, statement=f"{statement} {i}", level="operational", on=date(2016, 1, 4)) for i in range(commands)])  # fmt: skip

    def raw() -> float:
        app = Application(env=raw_env())
        try:
            return cpu_timed(
                cpu["raw"],
                lambda: [app.save(Note("b", f"{statement} {i}", "operational", "2016-01-04")) for i in range(commands)],
            )
        finally:
            app.close()

    ours_s, raw_s = paired(reps, ours, raw)
    return ours_s, raw_s, statistics.median(cpu["ours"]), statistics.median(cpu["raw"])


def bench_record(folder: Path, commands: int, reps: int) -> dict:
    def fresh(name: str) -> Path:
        return Path(tempfile.mkdtemp(dir=folder)) / name

    ours_s, raw_s, ours_cpu, raw_cpu = record_pair(
        commands,
        reps,
        lambda: str(fresh("record.sqlite")),
        lambda: {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(fresh("raw.sqlite"))},
    )
    return {
        "record_ratio": ours_s / raw_s,
        "record_cpu_ratio": ours_cpu / raw_cpu,
        "record_events_per_s": commands / ours_s,
        "raw_record_events_per_s": commands / raw_s,
    }


def cpu_timed(cpu: list[float], action: Callable[[], object]) -> float:
    """Wall-clock seconds of ``action``; its CPU seconds are appended to ``cpu``."""
    before = cpu_seconds()
    seconds = timed(action)
    cpu.append(cpu_seconds() - before)
    return seconds


def bench_import(folder: Path, lines: Path, reps: int) -> dict:
    events = events_of(lines)
    count = len(events)
    cpu: dict[str, list[float]] = {"ours": [], "raw": []}

    def ours() -> float:
        path = Path(tempfile.mkdtemp(dir=folder)) / "import.sqlite"
        with open_cycle(str(path), user="bench", today=lambda: TODAY) as lc:
            return cpu_timed(cpu["ours"], lambda: import_log(lc.log, lines, batch=1000))

    def raw() -> float:
        path = Path(tempfile.mkdtemp(dir=folder)) / "raw.sqlite"
        with open_cycle(str(path), user="bench", today=lambda: TODAY) as lc:  # the same mapper: the same bytes
            mapper, recorder = lc.log.mapper, lc.log.recorder

            def save() -> None:
                for start in range(0, count, 1000):
                    recorder.insert_events([mapper.to_stored_event(e) for e in events[start : start + 1000]])

            return cpu_timed(cpu["raw"], save)

    ours_s, raw_s = paired(reps, ours, raw)
    return {
        "bulk_import_ratio": ours_s / raw_s,
        "bulk_import_cpu_ratio": statistics.median(cpu["ours"]) / statistics.median(cpu["raw"]),
        "import_events_per_s": count / ours_s,
        "raw_import_events_per_s": count / raw_s,
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (none, today: every operation runs
    in one process; counted so that a figure can never leave one out)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def bench_rebuild(folder: Path, store: str, reps: int) -> dict:
    with open_cycle(store) as lc:
        total = lc.position()
        cpu: dict[str, list[float]] = {"ours": [], "raw": []}

        def ours() -> float:
            path = Path(tempfile.mkdtemp(dir=folder)) / "views.sqlite"
            views = Views.of(lc, path=str(path))
            try:
                before = cpu_seconds()
                seconds = timed(views.rebuild)
                cpu["ours"].append(cpu_seconds() - before)
                return seconds
            finally:
                views.close()

        def raw() -> float:
            def read() -> None:
                after = 0
                while True:
                    batch = lc.log.recorder.select_notifications(start=after, limit=2000, inclusive_of_start=False)
                    for n in batch:
                        lc.log.mapper.to_domain_event(n)
                    if len(batch) < 2000:
                        return
                    after = batch[-1].id

            before = cpu_seconds()
            seconds = timed(read)
            cpu["raw"].append(cpu_seconds() - before)
            return seconds

        ours_s, raw_s = paired(reps, ours, raw)
        verify_cpu: list[float] = []
        with Views.of(lc) as views:  # the chain walk and the rebuild comparison, against the same raw read
            views.catch_up()
            for _ in range(reps):
                cpu_timed(verify_cpu, views.verify)
    return {
        "verify_cpu_ratio": statistics.median(verify_cpu) / statistics.median(cpu["raw"]),
        "rebuild_ratio": ours_s / raw_s,
        "rebuild_cpu_ratio": statistics.median(cpu["ours"]) / statistics.median(cpu["raw"]),
        "rebuild_events_per_s": total / ours_s,
        "raw_read_events_per_s": total / raw_s,
    }


def one_board(store: str, board: str) -> tuple[float, float]:
    """(catch-up after one new event, status) on ``store`` for ``board``."""
    with open_cycle(store, user="bench", today=lambda: TODAY) as lc, Views.of(lc) as views:
        views.catch_up(batch=2000)
        b = UUID(board)
        districts = iter(range(10_000))

        def incremental() -> float:
            lc.add_district(b, f"bench-{next(districts)}", on=date(2020, 1, 1))
            return timed(views.catch_up)

        inc = median_of(7, incremental)
        status = median_of(3, lambda: timed(lambda: views.status(b)))
        return inc, status


def bench_as_known_at(store: str, board: str, measures) -> dict:
    """A stock-take as known at the moment half the board's events were recorded, against one as
    known at the last moment, per the share of events known then."""
    from datetime import UTC, datetime, timedelta

    with open_cycle(store, user="bench", today=lambda: TODAY) as lc, Views.of(lc) as views:
        b = UUID(board)
        views.catch_up()
        micros = sorted(
            r[0] for r in views.store._all("SELECT recorded_us FROM lc_view_log WHERE board_id = ?", (board,))
        )
        moment = lambda us: datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
        early, last = moment(micros[len(micros) // 2]), moment(micros[-1])
        known = sum(1 for us in micros if us <= micros[len(micros) // 2]) / len(micros)
        start = lc.board(b).year_start
        year = start.year_of(lc.board(b).started_on)
        year = type(year)(year.first + 3, start)
        t_early = median_of(3, lambda: timed(lambda: views.stock_take(b, year, as_known_at=early, measures=measures)))
        t_now = median_of(3, lambda: timed(lambda: views.stock_take(b, year, as_known_at=last, measures=measures)))
    return {"as_known_at_ratio": (t_early / t_now) / known, "as_known_at_fraction": known}


def peak_rss_of_rebuild(store: str) -> float:
    code = (
        "import sys, tempfile\n"
        "from learning_cycle import open_cycle\n"
        "from learning_cycle.projections.store import Views\n"
        "lc = open_cycle(sys.argv[1])\n"
        "views = Views.of(lc, path=tempfile.mktemp(suffix='.sqlite'))\n"
        "views.rebuild()\n"
        "print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, store], capture_output=True, text=True, check=True)
    # the peak of the rebuilding process's own memory (VmHWM, in KiB). Not ru_maxrss: on Linux a
    # process started by fork and exec reports the larger of its own peak and its parent's size at
    # the fork, so the benchmark's own gigabytes were counted as the rebuild's
    return int(out.stdout.strip()) / 1024


def bench_scaling(folder: Path, board_lines: Path, sizes: tuple[int, ...]) -> dict:
    per_event = {}
    for size in sizes:
        lines = folder / f"scale-{size}.jsonl"
        boards = size // max(1, sum(1 for _ in board_lines.open())) + 1
        replicate(board_lines, boards, lines, limit=size)
        store = str(folder / f"scale-{size}.sqlite")
        with open_cycle(store, user="bench", today=lambda: TODAY) as lc:
            import_log(lc.log, lines, batch=2000)
            views = Views.of(lc, path=str(folder / f"scale-{size}-views.sqlite"))
            seconds = timed(views.rebuild)
            views.close()
        per_event[size] = seconds / size
        say(f"rebuild of {size} events: {seconds:.2f} s")
    smallest = per_event[sizes[0]]
    return {
        "rebuild_seconds_per_event": {str(k): v for k, v in per_event.items()},
        "rebuild_linearity": per_event[sizes[-1]] / smallest,
    }


def bench_postgres(folder: Path, lines: Path, commands: int, reps: int) -> dict:
    """On the PostgreSQL server named by ``$LEARNING_CYCLE_TEST_POSTGRES`` (``postgres_record_ratio``
    is null without one): recording against raw eventsourcing on the same server, each run in fresh
    schemas of its own; and the board-scale import and rebuild."""
    url = os.environ.get("LEARNING_CYCLE_TEST_POSTGRES")
    if not url:
        return {"postgres_record_ratio": None}
    import psycopg
    from psycopg import sql

    base = Store.parse(url)
    made: list[str] = []

    def schema(prefix: str) -> str:
        name = f"bench_{prefix}_{os.getpid()}_{len(made)}"
        made.append(name)
        with psycopg.connect(base.postgres_dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        return name

    try:
        ours_s, raw_s, ours_cpu, raw_cpu = record_pair(
            commands,
            reps,
            lambda: f"{url}?schema={schema('ours')}",
            lambda: {**base.settings, "POSTGRES_SCHEMA": schema("raw")},
        )
        with open_cycle(f"{url}?schema={schema('board')}", user="bench", today=lambda: TODAY) as lc:
            count = sum(1 for _ in lines.open())
            imported = timed(lambda: import_log(lc.log, lines, batch=1000))
            with Views.of(lc) as views:
                rebuilt = timed(views.rebuild)
        return {
            "postgres_record_ratio": ours_s / raw_s,
            "postgres_record_cpu_ratio": ours_cpu / raw_cpu,
            "postgres": {
                "import_events_per_s": count / imported,
                "rebuild_events_per_s": count / rebuilt,
                "record_events_per_s": commands / ours_s,
                "raw_record_events_per_s": commands / raw_s,
            },
        }
    finally:
        with psycopg.connect(base.postgres_dsn(), autocommit=True) as conn:
            for name in made:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_const", dest="scale", const="quick")
    parser.add_argument("--smoke", action="store_const", dest="scale", const="smoke")
    parser.add_argument("--write-docs", action="store_true", help="rewrite the table in docs/performance.md")
    args = parser.parse_args()
    scale = args.scale or "full"
    cfg = SCALES[scale]
    folder = Path(tempfile.mkdtemp(prefix="lc-bench-"))
    started = time.perf_counter()
    results: dict = {"scale": scale}
    try:
        say(f"scale {scale}: generating the board-scale history")
        board_lines, board = template(folder, cfg["years"], cfg["density"])
        board_events = sum(1 for _ in board_lines.open())
        say(f"board scale: {board_events} events; replicating {cfg['boards']} boards for national scale")
        national_lines = folder / "national.jsonl"
        national_events = replicate(board_lines, cfg["boards"], national_lines)
        results.update(board_events=board_events, national_events=national_events, national_boards=cfg["boards"])
        say("recording one command at a time")
        results.update(bench_record(folder, cfg["commands"], cfg["reps"]))
        say("bulk import (board scale)")
        results.update(bench_import(folder, board_lines, cfg["reps"]))
        say(f"loading the national store ({national_events} events)")
        board_store = store_from(folder / "board.sqlite", board_lines)
        t_load = timed(
            lambda: results.__setitem__("national_store", store_from(folder / "national.sqlite", national_lines))
        )
        national_store = results.pop("national_store")
        results["national_import_events_per_s"] = national_events / t_load
        say("rebuild against the raw read (national scale)")
        results.update(bench_rebuild(folder, national_store, max(1, cfg["reps"] - 2)))
        say("one board in a board-scale store and in the national store")
        inc_board, status_board = one_board(board_store, board)
        inc_national, status_national = one_board(national_store, board)
        results["incremental_growth_ratio"] = inc_national / inc_board
        results["status_growth_ratio"] = status_national / status_board
        results["status_seconds"] = status_national
        measures = {k: c.item for k, c in get_plugins().outcome_measures().items()}
        say("stock-take as known early and now")
        results.update(bench_as_known_at(national_store, board, measures))
        say("peak memory of a national-scale rebuild")
        results["rebuild_peak_rss_mb"] = peak_rss_of_rebuild(national_store)
        say("rebuild time against log size")
        results.update(bench_scaling(folder, board_lines, cfg["sizes"]))
        say("recording on PostgreSQL against the raw engine on the same server")
        results.update(bench_postgres(folder, board_lines, cfg["commands"], cfg["reps"]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results["seconds"] = time.perf_counter() - started
    results["machine"] = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results["command"] = (
        "make bench"
        if scale == "full"
        else f"make bench-{scale}"
        if scale == "quick"
        else "python benchmarks/bench.py --smoke"
    )
    print(json.dumps(results, indent=2, sort_keys=True))
    if args.write_docs:
        write_docs(results)
    return 0


TARGETS = {  # CPU time for bulk work (the wall-clock ratios are printed beside them, without a target)
    "record_ratio": ("<=", 1.3),
    "postgres_record_ratio": ("<=", 1.5),
    "bulk_import_cpu_ratio": ("<=", 2.0),
    "rebuild_cpu_ratio": ("<=", 2.0),
    "verify_cpu_ratio": ("<=", 2.5),
    "incremental_growth_ratio": ("<=", 1.5),
    "status_growth_ratio": ("<=", 1.5),
    "as_known_at_ratio": ("<=", 1.5),
    "rebuild_peak_rss_mb": ("<=", 600),
}


def write_docs(results: dict) -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    rows = ["| key | figure | target | holds |", "|---|---|---|---|"]
    for key, (op, target) in TARGETS.items():
        value = results[key]
        if value is None:
            rows.append(f"| `{key}` | null (no server named) | {op} {target} | not measured |")
            continue
        rows.append(f"| `{key}` | {value:.2f} | {op} {target} | {'yes' if value <= target else '**no**'} |")
    rows += [
        "",
        f"Board scale: {results['board_events']} events; national scale: {results['national_events']} events "
        f"({results['national_boards']} boards). Machine: {results['machine']}. Command: `{results['command']}` "
        f"({results['seconds']:.0f} s).",
        "",
        "| path | events per second |",
        "|---|---|",
        f"| record, one command at a time (SQLite) | {results['record_events_per_s']:.0f} (raw engine {results['raw_record_events_per_s']:.0f}) |",
        f"| bulk import (SQLite) | {results['import_events_per_s']:.0f} (raw engine {results['raw_import_events_per_s']:.0f}); national load {results['national_import_events_per_s']:.0f} |",
        f"| rebuild (SQLite) | {results['rebuild_events_per_s']:.0f} (raw read and decode {results['raw_read_events_per_s']:.0f}) |",
    ]
    if "postgres" in results:
        pg = results["postgres"]
        rows.append(
            f"| PostgreSQL (board scale): record / import / rebuild | {pg['record_events_per_s']:.0f} (raw engine {pg['raw_record_events_per_s']:.0f}) / {pg['import_events_per_s']:.0f} / {pg['rebuild_events_per_s']:.0f} |"
        )
    rows += [
        "",
        f"Recording one command at a time costs {results['record_cpu_ratio']:.2f} times the raw engine's CPU time "
        f"on SQLite (`record_cpu_ratio`)"
        + (
            f" and {results['postgres_record_cpu_ratio']:.2f} times on PostgreSQL (`postgres_record_cpu_ratio`)."
            if results.get("postgres_record_cpu_ratio") is not None
            else "."
        ),
        "",
        f"The rebuild folds in one process: its CPU time is {results['rebuild_cpu_ratio']:.2f} times the "
        f"baseline's (`rebuild_cpu_ratio`), where its wall-clock time is {results['rebuild_ratio']:.2f} times.",
    ]
    rows += ["", "Rebuild time per event against log size (linear when the figures stay level):", ""]
    rows += [
        f"- {int(k):,} events: {v * 1e6:.1f} µs per event" for k, v in results["rebuild_seconds_per_event"].items()
    ]
    table = "\n".join(rows)
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    path.write_text(f"{before}{start}\n{table}\n{end}{after}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
