"""The refusals of issue 24's rules in their own words, and the rules `make mutate` found untested.

Each refusal names its field, the value given and why, in words a board's business manager reads as
the error: those are checked here for the owners, programme items and steps of activities and
findings, the framework's principles and corrections, the programme's items, and the returns, their
analyses and peer reviews; with the rules whose mutants survived the earlier tests (the step a new
step is checked against, the review on the very day asked for, the natural key of an analysis and a
peer review, the id an import refuses). All through the public API on in-memory stores (fast, for
`make mutate`); the one import test writes its file to a temporary folder.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from learning_cycle import BadInput, DecisionPath, LearningCycle, Menu, MethodRule, Views
from learning_cycle.domain.errors import AlreadyExists, InvalidValue, RuleViolation
from learning_cycle.domain.framework import Framework, Principle, ReviewOutcome
from learning_cycle.domain.returns import Audit, Return, StandardRating
from learning_cycle.interchange import export_log, import_log

from .conftest import TODAY, assert_refused

CASE, QA = "Case Review Sub-group", "Quality Assurance Sub-group"
SOME = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MENU = Menu.of(
    [
        MethodRule(
            "every-step",
            {"serious_case_review"},
            path=DecisionPath(
                recommends="subgroup", decides="independent-chair", oversees="board", reported_to="board"
            ),
        ),
        MethodRule("survey", {"light_touch_review"}),
    ]
)
"""A method whose path has all four steps (no installed method's has), and one without a path."""
BOARD = UUID("00000000-0000-4000-8000-000000000001")


def cycle() -> LearningCycle:
    return LearningCycle("memory:", menu=MENU, user="rule words test", today=lambda: TODAY)


def new_board(lc: LearningCycle, key: str = "words-board"):
    b = lc.create_board(
        key,
        "Words Board (fictional)",
        agencies=[("csc", "Social Care"), ("police", "Police")],
        subgroups=[CASE, QA],
        on=date(2015, 4, 1),
    )
    lc.set_priorities(b, "2015/16", [("neglect", "Neglect"), ("cse", "Child sexual exploitation")], on=date(2015, 4, 2))
    return b


def review(lc: LearningCycle, b, method: str = "survey", **more):
    kind = {"survey": "light_touch_review", "every-step": "serious_case_review"}[method]
    return lc.commission_activity(
        b, kind=kind, method=method, title="A review", why="To learn", decided_by="QA",
        proportionality="A quick check", agencies=["csc", "police"], on=more.pop("on", date(2015, 6, 1)), **more,
    )  # fmt: skip


# -- owners, programme items and steps of activities and findings ------------------------------


def test_an_owner_or_an_item_given_again_is_refused_naming_it_in_words():
    with cycle() as lc:
        b = new_board(lc)
        lc.plan_programme_item(b, year="2015/16", item="dive", title="A deep dive", on=date(2015, 4, 3))
        a = review(lc, b, subgroup=QA, programme_item="dive")
        lc.start_activity(b, a, on=date(2015, 6, 2))
        f = lc.raise_finding(b, a, statement="Transfers lost records", level="operational", on=date(2015, 7, 1))
        assert_refused(lc, lambda: lc.assign_activity_subgroup(b, a, QA, on=date(2015, 8, 1)), RuleViolation,
                       "subgroup", QA, f"subgroup: already owns the activity (got {QA!r})")  # fmt: skip
        assert_refused(lc, lambda: lc.assign_finding_subgroup(b, f, QA, on=date(2015, 8, 1)), RuleViolation,
                       "subgroup", QA, f"subgroup: already owns the finding (got {QA!r})")  # fmt: skip
        assert_refused(lc, lambda: lc.name_programme_item(b, a, "dive", on=date(2015, 8, 1)), RuleViolation,
                       "programme_item", "dive",
                       "programme_item: is already the item the activity delivers (got 'dive')")  # fmt: skip
        # another owner is taken
        lc.assign_activity_subgroup(b, a, CASE, on=date(2015, 8, 2))
        lc.assign_finding_subgroup(b, f, CASE, on=date(2015, 8, 2))
        assert (lc.activity(b, a).subgroup, lc.finding(b, f).subgroup) == (CASE, CASE)


DAYS = st.integers(0, 60)


@SOME
@given(gaps=st.tuples(DAYS, DAYS, DAYS), back=st.integers(1, 200))
@example(gaps=(0, 10, 10), back=5)  # between the second step and the third: refused, naming the third
def test_a_step_dated_before_the_latest_step_is_refused_naming_that_step(gaps, back):
    """A step is checked against the last step taken, whichever of the path's steps came before."""
    first = date(2015, 6, 1)
    days = [first + timedelta(days=sum(gaps[: i + 1])) for i in range(3)]
    late = days[-1] - timedelta(days=back)
    with cycle() as lc:
        b = new_board(lc)
        a = review(lc, b, method="every-step", on=first)
        taken = (("recommends", f"subgroup:{CASE}"), ("decides", "independent-chair"), ("oversees", "board"))
        for (step, role), on in zip(taken, days, strict=True):
            lc.record_decision_step(b, a, step=step, role=role, on=on)
        assert_refused(lc, lambda: lc.record_decision_step(b, a, step="reported_to", role="board", on=late),
                       InvalidValue, "on", late,
                       f"on: is before the step before it (oversees) ({days[-1].isoformat()})")  # fmt: skip
        lc.record_decision_step(b, a, step="reported_to", role="board", on=days[-1])
        assert [(s.step, s.taken_on) for s in lc.activity(b, a).steps][-1] == ("reported_to", days[-1])


# -- the framework --------------------------------------------------------------------------------


def adopt(lc: LearningCycle, b, principles=("systems_learning",)):
    return lc.adopt_framework(b, name="Learning Framework", agreed_by="the Board", principles=list(principles),
                              summary="How we learn", on=date(2015, 4, 2))  # fmt: skip


def test_principles_none_or_repeated_are_refused_in_words_wherever_they_are_given():
    with cycle() as lc:
        b = new_board(lc)
        twice = ["transparency", "proportionality", "transparency"]
        assert_refused(lc, lambda: adopt(lc, b, principles=[]), RuleViolation, "principles", [],
                       "principles: name at least one of the principles (got [])")  # fmt: skip
        assert_refused(lc, lambda: adopt(lc, b, principles=twice), RuleViolation, "principles", twice,
                       "principles: must not repeat a principle (got ['transparency', 'proportionality', "
                       "'transparency'])")  # fmt: skip
        adopt(lc, b)
        assert_refused(lc, lambda: lc.correct_framework(b, reason="Misread", principles=twice, on=date(2015, 5, 1)),
                       RuleViolation, "principles", twice, "principles: must not repeat a principle")  # fmt: skip
        assert_refused(lc, lambda: lc.review_framework(b, outcome="revised", agreed_by="the Board", changes="More",
                                                       principles=twice, on=date(2015, 5, 1)),
                       RuleViolation, "principles", twice, "principles: must not repeat a principle")  # fmt: skip


def test_a_correction_of_nothing_is_refused_saying_what_it_may_change():
    with cycle() as lc:
        b = new_board(lc)
        adopt(lc, b)
        assert_refused(lc, lambda: lc.correct_framework(b, reason="Looked again", on=date(2015, 5, 1)), RuleViolation,
                       "reason", "Looked again", "reason: a correction changes something: give the name, agreed_by, "
                       "principles or summary (got 'Looked again')")  # fmt: skip


@SOME
@given(agreed_by=st.sampled_from(["the Executive", "the Independent Chair", "the Board and its partners"]))
def test_a_correction_of_who_agreed_the_framework_is_what_it_then_says(agreed_by):
    with cycle() as lc:
        b = new_board(lc)
        adopt(lc, b)
        lc.correct_framework(b, reason="Agreed by another body", agreed_by=agreed_by, on=date(2015, 5, 1))
        f = lc.framework(b)
        assert (f.agreed_by, f.name, f.summary) == (agreed_by, "Learning Framework", "How we learn")


def test_principles_given_to_the_framework_s_commands_as_a_list_are_kept_as_a_tuple():
    """The domain's own commands, as another application would call them: what a revision or a
    correction sets is the same value whichever sequence it was given as."""
    f = Framework.adopt(board_id=BOARD, name="Learning Framework", agreed_by="the Board",
                        principles=["systems_learning"], summary="How we learn", board_since=date(2015, 4, 1),
                        on=date(2015, 4, 2), by="rule words test")  # fmt: skip
    f.review(ReviewOutcome.REVISED, "the Board", "More", date(2015, 5, 1), "rule words test",
             principles=[Principle.TRANSPARENCY, Principle.PROPORTIONALITY])  # fmt: skip
    assert f.state.principles == (Principle.TRANSPARENCY, Principle.PROPORTIONALITY)
    assert f.state.as_of(date(2015, 5, 1)) == ("Learning Framework", f.state.principles)
    f.correct("Misread", date(2015, 6, 1), "rule words test", principles=[Principle.TRANSPARENCY])
    assert f.state.principles == (Principle.TRANSPARENCY,)
    assert f.state.versions[-1].principles == (Principle.TRANSPARENCY,)


@SOME
@given(offsets=st.lists(st.integers(0, 400), min_size=1, max_size=4), asked=st.integers(-5, 405))
@example(offsets=[364], asked=364)  # a review on the very day asked for is the last review by then
def test_the_last_review_by_a_day_is_the_latest_held_on_or_before_it(offsets, asked):
    start = date(2015, 5, 1)
    with cycle() as lc:
        b = new_board(lc)
        adopt(lc, b)
        for n, offset in enumerate(offsets):
            lc.review_framework(b, outcome="kept", agreed_by="the Board", changes=f"Review {n}",
                                on=start + timedelta(days=offset))  # fmt: skip
        day = start + timedelta(days=asked)
        held = sorted(start + timedelta(days=o) for o in offsets if start + timedelta(days=o) <= day)
        found = lc.framework(b).last_review(day)
        assert (found.reviewed_on if found else None) == (held[-1] if held else None)


def test_a_review_on_the_last_day_of_the_year_is_that_year_s_last_review_in_its_stock_take():
    with cycle() as lc:
        b = new_board(lc)
        adopt(lc, b)
        lc.review_framework(b, outcome="kept", agreed_by="the Board", changes="Year end", on=date(2016, 3, 31))
        with Views.of(lc) as views:
            line = views.stock_take(b, "2015/16").principles.framework
        assert (line.last_reviewed_on, line.last_review_changes) == (date(2016, 3, 31), "Year end")


# -- the programme --------------------------------------------------------------------------------


def test_a_programme_item_planned_again_or_naming_a_priority_twice_is_refused_in_words():
    with cycle() as lc:
        b = new_board(lc)

        def plan(item, priorities):
            return lambda: lc.plan_programme_item(
                b, year="2015/16", item=item, title="A deep dive", priorities=priorities, on=date(2015, 4, 3)
            )

        assert_refused(lc, plan("dive", ["neglect", "cse", "neglect"]), InvalidValue, "priorities",
                       ("neglect", "cse", "neglect"), "priorities: must not repeat a key")  # fmt: skip
        plan("dive", ["neglect"])()
        assert_refused(lc, plan("dive", ["cse"]), RuleViolation, "item", "dive",
                       "item: is already an item of this programme (got 'dive')")  # fmt: skip


# -- returns, their analyses and peer reviews -----------------------------------------------------


def submit(lc: LearningCycle, b, **given):
    values = {"audit": "section_11", "organisation": "csc", "year": "2015/16", "on": date(2015, 11, 2),
              "ratings": {"s11-safer-recruitment": "partly_met"}, **given}  # fmt: skip
    return lc.submit_return(b, **values)


AUDITS = ["section_11", "section_175", "section_157", "employer_duties", "safe_network"]


@SOME
@given(audit=st.sampled_from(AUDITS))
def test_a_standard_not_of_the_audit_is_refused_listing_each_standard_the_audit_has(audit):
    """The standards the refusal lists, read back from its words, are each a standard of the audit:
    rated all together they make a return."""
    with cycle() as lc:
        b = new_board(lc)
        refused = assert_refused(lc, lambda: submit(lc, b, audit=audit, organisation="police",
                                                     ratings={"no-such-standard": "fully_met"}),
                                 RuleViolation, "ratings", "no-such-standard",
                                 f"ratings: is not a standard of the {audit} audit (its standards: ")  # fmt: skip
        listed = str(refused).split("(its standards: ", 1)[1].split(")", 1)[0].split(", ")
        assert len(listed) >= 6
        submit(lc, b, audit=audit, organisation="police", ratings=dict.fromkeys(listed, "fully_met"))


def test_a_return_with_no_rating_a_standard_rated_twice_or_areas_without_keys_of_their_own_is_refused():
    with cycle() as lc:
        b = new_board(lc)
        assert_refused(lc, lambda: submit(lc, b, ratings={}), RuleViolation, "ratings", [],
                       "ratings: a return rates at least one standard of its audit (got [])")  # fmt: skip
        twice = [
            "s11-safer-recruitment=fully_met",
            "s11-information-sharing=fully_met",
            "s11-safer-recruitment=not_met",
        ]
        assert_refused(lc, lambda: submit(lc, b, ratings=twice), RuleViolation, "ratings", "s11-safer-recruitment",
                       "ratings: is rated twice (got 's11-safer-recruitment')")  # fmt: skip
        assert_refused(lc, lambda: submit(lc, b, areas={"Record Checks": "Record every check"}), InvalidValue,
                       "areas", "Record Checks", "areas: must be a key of")  # fmt: skip
        same = ["checks=Record every check", "training=Train the governors", "checks=Check the records"]
        assert_refused(lc, lambda: submit(lc, b, areas=same), RuleViolation, "areas", ["checks", "training", "checks"],
                       "areas: each area for development needs a key of its own "
                       "(got ['checks', 'training', 'checks'])")  # fmt: skip


def test_the_return_command_refuses_an_organisation_that_is_not_a_key():
    """The domain's own command, as an import or another application would call it."""
    with pytest.raises(InvalidValue) as refused:
        Return.submit(board_id=BOARD, audit=Audit.SECTION_175, organisation="Hill Primary", name="Hill Primary",
                      year=2015, ratings=(StandardRating("s175-curriculum", "fully_met"),), strengths=(), areas=(),
                      on=date(2015, 11, 2), by="rule words test")  # fmt: skip
    assert (refused.value.field, refused.value.value) == ("organisation", "Hill Primary")
    assert str(refused.value).startswith("organisation: must be a key")


def test_a_follow_up_of_an_area_never_raised_is_refused_listing_the_areas_the_return_raised():
    with cycle() as lc:
        b = new_board(lc)
        submit(lc, b, areas={"checks": "Record every check", "training": "Train the governors"})
        submit(lc, b, organisation="police")
        follow = lambda organisation: lambda: lc.follow_up_area(
            b, audit="section_11", organisation=organisation, year="2015/16", area="supervision",
            delivery="delivered", evidence="Seen", on=date(2016, 10, 1),
        )  # fmt: skip
        message = "area: was never raised as an area for development in this return (its areas: {}) (got 'supervision')"
        assert_refused(lc, follow("csc"), RuleViolation, "area", "supervision", message.format("checks, training"))
        assert_refused(lc, follow("police"), RuleViolation, "area", "supervision", message.format("none"))


def test_an_analysis_or_a_peer_review_is_one_a_board_audit_and_year_however_many_boards_audits_and_years():
    with cycle() as lc:
        b, other = new_board(lc), new_board(lc, "other-board")

        def analyse(board, audit, year):
            return lambda: lc.analyse_returns(board, audit=audit, year=year, analysis="Again", on=date(2016, 3, 2))

        def peer(board, year):
            return lambda: lc.record_peer_review(
                board, year=year, verdict="robust", improve="Again", reviewers="A neighbour", on=date(2016, 3, 2)
            )

        for board in (b, other):  # each board its own: none is taken by another board's
            for audit in ("section_11", "section_175"):  # nor by another audit's
                for year in ("2015/16", "2016/17"):  # nor another year's
                    on = date(2016, 3, 1) if year == "2015/16" else date(2016, 6, 1)
                    lc.analyse_returns(board, audit=audit, year=year, analysis=f"Tested {audit}", on=on)
                    if audit == "section_11":
                        lc.record_peer_review(board, year=year, verdict="robust", improve="x", reviewers="y", on=on)
        assert_refused(lc, analyse(b, "section_11", "2015/16"), AlreadyExists, "year", "section_11, 2015/16")
        assert_refused(lc, analyse(other, "section_175", "2015/16"), AlreadyExists, "year", "section_175, 2015/16")
        assert_refused(lc, peer(b, "2015/16"), AlreadyExists, "year", "2015/16")
        assert_refused(lc, peer(other, "2015/16"), AlreadyExists, "year", "2015/16")
        with Views.of(lc) as views:
            for board in (b, other):
                records = views.records(board)
                assert sorted((a.audit.value, a.year) for a in records.analyses) == [
                    ("section_11", 2015), ("section_11", 2016), ("section_175", 2015), ("section_175", 2016)]  # fmt: skip
                assert sorted(p.year for p in records.peer_reviews) == [2015, 2016]


def test_import_refuses_a_return_whose_id_is_not_its_own_naming_the_id_it_has(tmp_path):
    with cycle() as lc:
        b = new_board(lc)
        made = submit(lc, b)
        out = io.StringIO()
        export_log(lc.log, out)
    moved = out.getvalue().replace('"organisation":"csc"', '"organisation":"police"')
    (tmp_path / "moved.jsonl").write_text(moved, encoding="utf-8")
    with cycle() as target:
        with pytest.raises(BadInput) as refused:
            import_log(target.log, tmp_path / "moved.jsonl")
        assert target.position() == 0
    with cycle() as other:  # the id the police's return of the same board and year is given
        own = submit(other, new_board(other), organisation="police")
    (problem,) = refused.value.problems
    assert (problem.field, problem.value) == ("originator_id", str(made))
    assert problem.reason == (
        f"is not the id of the return with board_id {b}, audit 'section_11', organisation 'police', year 2015, "
        f"which is {own}"
    )
