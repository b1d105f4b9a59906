"""The stock-take report: deterministic, restated figures marked, and no material of reports not published."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from learning_cycle import PublicationDecision, open_cycle
from learning_cycle.demo import load_demo
from learning_cycle.plugins import get_plugins
from learning_cycle.projections.store import Views
from learning_cycle.reports import FORMATS, render

from .cli_helpers import run
from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
YEARS = ("2013/14", "2014/15", "2015/16", "2016/17", "2017/18")


@pytest.fixture(scope="module")
def demo():
    with open_cycle("memory:", user="demo", today=lambda: TODAY) as lc:
        board, _ = load_demo(lc)
        with Views.of(lc) as views:
            measures = {k: c.item for k, c in get_plugins().outcome_measures().items()}
            yield lc, board, views, measures


def test_the_same_log_and_arguments_give_the_same_bytes(demo):
    _, board, views, measures = demo
    for year in ("2015/16", "2016/17"):
        for fmt in FORMATS:
            first = render(views.stock_take(board, year, measures=measures), fmt)
            again = render(views.stock_take(board, year, measures=measures), fmt)
            assert first == again
            assert "generated" not in first.lower()
        assert "Generated 1 May 2017." in render(
            views.stock_take(board, year, measures=measures), "md", generated="1 May 2017"
        )


def test_as_known_at_the_stock_take_the_old_figure_as_known_now_the_restated_one(demo):
    lc, board, views, measures = demo
    year = lc.board(board).year_start.year_of(date(2016, 6, 1))
    moment = views.stock_take_moment(board, year)
    then = views.stock_take(board, year, as_known_at=moment, measures=measures)
    now = views.stock_take(board, year, measures=measures)
    (restated,) = now.restatements
    assert restated.indicator == "cp-safety-outcomes-at-closure" and restated.period == "Q3 2016/17"
    (line,) = [i for i in then.indicators["better_off"] if i.key == restated.indicator]
    assert line.values[line.periods.index("Q3 2016/17")] == restated.old
    assert then.restatements == ()
    md_now, md_then = render(now, "md"), render(then, "md")
    assert f"| {restated.title} | Q3 2016/17 | {restated.old:g} | {restated.new:g} |" in md_now
    assert restated.title == line.title != restated.indicator  # the indicator's words, not its key
    assert "No figure of the year has been restated since the stock-take." in md_then
    # the restated figure is not the year's latest (Q4 2016/17), so the line counts it rather than naming it
    html_now = render(now, "html")
    assert "1 figure restated since the stock-take." in html_now
    assert "restated from" not in html_now
    assert f"<td>{restated.old:g}</td><td>{restated.new:g}</td>" in html_now


def test_every_format_answers_the_question_in_the_framework_order(demo):
    _, board, views, measures = demo
    st = views.stock_take(board, "2016/17", measures=measures)
    md = render(st, "md")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings[:7] == [
        "Contents", "Summary for the chair", "1. What we learnt", "2. What we did about it",
        "3. How it fed into training", "4. What monitoring shows", "5. The three-year picture",
    ]  # fmt: skip
    assert "2 sustained, 1 improving, 6 with no evidence yet, 3 stalled." in md
    assert "When and how to check whether the 6 findings with no evidence yet made a difference." in md
    assert "- Gap: never checked: no evidence yet of any difference made" in md
    data = json.loads(render(st, "json"))
    schema = json.loads((ROOT / "schemas" / "stocktake.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        data
    )


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_html_is_self_contained_and_accessible(demo):
    _, board, views, measures = demo
    html = render(views.stock_take(board, "2016/17", measures=measures), "html")
    outline = Outline()
    outline.feed(html)
    tags = [t for t, _ in outline.tags]
    assert tags.count("h1") == 1 and tags.count("h2") >= 10
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not any("src" in a for _, a in outline.tags)
    assert all(a["href"].startswith("#") for _, a in outline.tags if "href" in a)  # the contents' links only
    svgs = [a for t, a in outline.tags if t == "svg" and a.get("aria-hidden") != "true"]  # icons have words beside
    assert len(svgs) >= 3 and all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert tags.count("title") == len(svgs) + 1 and tags.count("desc") == len(svgs)
    assert all(a.get("scope") == "col" for t, a in outline.tags if t == "th")
    assert '<html lang="en-GB">' in html and "@media print" in html


def _with_withheld_material(lc, board):
    marker = "ZZSECRET"
    for status, n in (("withheld", 1), ("delayed", 2), ("published", 3)):
        word = f"{marker}{n}" if status != "published" else "OPENREPORT"
        a = lc.commission_activity(
            board, kind="serious_case_review", method="scr-traditional", title=f"SCR: Child {word} (fictional)",
            why=f"Why {word}", decided_by="Chair", proportionality="Statutory", agencies=["csc", "police"],
            on=date(2016, 5, 2),
        )  # fmt: skip
        lc.start_activity(board, a, on=date(2016, 5, 9))
        f = lc.raise_finding(board, a, statement=f"Finding {word}", level="strategic", on=date(2016, 8, 1))
        lc.respond_to_finding(board, f, f"Response {word}", on=date(2016, 8, 8))
        lc.raise_action(
            board, f, owner="csc", description=f"Action {word}", due_on=date(2016, 9, 1), on=date(2016, 8, 8)
        )
        lc.record_dissemination(board, channel="briefing", title=f"Briefing {word}", audience="All", reach=5,
                                finding_ids=[f], on=date(2016, 9, 5))  # fmt: skip
        lc.record_check(board, f, kind="re_audit", result="no_change", evidence=f"Evidence {word}", on=date(2017, 2, 1))
        lc.complete_activity(board, a, on=date(2016, 10, 3))
        lc.approve_report(board, a, on=date(2016, 10, 10))
        decision = {
            "withheld": PublicationDecision("withheld", reason="It would identify a child"),
            "delayed": PublicationDecision("delayed", reason="Criminal trial", review_on=date(2018, 1, 1)),
            "published": PublicationDecision("published", reference="web"),
        }[status]
        lc.decide_publication(board, a, decision, on=date(2016, 10, 17))
    return marker


def test_material_of_reports_not_published_never_appears_in_any_format(tmp_path):
    store = str(tmp_path / "w.sqlite")
    with open_cycle(store, user="t", today=lambda: TODAY) as lc:
        board, _ = load_demo(lc)
        marker = _with_withheld_material(lc, board)
    texts = []
    for year in YEARS:
        for fmt in FORMATS:
            out = run("stocktake", "--store", store, "--year", year, "--format", fmt, cwd=tmp_path)
            assert out.returncode == 0, out.stderr
            texts.append(out.stdout)
    everything = "\n".join(texts)
    assert marker not in everything
    for secret in ("Child K (fictional)", "Health visitors lacked protected time", "Protect time for supervision",
                   "Child L (fictional)", "Professionals deferred to the most senior agency"):  # fmt: skip
        assert secret not in everything, secret
    assert "OPENREPORT" in everything  # the published report's material is there: the test can see it
    assert "[restricted: a serious case review (report withheld: It would identify a child)" in everything
    assert "It would identify a child" in everything  # the reason is the board's, and is reported


def test_cli_stocktake_errors_are_diagnostics(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    cases = [
        (["--year", "2016-17"], "year: must read like 2016/17"),
        (["--year", "2016/17", "--as-known-at", "tomorrow"], "--as-known-at: 'tomorrow' is not a moment"),
        (["--year", "2016/17", "-o", str(tmp_path / "no" / "such" / "x.md")], "does not exist"),
        (["--year", "2016/17", "--format", "pdf"], "'--format': 'pdf' is not one of"),
        (["--year", "2016/17", "--store", "missing.sqlite"], "no store at 'missing.sqlite'"),
        (["--year", "2020/21", "--as-known-at", "stocktake"], "no stock-take of 2020/21 is recorded"),
    ]
    for args, message in cases:
        out = run("stocktake", *args, cwd=tmp_path)
        assert out.returncode == 2, (args, out.stderr)
        assert message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
