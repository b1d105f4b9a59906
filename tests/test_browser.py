"""The HTML stock-take report, opened in a real headless Chromium as a person would see it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from learning_cycle import open_cycle
from learning_cycle.demo import load_demo
from learning_cycle.plugins import get_plugins
from learning_cycle.projections.store import Views
from learning_cycle.reports import render

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium() -> str:
    found = os.environ.get("LEARNING_CYCLE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no Chromium: .ci/run installs Debian's chromium; the HTML report must be checked in a browser")
        pytest.skip("no Chromium here (CI installs it)")
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    with open_cycle("memory:", user="demo", today=lambda: TODAY) as lc:
        board, _ = load_demo(lc)
        with Views.of(lc) as views:
            measures = {k: c.item for k, c in get_plugins().outcome_measures().items()}
            html = render(views.stock_take(board, "2016/17", measures=measures), "html")
    path = tmp_path_factory.mktemp("report") / "stocktake-2016-17.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_the_report_opens_with_its_charts_drawn_and_no_console_errors(report):
    from playwright.sync_api import sync_playwright

    executable = chromium()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on(
                "console",
                lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "request", lambda r: problems.append(f"network: {r.url}") if not r.url.startswith("file:") else None
            )
            page.goto(report.as_uri())
            drawn = page.evaluate(
                """() => [...document.querySelectorAll('figure.chart svg')].map(svg => {
                    const box = svg.getBoundingClientRect();
                    const marks = [...svg.querySelectorAll('polyline, rect, circle')]
                        .filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
                    return {width: box.width, height: box.height, marks: marks.length,
                            label: svg.getAttribute('aria-labelledby')};
                })"""
            )
            title = page.title()
            headings = page.locator("h2").count()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "stocktake-2016-17.png"), full_page=True)
            page.emulate_media(media="print")
            hidden_when_printed = page.evaluate("() => getComputedStyle(document.querySelector('details')).display")
            page.pdf(path=str(ARTIFACTS / "stocktake-2016-17.pdf"))
        finally:
            browser.close()
    assert problems == []
    assert title == "Northshire Safeguarding Children Board (fictional): annual stock-take 2016/17"
    assert headings >= 10
    assert len(drawn) >= 9  # flow, verdicts and one run chart per indicator
    for chart in drawn:
        assert chart["width"] > 300 and chart["height"] > 80 and chart["marks"] > 0 and chart["label"], chart
    assert hidden_when_printed == "none"
    assert (ARTIFACTS / "stocktake-2016-17.png").stat().st_size > 50_000
