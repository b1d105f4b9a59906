"""The 7-minute briefing of a review (issue 25, item 5): from the review's own records, in the form
partnerships publish, and never for a review whose report is not published without a recorded read."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from markdown_it import MarkdownIt

from learning_cycle.domain.errors import NotFound
from learning_cycle.plugins import open_cycle as open_with_plugins
from learning_cycle.projections.briefing import Briefing, BriefingAction, BriefingFinding, NoBriefing, briefing
from learning_cycle.projections.store import Views
from learning_cycle.reports import render_briefing
from learning_cycle.reports.briefing import SECTIONS

from .conftest import TODAY, copy_store
from .test_attacks_escape import RAW, hostile_text


@pytest.fixture(scope="module")
def demo(demo_store):
    with open_with_plugins(str(demo_store), user="demo", today=lambda: TODAY) as lc, Views.of(lc) as views:
        (board,) = views.board_ids()
        return views.records(board)


def _sections(md: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", md, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_briefing_of_a_demo_review_is_its_findings_actions_and_learning_in_the_published_form(demo):
    (review,) = [a for a in demo.activities if a.title == "Deep dive: child sexual exploitation"]
    findings = [f for f in demo.findings if f.activity_id == review.activity_id]
    ids = {f.finding_id for f in findings}
    actions = [a for a in demo.actions if a.finding_id in ids]
    learning = [d for d in demo.disseminations if ids & set(d.finding_ids)]
    assert findings and actions and learning  # the demo review has each link of the chain

    b = briefing(demo, review.title)
    assert [f.statement for f in b.findings] == [f.statement for f in findings]
    assert [a.description for a in b.actions] == [a.description for a in actions]
    assert [x.title for x in b.learning] == [d.title for d in learning]
    assert b.agencies == tuple(demo.board.agency_name(k) for k in review.agencies)

    md = render_briefing(b, "md")
    assert md.startswith(f"# 7-minute briefing: {review.title}\n")
    sections = _sections(md)
    assert list(sections) == list(SECTIONS)
    assert review.why.rstrip(".") in sections["The case in brief"]
    assert all(f.statement in sections["What was found"] for f in findings)
    assert all(a.description in sections["What practitioners should do"] for a in actions)
    assert all(d.title in sections["Where to learn more"] for d in learning)
    assert all(f.statement in sections["Questions for reflection"] for f in findings)
    owner = demo.board.agency_name(actions[0].owner)
    assert f"led by {owner}" in sections["What practitioners should do"] and f"led by {actions[0].owner}," not in md
    html = render_briefing(b, "html")
    assert re.findall(r"<h2>(.+?)</h2>", html) == list(SECTIONS)
    assert "RESTRICTED" not in md + html


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_published_review_s_briefing_lists_each_of_its_findings_once(demo, fmt):
    hidden = {r.activity_id for r in demo.restricted}
    shown = [a for a in demo.activities if a.activity_id not in hidden]
    assert len(shown) >= 8
    for review in shown:
        text = render_briefing(briefing(demo, review.activity_id), fmt)
        for f in demo.findings:
            if f.activity_id == review.activity_id:
                statement = f.statement.replace("'", "&#x27;") if fmt == "html" else f.statement
                assert text.count(statement) == 2, (review.title, f.statement)  # found, and a question on it


def test_a_review_whose_report_is_not_published_gets_no_briefing(demo):
    assert {r.status for r in demo.restricted} == {"withheld", "delayed"}
    for r in demo.restricted:
        with pytest.raises(NoBriefing) as refused:
            briefing(demo, r.activity_id)
        error = refused.value
        assert error.field == "review" and error.value == str(r.activity_id)
        assert ("withheld" if r.status == "withheld" else f"delayed to {r.review_on}") in str(error)
        assert "no briefing" in str(error)


def test_with_a_recorded_read_a_withheld_review_gets_a_briefing_marked_restricted(demo_store, tmp_path):
    store = copy_store(demo_store, tmp_path / "demo.sqlite")
    with open_with_plugins(str(store), user="officer", today=lambda: TODAY) as lc, Views.of(lc) as views:
        (board,) = views.board_ids()
        withheld = next(r for r in views.records(board).restricted if r.status == "withheld")
        access = lc.read_restricted(board, "briefing")
        records = views.records(board, restricted=access)
        log = views.access_log(board)
    b = briefing(records, withheld.activity_id)
    assert b.includes_restricted and len(b.findings) == withheld.findings
    assert [(x.by, x.query) for x in log][-1] == ("officer", "briefing")
    for fmt in ("md", "html"):
        assert "RESTRICTED: this output holds the material of reports not published" in render_briefing(b, fmt)


def test_an_unknown_review_is_refused_naming_the_value(demo):
    with pytest.raises(NotFound, match=r"^review: no learning activity with id or title 'Nope'$") as refused:
        briefing(demo, "Nope")
    assert (refused.value.field, refused.value.value) == ("review", "Nope")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


@settings(max_examples=150, deadline=None)
@given(hostile_text, hostile_text)
def test_any_recorded_text_is_shown_as_text_in_both_formats(statement, action):
    b = Briefing(
        board_name="Board", title=statement or "t", kind="deep_dive", method="", why=action or "w",
        commissioned_on=date(2016, 1, 4), completed_on=None, agencies=(action,), themes=(),
        findings=(BriefingFinding(1, statement, False, "operational", ()),),
        actions=(BriefingAction(1, action, statement, date(2016, 6, 30), False),),
        learning=(), questions=(statement,), published_on=None, voice_of_child=False, as_of=date(2016, 2, 1),
    )  # fmt: skip
    md, html = render_briefing(b, "md"), render_briefing(b, "html")
    for text in (md, html):
        assert RAW.search(text) is None
    tokens = MarkdownIt("commonmark").parse(md)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert not kinds & {"html_block", "html_inline", "image", "link_open", "code_block", "fence"}
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "main",
                           "section", "ol", "ul", "li"}  # fmt: skip


# -- the verb ---------------------------------------------------------------------------------------


def test_the_briefing_verb_names_a_review_by_its_reference_its_id_or_its_title(demo_store, tmp_path, capsys):
    import os
    import stat

    from learning_cycle.cli import main

    store = str(copy_store(demo_store, tmp_path / "demo.sqlite"))
    assert main(["activities", "--json", "--store", store]) == 0
    import json

    listed = {a["ref"]: a for a in json.loads(capsys.readouterr().out)["activities"]}
    case_review = next(ref for ref, a in listed.items() if a["title"] == "Case review: learning from good practice")
    shown = []
    for name in (case_review, listed[case_review]["id"][:8], "case review: LEARNING from good practice"):
        assert main(["briefing", name, "--store", store]) == 0
        shown.append(capsys.readouterr().out)
    assert shown[0] == shown[1] == shown[2]
    assert shown[0].startswith("# 7-minute briefing: Case review: learning from good practice")
    # a withheld review: none, an error naming it, nothing read or written
    withheld = next(ref for ref, a in listed.items() if "report withheld" in a["title"])
    out = tmp_path / "withheld.md"
    assert main(["briefing", withheld, "-o", str(out), "--store", store]) == 2
    assert "its report is withheld, so it gets no briefing" in capsys.readouterr().err
    assert not out.exists()
    assert main(["access-log", "--json", "--store", store]) == 0
    assert json.loads(capsys.readouterr().out)["reads"] == []
    # asked for explicitly: the read is recorded first, and the file is for its owner alone
    assert main(["briefing", withheld, "--include-restricted", "-o", str(out), "--store", store]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "RESTRICTED" in out.read_text(encoding="utf-8").upper()
    capsys.readouterr()
    assert main(["access-log", "--json", "--store", store]) == 0
    (read,) = json.loads(capsys.readouterr().out)["reads"]
    assert read["query"].startswith("briefing")
    # a reference that names nothing is refused, naming the value and what exists
    assert main(["briefing", "A-99", "--store", store]) == 2
    assert "review: no activity A-99 on this board (the activity references are A-1 to A-14)" in capsys.readouterr().err
