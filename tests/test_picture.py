"""The three-year picture: the verdict rules of docs/three-year-picture.md, property by property."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import Check, CheckKind, CheckResult, ReportingYear, Stage, YearStart
from learning_cycle.projections.picture import Evidence, Judgement, Verdict, YearRow, judge, picture, window
from learning_cycle.projections.spc import Direction
from learning_cycle.projections.store import Views
from learning_cycle.testing.strategies import histories

from .conftest import MENU

END = date(2017, 3, 31)
days = st.dates(date(2013, 4, 1), END)
checks = st.builds(
    Check, days, st.sampled_from(list(CheckKind)), st.sampled_from(list(CheckResult)), st.just("Evidence")
)
evidence = st.builds(
    Evidence,
    raised_on=days,
    stage=st.sampled_from(list(Stage)),
    checks=st.lists(checks, max_size=4).map(lambda cs: tuple(sorted(cs, key=lambda c: c.checked_on))),
    overdue_actions=st.lists(st.sampled_from(["Audit (csc, due 2016-01-01)", "Train (police, due 2015-06-30)"]), max_size=2).map(tuple),
    indicators=st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(list(Direction)), max_size=2),
    improving_indicator_dates=st.lists(st.tuples(days, st.just("a")), max_size=2).map(tuple),
)  # fmt: skip


def latest(e: Evidence):
    """The last check made (of checks on one day, the last recorded)."""
    return sorted(e.checks, key=lambda c: c.checked_on)[-1] if e.checks else None


def expected(e: Evidence, end: date) -> Verdict:
    """The rules of docs/three-year-picture.md, in their order, written out plainly."""
    last = latest(e)
    improved = [c.checked_on for c in e.checks if c.result is CheckResult.IMPROVED]
    improved += [d for d, _ in e.improving_indicator_dates]
    if (last is not None and last.result is CheckResult.WORSE) or Direction.DETERIORATING in e.indicators.values():
        return Verdict.DETERIORATING
    if improved and (max(improved) - min(improved)).days >= 365 and not e.overdue_actions:
        return Verdict.SUSTAINED
    if e.overdue_actions or (last is not None and last.result is CheckResult.NO_CHANGE):
        return Verdict.STALLED
    if e.stage is Stage.LEARN and (end - e.raised_on).days > 365:
        return Verdict.STALLED
    if (last is not None and last.result is CheckResult.IMPROVED) or Direction.IMPROVING in e.indicators.values():
        return Verdict.IMPROVING
    return Verdict.NO_EVIDENCE_YET if e.stage is not Stage.LEARN else Verdict.AWAITING_ACTION


@given(evidence)
def test_every_finding_gets_the_verdict_of_the_first_rule_that_applies_with_a_reason(e):
    judgement = judge(e, END)
    assert judgement.verdict is expected(e, END)
    assert judgement.reason


@given(evidence)
def test_deteriorating_exactly_when_the_latest_check_is_worse_or_an_indicator_deteriorates(e):
    worse = (
        latest(e) is not None and latest(e).result is CheckResult.WORSE
    ) or Direction.DETERIORATING in e.indicators.values()
    assert (judge(e, END).verdict is Verdict.DETERIORATING) == worse  # fmt: skip


@given(evidence)
def test_sustained_exactly_when_improvement_a_year_apart_nothing_overdue_and_nothing_worse(e):
    points = [c.checked_on for c in e.checks if c.result is CheckResult.IMPROVED] + [
        d for d, _ in e.improving_indicator_dates
    ]
    held = bool(points) and (max(points) - min(points)).days >= 365 and not e.overdue_actions
    worse = (latest(e) is not None and latest(e).result is CheckResult.WORSE) or (
        Direction.DETERIORATING in e.indicators.values()
    )
    assert (judge(e, END).verdict is Verdict.SUSTAINED) == (held and not worse)


@given(evidence)
def test_an_overdue_action_is_never_sustained_or_improving(e):
    overdue = attrs.evolve(e, overdue_actions=("Late (csc, due 2015-01-01)",))
    assert judge(overdue, END).verdict in (Verdict.DETERIORATING, Verdict.STALLED)


@given(evidence)
def test_never_checked_and_no_indicator_evidence_means_no_evidence_stalled_or_awaiting(e):
    bare = attrs.evolve(e, checks=(), indicators={}, improving_indicator_dates=())
    verdict = judge(bare, END).verdict
    assert verdict in (Verdict.NO_EVIDENCE_YET, Verdict.STALLED, Verdict.AWAITING_ACTION)
    if bare.stage is not Stage.LEARN and not bare.overdue_actions:
        assert verdict is Verdict.NO_EVIDENCE_YET


@given(evidence, st.integers(365, 3 * 365))
def test_improvement_found_again_a_year_later_is_sustained(e, gap):
    first = Check(date(2013, 6, 1), CheckKind.RE_AUDIT, CheckResult.IMPROVED, "First")
    again = Check(first.checked_on + timedelta(days=gap), CheckKind.RE_AUDIT, CheckResult.IMPROVED, "Again")
    held = attrs.evolve(
        e, stage=Stage.MONITOR, checks=(first, again), overdue_actions=(), indicators={k: d for k, d in e.indicators.items() if d is not Direction.DETERIORATING}
    )  # fmt: skip
    assert judge(held, END).verdict is Verdict.SUSTAINED
    # ...but not if it was found only within the year
    soon = attrs.evolve(held, checks=(first, attrs.evolve(again, checked_on=first.checked_on + timedelta(days=364))), improving_indicator_dates=())  # fmt: skip
    assert judge(soon, END).verdict is Verdict.IMPROVING


@given(evidence)
def test_a_learn_stage_finding_over_a_year_old_has_stalled(e):
    old = attrs.evolve(e, stage=Stage.LEARN, checks=(), indicators={}, improving_indicator_dates=(), raised_on=END - timedelta(days=366))  # fmt: skip
    young = attrs.evolve(old, raised_on=END - timedelta(days=364), overdue_actions=())
    assert judge(old, END).verdict is Verdict.STALLED
    assert judge(young, END).verdict is Verdict.AWAITING_ACTION


@given(histories(MENU))
def test_the_picture_of_any_history_has_a_row_a_year_and_rolls_up_every_finding(history):
    lc = history.cycle()
    board = history.replay(lc)
    with Views.of(lc) as views:
        start = lc.board(board).year_start
        last = start.year_of(history.last_day)
        years = [(y, views.records(board, as_of=y.ends_on)) for y in window(last)]
        whole = picture(years)
        assert whole == views.picture(board, last, as_of=last.ends_on)
    assert len(whole.findings) == len(years[-1][1].findings)
    assert sum(whole.by_verdict.values()) == len(whole.findings)
    assert sum(n for counts in whole.by_level.values() for n in counts.values()) == len(whole.findings)
    for f in whole.findings:
        assert [r.year for r in f.years] == [y.label for y, _ in years]
        stages = [r.stage for r in f.years if r.stage is not None]
        assert [s.rank for s in stages] == sorted(s.rank for s in stages)  # a stage once reached stays reached


# -- the rules' boundaries, with literal dates ------------------------------------------------


def _evidence(**changes) -> Evidence:
    bare = Evidence(raised_on=date(2014, 9, 1), stage=Stage.MONITOR, checks=(), overdue_actions=(), indicators={})
    return attrs.evolve(bare, **changes)


def _check(on: date, result: CheckResult) -> Check:
    return Check(on, CheckKind.RE_AUDIT, result, "Re-audit of 20 cases")


def test_improvement_365_days_apart_is_sustained_364_is_not_across_29_february():
    first = _check(date(2015, 6, 1), CheckResult.IMPROVED)
    a_year = _evidence(checks=(first, _check(date(2016, 5, 31), CheckResult.IMPROVED)))  # 365 days, 29 Feb between
    a_day_short = _evidence(checks=(first, _check(date(2016, 5, 30), CheckResult.IMPROVED)))
    assert judge(a_year, END) == Judgement(
        Verdict.SUSTAINED,
        "improvement evidenced on 2015-06-01 (re_audit check) and 2016-05-31 (re_audit check), 365 days apart; "
        "the latest check is not worse; no action is overdue",
    )
    assert judge(a_day_short, END) == Judgement(
        Verdict.IMPROVING, "the latest check (re_audit, 2016-05-30) found improvement, not yet sustained"
    )


def test_an_indicator_improving_at_two_year_ends_is_evidence_of_sustained_improvement():
    e = _evidence(
        indicators={"cp-visits": Direction.IMPROVING},
        improving_indicator_dates=((date(2015, 3, 31), "cp-visits"), (date(2016, 3, 31), "cp-visits")),
    )
    assert judge(e, END) == Judgement(
        Verdict.SUSTAINED,
        "improvement evidenced on 2015-03-31 (indicator cp-visits improving) and 2016-03-31 (indicator cp-visits "
        "improving), 366 days apart; the latest check is not worse; no action is overdue",
    )


def test_a_linked_indicator_improving_now_is_improving():
    e = _evidence(stage=Stage.ACT, indicators={"b": Direction.IMPROVING, "a": Direction.IMPROVING})
    assert judge(e, END) == Judgement(Verdict.IMPROVING, "indicator a, b is improving")
    e = _evidence(stage=Stage.ACT, indicators={"a": Direction.NO_SIGNIFICANT_CHANGE})
    assert judge(e, END).verdict is Verdict.NO_EVIDENCE_YET


def test_a_deteriorating_indicator_outweighs_improving_checks():
    checks = (_check(date(2015, 6, 1), CheckResult.IMPROVED), _check(date(2016, 9, 1), CheckResult.IMPROVED))
    e = _evidence(checks=checks, indicators={"b": Direction.DETERIORATING, "a": Direction.DETERIORATING})
    assert judge(e, END) == Judgement(Verdict.DETERIORATING, "indicator a, b is deteriorating")


def test_the_latest_check_finding_no_change_has_stalled():
    checks = (_check(date(2015, 6, 1), CheckResult.IMPROVED), _check(date(2016, 1, 10), CheckResult.NO_CHANGE))
    assert judge(_evidence(checks=checks), END) == Judgement(
        Verdict.STALLED, "the latest check (re_audit, 2016-01-10) found no change"
    )


def test_the_latest_check_finding_it_worse_is_deteriorating_whatever_came_before():
    checks = (_check(date(2014, 6, 1), CheckResult.IMPROVED), _check(date(2016, 1, 10), CheckResult.WORSE))
    assert judge(_evidence(checks=checks), END) == Judgement(
        Verdict.DETERIORATING, "the latest check (re_audit, 2016-01-10) found it worse"
    )


def test_overdue_actions_are_listed_three_at_most():
    late = tuple(f"Action {n} (csc, due 2016-01-0{n})" for n in range(1, 5))
    assert judge(_evidence(overdue_actions=late[:1]), END) == Judgement(
        Verdict.STALLED, "1 action overdue: Action 1 (csc, due 2016-01-01)"
    )
    assert judge(_evidence(overdue_actions=late), END) == Judgement(
        Verdict.STALLED,
        "4 actions overdue: Action 1 (csc, due 2016-01-01); Action 2 (csc, due 2016-01-02); "
        "Action 3 (csc, due 2016-01-03)...",
    )
    assert judge(_evidence(overdue_actions=late[:3]), END).reason.endswith("Action 3 (csc, due 2016-01-03)")


def test_a_finding_not_acted_on_for_over_a_year_has_stalled_a_year_to_the_day_has_not():
    young = _evidence(stage=Stage.LEARN, raised_on=date(2015, 4, 1))
    assert judge(young, date(2016, 3, 31)) == Judgement(  # 365 days, 29 February between
        Verdict.AWAITING_ACTION, "raised on 2015-04-01; not yet acted on (under a year)"
    )
    assert judge(young, date(2016, 4, 1)) == Judgement(
        Verdict.STALLED, "raised on 2015-04-01 and not acted on for over a year"
    )


def test_acted_on_but_never_checked_is_no_evidence_yet():
    assert judge(_evidence(stage=Stage.TRAIN), END) == Judgement(
        Verdict.NO_EVIDENCE_YET,
        "at the train stage but never checked: the board cannot yet know whether it worked",
    )


# -- the rows of each year and the roll-ups, on a real board -------------------------------


def test_each_year_row_counts_the_actions_disseminations_and_checks_of_that_year(board):
    lc, b, f = board.lc, board.board_id, board.finding_id  # raised 2014-09-01, operational, no theme
    lc.respond_to_finding(b, f, "Information-sharing protocol", on=date(2014, 10, 1))
    a1 = lc.raise_action(b, f, owner="csc", description="Protocol", due_on=date(2015, 1, 31), on=date(2014, 10, 1))
    lc.complete_action(b, a1, "Signed off", on=date(2015, 1, 20))
    a2 = lc.raise_action(
        b, f, owner="police", description="Train officers", due_on=date(2015, 6, 30), single_agency=True,
        on=date(2014, 10, 1),
    )  # fmt: skip
    lc.complete_action(b, a2, "Trained 40", on=date(2015, 9, 1))  # late
    lc.assure_action(b, a2, "Audit of 10 referrals", on=date(2015, 10, 1))
    a3 = lc.raise_action(b, f, owner="csc", description="Cancelled", due_on=date(2016, 1, 31), on=date(2015, 5, 1))
    lc.cancel_action(b, a3, "No longer needed", on=date(2015, 6, 1))
    a4 = lc.raise_action(b, f, owner="csc", description="Superseded", due_on=date(2016, 6, 30), on=date(2015, 5, 1))
    lc.supersede_action(b, a4, "Replaced", on=date(2016, 2, 1))
    lc.raise_action(b, f, owner="police", description="Audit referrals", due_on=date(2016, 12, 31), on=date(2016, 5, 1))  # fmt: skip
    lc.record_dissemination(
        b, channel="roadshow", title="Roadshow", audience="Practitioners", districts=["north"], reach=40,
        finding_ids=[f], on=date(2015, 2, 10),
    )  # fmt: skip
    lc.record_dissemination(b, channel="alert", title="Alert", audience="All", reach=100, finding_ids=[f], on=date(2016, 5, 1))  # fmt: skip
    lc.record_check(b, f, kind="re_audit", result="improved", evidence="Audit", on=date(2015, 11, 1))
    lc.record_check(b, f, kind="re_audit", result="no_change", evidence="Audit", on=date(2016, 11, 1))
    g = lc.raise_finding(
        b, board.activity_id, statement="Neglect", level="strategic", themes=["neglect"], agencies=["police"],
        on=date(2016, 6, 1),
    )  # fmt: skip
    h = lc.raise_finding(b, board.activity_id, statement="Old", level="operational", on=date(2014, 10, 1))

    with Views.of(lc) as views:
        whole = views.picture(b, "2016/17")
    assert whole.years == ("2014/15", "2015/16", "2016/17")
    rows = {p.finding_id: p for p in whole.findings}
    assert rows[f].years == (
        YearRow("2014/15", Stage.TRAIN, actions_raised=2, actions_due=1, actions_done=1, actions_overdue=0,
                actions_assured=1, disseminations=1, reach=40, checks=()),
        YearRow("2015/16", Stage.MONITOR, actions_raised=2, actions_due=1, actions_done=1, actions_overdue=0,
                actions_assured=2, disseminations=0, reach=0, checks=("improved",)),
        YearRow("2016/17", Stage.MONITOR, actions_raised=3, actions_due=1, actions_done=0, actions_overdue=1,
                actions_assured=2, disseminations=1, reach=100, checks=("no_change",)),
    )  # fmt: skip
    assert (rows[f].verdict, rows[f].reason) == (
        Verdict.STALLED,
        "1 action overdue: Audit referrals (police, due 2016-12-31)",
    )
    assert rows[g].years == (YearRow("2014/15", None), YearRow("2015/16", None), YearRow("2016/17", Stage.LEARN))
    assert (rows[g].verdict, rows[h].verdict) == (Verdict.AWAITING_ACTION, Verdict.STALLED)
    assert rows[f].agencies == ("csc", "police")  # the owners of its actions

    assert list(whole.by_verdict.items()) == [("stalled", 2), ("awaiting_action", 1)]
    assert whole.by_theme == {"(no theme)": {"stalled": 2}, "neglect": {"awaiting_action": 1}}
    assert whole.by_agency == {
        "(no agency)": {"stalled": 1},
        "csc": {"stalled": 1},
        "police": {"stalled": 1, "awaiting_action": 1},
    }
    assert list(whole.by_agency["police"]) == ["stalled", "awaiting_action"]  # in the verdicts' order
    assert whole.by_level == {"operational": {"stalled": 2}, "strategic": {"awaiting_action": 1}}
    assert list(whole.by_theme) == ["(no theme)", "neglect"]


def test_a_window_is_the_year_and_the_two_before_it():
    last = ReportingYear.parse("2016/17", YearStart(4, 1))
    assert [y.label for y in window(last)] == ["2014/15", "2015/16", "2016/17"]


def test_an_indicator_improving_at_two_year_ends_sustains_the_finding_it_is_linked_to(lc):
    b = lc.create_board("ind", "Indicator Board (fictional)", agencies=[("csc", "CSC"), ("police", "Police")], on=date(2012, 4, 2))  # fmt: skip
    a = lc.commission_activity(
        b, kind="serious_case_review", method="systems", title="Review", why="Harm", decided_by="Chair",
        proportionality="Complex", agencies=["csc", "police"], on=date(2012, 5, 1),
    )  # fmt: skip
    lc.start_activity(b, a, on=date(2012, 6, 1))
    f = lc.raise_finding(b, a, statement="Visits were late", level="operational", on=date(2013, 1, 10))
    g = lc.raise_finding(b, a, statement="Unlinked", level="operational", on=date(2016, 9, 1))
    lc.respond_to_finding(b, f, "Visit tracker", on=date(2013, 2, 1))
    lc.define_indicator(
        b, key="visits", title="Visits on time", kind="how_well", unit="%", polarity="higher_is_better",
        cadence="quarterly", on=date(2012, 4, 2),
    )  # fmt: skip
    lc.link_indicator(b, "visits", [f], on=date(2013, 2, 1))
    # 2012-Q2 to 2016-Q4, rising every quarter, each reported the day after its quarter: a trend.
    # By the end of 2014/15 there are 11 figures (not enough to judge); by 2015/16's end 15; by 2016/17's 19.
    for n in range(19):
        start = date(2012 + (3 + 3 * n) // 12, (3 + 3 * n) % 12 + 1, 1)
        reported = date(2012 + (6 + 3 * n) // 12, (6 + 3 * n) % 12 + 1, 1)
        lc.record_measurement(b, "visits", start, 50 + n, on=reported)

    with Views.of(lc) as views:
        whole = views.picture(b, "2016/17")
    assert (whole.board_key, whole.ends_on) == ("ind", date(2017, 3, 31))
    rows = {p.finding_id: p for p in whole.findings}
    linked = rows[f]
    assert (linked.statement, linked.raised_on) == ("Visits were late", date(2013, 1, 10))
    assert [r.indicators for r in linked.years] == [
        {"visits": "not_enough_data"}, {"visits": "improving"}, {"visits": "improving"},
    ]  # fmt: skip
    assert (linked.verdict, linked.reason) == (
        Verdict.SUSTAINED,
        "improvement evidenced on 2016-03-31 (indicator visits improving) and 2017-03-31 (indicator visits "
        "improving), 365 days apart; the latest check is not worse; no action is overdue",
    )
    assert [r.indicators for r in rows[g].years] == [{}, {}, {}]
    assert (rows[g].verdict, rows[g].reason) == (Verdict.AWAITING_ACTION, "raised on 2016-09-01; not yet acted on (under a year)")  # fmt: skip


def test_a_picture_needs_a_year():
    with pytest.raises(ValueError, match=r"^a picture needs at least one year$"):
        picture([])


def test_the_window_keeps_the_board_s_year_start():
    calendar_years = window(ReportingYear.parse("2016", YearStart(1, 1)))
    assert [y.label for y in calendar_years] == ["2014", "2015", "2016"]
    assert [y.starts_on for y in calendar_years] == [date(2014, 1, 1), date(2015, 1, 1), date(2016, 1, 1)]


def test_sustained_names_the_first_and_the_last_evidence_of_several():
    checks = tuple(_check(day, CheckResult.IMPROVED) for day in (date(2014, 6, 1), date(2015, 1, 5), date(2016, 2, 1)))
    assert judge(_evidence(checks=checks), END).reason.startswith(
        "improvement evidenced on 2014-06-01 (re_audit check) and 2016-02-01 (re_audit check), 610 days apart"
    )


def test_two_overdue_actions_are_plural():
    late = ("Audit (csc, due 2016-01-01)", "Train (police, due 2016-02-01)")
    assert judge(_evidence(overdue_actions=late), END).reason == (
        "2 actions overdue: Audit (csc, due 2016-01-01); Train (police, due 2016-02-01)"
    )
