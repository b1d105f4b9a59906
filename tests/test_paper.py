"""The stock-take as the board's paper (issue 25): plain words, each restricted review once, and
the HTML checked in a real headless Chromium at 1280 px and printed to A4."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser

import attrs
import pytest

from learning_cycle.plugins import get_plugins
from learning_cycle.plugins import open_cycle as open_with_plugins
from learning_cycle.projections.store import Views
from learning_cycle.reports import render
from learning_cycle.reports.paper import SECTIONS

from .conftest import TODAY
from .test_browser import FLAGS, chromium

KEY_SHAPED = re.compile(r"(?<![\w-])(?=[\w-]*[a-z])[a-z0-9]+(?:[_-][a-z0-9]+)+(?![\w-])")
"""A lower-case word joined by ``_`` or ``-`` (``no_evidence_yet``, ``east-wold``), not a date."""

ENGLISH = {"stock-take", "three-year", "common-cause", "special-cause", "re-audit", "tamper-evident",
           "multi-agency", "single-agency", "year-end", "learning-cycle"}  # fmt: skip
"""Hyphenated words of the paper's own English (no key is spelt like them), and the command's name
(the annex says how to verify the log)."""

FREE_TEXT = {"name", "title", "statement", "description", "why", "evidence", "reason", "audience", "response",
             "challenge", "unit", "decisions", "note", "assurance", "closed_reason", "proportionality", "decided_by"}  # fmt: skip


def _board_words(value, into: set[str], field: str | None = None) -> set[str]:
    """Every word of the board's own free text (titles, statements, names...) in ``value``."""
    if isinstance(value, str):
        if field in FREE_TEXT:
            into.update(re.findall(r"[\w-]+", value))
    elif attrs.has(type(value)):
        for f in attrs.fields(type(value)):
            _board_words(getattr(value, f.name), into, f.name)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _board_words(v, into, field)
    return into


class _Text(HTMLParser):
    """The text a reader sees (no style sheet)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag == "style"

    def handle_endtag(self, tag):
        self._skip -= tag == "style"

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.fixture(scope="module")
def paper(demo_store):
    """The demo's 2016/17 stock-take in Markdown and HTML, and the board's records."""
    with open_with_plugins(str(demo_store), user="demo", today=lambda: TODAY) as lc, Views.of(lc) as views:
        (board,) = views.board_ids()
        measures = {k: c.item for k, c in get_plugins().outcome_measures().items()}
        st = views.stock_take(board, "2016/17", measures=measures)
        records = views.records(board)
    return st, records, render(st, "md"), render(st, "html")


def _shown_keys(text: str, records) -> set[str]:
    allowed = _board_words(records, set()) | ENGLISH
    return {w for w in KEY_SHAPED.findall(text) if w not in allowed}


def test_no_internal_key_appears_in_the_markdown_or_the_html(paper):
    _, records, md, html = paper
    board = records.board
    keys = {a.key for a in board.agencies} | set(board.districts) | {p.key for _, ps in board.priorities for p in ps}
    keys |= {i.key for i in records.indicators} | {a.method for a in records.activities}
    keys |= {t for f in records.findings for t in f.themes}
    seen = _Text()
    seen.feed(html)
    allowed = _board_words(records, set())
    prose = re.sub(r"\]\(#[a-z0-9-]+\)", "]", md)  # the contents' anchors are not shown
    for where, text in (("md", prose), ("html", " ".join(seen.parts))):
        assert _shown_keys(text, records) == set(), where
        words = set(re.findall(r"(?<![\w-])[\w-]+(?![\w-])", text))
        assert (words & keys) - allowed == set(), where  # csc, vcs, cin, east-wold...
    assert not re.search(r"\((csc|health|police|education|vcs|yss)[,)]", md)  # an owner in words, not its key
    assert "figure(s)" not in md and "no special-cause pattern" not in md
    assert not re.search(r"\\[ a-z]", md)  # no stray backslash before an ordinary word


def test_each_restricted_review_is_stated_once_with_its_findings_by_number(paper):
    st, _, md, html = paper
    assert [r.status for r in st.restricted_reviews] == ["withheld", "delayed"]
    for review in st.restricted_reviews:
        numbers = tuple(c.number for c in st.chains if c.review == review.label)
        assert review.finding_numbers == numbers and len(numbers) == review.findings == 2
        assert md.count(review.reason) == 1, review.reason
        row = f"| {review.label} | serious case review | "
        assert md.count(row) == 1 and md.split(row)[1].split("\n")[0].endswith(f"| {', '.join(map(str, numbers))} |")
        for n in numbers:
            assert f"Finding {n}, not published (see review {review.label})" in md
    assert "[restricted" not in md and "[restricted" not in html
    lines = Counter(line for line in md.splitlines() if "not published" in line)
    assert max(lines.values()) == 1, lines.most_common(3)


def test_the_paper_opens_with_a_title_page_contents_and_the_summary_and_closes_with_its_provenance(paper):
    st, _, md, html = paper
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == ["Contents", *SECTIONS]
    assert md.index("## Contents") < md.index("## Summary for the chair") < md.index("## 1. What we learnt")
    assert st.log_head and md.count(st.log_head) == 2 and md.index(st.log_head) > md.index("## Annex")
    for section in SECTIONS:
        anchor = re.sub(r"[^a-z0-9 -]", "", section.lower()).replace(" ", "-")
        assert f"- [{section}](#{anchor})" in md
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    for term in ("Special cause", "Common-cause variation", "Process limits"):
        assert f"<dt>{term}</dt>" in html


CHECK_CHARTS = """() => [...document.querySelectorAll('figure.chart svg')].map(svg => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const axes = [...svg.querySelectorAll('line.axis')].map(box);
    return {id: svg.closest('figure').id,
            labels: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, box: box(t)})),
            points: [...svg.querySelectorAll('circle.point')].map(box),
            plot: axes.length ? [axes[1][0], axes[1][1], axes[0][2], axes[0][3]] : null};
})"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="module")
def browsed(paper, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    executable = chromium()
    path = tmp_path_factory.mktemp("paper") / "stocktake-2016-17.html"
    path.write_text(paper[3], encoding="utf-8")
    pdf = path.with_suffix(".pdf")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--headless", *FLAGS])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(path.as_uri())
            charts = page.evaluate(CHECK_CHARTS)
            links = page.evaluate(
                """() => [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'),
                    !!document.getElementById(a.getAttribute('href').slice(1))])"""
            )
            page.emulate_media(media="print")
            page.pdf(path=str(pdf), prefer_css_page_size=True)
        finally:
            browser.close()
    return charts, links, pdf


def test_at_1280_px_no_chart_label_sits_on_another_or_on_a_point_and_every_point_is_inside_the_plot(browsed):
    charts, _, _ = browsed
    assert len([c for c in charts if c["points"]]) == 7
    for chart in charts:
        labels = chart["labels"]
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not _overlap(a["box"], b["box"]), (chart["id"], a["text"], b["text"])
            for point in chart["points"]:
                assert not _overlap(a["box"], point), (chart["id"], a["text"], point)
        if chart["plot"]:
            left, top, right, bottom = chart["plot"]
            for x0, y0, x1, y1 in chart["points"]:
                assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, (chart["id"], (x0, y0))


def test_the_contents_links_resolve(browsed):
    _, links, _ = browsed
    assert len(links) == len(SECTIONS) and all(found for _, found in links), links


def test_printed_to_a4_it_is_at_most_ten_numbered_pages(browsed):
    _, _, pdf = browsed
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    assert 3 <= pages <= 10, pages
    sizes = {m for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)}
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4 in points
    tool = shutil.which("pdftotext")
    if tool is None:
        import os

        if os.environ.get("CI") == "true":
            pytest.fail("no pdftotext: .ci/run installs Debian's poppler-utils to read the printed pages")
        pytest.skip("no pdftotext here (CI installs poppler-utils)")
    text = subprocess.run([tool, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    text = " ".join(text.split())
    assert text.count("Publishing would identify the surviving siblings") == 1
    assert text.count("Parallel criminal proceedings") == 1


def test_the_status_model_states_each_restricted_review_once_for_its_renderer(demo_store):
    with open_with_plugins(str(demo_store), user="demo", today=lambda: TODAY) as lc, Views.of(lc) as views:
        (board,) = views.board_ids()
        status = views.status(board)
        records = views.records(board)
    assert [(r.label, r.status) for r in status.restricted_reviews] == [("A", "withheld"), ("B", "delayed")]
    for review, restriction in zip(status.restricted_reviews, records.restricted, strict=True):
        mine = [n for n, f in enumerate(status.findings, 1) if f.review == review.label]
        assert review.finding_numbers == tuple(mine) and len(mine) == restriction.findings == review.findings
        assert review.reason == restriction.reason and review.title is None
        assert [a.review for a in status.activities if a.activity_id == restriction.activity_id] == [review.label]
    assert all(f.review is None for f in status.findings if not f.statement.startswith("[restricted"))


def test_the_paper_s_words_for_a_value_are_declared_once():
    """A value a record declares words for takes them from its declaration; the reports' own table
    holds only the read models' values (verdicts, directions of travel), never a second copy."""
    from learning_cycle.domain import fields
    from learning_cycle.reports.plain import WORDS, plain

    declared = fields.all_value_words()
    assert declared, "the records declare words for some of their values"
    assert set(WORDS).isdisjoint(declared), set(WORDS) & set(declared)
    for value, words in declared.items():
        assert plain(value) == words
