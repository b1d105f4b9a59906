"""A narrow, typed event log (issue 22, items 4 to 6): the unit of work returns what it recorded,
a restricted read takes its own event's time whoever records next, import streams in bounded
memory in one pass, and nothing outside ``eventlog/`` reaches into the engine's objects."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning_cycle import BadInput
from learning_cycle.application import UnitOfWork
from learning_cycle.domain import Board, YearStart, board_id_for
from learning_cycle.eventlog import EventLog
from learning_cycle.interchange import import_log

from .conftest import open_cycle, small_board

SRC = Path(__file__).resolve().parent.parent / "src" / "learning_cycle"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "log-0.1.jsonl"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=6))
def test_the_unit_of_work_returns_the_positions_and_events_it_recorded(districts_per_command):
    """Each command's save returns its events, at the positions the log then holds them, in order,
    with the times the log shows for them (nothing is read back)."""
    with EventLog("memory:") as log:
        work = UnitOfWork(log)
        board = Board.create(
            key="narrow", name="Narrow (fictional)", year_start=YearStart(), agencies=(), districts=(),
            subgroups=(), on=date(2015, 4, 1), by="test",
        )  # fmt: skip
        first = work.run("board", board.id, lambda: (board.id, [board]))
        assert first.result == board.id
        assert [r.position for r in first.recorded] == [1]
        done = [first]
        for n, count in enumerate(districts_per_command):

            def command(n: int = n, count: int = count) -> tuple[None, list[Board]]:
                loaded = log.load(board.id)
                for d in range(count):
                    loaded.add_district(f"d-{n}-{d}", date(2015, 5, 1), "test")
                return None, [loaded]

            before = log.position()
            recorded = work.run("board", board.id, command).recorded
            assert [r.position for r in recorded] == list(range(before + 1, before + count + 1))
            done.append(work.run("board", board.id, lambda: (None, [])))  # nothing to save: nothing recorded
            assert done[-1].recorded == ()
            done.append(type(first)(None, recorded))
        mine = [(r.position, r.topic, r.event.timestamp) for d in done for r in d.recorded]
        held = [(n.position, n.topic, n.event.timestamp) for n in log.read()]
        assert mine == held


def test_a_restricted_read_returns_its_own_time_whoever_records_next(sqlite_path):
    """Another writer records on the board right after the read is saved (here: as soon as the
    reader's listener hears of it), before the read is returned: the read still carries its own
    event's time, never the other writer's."""
    reader, other = open_cycle(sqlite_path), open_cycle(sqlite_path)
    try:
        board = small_board(reader)

        def other_writes(_notices: object) -> None:
            time.sleep(0.002)  # its event's time differs from the read's
            other.add_district(board.board_id, "east", on=date(2015, 1, 2))

        reader.subscribe(other_writes)
        access = reader.read_restricted(board.board_id, "status --include-restricted")
        events = reader.history(board.board_id)
        (read,) = [e for e in events if type(e).__name__ == "RestrictedMaterialRead"]
        assert type(events[-1]).__name__ == "DistrictAdded" and events[-1].timestamp != read.timestamp
        assert access.at == read.timestamp
    finally:
        reader.close()
        other.close()


PEAK = """
import sys
from learning_cycle.eventlog import EventLog
from learning_cycle.interchange import import_log
with EventLog(sys.argv[2]) as log:
    result = import_log(log, sys.argv[1], batch=500)
status = open("/proc/self/status").read()
peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
print(f"recorded={result.recorded} peak-kib={peak}")
"""


def _reads(path: Path, reads: int) -> Path:
    """An import file: the fixture's board, then ``reads`` reads of its restricted material (its
    state does not grow with them: what grows with the file is only what the import holds)."""
    created = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    board = json.loads(created)["originator_id"]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as f:
        f.write(created + "\n")
        for i in range(reads):
            line = {
                "topic": "learning_cycle/Board.RestrictedMaterialRead", "class_version": 1, "originator_id": board,
                "originator_version": i + 2, "effective_on": "2020-01-01",
                "recorded_at": (start + timedelta(seconds=i)).isoformat(), "recorded_by": "test analyst",
                "payload": {"query": f"status --include-restricted (read {i})"},
            }  # fmt: skip
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
    return path


def _import_peak(tmp_path: Path, reads: int) -> int:
    lines = _reads(tmp_path / f"reads-{reads}.jsonl", reads)
    result = subprocess.run(
        [sys.executable, "-c", PEAK, str(lines), str(tmp_path / f"store-{reads}.sqlite")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    recorded, peak = re.fullmatch(r"recorded=(\d+) peak-kib=(\d+)", result.stdout.strip()).groups()
    assert int(recorded) == reads + 1
    return int(peak)


def test_an_import_thirty_times_bigger_needs_no_more_memory(tmp_path):
    """One pass, whatever the size: each line is checked and written in batches as it is read, so
    the peak memory of importing 60,000 events (about 19 MB) is within a few MiB of importing 2,000."""
    small = _import_peak(tmp_path, 2_000)
    big = _import_peak(tmp_path, 60_000)
    assert big - small < 8 * 1024, f"peak {small} KiB for 2,000 events, {big} KiB for 60,000"


def test_a_problem_on_the_last_line_leaves_nothing_of_the_batches_written_before_it(store, tmp_path):
    """The batches written as the file was checked are rolled back with the transaction."""
    lines = _reads(tmp_path / "reads.jsonl", 40).read_text(encoding="utf-8").splitlines()
    lines.append(lines[-1])  # the same version twice
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with EventLog(store) as log:
        with pytest.raises(BadInput, match=r"bad\.jsonl:42"):
            import_log(log, bad, batch=5)
        assert log.position() == 0
        assert import_log(log, tmp_path / "reads.jsonl", batch=5).recorded == 41
        walked = log.walk()  # (on PostgreSQL the log may now start after 1: the rolled-back positions)
        assert walked.broken is None and not walked.unchained and walked.head == log.head()
        # a file whose later lines need the store's records, read while its first batches are written
        more = _reads(tmp_path / "more.jsonl", 60).read_text(encoding="utf-8").splitlines()
        other = board_id_for("every-event-2")
        first = [line.replace(json.loads(lines[0])["originator_id"], str(other)) for line in more[:20]]
        first[0] = first[0].replace('"key":"every-event"', '"key":"every-event-2"')
        (tmp_path / "next.jsonl").write_text("\n".join([*first, *more[41:]]) + "\n", encoding="utf-8")
        assert import_log(log, tmp_path / "next.jsonl", batch=5).recorded == 20 + 20
        assert log.walk().broken is None


REACHING_IN = re.compile(r"\.(recorder|mapper|repository)\b|read_log|KEEP_(BYTES|EVENTS)|\._decode\(|\._load\(")


def test_nothing_outside_the_event_log_reaches_into_the_engine():
    """No ``.recorder``, ``.mapper`` or ``.repository`` outside ``eventlog/``; no ``read_log``
    probe, no size switch; no private ``_decode``/``_load`` called on another object."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "eventlog":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in REACHING_IN.finditer(line):
                if match.group(0) in ("._decode(", "._load(") and re.search(r"\bself\._(decode|load)\(", line):
                    continue  # its own method
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("setting", ["AGGREGATE_CACHE_FASTFORWARD=n", "DEEPCOPY_FROM_AGGREGATE_CACHE=n"])
def test_the_environment_cannot_turn_the_caches_fast_forward_or_copies_off(sqlite_path, monkeypatch, setting):
    """One cache, used one way: eventsourcing reads these settings from the environment, and a
    cache that is not fast-forwarded would show (and decide on) another writer's record as it was."""
    name, value = setting.split("=")
    monkeypatch.setenv(name, value)
    a, b = open_cycle(sqlite_path), open_cycle(sqlite_path)
    try:
        board = small_board(a)
        assert a.finding(board.board_id, board.finding_id).response is None  # now in a's cache
        b.respond_to_finding(board.board_id, board.finding_id, "The board's response", on=date(2014, 10, 2))
        assert a.finding(board.board_id, board.finding_id).response == "The board's response"
        changed = a.log.load(board.finding_id)  # a copy: changing it, unsaved, leaves the cache as it was
        changed.respond("Not saved", date(2014, 10, 3), "test analyst")
        assert a.log.load(board.finding_id).version == changed.version - 1
        assert a.finding(board.board_id, board.finding_id).response == "The board's response"
    finally:
        a.close()
        b.close()
