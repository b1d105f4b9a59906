"""The first-party outcome measures, worked out by hand on a small fictional board."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from learning_cycle_outcomes import MEASURES, year_on_year

from learning_cycle import LearningCycle, PublicationDecision, VoiceOfChild
from learning_cycle.plugins import build_plugins
from learning_cycle.testing.strategies import histories

from .conftest import MENU, TODAY, records

BY_KEY = {m.key: m for m in MEASURES}


def measure(key: str, lc: LearningCycle, board, as_of: date = TODAY):
    return BY_KEY[key].compute(records(lc, board, as_of=as_of))


@pytest.fixture
def worked(memory_lc: LearningCycle):
    lc = memory_lc
    b = lc.create_board(
        "worked", "Worked Example Board (fictional)", agencies=[("csc", "CSC"), ("police", "Police")],
        districts=["north"], on=date(2013, 4, 1),
    )  # fmt: skip
    activities = []
    for n, voice in enumerate([VoiceOfChild(True, "Met the young people"), VoiceOfChild(False), None]):
        a = lc.commission_activity(
            b, kind="serious_case_review", method="systems", title=f"Review {n}", why="Harm", decided_by="Chair",
            proportionality="Complex", agencies=["csc", "police"], voice_of_child=voice, on=date(2013, 5, 1),
        )  # fmt: skip
        lc.start_activity(b, a, on=date(2013, 6, 1))
        activities.append(a)
    f1 = lc.raise_finding(b, activities[0], statement="One", level="operational", on=date(2013, 7, 1))
    f2 = lc.raise_finding(
        b, activities[0], statement="Two", level="strategic", voice_of_child=VoiceOfChild(True, "Survey"),
        on=date(2013, 7, 1),
    )  # fmt: skip
    f3 = lc.raise_finding(b, activities[1], statement="Three", level="operational", on=date(2016, 7, 1))
    for f in (f1, f2, f3):
        lc.respond_to_finding(b, f, "Agreed", on=date(2016, 8, 1) if f == f3 else date(2013, 8, 1))
    # f1: improvement found twice within three years, last one improved: sustained
    for on, result in [(date(2014, 6, 1), "improved"), (date(2015, 6, 1), "improved")]:
        lc.record_check(b, f1, kind="re_audit", result=result, evidence="Audit", on=on)
    # f2: improved once, then no change: not sustained; its latest check did not find improvement
    for on, result in [(date(2014, 6, 1), "improved"), (date(2015, 6, 1), "no_change")]:
        lc.record_check(b, f2, kind="re_audit", result=result, evidence="Audit", on=on)
    # actions: csc one on time, one late; police one on time; one still open
    for owner, due, done in [
        ("csc", date(2014, 1, 31), date(2014, 1, 31)),
        ("csc", date(2014, 1, 31), date(2014, 3, 1)),
        ("police", date(2014, 1, 31), date(2013, 12, 1)),
        ("police", date(2014, 1, 31), None),
    ]:
        x = lc.raise_action(b, f1, owner=owner, description="Do it", due_on=due, on=date(2013, 8, 2))
        if done:
            lc.complete_action(b, x, "Done", on=done)
    # reports: one published, one withheld
    for a, decision in [
        (activities[0], PublicationDecision("published", reference="R-1")),
        (activities[1], PublicationDecision("withheld", reason="Identifies the child")),
    ]:
        lc.complete_activity(b, a, on=date(2016, 9, 1))
        lc.approve_report(b, a, on=date(2016, 9, 2))
        lc.decide_publication(b, a, decision, on=date(2016, 9, 3))
    return lc, b


def test_voice_of_the_child_shares(worked):
    lc, b = worked
    assert measure("voice-of-child-activities", lc, b).value == pytest.approx(100 / 3)
    found = measure("voice-of-child-findings", lc, b)
    assert (found.numerator, found.denominator) == (1, 3)


def test_actions_on_time_by_agency(worked):
    lc, b = worked
    value = measure("actions-on-time", lc, b)
    assert (value.numerator, value.denominator) == (2, 3)
    assert dict(value.breakdown) == {"csc": 50.0, "police": 100.0}
    # as of a date before the late completion, only the on-time ones are done
    early = measure("actions-on-time", lc, b, as_of=date(2014, 2, 1))
    assert (early.numerator, early.denominator) == (2, 2)


def test_reports_published(worked):
    lc, b = worked
    value = measure("final-reports-published", lc, b)
    assert (value.value, value.numerator, value.denominator) == (50.0, 1, 2)
    assert measure("final-reports-published", lc, b, as_of=date(2016, 1, 1)).value is None


def test_sustained_improvement_within_three_years(worked):
    lc, b = worked
    value = measure("findings-sustained-within-three-years", lc, b)
    # f1 and f2 have had three years; f3 (raised 2016-07-01) has too by 2026. Only f1 is sustained.
    assert (value.numerator, value.denominator) == (1, 3)
    # as of mid-2016, only f1 and f2 have had their three years
    assert (measure("findings-sustained-within-three-years", lc, b, as_of=date(2016, 7, 2)).denominator) == 2
    assert measure("findings-sustained-within-three-years", lc, b, as_of=date(2016, 6, 30)).value is None


def test_partnership_outcomes_read_the_latest_check(worked):
    lc, b = worked
    value = measure("statement-partnership-outcomes", lc, b)
    assert (value.numerator, value.denominator) == (1, 2)
    as_of_2014 = measure("statement-partnership-outcomes", lc, b, as_of=date(2014, 12, 31))
    assert (as_of_2014.numerator, as_of_2014.denominator) == (2, 2)


def test_framework_example_measures_read_the_board_indicator(worked):
    lc, b = worked
    key = "cp-safety-outcomes-at-closure"
    assert measure(key, lc, b).value is None
    lc.define_indicator(
        b, key=key, title="Safety outcomes at closure", kind="better_off", unit="%", polarity="higher_is_better",
        cadence="quarterly", priorities=["statutory-services"], on=date(2014, 4, 1),
    )  # fmt: skip
    for start, value in [(date(2014, 4, 1), 71.0), (date(2015, 4, 1), 78.5)]:
        lc.record_measurement(b, key, start, value, on=date(start.year, 8, 1))
    assert measure(key, lc, b).value == 78.5
    assert measure(key, lc, b, as_of=date(2015, 1, 1)).value == 71.0
    statement = measure("statement-statutory-services", lc, b)
    assert (statement.value, statement.evidence) == (100.0, (key,))
    lc.correct_measurement(b, key, date(2015, 4, 1), 64.0, "Recount", on=date(2015, 9, 1))
    assert measure("statement-statutory-services", lc, b).value == 0.0


def test_a_figure_that_is_not_a_percentage_is_not_reported_as_one(worked):
    lc, b = worked
    key = "health-outcomes-resuming-appointments"
    lc.define_indicator(
        b, key=key, title="Health outcomes", kind="better_off", unit="count", polarity="higher_is_better",
        cadence="annual", on=date(2014, 4, 1),
    )  # fmt: skip
    lc.record_measurement(b, key, date(2014, 4, 1), 212, on=date(2015, 4, 1))
    value = measure(key, lc, b)
    assert value.value is None and "is not a percentage" in value.note


@given(histories(MENU))
def test_every_measure_is_total_and_in_range_on_any_history(history):
    lc = history.cycle()
    board = history.replay(lc)
    values = build_plugins(environ={}).outcomes(records(lc, board))
    assert set(values) >= set(BY_KEY)
    for key, value in values.items():
        if value.value is not None:
            assert 0 <= value.value <= 100, key
        if value.denominator:
            assert value.value == pytest.approx(100 * value.numerator / value.denominator)


def test_year_on_year_respects_polarity_and_neutral(worked):
    lc, b = worked
    for polarity, expected in [("higher_is_better", True), ("lower_is_better", False), ("neutral", None)]:
        key = f"yoy-{polarity.replace('_', '-')}"
        lc.define_indicator(
            b, key=key, title=key, kind="how_much", unit="n", polarity=polarity, cadence="annual",
            on=date(2014, 4, 1),
        )  # fmt: skip
        lc.record_measurement(b, key, date(2014, 4, 1), 10, on=date(2015, 4, 1))
        lc.record_measurement(b, key, date(2015, 4, 1), 12, on=date(2016, 4, 1))
        assert year_on_year(lc.indicator(b, key), TODAY) is expected
