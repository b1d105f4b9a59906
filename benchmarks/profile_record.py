"""Profile single-event commands on a SQLite file: where a command's time goes (docs/performance.md).

.venv/bin/python benchmarks/profile_record.py
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from learning_cycle import LearningCycle

COMMANDS = 400


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        lc = LearningCycle(str(Path(folder) / "profile.sqlite"), user="profile")
        board = lc.create_board("profile", "Profile Board (fictional)", agencies=[("csc", "CSC")], on=date(2014, 4, 1))
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for n in range(COMMANDS):
            lc.add_district(board, f"district-{n}", on=date(2014, 5, 1))
        profile.disable()
        seconds = time.perf_counter() - started
        lc.close()
    print(f"{COMMANDS} commands in {seconds:.3f} s ({seconds / COMMANDS * 1e6:.0f} µs a command, profiled)")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("cumulative").print_callees("_insert_events|_link_stored|chain_head")
    return 0


if __name__ == "__main__":
    sys.exit(main())
