"""Faults and concurrency, bounded and self-stopping: writer processes, kill -9, a busy file, fuzzed arguments."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import open_cycle
from learning_cycle.cli import main
from learning_cycle.demo import load_demo
from learning_cycle.interchange import export_log
from learning_cycle.projections.store import Views

from .cli_helpers import EXE, run
from .conftest import TODAY

WRITER = """
import sys
from datetime import date
from uuid import UUID
from learning_cycle import open_cycle
store, board, action, me, n = sys.argv[1], UUID(sys.argv[2]), UUID(sys.argv[3]), sys.argv[4], int(sys.argv[5])
with open_cycle(store, user=me) as lc:
    for i in range(n):
        lc.report_progress(board, action, f"{me}: update {i}", on=date(2016, 6, 1))
"""


def test_writer_processes_on_one_action_lose_no_update(store, tmp_path):
    with open_cycle(store, user="setup", today=lambda: TODAY) as lc:
        b = lc.create_board(
            "procs", "Process Board (fictional)", agencies=[("csc", "CSC"), ("police", "P")], on=date(2016, 4, 1)
        )
        a = lc.commission_activity(
            b, kind="serious_case_review", method="scie-learning-together", title="R", why="W", decided_by="D",
            proportionality="P", agencies=["csc", "police"], on=date(2016, 4, 2),
        )  # fmt: skip
        lc.start_activity(b, a, on=date(2016, 4, 3))
        f = lc.raise_finding(b, a, statement="S", level="operational", on=date(2016, 4, 4))
        x = lc.raise_action(b, f, owner="csc", description="D", due_on=date(2016, 12, 1), on=date(2016, 4, 5))
    writers, each = 4, 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, store, str(b), str(x), f"w{n}", str(each)], stderr=subprocess.PIPE, text=True
        )
        for n in range(writers)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with open_cycle(store) as lc, Views.of(lc) as views:
        progress = lc.action(b, x).progress
        assert len(progress) == writers * each
        assert sorted(p.note for p in progress) == sorted(
            f"w{n}: update {i}" for n in range(writers) for i in range(each)
        )
        assert views.verify().ok


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """The demo with a few generated boards, exported: a few thousand events to import."""
    folder = tmp_path_factory.mktemp("history")
    with open_cycle(str(folder / "source.sqlite"), user="demo", today=lambda: TODAY) as lc:
        load_demo(lc, boards=10, years=6)
        path = folder / "history.jsonl"
        with path.open("w", encoding="utf-8") as f:
            export_log(lc.log, f)
    return path


def _lines(path: Path) -> int:
    return sum(1 for _ in path.open(encoding="utf-8"))


def _count(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as db:
        try:
            return db.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def _kill_when(proc: subprocess.Popen, ready, limit: float = 60) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        time.sleep(0.01)
    proc.kill()
    proc.wait(timeout=30)
    return False


def test_kill_9_during_a_bulk_import_leaves_nothing_half_written(history, tmp_path):
    store = tmp_path / "target.sqlite"
    total = _lines(history)
    proc = subprocess.Popen(
        [EXE, "import", str(history), "--store", str(store), "--batch", "20"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "LEARNING_CYCLE_PROGRESS": "lines"},
    )  # fmt: skip
    seen = ""
    while proc.poll() is None:
        seen = proc.stderr.readline()
        if seen.startswith("importing: ") and 0 < int(seen.split()[1].split("/")[0]) < total:
            proc.send_signal(signal.SIGKILL)  # mid-transaction: some batches inserted, not committed
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"the import ended before it could be killed ({seen!r})"
    assert _count(store) == 0, "a killed import left events behind"
    done = run("import", str(history), "--store", str(store), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _count(store) == total
    assert run("verify", "--store", str(store), cwd=tmp_path).returncode == 0


def test_kill_9_during_catch_up_resumes_where_it_stopped(history, tmp_path):
    store = tmp_path / "target.sqlite"
    assert run("import", str(history), "--store", str(store), cwd=tmp_path).returncode == 0
    total = _lines(history)
    proc = subprocess.Popen(
        [EXE, "verify", "--store", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def tracking() -> int:
        try:
            with sqlite3.connect(store, timeout=0.1) as db:
                row = db.execute(  # the engine's tracking table
                    "SELECT notification_id FROM tracking WHERE application_name = 'learning-cycle'"
                ).fetchone()
                return row[0] if row else 0
        except sqlite3.OperationalError:
            return 0

    assert _kill_when(proc, lambda: 0 < tracking() < total), "catch-up ended before it could be killed"
    position = tracking()
    assert 0 < position < total
    with sqlite3.connect(store) as db:  # whatever was folded is whole: rows, log and chain agree with tracking
        logged, last = db.execute("SELECT COUNT(*), MAX(position) FROM lc_view_log").fetchone()
    assert logged == position == last
    verify = run("verify", "--store", str(store), cwd=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert f"up to position {total}" in verify.stdout.replace("\n", " ")


HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def test_a_sqlite_file_busy_in_another_process_is_a_bounded_wait_and_a_clear_error(tmp_path):
    store = tmp_path / "busy.sqlite"
    assert run("init", str(Path(__file__).resolve().parents[1] / "docs" / "examples" / "board-config.json"), "--store", str(store), cwd=tmp_path).returncode == 0  # fmt: skip
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store), "8"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        out = run("demo", "--store", str(store), cwd=tmp_path, env={"SQLITE_LOCK_TIMEOUT": "1"})
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert out.returncode == 3 and "Traceback" not in out.stderr, out.stderr
    assert "locked" in out.stderr or "busy" in out.stderr
    assert waited < 7, f"waited {waited:.1f}s for a 1s lock timeout"


VOCABULARY = st.sampled_from([
    "demo", "status", "picture", "verify", "findings", "activities", "boards", "plugins", "outcomes", "pull",
    "export", "import", "stocktake", "init", "migrate", "--json", "--year", "2016/17", "2016-17", "--as-of",
    "2016-04-01", "yesterday", "--as-known-at", "stocktake", "--format", "md", "pdf", "-o", "out.txt", "--board",
    "nope", "--store", "memory:", "x://y", "--boards", "0", "2", "--batch", "-3", "--from", "--to", "", "é", "--help-me",
])  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(VOCABULARY, max_size=6))
def test_no_arguments_ever_end_in_a_traceback(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEARNING_CYCLE_STORE", str(tmp_path / "fuzz.sqlite"))
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    out = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, out.err)
    assert "Traceback" not in out.err + out.out, argv


def test_importing_a_fuzzed_file_on_the_command_line_is_reported_or_done(history, tmp_path):
    lines = history.read_text(encoding="utf-8").splitlines()
    lines[len(lines) // 3] = lines[len(lines) // 3][:-7] + "\u0000{}"
    (tmp_path / "bad.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out = run("import", "bad.jsonl", "--json", cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"bad.jsonl:{len(lines) // 3 + 1}:" in out.stderr
    assert _count(tmp_path / "learning-cycle.sqlite") == 0
    assert json.loads(run("plugins", "--json", cwd=tmp_path).stdout)["plugins"]


def test_what_a_killed_rebuild_or_verify_left_behind_is_swept_by_the_next(tmp_path):
    import subprocess
    import sys

    from learning_cycle.projections.rebuild import sweep_stale

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # a process that has ended
    (tmp_path / f"lc-rebuild-{dead}-abc").mkdir()
    (tmp_path / f"lc-rebuild-{dead}-abc" / "rebuilt.sqlite").write_bytes(b"x" * 100)
    (tmp_path / f"lc-verify-{dead}-def.sqlite").write_bytes(b"x")
    mine = tmp_path / f"lc-verify-{os.getpid()}-ghi.sqlite"
    mine.write_bytes(b"x")
    other = tmp_path / "lc-something-else"
    other.write_bytes(b"x")
    assert sweep_stale(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


def _limited(limit: int):
    """A child process whose files cannot grow past ``limit`` bytes: a full disk, as SQLite sees it."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_import_or_catch_up_is_said_in_words_and_loses_nothing(history, tmp_path):
    store = tmp_path / "target.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "LEARNING_CYCLE_STORE"}
    full = subprocess.run([EXE, "import", str(history), "--store", str(store)], capture_output=True, text=True,
                          env=env, preexec_fn=_limited(256 * 1024), timeout=120)  # fmt: skip
    assert full.returncode == 3 and "Traceback" not in full.stderr, full.stderr
    assert "the disk may be full" in full.stderr, full.stderr
    assert _count(store) == 0, "a failed import left events behind"
    assert run("import", str(history), "--store", str(store), cwd=tmp_path).returncode == 0
    total = _count(store)
    # The views catch up on the next read; with no room for them, the read says so and the log is untouched.
    room = store.stat().st_size + 16 * 1024
    status = subprocess.run([EXE, "status", "--board", "northshire-demo", "--store", str(store)],
                            capture_output=True, text=True, env=env, preexec_fn=_limited(room), timeout=120)  # fmt: skip
    assert status.returncode == 3 and "Traceback" not in status.stderr, status.stderr
    assert "the views could not be written" in status.stderr and "the disk may be full" in status.stderr
    assert _count(store) == total
    assert run("verify", "--store", str(store), cwd=tmp_path).returncode == 0  # and they catch up once there is room


def _as_another_user() -> list[str]:
    """A prefix that runs a command as a user who does not own the store (root ignores file modes)."""
    if os.geteuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) runs the read-only check as another user"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.parametrize(
    "verb",
    [["boards"], ["status", "--board", "test-board"], ["findings", "--board", "test-board"],
     ["stocktake", "--board", "test-board", "--year", "2014/15"], ["verify"], ["export", "-o", "-"],
     ["findings", "--board", "test-board", "--include-restricted"]],
)  # fmt: skip
def test_a_read_only_store_is_refused_in_words_and_left_exactly_as_it_was(verb):
    import hashlib
    import shutil
    import tempfile

    from .conftest import open_cycle as open_test_cycle
    from .conftest import small_board

    folder = Path(tempfile.mkdtemp(prefix="lc-read-only-"))  # not under pytest's folder, which only root can enter
    try:
        store = folder / "board.sqlite"
        with open_test_cycle(store) as lc:
            small_board(lc)
        before = hashlib.sha256(store.read_bytes()).hexdigest()
        store.chmod(0o444)
        folder.chmod(0o555)
        env = {k: v for k, v in os.environ.items() if k != "LEARNING_CYCLE_STORE"}
        done = subprocess.run([*_as_another_user(), EXE, *verb, "--store", str(store)], cwd=folder,
                              capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
        assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr  # 3: the store cannot be written
        assert "store: cannot be written (the file is read-only for this user)" in done.stderr, done.stderr
        assert "nothing was read or written" in done.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["board.sqlite"]  # no -wal or -shm made
        assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
