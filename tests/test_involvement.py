"""Keeping professionals, children and families involved (issue 24 item 7, framework §3.4): what a
channel's reach counts, a review's sample and who was spoken to, practitioners' involvement, and
feedback's satisfaction apart from its impact on practice; in the stock-take, the status view, the
verbs and the interchange format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import LearningCycle, RuleViolation
from learning_cycle.cli import cli
from learning_cycle.domain.menu import Menu, MethodRule
from learning_cycle.domain.values import Channel
from learning_cycle.interchange import export_log, import_log
from learning_cycle.projections.store import Views
from learning_cycle.reports import render

from .conftest import TODAY, assert_refused, open_cycle

ENV = {"LEARNING_CYCLE_USER": "cli test", "LEARNING_CYCLE_STORE": None, "COLUMNS": "120"}
ATTENDED = {"training_course", "briefing", "roadshow", "learning_circle", "supervision"}
"""The channels whose reach is people attending (the rest count people reached), as the board says."""


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="learning-cycle", env=ENV)


def _board(lc: LearningCycle):
    b = lc.create_board("inv", "Involvement Board (fictional)", agencies=[("csc", "Social Care"), ("health", "Health")],
                        districts=["north"], on=date(2015, 4, 1))  # fmt: skip
    a = lc.commission_activity(
        b, kind="case_review", method="systems", title="Themed review: neglect", why="A priority",
        decided_by="Chair", proportionality="Several cases", agencies=["csc", "health"], on=date(2015, 5, 1),
    )  # fmt: skip
    lc.start_activity(b, a, on=date(2015, 5, 4))
    return b, a


def _stock_take(lc: LearningCycle, b, year: str = "2015/16"):
    with Views.of(lc) as views:
        return views.stock_take(b, year), views.status(b, as_of=date(2016, 3, 31))


def test_social_media_reach_is_people_reached_never_attendances_in_plain_words(memory_lc: LearningCycle):
    lc = memory_lc
    b, _ = _board(lc)
    lc.record_dissemination(b, channel="training_course", title="Course", audience="Staff", reach=40, on=date(2015, 6, 1))  # fmt: skip
    lc.record_dissemination(b, channel="social_media", title="Seven points", audience="All", reach=2300, on=date(2015, 6, 2))  # fmt: skip
    st_, status = _stock_take(lc, b)
    inv = st_.involvement
    assert (inv.attendances, inv.people_reached) == (40, 2300)
    assert [(c.channel, c.counts, c.pieces, c.reach) for c in inv.channels] == [
        ("social_media", "people_reached", 1, 2300),
        ("training_course", "attendances", 1, 40),
    ]
    md = render(st_, "md")
    assert "social media: 1 piece, 2300 people reached" in md and "training course: 1 piece, 40 attendances" in md
    assert "social_media" not in md and "By channel: social media 1, training course 1." in md  # not "other"
    assert "40 attendances and 2300 people reached" in str(status.involvement and _status_line(status))


def _status_line(status) -> str:
    from learning_cycle.reports.involvement import involvement_words

    return involvement_words(status.involvement)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(learning=st.lists(st.tuples(st.sampled_from(list(Channel)), st.integers(0, 900)), max_size=6))
def test_attendances_and_people_reached_split_every_reach_by_its_channel(learning):
    with open_cycle("memory:") as lc:
        b, _ = _board(lc)
        for channel, reach in learning:
            lc.record_dissemination(b, channel=channel, title="T", audience="A", reach=reach, on=date(2015, 6, 1))
        inv = _stock_take(lc, b)[0].involvement
    assert inv.attendances == sum(r for c, r in learning if c.value in ATTENDED)
    assert inv.people_reached == sum(r for c, r in learning if c.value not in ATTENDED)


def test_a_reviews_sample_and_practitioners_involvement_through_the_verbs(tmp_path: Path):
    store = tmp_path / "s.sqlite"
    with open_cycle(store) as lc:
        _board(lc)
    common = ["--store", str(store), "--board", "inv"]
    done = invoke("record-sample", "A-1", "--cases", "24", "--criteria", "Plans open six months", "--practitioners-spoken-to", "11",
                  "--young-people-spoken-to", "6", "--parents-spoken-to", "4", "--on", "2015-10-14", *common)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("recorded the sample of activity A-1")
    done = invoke("involve-practitioners", "A-1", "--practitioners", "14", "--how", "learning_event", "--on", "2015-11-04", *common)  # fmt: skip
    assert done.exit_code == 0, done.output
    refused = invoke("involve-practitioners", "A-1", "--practitioners", "14", "--how", "chat", *common)
    assert refused.exit_code == 2 and "how" in refused.stderr and "'chat'" in refused.stderr
    assert "Traceback" not in refused.output
    with open_cycle(store) as lc:
        b = lc.board_id("inv")
        st_, status = _stock_take(lc, b)
    (review,) = st_.involvement.reviews
    assert (review.title, review.cases, review.criteria) == ("Themed review: neglect", 24, "Plans open six months")
    assert (review.practitioners_spoken_to, review.young_people_spoken_to, review.parents_spoken_to) == (11, 6, 4)
    assert (review.practitioners_involved, review.how) == (14, "learning_event")
    md = render(st_, "md")
    row = "| Themed review: neglect | 24 cases: Plans open six months | 11 practitioners, 6 young people, 4 parents or carers | 14 at a practitioners' learning event |"  # fmt: skip
    assert row in md
    html = render(st_, "html")
    assert "14 at a practitioners" in html and "24 cases: Plans open six months" in html
    line = _status_line(status)
    assert "1 review recorded 24 cases sampled and spoke to 11 practitioners, 6 young people and 4 parents or carers" in line  # fmt: skip
    assert "14 practitioners involved in 1 review" in line


def test_feedback_tells_satisfaction_from_impact_and_refuses_more_than_the_respondents(memory_lc: LearningCycle):
    lc = memory_lc
    b, _ = _board(lc)
    d = lc.record_dissemination(b, channel="briefing", title="Briefing", audience="Leads", reach=180, on=date(2015, 6, 1))  # fmt: skip
    lc.record_feedback(b, d, "Clear", respondents=52, satisfied=47, impact=29, on=date(2015, 9, 1))
    lc.record_feedback(b, d, "Asked nothing more", respondents=10, on=date(2015, 9, 2))
    assert_refused(lc, lambda: lc.record_feedback(b, d, "Too many", respondents=5, impact=6, on=date(2015, 9, 3)),
                   RuleViolation, "impact", 6, "impact: is more than the 5 respondents")  # fmt: skip
    inv = _stock_take(lc, b)[0].involvement
    assert (inv.feedback_respondents, inv.satisfied, inv.impact) == (62, (47, 52), (29, 52))
    md = render(_stock_take(lc, b)[0], "md")
    assert "Feedback: 47 of 52 respondents were satisfied with the learning; 29 of 52 reported an impact on their practice." in md  # fmt: skip


def test_the_feedback_verb_takes_satisfaction_and_impact(tmp_path: Path):
    store = tmp_path / "s.sqlite"
    with open_cycle(store) as lc:
        b, _ = _board(lc)
        d = lc.record_dissemination(b, channel="social_media", title="Post", audience="All", reach=900, on=date(2015, 6, 1))  # fmt: skip
    done = invoke("feedback", "D-1", "--summary", "Useful", "--respondents", "20", "--satisfied", "18", "--impact", "7",
                  "--on", "2015-07-01", "--store", str(store), "--board", "inv")  # fmt: skip
    assert done.exit_code == 0, done.output
    with open_cycle(store) as lc:
        (said,) = lc.dissemination(b, d).feedback
    assert (said.respondents, said.satisfied, said.impact) == (20, 18, 7)


def test_export_and_import_carry_involvement_unchanged(tmp_path: Path):
    with open_cycle(tmp_path / "a.sqlite") as lc:
        b, a = _board(lc)
        lc.record_sample(b, a, cases=3, criteria="Ü criteria", practitioners_spoken_to=2, on=date(2015, 7, 1))
        lc.record_practitioner_involvement(b, a, practitioners=5, how="case_group", on=date(2015, 7, 2))
        d = lc.record_dissemination(b, channel="social_media", title="Post", audience="All", reach=9, on=date(2015, 7, 3))  # fmt: skip
        lc.record_feedback(b, d, "Said", respondents=4, satisfied=3, impact=None, on=date(2015, 7, 4))
        first = tmp_path / "first.jsonl"
        with first.open("w", encoding="utf-8") as f:
            export_log(lc.log, f)
    with open_cycle(tmp_path / "b.sqlite") as lc:
        import_log(lc.log, first)
        again = tmp_path / "again.jsonl"
        with again.open("w", encoding="utf-8") as f:
            export_log(lc.log, f)
        state = lc.activity(b, a)
    assert again.read_bytes() == first.read_bytes()
    topics = {json.loads(t)["topic"] for t in first.read_text(encoding="utf-8").splitlines()}
    assert {"learning_cycle/Activity.SampleRecorded", "learning_cycle/Activity.PractitionersInvolved"} <= topics
    assert (state.sample.criteria, state.involvement.how.value) == ("Ü criteria", "case_group")


def test_a_restricted_reviews_criteria_and_title_never_reach_the_stock_take(tmp_path: Path):
    menu = Menu.of([MethodRule("systems", {"case_review"}, min_agencies=1, publishes={"case_review"})])
    with LearningCycle(str(tmp_path / "s.sqlite"), menu=menu, user="t", today=lambda: TODAY) as lc:
        b, a = _board(lc)  # its method publishes its report, and nothing is decided: restricted
        lc.record_sample(
            b, a, cases=7, criteria="Secret criteria naming a family", parents_spoken_to=1, on=date(2015, 7, 1)
        )
        st_ = _stock_take(lc, b)[0]
    (review,) = st_.involvement.reviews
    assert (review.title, review.criteria, review.cases) == ("a review not published", None, 7)
    for fmt in ("md", "html", "json"):
        text = render(st_, fmt)
        assert "Secret criteria" not in text and "Themed review: neglect" not in text
