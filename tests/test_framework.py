"""The board's learning and improvement framework as a record (issue 24 item 1), and the stock-take
taken against its six principles (framework §3): the lifecycle as behaviour, each principle's
answer against a small board recorded for it, the section in every format, the interchange round
trip, and the verbs recording what the API records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from learning_cycle import (
    AlreadyExists,
    InvalidValue,
    LearningCycle,
    Menu,
    MethodRule,
    PublicationDecision,
    RuleViolation,
    Views,
)
from learning_cycle.cli import cli
from learning_cycle.domain import Principle
from learning_cycle.interchange import export_log, import_log
from learning_cycle.reports import render
from learning_cycle.testing.strategies import histories

from .conftest import TODAY, assert_refused

MENU = Menu.of(
    [
        MethodRule(
            "systems", {"serious_case_review"}, 2, {"handover", "supervision"}, publishes={"serious_case_review"}
        ),
        MethodRule("survey", {"light_touch_review"}, min_agencies=1),
    ]
)
SIX = ["systems_learning", "continuous_improvement", "proportionality", "professionals_involved", "transparency",
       "sustained_improvement"]  # fmt: skip
NAMES = ["Systems learning", "Continuous improvement", "Proportionality", "Professionals involved", "Transparency",
         "Sustained improvement"]  # fmt: skip


def cycle(path: Path | str) -> LearningCycle:
    return LearningCycle(str(path), menu=MENU, user="framework test", today=lambda: TODAY)


def board(lc: LearningCycle, key: str = "fw") -> object:
    return lc.create_board(key, "Framework Board (fictional)", agencies=[("csc", "Social Care"), ("police", "Police")],
                           districts=["north", "south", "east"], on=date(2011, 4, 1))  # fmt: skip


def adopt(lc: LearningCycle, b, principles=SIX, on=date(2014, 6, 2), **more):
    fields = {"name": "Learning and Improvement Framework", "agreed_by": "the Board", "summary": "How we learn"}
    return lc.adopt_framework(b, principles=principles, on=on, **{**fields, **more})


# -- the lifecycle ----------------------------------------------------------------------------------


def test_a_board_adopts_its_framework_once_and_its_id_follows_from_the_board(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc, cycle(tmp_path / "b.sqlite") as other:
        b = board(lc)
        ident = adopt(lc, b, principles=["transparency", "proportionality"], on=date(2011, 6, 1))
        assert ident == adopt(other, board(other), on=date(2015, 1, 5))  # the same board key: the same record id
        f = lc.framework(b)
        assert (f.name, f.agreed_by, f.summary, f.adopted_on) == (
            "Learning and Improvement Framework", "the Board", "How we learn", date(2011, 6, 1))  # fmt: skip
        assert [p.value for p in f.principles] == ["transparency", "proportionality"]  # as adopted, in that order
        assert_refused(lc, lambda: adopt(lc, b), AlreadyExists, "board_id", b, "board_id: a framework with this")


def test_what_a_framework_is_adopted_with_is_checked_and_a_refusal_writes_nothing(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        assert_refused(lc, lambda: adopt(lc, b, principles=["systems_learning", "kindness"]), InvalidValue,
                       "principles", "kindness", "principles: must be one of systems_learning")  # fmt: skip
        assert_refused(lc, lambda: adopt(lc, b, principles=[]), RuleViolation, "principles", [])
        assert_refused(lc, lambda: adopt(lc, b, principles=["transparency", "transparency"]), RuleViolation,
                       "principles", ["transparency", "transparency"])  # fmt: skip
        assert_refused(lc, lambda: adopt(lc, b, name="  "), InvalidValue, "name", "  ")
        assert_refused(lc, lambda: adopt(lc, b, agreed_by="the\nBoard"), InvalidValue, "agreed_by", "the\nBoard")
        assert_refused(lc, lambda: adopt(lc, b, on=date(2027, 1, 1)), InvalidValue, "on", date(2027, 1, 1))
        assert_refused(lc, lambda: adopt(lc, b, on=date(2011, 3, 31)), InvalidValue, "on", date(2011, 3, 31),
                       "on: is before the board was set up (2011-04-01)")  # fmt: skip


def test_a_review_keeps_or_revises_the_framework_and_reviews_are_kept_in_date_order(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        refused = lambda: lc.review_framework(b, outcome="kept", agreed_by="the Board", changes="x")
        assert_refused(lc, refused, RuleViolation, "board_id", str(b), "board_id: the board has no framework")
        adopt(lc, b, principles=["continuous_improvement"], name="Quality Assurance Framework", on=date(2011, 6, 1))
        kept_with_a_name = lambda: lc.review_framework(
            b, outcome="kept", agreed_by="the Board", changes="Renamed", name="New", on=date(2016, 11, 7)
        )
        assert_refused(lc, kept_with_a_name, RuleViolation, "outcome", "kept", "outcome: a framework kept")
        before_adoption = lambda: lc.review_framework(
            b, outcome="kept", agreed_by="the Board", changes="None", on=date(2011, 5, 1)
        )
        assert_refused(lc, before_adoption, InvalidValue, "on", date(2011, 5, 1), "on: is before this framework began")
        assert_refused(lc, lambda: lc.review_framework(b, outcome="scrapped", agreed_by="the Board", changes="x"),
                       InvalidValue, "outcome", "scrapped", "outcome: must be one of kept, revised")  # fmt: skip
        lc.review_framework(b, outcome="kept", agreed_by="the Board", changes="Nothing changed", on=date(2016, 11, 7))
        # recorded later, effective earlier: the revision of 2013
        lc.review_framework(b, outcome="revised", agreed_by="the Board", changes="Working Together 2013",
                            name="Learning and Improvement Framework", principles=SIX, on=date(2013, 11, 4))  # fmt: skip
        f = lc.framework(b)
        assert [(r.reviewed_on, r.outcome.value) for r in f.reviews] == [
            (date(2013, 11, 4), "revised"), (date(2016, 11, 7), "kept")]  # fmt: skip
        assert f.name == "Learning and Improvement Framework" and [p.value for p in f.principles] == SIX
        assert f.last_review().reviewed_on == date(2016, 11, 7)
        assert f.last_review(date(2016, 3, 31)).reviewed_on == date(2013, 11, 4)
        assert f.as_of(date(2013, 11, 3)) == ("Quality Assurance Framework", (Principle.CONTINUOUS_IMPROVEMENT,))
        assert f.as_of(date(2013, 11, 4)) == ("Learning and Improvement Framework", tuple(Principle))
        # a correction takes effect on its day: the views of earlier days keep what stood then
        lc.correct_framework(b, reason="Misnamed", name="Learning and Improvement Framework 2013", on=date(2014, 1, 6))
        f = lc.framework(b)
        assert f.name == "Learning and Improvement Framework 2013"
        assert f.as_of(date(2013, 12, 31))[0] == "Learning and Improvement Framework"
        lc.review_framework(b, outcome="revised", agreed_by="the Board", changes="Partnership arrangements",
                            name="Partnership Learning Framework", principles=SIX[:2], on=date(2019, 9, 2))  # fmt: skip
        lc.hold_stock_take(b, "2014/15", on=date(2015, 5, 1))
        with Views.of(lc) as views:
            then = views.stock_take(b, "2014/15")  # made after the revision of 2019, of a year before it
        assert (then.principles.framework.name, then.principles.framework.principles) == (
            "Learning and Improvement Framework 2013", tuple(SIX))  # fmt: skip
        assert all(line.adopted for line in then.principles.lines)
        assert lc.framework(b).name == "Partnership Learning Framework"


def test_the_annual_review_follows_the_year_s_stock_take_and_is_held_once(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        adopt(lc, b)
        annual = lambda on, year="2014/15": lc.hold_annual_review(
            b, year, agreed_by="Business planning day", changes="Neglect kept a priority", on=on
        )
        message = "year: the stock-take of this year is not recorded: the annual review follows it"
        assert_refused(lc, lambda: annual(date(2015, 5, 20)), RuleViolation, "year", "2014/15", message)
        lc.hold_stock_take(b, "2014/15", decisions=["Keep neglect"], on=date(2015, 5, 14))
        assert_refused(lc, lambda: annual(date(2015, 5, 13)), RuleViolation, "on", "2015-05-13",
                       "on: is before the stock-take of 2014/15 (held on 2015-05-14)")  # fmt: skip
        annual(date(2015, 5, 14))  # on the day of the stock-take, at the business planning day
        assert_refused(lc, lambda: annual(date(2015, 6, 1)), RuleViolation, "year", "2014/15",
                       "year: an annual review of this year is already recorded")  # fmt: skip
        (held,) = lc.framework(b).annual_reviews
        assert (held.year, held.held_on, held.agreed_by, held.changes) == (
            2014, date(2015, 5, 14), "Business planning day", "Neglect kept a priority")  # fmt: skip


def test_a_correction_is_a_new_event_and_the_first_record_stays_in_the_log(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        ident = adopt(lc, b, summary="How we lern")
        assert_refused(lc, lambda: lc.correct_framework(b, reason="Nothing"), RuleViolation, "reason", "Nothing")
        lc.correct_framework(b, reason="Mistyped", summary="How we learn", principles=["transparency"],
                             on=date(2015, 1, 2))  # fmt: skip
        f = lc.framework(b)
        assert (f.summary, [p.value for p in f.principles]) == ("How we learn", ["transparency"])
        adopted, corrected = lc.history(ident)
        assert (adopted.summary, corrected.summary, corrected.reason) == ("How we lern", "How we learn", "Mistyped")
        assert (adopted.effective_on, corrected.effective_on) == (date(2014, 6, 2), date(2015, 1, 2))


# -- the stock-take against the principles ----------------------------------------------------------


def evidenced_year(lc: LearningCycle):
    """A board with evidence for every principle in 2015/16 (the counts each test expects are
    worked out by hand from what is recorded here)."""
    b = board(lc)
    adopt(lc, b, principles=SIX[:4], on=date(2014, 6, 2))
    lc.review_framework(b, outcome="kept", agreed_by="the Chair", changes="Nothing", on=date(2015, 11, 20))
    scr = lc.commission_activity(b, kind="serious_case_review", method="systems", title="SCR Child Q (fictional)",
                                 why="Serious harm", decided_by="Chair", proportionality="Complex multi-agency case",
                                 agencies=["csc", "police"], on=date(2015, 5, 1))  # fmt: skip
    survey = lc.commission_activity(b, kind="light_touch_review", method="survey", title="Supervision survey",
                                    why="A check", decided_by="QA sub-group", proportionality="A quick check",
                                    agencies=["csc"], on=date(2015, 6, 1))  # fmt: skip
    lc.start_activity(b, scr, on=date(2015, 5, 10))
    lc.start_activity(b, survey, on=date(2015, 6, 5))
    f1 = lc.raise_finding(b, scr, statement="Handover between teams lost the plan", level="operational",
                          patterns=["handover"], on=date(2015, 8, 3))  # fmt: skip
    f2 = lc.raise_finding(b, survey, statement="One worker had no supervision", level="individual", on=date(2015, 9, 1))
    lc.respond_to_finding(b, f1, "A handover protocol", on=date(2015, 8, 10))
    lc.respond_to_finding(b, f2, "Supervision restored", on=date(2015, 9, 5))
    x1 = lc.raise_action(b, f1, owner="csc", description="Protocol", due_on=date(2015, 12, 31), on=date(2015, 8, 10))
    x2 = lc.raise_action(b, f2, owner="csc", description="Supervise", due_on=date(2015, 10, 1), on=date(2015, 9, 5))
    lc.complete_action(b, x1, "Protocol in use", on=date(2015, 11, 1))  # on time
    lc.complete_action(b, x2, "Supervised", on=date(2016, 1, 15))  # late
    lc.complete_activity(b, scr, on=date(2015, 12, 1))
    lc.approve_report(b, scr, on=date(2016, 1, 10))
    lc.decide_publication(b, scr, PublicationDecision("published", reference="https://example.org/q"), on=date(2016, 2, 1))  # fmt: skip
    d1 = lc.record_dissemination(b, channel="training_course", title="Handover", audience="Social workers",
                                 districts=["north"], reach=40, finding_ids=[f1], on=date(2015, 10, 1))  # fmt: skip
    lc.record_dissemination(b, channel="briefing", title="Supervision", audience="Managers", districts=["north", "south"],
                            reach=60, finding_ids=[f2], on=date(2015, 11, 1))  # fmt: skip
    lc.record_feedback(b, d1, "Used the protocol since", respondents=12, on=date(2016, 2, 1))
    lc.record_check(b, f1, kind="re_audit", result="improved", evidence="Re-audit", on=date(2016, 3, 1))
    lc.record_check(b, f2, kind="re_audit", result="no_change", evidence="Re-audit", on=date(2016, 3, 2))
    lc.hold_stock_take(b, "2015/16", decisions=["Keep going"], on=date(2016, 5, 10))
    lc.hold_annual_review(b, "2015/16", agreed_by="Business planning day", changes="Added transparency",
                          on=date(2016, 5, 20))  # fmt: skip
    return b


@pytest.fixture(scope="module")
def evidenced(tmp_path_factory):
    path = tmp_path_factory.mktemp("principles") / "evidenced.sqlite"
    with cycle(path) as lc:
        b = evidenced_year(lc)
        with Views.of(lc) as views:
            return views.stock_take(b, "2015/16")


def test_each_principle_is_answered_from_the_year_s_records_with_its_figures(evidenced):
    lines = {line.principle: line for line in evidenced.principles.lines}
    assert list(lines) == SIX and [line.name.capitalize() for line in lines.values()] == NAMES
    assert not any(line.evidence_missing for line in lines.values())
    assert dict(lines["systems_learning"].figures) == {
        "findings raised": 2, "about the system": 1, "about individual practice": 1, "naming an underlying pattern": 1}  # fmt: skip
    assert dict(lines["continuous_improvement"].figures) == {
        "actions completed": 2, "completed on time": 1, "monitoring checks": 2, "checks that found improvement": 1}  # fmt: skip
    assert dict(lines["proportionality"].figures) == {"methods chosen": 2, "different methods": 2, "rationale shown": 2}
    assert lines["proportionality"].details == (("systems", "Complex multi-agency case"), ("survey", "A quick check"))
    # a course (40) and a briefing (60): both count attendances; the feedback says nothing of satisfaction or impact
    assert dict(lines["professionals_involved"].figures) == {
        "pieces of learning delivered": 2, "attendances": 40 + 60, "people reached": 0, "districts reached": 2,
        "training courses": 1, "feedback received": 1, "feedback respondents": 12, "satisfied": 0,
        "reporting an impact on practice": 0, "reviews practitioners took part in": 0, "practitioners taking part": 0}  # fmt: skip
    # the survey's method publishes no report: only the serious case review counts
    assert dict(lines["transparency"].figures) == {
        "reviews whose method publishes a report": 1, "published": 1, "withheld": 0, "delayed": 0, "not yet decided": 0}  # fmt: skip
    # f1: the latest check found improvement; f2: the latest check found no change
    sustained = dict(lines["sustained_improvement"].figures)
    assert (sustained["findings followed"], sustained["improving"], sustained["stalled"]) == (2, 1, 1)
    assert lines["continuous_improvement"].answer == (
        "2 actions completed in the year (1 on time); 1 of 2 monitoring checks found practice improved.")  # fmt: skip
    assert [line.adopted for line in lines.values()] == [True, True, True, True, False, False]


def test_the_framework_stands_at_the_head_of_the_section(evidenced):
    head = evidenced.principles.framework
    assert (head.name, head.adopted_on, head.agreed_by) == ("Learning and Improvement Framework", date(2014, 6, 2), "the Board")  # fmt: skip
    assert (head.last_reviewed_on, head.last_review_outcome, head.last_review_changes) == (
        date(2015, 11, 20), "kept", "Nothing")  # fmt: skip
    assert (head.annual_review_on, head.annual_review_changes) == (date(2016, 5, 20), "Added transparency")


def test_a_year_with_no_evidence_says_so_plainly_for_every_principle(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        lc.hold_stock_take(b, "2014/15", on=date(2015, 5, 1))
        adopt(lc, b, on=date(2015, 6, 1))  # after the year: not the framework of 2014/15
        with Views.of(lc) as views:
            st = views.stock_take(b, "2014/15")
    assert st.principles.framework is None
    for line in st.principles.lines:
        assert line.evidence_missing and dict(line.figures) == {}
        assert line.answer.startswith(f"No evidence recorded for {line.name}"), line.answer
    md = render(st, "md")
    assert "No learning and improvement framework is recorded as adopted by the end of 2014/15." in md
    assert md.count("| missing |") == 6


def test_the_section_is_in_every_format(evidenced):
    md, html, data = render(evidenced, "md"), render(evidenced, "html"), json.loads(render(evidenced, "json"))
    assert "## 11. Taking stock against the principles" in md and "[11. Taking stock against the principles](#" in md
    assert ">11. Taking stock against the principles</h2>" in html
    for name, line in zip(NAMES, evidenced.principles.lines, strict=True):
        assert f"| {name}" in md and f"<td>{name}" in html and f"<td>{line.answer.removesuffix('.')}" in html
    assert "Transparency (not among the framework's principles)" in md
    assert "2 learning activities commissioned in the year, by 2 methods, each with its reason: systems: Complex multi-agency case; survey: A quick check." in html  # fmt: skip
    assert "The board's framework: Learning and Improvement Framework, adopted 2 June 2014 by the Board" in html
    section = data["principles"]
    assert [line["principle"] for line in section["lines"]] == SIX
    assert section["lines"][0]["figures"]["about the system"] == 1
    assert section["framework"]["annual_review_changes"] == "Added transparency"


def test_the_rationale_of_a_review_not_published_reaches_no_format_unless_read_explicitly(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        lc.commission_activity(b, kind="serious_case_review", method="systems", title="SCR Child R (fictional)",
                               why="Serious harm", decided_by="Chair", proportionality="Child R's family is known to all",
                               agencies=["csc", "police"], on=date(2015, 5, 1))  # fmt: skip
        lc.hold_stock_take(b, "2015/16", on=date(2016, 5, 1))
        with Views.of(lc) as views:
            st = views.stock_take(b, "2015/16")  # no publication decision yet: restricted
            read = views.stock_take(b, "2015/16", restricted=lc.read_restricted(b, "test: the rationale"))
    (line,) = [line for line in st.principles.lines if line.principle == "proportionality"]
    assert line.details == (("systems", "a review not published: its rationale is not shown"),)
    assert line.answer.endswith("(1 not shown: reviews not published).")
    for fmt in ("md", "html", "json"):
        assert "known to all" not in render(st, fmt), fmt
    (line,) = [line for line in read.principles.lines if line.principle == "proportionality"]
    assert line.details == (("systems", "Child R's family is known to all"),)


def test_the_framework_s_free_text_is_escaped_in_every_format(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc:
        b = board(lc)
        adopt(lc, b, name="<script>alert(1)</script> *Framework*", agreed_by="the [Board](http://x.example)")
        lc.hold_stock_take(b, "2014/15", on=date(2015, 5, 1))
        with Views.of(lc) as views:
            st = views.stock_take(b, "2014/15")
    html, md = render(st, "html"), render(st, "md")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\*Framework\\*" in md and "\\[Board\\](http://x.example)" in md  # literal, not emphasis or a link


# -- the interchange format and the verbs ---------------------------------------------------------


def every_framework_event(lc: LearningCycle, b) -> None:
    adopt(lc, b, principles=SIX[:2], on=date(2011, 6, 1))
    lc.review_framework(b, outcome="revised", agreed_by="the Board", changes="Working Together 2013",
                        name="Learning and Improvement Framework", principles=SIX, on=date(2013, 11, 4))  # fmt: skip
    lc.correct_framework(b, reason="Mistyped", summary="How the board learns", on=date(2014, 8, 1))
    lc.hold_stock_take(b, "2014/15", on=date(2015, 5, 14))
    lc.hold_annual_review(b, "2014/15", agreed_by="Business planning day", changes="None", on=date(2015, 5, 14))


def test_export_and_import_carry_the_framework_unchanged(tmp_path):
    with cycle(tmp_path / "a.sqlite") as lc, cycle(tmp_path / "b.sqlite") as copy:
        b = board(lc)
        every_framework_event(lc, b)
        with (tmp_path / "a.jsonl").open("w", encoding="utf-8", newline="\n") as f:
            export_log(lc.log, f)
        result = import_log(copy.log, tmp_path / "a.jsonl")
        assert result.recorded == result.lines
        with (tmp_path / "b.jsonl").open("w", encoding="utf-8", newline="\n") as f:
            export_log(copy.log, f)
        assert (tmp_path / "b.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()
        assert copy.framework(b) == lc.framework(b)
        topics = {json.loads(line)["topic"] for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()}
        assert {t for t in topics if "Framework" in t} == {
            "learning_cycle/Framework.Adopted", "learning_cycle/Framework.Reviewed",
            "learning_cycle/Framework.Corrected", "learning_cycle/Framework.AnnualReviewHeld"}  # fmt: skip


def invoke(*args: str):
    env = {"LEARNING_CYCLE_USER": "framework test", "LEARNING_CYCLE_STORE": None, "COLUMNS": "120"}
    return CliRunner().invoke(cli, list(args), prog_name="learning-cycle", env=env)


def test_the_verbs_record_what_the_api_records(tmp_path):
    by_verb, by_api = tmp_path / "verbs.sqlite", tmp_path / "api.sqlite"
    with cycle(by_verb) as lc:
        b = board(lc)
    with cycle(by_api) as lc:
        board(lc)
        every_framework_event(lc, b)
        expected = lc.framework(b)
    store = ("--store", str(by_verb))
    steps = [
        ("adopt-framework", "--name", "Learning and Improvement Framework", "--agreed-by", "the Board",
         "--principle", SIX[0], "--principle", SIX[1], "--summary", "How we learn", "--on", "2011-06-01"),
        ("review-framework", "--outcome", "revised", "--agreed-by", "the Board", "--changes", "Working Together 2013",
         "--name", "Learning and Improvement Framework", *[a for p in SIX for a in ("--principle", p)],
         "--on", "2013-11-04"),
        ("correct-framework", "--reason", "Mistyped", "--summary", "How the board learns", "--on", "2014-08-01"),
        ("hold-stocktake", "--year", "2014/15", "--on", "2015-05-14"),
        ("hold-annual-review", "--year", "2014/15", "--agreed-by", "Business planning day", "--changes", "None",
         "--on", "2015-05-14"),
    ]  # fmt: skip
    for step in steps:
        result = invoke(*step, *store)
        assert result.exit_code == 0, (step, result.output)
    assert "recorded the framework's annual review after the stock-take of 2014/15" in result.output
    with cycle(by_verb) as lc:
        assert lc.framework(b) == expected


def test_a_verb_s_bad_input_is_an_error_naming_the_field_and_writes_nothing(tmp_path):
    path = tmp_path / "a.sqlite"
    with cycle(path) as lc:
        b = board(lc)
        before = lc.position()
    bad = invoke("adopt-framework", "--name", "F", "--agreed-by", "the Board", "--principle", "kindness", "--summary",
                 "S", "--store", str(path))  # fmt: skip
    assert bad.exit_code == 2 and "error: principles: must be one of systems_learning" in bad.output
    assert "Traceback" not in bad.output
    early = invoke(
        "hold-annual-review", "--year", "2014/15", "--agreed-by", "x", "--changes", "y", "--store", str(path)
    )
    assert early.exit_code == 2 and "error: board_id: the board has no framework recorded" in early.output
    with cycle(path) as lc:
        adopt(lc, b)
        before = lc.position()
    early = invoke(
        "hold-annual-review", "--year", "2014/15", "--agreed-by", "x", "--changes", "y", "--store", str(path)
    )
    assert early.exit_code == 2 and "error: year: the stock-take of this year is not recorded" in early.output
    with cycle(path) as lc:
        assert lc.position() == before


# -- generated histories -------------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(MENU, max_activities=2, max_indicators=1, max_figures=8))
def test_any_history_s_stock_take_answers_every_principle_or_says_the_evidence_is_missing(history):
    lc = history.cycle()
    b = history.replay(lc)
    with Views.of(lc) as views:
        st = views.stock_take(b, "2013/14")
        records = views.records(b)
    assert [line.principle for line in st.principles.lines] == SIX
    for line in st.principles.lines:
        assert line.evidence_missing == (not line.figures)
        assert line.evidence_missing == line.answer.startswith("No evidence recorded for")
    adopted = [f for f in records.frameworks if f.adopted_on <= date(2014, 3, 31)]
    assert (st.principles.framework is None) == (not adopted)
    if adopted:
        assert st.principles.framework.principles == tuple(p.value for p in adopted[0].as_of(date(2014, 3, 31))[1])
    for fmt in ("md", "html"):
        assert render(st, fmt).count("Taking stock against the principles") == 2  # the contents and the heading
    lc.close()
