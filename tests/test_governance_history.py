"""Issue 24's records tell no false history: a link names only a record that already existed on the
link's day, a programme is planned for a year of the board's life, a review's sample and
practitioners' involvement are the ones of the latest day in every view (maintained or as of a date),
and a sub-group's view names no other sub-group's withheld review. Found by a walk through the
command line as a board's business manager would; real SQLite stores, the installed methods plugin."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import Views
from learning_cycle.domain import programme_id_for
from learning_cycle.domain.errors import LearningCycleError
from learning_cycle.domain.values import PublicationDecision
from learning_cycle.projections.subgroups import SubgroupViews

from .conftest import assert_refused
from .test_paths import CASE, QA, cycle, light_touch, new_board, scr


def test_an_activity_cannot_be_prompted_by_an_activity_or_a_finding_that_did_not_exist_yet(tmp_path):
    with cycle(tmp_path / "links.sqlite") as lc:
        b = new_board(lc)
        later = light_touch(lc, b, on=date(2015, 9, 1))
        lc.start_activity(b, later, on=date(2015, 9, 2))
        finding = lc.raise_finding(b, later, statement="Transfers lost records", level="operational",
                                   on=date(2015, 10, 1))  # fmt: skip
        for field, named in (("prompted_by_activity", later), ("prompted_by_finding", finding)):
            error = assert_refused(
                lc, lambda f=field, n=named: scr(lc, b, **{f: n}), LearningCycleError, field, str(named)
            )
            assert "began on 2015-" in str(error) and "after 2015-05-01" in str(error)
        # named on or after the day it began, the link holds
        prompted = light_touch(lc, b, on=date(2015, 10, 1), prompted_by_finding=finding)
        assert lc.activity(b, prompted).prompted_by_finding == finding


def test_a_check_cannot_be_made_by_an_activity_commissioned_after_it(tmp_path):
    with cycle(tmp_path / "check.sqlite") as lc:
        b = new_board(lc)
        review = light_touch(lc, b)
        lc.start_activity(b, review, on=date(2015, 6, 2))
        f = lc.raise_finding(b, review, statement="Transfers lost records", level="operational", on=date(2015, 7, 1))
        lc.respond_to_finding(b, f, "A protocol", on=date(2015, 7, 2))
        reaudit = light_touch(lc, b, on=date(2016, 2, 1))
        check = dict(kind="re_audit", result="improved", evidence="18 of 20")
        assert_refused(lc, lambda: lc.record_check(b, f, made_by=reaudit, on=date(2016, 1, 15), **check),
                       LearningCycleError, "made_by", str(reaudit))  # fmt: skip
        lc.record_check(b, f, made_by=reaudit, on=date(2016, 3, 1), **check)
        assert lc.finding(b, f).checks[-1].made_by == reaudit


def test_a_programme_is_planned_from_actions_that_existed_and_for_a_year_of_the_boards_life(tmp_path):
    with cycle(tmp_path / "programme.sqlite") as lc:
        b = new_board(lc)
        review = scr(lc, b)
        lc.start_activity(b, review, on=date(2015, 5, 2))
        f = lc.raise_finding(b, review, statement="Escalation was slow", level="strategic", on=date(2015, 8, 1))
        x = lc.raise_action(b, f, owner="csc", description="Escalation route", due_on=date(2016, 1, 31),
                            on=date(2015, 8, 10))  # fmt: skip
        plan = dict(item="escalation", title="Audit of escalation")
        assert_refused(lc, lambda: lc.plan_programme_item(b, year="2015/16", action_ids=[x], on=date(2015, 8, 1), **plan),
                       LearningCycleError, "action_ids", str(x))  # fmt: skip
        assert_refused(lc, lambda: lc.plan_programme_item(b, year="2014/15", on=date(2015, 8, 1), **plan),
                       LearningCycleError, "year", "2014/15", "year: is before the board's first reporting year")  # fmt: skip
        assert_refused(lc, lambda: lc.plan_programme_item(b, year="2017/18", on=date(2015, 8, 1), **plan),
                       LearningCycleError, "year", "2017/18", "year: is after 2016/17")  # fmt: skip
        lc.plan_programme_item(b, year="2016/17", on=date(2016, 3, 1), **plan)  # next year's, planned ahead
        lc.plan_programme_item(b, year="2015/16", action_ids=[x], on=date(2015, 8, 10), **plan)
        assert [i.action_ids for i in lc.programme(b, programme_id_for(b, 2015)).items] == [(x,)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.integers(0, 200), min_size=1, max_size=5))
def test_the_sample_and_the_involvement_of_the_latest_day_stand_in_every_view(tmp_path_factory, days):
    """Recorded in any order of their days, the maintained view and the view as of any day agree:
    the record of the latest day up to then stands (of one day, the last recorded)."""
    with cycle(tmp_path_factory.mktemp("sample") / "sample.sqlite") as lc:
        b = new_board(lc)
        review = light_touch(lc, b)
        lc.start_activity(b, review, on=date(2015, 6, 2))
        first = date(2015, 6, 10)
        for n, offset in enumerate(days):
            on = date.fromordinal(first.toordinal() + offset)
            lc.record_sample(b, review, cases=10 + n, criteria=f"Sample {n}", on=on)
            lc.record_practitioner_involvement(b, review, practitioners=1 + n, how="learning_event", on=on)
        latest = max(days)
        expected = max((offset, n) for n, offset in enumerate(days))[1]  # the latest day; of one day, the last
        with Views.of(lc) as views:
            now = next(a for a in views.records(b).activities if a.activity_id == review)
            assert (now.sample.cases, now.involvement.practitioners) == (10 + expected, 1 + expected)
            for probe in sorted({*days, latest + 1}):
                day = date.fromordinal(first.toordinal() + probe)
                upto = [(offset, n) for n, offset in enumerate(days) if offset <= probe]
                want = max(upto)[1]
                then = next(a for a in views.records(b, as_of=day).activities if a.activity_id == review)
                assert (then.sample.cases, then.involvement.practitioners) == (10 + want, 1 + want)


def test_a_subgroups_views_name_no_other_subgroups_withheld_review(tmp_path):
    with cycle(tmp_path / "withheld.sqlite") as lc:
        b = new_board(lc)
        review = scr(lc, b, subgroup=CASE)
        lc.start_activity(b, review, on=date(2015, 5, 2))
        lc.raise_finding(b, review, statement="Escalation was slow", level="strategic", on=date(2015, 8, 1))
        lc.complete_activity(b, review, on=date(2015, 11, 1))
        lc.approve_report(b, review, on=date(2015, 12, 1))
        lc.decide_publication(b, review, PublicationDecision("withheld", reason="Siblings would be identified"),
                              on=date(2016, 1, 5))  # fmt: skip
        mine = light_touch(lc, b, subgroup=QA)
        lc.start_activity(b, mine, on=date(2015, 6, 2))
        lc.raise_finding(b, mine, statement="Transfers lost records", level="operational", on=date(2015, 7, 1))
        with Views.of(lc) as whole:
            assert [r.status for r in whole.status(b).restricted_reviews] == ["withheld"]
        with SubgroupViews.of_subgroup(lc, QA) as views:
            assert views.status(b).restricted_reviews == ()
            assert views.stock_take(b, "2015/16").restricted_reviews == ()
        with SubgroupViews.of_subgroup(lc, CASE) as views:
            assert [r.status for r in views.status(b).restricted_reviews] == ["withheld"]


@pytest.mark.parametrize("moved_on", [date(2016, 6, 1), date(2016, 3, 1)])
def test_a_finding_withheld_with_its_review_stays_restricted_when_another_subgroup_owns_it(tmp_path, moved_on):
    """Fail closed: a sub-group that owns a finding of another's withheld review sees the review
    named as restricted, and the finding's words nowhere."""
    with cycle(tmp_path / "moved.sqlite") as lc:
        b = new_board(lc)
        review = scr(lc, b, subgroup=CASE)
        lc.start_activity(b, review, on=date(2015, 5, 2))
        f = lc.raise_finding(b, review, statement="Words only the board may read", level="strategic",
                             on=date(2015, 8, 1))  # fmt: skip
        lc.complete_activity(b, review, on=date(2015, 11, 1))
        lc.approve_report(b, review, on=date(2015, 12, 1))
        lc.decide_publication(b, review, PublicationDecision("withheld", reason="Siblings would be identified"),
                              on=date(2016, 1, 5))  # fmt: skip
        lc.assign_finding_subgroup(b, f, QA, on=moved_on)
        with SubgroupViews.of_subgroup(lc, QA) as views:
            status = views.status(b)
            assert [r.status for r in status.restricted_reviews] == ["withheld"]
            assert "Words only the board may read" not in repr(status)


def test_an_owner_an_item_or_a_step_recorded_again_or_out_of_order_is_refused_in_words(tmp_path):
    """The rules of the new activity and finding events, as behaviour with their words: the same
    sub-group assigned again, the same programme item named again, a step dated before the step
    before it (named in words)."""
    with cycle(tmp_path / "again.sqlite") as lc:
        b = new_board(lc)
        lc.plan_programme_item(b, year="2015/16", item="dive", title="A deep dive", on=date(2015, 4, 3))
        review = light_touch(lc, b, subgroup=QA, programme_item="dive")
        lc.start_activity(b, review, on=date(2015, 6, 2))
        f = lc.raise_finding(b, review, statement="Transfers lost records", level="operational", on=date(2015, 7, 1))
        assert_refused(lc, lambda: lc.assign_activity_subgroup(b, review, QA, on=date(2015, 8, 1)),
                       LearningCycleError, "subgroup", QA, "subgroup: already owns the activity")  # fmt: skip
        assert_refused(lc, lambda: lc.assign_finding_subgroup(b, f, QA, on=date(2015, 8, 1)),
                       LearningCycleError, "subgroup", QA, "subgroup: already owns the finding")  # fmt: skip
        assert_refused(lc, lambda: lc.name_programme_item(b, review, "dive", on=date(2015, 8, 1)),
                       LearningCycleError, "programme_item", "dive",
                       "programme_item: is already the item the activity delivers")  # fmt: skip
        lc.assign_finding_subgroup(b, f, CASE, on=date(2015, 8, 2))
        assert lc.finding(b, f).subgroup == CASE
        deaths = lc.commission_activity(b, kind="child_death_review", method="child-death-review",
                                        title="Child deaths: themes", why="Statutory", decided_by="CDOP",
                                        proportionality="All deaths", agencies=["csc", "police"],
                                        on=date(2015, 9, 1))  # fmt: skip
        lc.record_decision_step(b, deaths, step="decides", role="panel:cdop", on=date(2015, 9, 10))
        lc.record_decision_step(b, deaths, step="reported_to", role="board", on=date(2016, 1, 10))
        assert [s.step for s in lc.activity(b, deaths).steps] == ["decides", "reported_to"]
        other = lc.commission_activity(b, kind="child_death_review", method="child-death-review",
                                       title="Child deaths: sleep", why="Statutory", decided_by="CDOP",
                                       proportionality="Themed", agencies=["csc", "police"], on=date(2015, 9, 1))  # fmt: skip
        lc.record_decision_step(b, other, step="decides", role="panel:cdop", on=date(2015, 9, 10))
        lc.record_decision_step(b, other, step="reported_to", role="board", on=date(2015, 12, 1))
        third = lc.commission_activity(b, kind="child_death_review", method="child-death-review",
                                       title="Child deaths: water", why="Statutory", decided_by="CDOP",
                                       proportionality="Themed", agencies=["csc", "police"], on=date(2015, 9, 1))  # fmt: skip
        lc.record_decision_step(b, third, step="decides", role="panel:cdop", on=date(2015, 10, 10))
        assert_refused(lc, lambda: lc.record_decision_step(b, third, step="reported_to", role="board", on=date(2015, 10, 1)),
                       LearningCycleError, "on", date(2015, 10, 1), "on: is before the step before it (decides)")  # fmt: skip


def test_a_subgroups_stock_take_is_made_by_views_that_have_not_caught_up_yet(tmp_path):
    """Fresh views (nothing folded yet) make a sub-group's stock-take as the whole board's is made:
    caught up first, never "no board with id"."""
    with cycle(tmp_path / "fresh.sqlite") as lc:
        b = new_board(lc)
        light_touch(lc, b, subgroup=QA)
    with cycle(tmp_path / "fresh.sqlite") as lc, SubgroupViews.of_subgroup(lc, QA) as views:
        assert views.stock_take(b, "2015/16").programme.subgroup == QA


def test_a_measure_is_adopted_resting_only_on_indicators_the_board_has(tmp_path):
    with cycle(tmp_path / "measure.sqlite") as lc:
        b = new_board(lc)
        lc.define_indicator(b, key="visits", title="Visits on time", kind="how_well", unit="%",
                            polarity="higher_is_better", cadence="quarterly", on=date(2015, 4, 2))  # fmt: skip
        assert_refused(lc, lambda: lc.adopt_measure(b, "statement-early-help", indicators=["visits", "nope"],
                                                    on=date(2015, 5, 1)),
                       LearningCycleError, "indicators", "nope", "indicators: no indicator")  # fmt: skip
        lc.adopt_measure(b, "statement-early-help", indicators=["visits"], on=date(2015, 5, 1))
