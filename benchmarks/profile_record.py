"""Profile single-event commands on a SQLite file: where a command's time goes (docs/performance.md).

.venv/bin/python benchmarks/profile_record.py

Raises 400 findings one command at a time (as ``record_ratio`` does) under cProfile, and prints
the functions that take the most time of their own, then what the chain's part of a save calls.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench import started_activity  # (this folder is on the path when the script runs)

from learning_cycle import open_cycle

COMMANDS = 400


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        lc = open_cycle(str(Path(folder) / "profile.sqlite"), user="profile", today=lambda: date(2026, 11, 26))
        board, activity = started_activity(lc)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for n in range(COMMANDS):
            lc.raise_finding(board, activity, statement=f"Statement {n}", level="operational", on=date(2016, 1, 4))
        profile.disable()
        seconds = time.perf_counter() - started
        lc.close()
    print(f"{COMMANDS} commands in {seconds:.3f} s ({seconds / COMMANDS * 1e6:.0f} µs a command, profiled)")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_callees("_insert_events|_link_stored|chain_head")
    return 0


if __name__ == "__main__":
    sys.exit(main())
