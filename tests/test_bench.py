"""The benchmarks run and print every key (targets are judged from their output, never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {
    "record_ratio",
    "record_cpu_ratio",
    "bulk_import_ratio",
    "bulk_import_cpu_ratio",
    "verify_cpu_ratio",
    "rebuild_ratio",
    "rebuild_cpu_ratio",
    "incremental_growth_ratio",
    "status_growth_ratio",
    "as_known_at_ratio",
    "rebuild_peak_rss_mb",
    "record_events_per_s",
    "import_events_per_s",
    "rebuild_events_per_s",
    "rebuild_seconds_per_event",
    "rebuild_linearity",
}


def test_the_quick_benchmark_prints_one_json_object_with_every_key():
    out = subprocess.run(
        ["make", "-s", "bench-quick", "BENCH_ARGS=--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    assert set(results) >= KEYS
    assert all(isinstance(results[k], float) and results[k] > 0 for k in KEYS - {"rebuild_seconds_per_event"})
    if os.environ.get("LEARNING_CYCLE_TEST_POSTGRES"):  # the same server the suite uses (.ci/run starts one)
        assert results["postgres_record_ratio"] > 0 and results["postgres_record_cpu_ratio"] > 0
        assert results["postgres"]["record_events_per_s"] > 0
    else:
        assert results["postgres_record_ratio"] is None
    assert "[bench" in out.stderr  # progress goes to stderr, the object alone to stdout
