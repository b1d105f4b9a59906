"""Under ``CI=true`` a skipped test fails: a missing browser or server can never pass unnoticed.

A test may still skip in CI only if its node id is on ``ALLOWED_SKIPS`` below, with the reason it
cannot run there. Outside CI, skips are reported as usual (``-ra`` lists them).
"""

from __future__ import annotations

import os

import pytest

ALLOWED_SKIPS: dict[str, str] = {
    # "tests/test_x.py::test_y": "why it cannot run in CI",
}
"""Node ids of tests allowed to skip under CI=true, each with its reason. Keep it short."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report: pytest.TestReport = yield
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return report
    if item.nodeid in ALLOWED_SKIPS:
        return report
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true ({reason}): a skip in CI hides a missing component. Install it in .ci/run, "
        f"or add {item.nodeid!r} to ALLOWED_SKIPS in tests/ci_skips.py with the reason it cannot run in CI."
    )
    return report
