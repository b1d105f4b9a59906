"""The three-year picture: the verdict rules of docs/three-year-picture.md, property by property."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import Check, CheckKind, CheckResult, Stage
from learning_cycle.projections.picture import YEAR, Evidence, Verdict, judge, picture, window
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


@given(evidence)
def test_every_finding_gets_one_verdict_with_a_reason(e):
    judgement = judge(e, END)
    assert judgement.verdict in Verdict and judgement.reason


@given(evidence)
def test_deteriorating_exactly_when_the_latest_check_is_worse_or_an_indicator_deteriorates(e):
    worse = (
        latest(e) is not None and latest(e).result is CheckResult.WORSE
    ) or Direction.DETERIORATING in e.indicators.values()
    assert (judge(e, END).verdict is Verdict.DETERIORATING) == worse  # fmt: skip


@given(evidence)
def test_sustained_needs_improvement_a_year_apart_nothing_overdue_and_nothing_worse(e):
    if judge(e, END).verdict is not Verdict.SUSTAINED:
        return
    points = [c.checked_on for c in e.checks if c.result is CheckResult.IMPROVED] + [
        d for d, _ in e.improving_indicator_dates
    ]
    assert max(points) - min(points) >= timedelta(days=YEAR)
    assert not e.overdue_actions
    assert latest(e) is None or latest(e).result is not CheckResult.WORSE


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


@given(evidence, st.integers(YEAR, 3 * YEAR))
def test_improvement_found_again_a_year_later_is_sustained(e, gap):
    first = Check(date(2013, 6, 1), CheckKind.RE_AUDIT, CheckResult.IMPROVED, "First")
    again = Check(first.checked_on + timedelta(days=gap), CheckKind.RE_AUDIT, CheckResult.IMPROVED, "Again")
    held = attrs.evolve(
        e, stage=Stage.MONITOR, checks=(first, again), overdue_actions=(), indicators={k: d for k, d in e.indicators.items() if d is not Direction.DETERIORATING}
    )  # fmt: skip
    assert judge(held, END).verdict is Verdict.SUSTAINED
    # ...but not if it was found only within the year
    soon = attrs.evolve(held, checks=(first, attrs.evolve(again, checked_on=first.checked_on + timedelta(days=YEAR - 1))), improving_indicator_dates=())  # fmt: skip
    assert judge(soon, END).verdict is Verdict.IMPROVING


@given(evidence)
def test_a_learn_stage_finding_over_a_year_old_has_stalled(e):
    old = attrs.evolve(e, stage=Stage.LEARN, checks=(), indicators={}, improving_indicator_dates=(), raised_on=END - timedelta(days=YEAR + 1))  # fmt: skip
    young = attrs.evolve(old, raised_on=END - timedelta(days=YEAR - 1), overdue_actions=())
    assert judge(old, END).verdict is Verdict.STALLED
    assert judge(young, END).verdict is Verdict.AWAITING_ACTION


@given(histories(MENU))
def test_the_picture_of_any_history_has_a_row_a_year_and_rolls_up_every_finding(history):
    lc = history.cycle()
    board = history.replay(lc)
    with Views(lc) as views:
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
