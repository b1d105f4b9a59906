"""Under ``CI=true`` a skipped test fails: a missing browser or server can never pass unnoticed.

A test may still skip in CI only if its node id is on ``ALLOWED_SKIPS`` below, with the reason it
cannot run there. The one other kind allowed is a code block of README.md or docs/*.md that its own
page marks ``<!-- skip: next "why" -->`` (conftest.py runs every other block): the reason stands in
the page beside the block, and ``-ra`` lists it. Outside CI, skips are reported as usual.
"""

from __future__ import annotations

import os

import pytest

ALLOWED_SKIPS: dict[str, str] = {
    # "tests/test_x.py::test_y": "why it cannot run in CI",
}
"""Node ids of tests allowed to skip under CI=true, each with its reason. Keep it short."""


def skipped_by_its_page(item: pytest.Item) -> bool:
    """A documentation code block (collected by conftest.py's Sybil): it skips only by its page's
    ``skip: next`` directive, since the evaluators there never skip."""
    return item.nodeid.split("::", 1)[0].endswith(".md") and hasattr(item, "example")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report: pytest.TestReport = yield
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return report
    if item.nodeid in ALLOWED_SKIPS or skipped_by_its_page(item):
        return report
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true ({reason}): a skip in CI hides a missing component. Install it in .ci/run, "
        f"or add {item.nodeid!r} to ALLOWED_SKIPS in tests/ci_skips.py with the reason it cannot run in CI."
    )
    return report
