"""Direction of travel: the Making Data Count rules on published test vectors, and their properties."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from learning_cycle import Polarity
from learning_cycle.projections.spc import (
    LIMIT,
    Assurance,
    Direction,
    Rule,
    Signal,
    XmR,
    direction_of_travel,
    shift_flags,
    signals,
    trend_flags,
    two_of_three_flags,
    xmr,
)
from learning_cycle.testing.strategies import indicator_series

# -- the rules on the NHS-R community's published test vectors (NHSRplotthedots, tests of
#    ptd_seven_point_one_side_mean, ptd_seven_point_trend and ptd_two_in_three) -----------


def test_shift_vectors():
    assert shift_flags([]) == []
    assert shift_flags([1] * 6) == [0] * 6
    assert shift_flags([1] * 6 + [-1]) == [0] * 7
    assert shift_flags([1] * 8 + [-1]) == [1] * 8 + [0]
    assert shift_flags([-1] * 8 + [1]) == [-1] * 8 + [0]
    assert shift_flags([-1] + [1] * 8 + [-1]) == [0] + [1] * 8 + [0]
    assert shift_flags([1] * 3 + [0] + [1] * 4) == [0] * 8  # a point on the mean breaks the run


def test_trend_vectors():
    assert trend_flags([]) == []
    assert trend_flags([1, 2, 3, 4, 5, 6]) == [0] * 6
    assert trend_flags([1, 2, 3, 3, 4, 5, 6]) == [0] * 7  # an equal neighbour breaks it
    assert trend_flags([1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert trend_flags([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0] + [1] * 7 + [0]
    assert trend_flags([7, 6, 5, 4, 3, 2, 1]) == [-1] * 7
    assert trend_flags([2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0] + [-1] * 7 + [0]


@pytest.mark.parametrize(
    ("close", "flagged"),
    [
        ([], []),
        ([0, 0, 0], [0, 0, 0]),
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_two_of_three_vectors(close, flagged):
    assert two_of_three_flags([bool(c) for c in close], [1] * len(close)) == flagged


def test_two_of_three_needs_all_three_on_one_side():
    assert two_of_three_flags([True, False, True], [1, -1, 1]) == [0, 0, 0]


# -- a worked example, by hand ---------------------------------------------------------------

SERIES = [70, 72, 69, 71, 70, 73, 68, 71, 70, 72, 69, 71]  # mean 846 / 12 = 70.5; moving ranges 27 / 11


def test_the_chart_by_hand():
    chart = xmr(SERIES)
    assert chart.mean == pytest.approx(70.5)
    assert chart.mean_moving_range == pytest.approx(27 / 11)
    assert chart.upper == pytest.approx(70.5 + 2.66 * 27 / 11)
    assert chart.lower == pytest.approx(70.5 - 2.66 * 27 / 11)
    assert signals(SERIES, chart) == []
    result = direction_of_travel(SERIES, Polarity.HIGHER_IS_BETTER)
    assert (result.direction, result.rule, result.points, result.signals) == (
        Direction.NO_SIGNIFICANT_CHANGE, None, (), ()
    )  # fmt: skip
    assert result.reason == "common-cause variation: the latest point is part of no special-cause pattern"


def test_a_jump_in_the_latest_quarter_is_improving_for_higher_is_better():
    result = direction_of_travel([*SERIES, 95], Polarity.HIGHER_IS_BETTER)
    assert (result.direction, result.rule, result.points) == (Direction.IMPROVING, Rule.OUTSIDE_LIMITS, (12,))
    assert "beyond a process limit" in result.reason
    assert direction_of_travel([*SERIES, 95], Polarity.LOWER_IS_BETTER).direction is Direction.DETERIORATING
    assert direction_of_travel([*SERIES, 95], Polarity.NEUTRAL).direction is Direction.CHANGED


def test_a_sustained_shift_down_names_its_points():
    values = [*SERIES, 69.5, 69, 69.8, 69.2, 69.9, 69.1, 69.4]
    result = direction_of_travel(values, Polarity.HIGHER_IS_BETTER)
    assert result.direction is Direction.DETERIORATING
    assert result.rule is Rule.SHIFT
    assert result.points[-1] == len(values) - 1 and len(result.points) >= 7


def test_a_trend_is_read_by_its_direction():
    values = [*SERIES, 66, 67, 68, 69, 70, 71, 72]
    result = direction_of_travel(values, Polarity.HIGHER_IS_BETTER)
    assert (result.direction, result.rule) == (Direction.IMPROVING, Rule.TREND)


def test_not_enough_data():
    result = direction_of_travel(SERIES[:11], Polarity.HIGHER_IS_BETTER)
    assert result.direction is Direction.NOT_ENOUGH_DATA
    assert result.reason == "11 points; at least 12 are needed"


def test_target_assurance():
    chart = xmr(SERIES)
    assert direction_of_travel(SERIES, Polarity.HIGHER_IS_BETTER, target=60).assurance is Assurance.CONSISTENTLY_PASSES
    assert direction_of_travel(SERIES, Polarity.HIGHER_IS_BETTER, target=90).assurance is Assurance.CONSISTENTLY_FAILS
    assert direction_of_travel(SERIES, Polarity.LOWER_IS_BETTER, target=90).assurance is Assurance.CONSISTENTLY_PASSES
    assert direction_of_travel(SERIES, Polarity.HIGHER_IS_BETTER, target=chart.mean).assurance is Assurance.HIT_AND_MISS
    assert direction_of_travel(SERIES, Polarity.NEUTRAL, target=60).assurance is None
    assert direction_of_travel(SERIES, Polarity.HIGHER_IS_BETTER).assurance is None


# -- properties ----------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
series = st.lists(finite, min_size=12, max_size=40)
polarities = st.sampled_from(list(Polarity))


@given(finite, st.integers(12, 40), polarities)
def test_a_constant_series_never_signals(value, n, polarity):
    values = [value] * n
    assert signals(values, xmr(values)) == []
    assert direction_of_travel(values, polarity).direction is Direction.NO_SIGNIFICANT_CHANGE


@given(series, polarities, st.booleans())
def test_adding_a_point_beyond_the_limits_always_signals(values, polarity, up):
    spread = max(abs(v) for v in values) + 1
    extreme = (1 if up else -1) * spread * 100 * len(values)
    result = direction_of_travel([*values, extreme], polarity)
    chart = result.chart
    assert extreme > chart.upper if up else extreme < chart.lower
    assert result.rule is Rule.OUTSIDE_LIMITS and result.points == (len(values),)
    expected = {
        Polarity.NEUTRAL: Direction.CHANGED,
        Polarity.HIGHER_IS_BETTER: Direction.IMPROVING if up else Direction.DETERIORATING,
        Polarity.LOWER_IS_BETTER: Direction.DETERIORATING if up else Direction.IMPROVING,
    }[polarity]
    assert result.direction is expected


@given(series)
def test_polarity_mirrors_the_verdict(values):
    higher = direction_of_travel(values, Polarity.HIGHER_IS_BETTER).direction
    lower = direction_of_travel(values, Polarity.LOWER_IS_BETTER).direction
    swap = {Direction.IMPROVING: Direction.DETERIORATING, Direction.DETERIORATING: Direction.IMPROVING}
    assert lower is swap.get(higher, higher)


@given(series, finite, st.floats(0.01, 100))
def test_the_verdict_does_not_depend_on_units(values, shift, scale):
    moved = [v * scale + shift for v in values]
    a = direction_of_travel(values, Polarity.HIGHER_IS_BETTER)
    b = direction_of_travel(moved, Polarity.HIGHER_IS_BETTER)
    if all(abs(v - a.chart.mean) > 1e-6 * (1 + abs(v)) for v in values):  # points on the mean are knife-edge
        assert (a.direction, a.rule) == (b.direction, b.rule)


@given(series)
def test_every_signal_point_is_in_the_series_and_limits_are_symmetric(values):
    chart = xmr(values)
    assert chart.upper - chart.mean == pytest.approx(chart.mean - chart.lower)
    assert chart.upper - chart.mean == pytest.approx(LIMIT * chart.mean_moving_range)
    for signal in signals(values, chart):
        assert all(0 <= p < len(values) for p in signal.points)
        assert signal.side in (-1, 1)


# -- two of three near a limit, on real values ------------------------------------------------
#
# Fourteen points alternating 10, 11 and then 14, 12, 14: the mean is 187 / 17 = 11; the moving
# ranges are thirteen 1s, then 3, 2 and 2, so their mean is 20 / 16 = 1.25. The process limits are
# 11 +/- 2.66 x 1.25 (14.325 and 7.675) and "near" begins two thirds of the way out, at
# 11 +/- 1.7733 x 1.25 (13.2167 and 8.7833): both 14s are near the upper limit, 12 is above the mean.

NEAR_UP = [10, 11] * 7 + [14, 12, 14]
NEAR_DOWN = [22 - v for v in NEAR_UP]  # the mirror image: 12, 11, ... then 8, 10, 8 (the same mean and ranges)


def test_the_near_limits_are_two_thirds_of_the_way_to_the_process_limits():
    chart = xmr(NEAR_UP)
    assert (chart.mean, chart.mean_moving_range) == (pytest.approx(11), pytest.approx(1.25))
    assert (chart.upper, chart.lower) == (pytest.approx(14.325), pytest.approx(7.675))
    assert (chart.near_upper, chart.near_lower) == (pytest.approx(11 + 2.66 * 2 / 3 * 1.25), pytest.approx(11 - 2.66 * 2 / 3 * 1.25))  # fmt: skip


def test_two_of_three_points_near_the_upper_limit_are_improving_when_higher_is_better():
    result = direction_of_travel(NEAR_UP, Polarity.HIGHER_IS_BETTER)
    assert (result.direction, result.rule, result.points) == (Direction.IMPROVING, Rule.TWO_OF_THREE, (14, 16))
    assert result.signals == (Signal(Rule.TWO_OF_THREE, (14, 16), 1),)
    assert result.reason == (
        "special cause (two of three points in a row near a process limit, all on one side of the mean, upward) "
        "including the latest point"
    )
    assert direction_of_travel(NEAR_UP, Polarity.LOWER_IS_BETTER).direction is Direction.DETERIORATING
    assert direction_of_travel(NEAR_UP, Polarity.NEUTRAL).direction is Direction.CHANGED


def test_two_of_three_points_near_the_lower_limit_are_deteriorating_when_higher_is_better():
    result = direction_of_travel(NEAR_DOWN, Polarity.HIGHER_IS_BETTER)
    assert (result.direction, result.rule, result.points) == (Direction.DETERIORATING, Rule.TWO_OF_THREE, (14, 16))
    assert result.signals == (Signal(Rule.TWO_OF_THREE, (14, 16), -1),)
    assert result.reason.endswith("all on one side of the mean, downward) including the latest point")
    assert direction_of_travel(NEAR_DOWN, Polarity.LOWER_IS_BETTER).direction is Direction.IMPROVING


def test_two_near_points_with_one_below_the_mean_between_them_are_no_signal():
    # 14, 10.9, 14: the mean is 185.9 / 17 = 10.935, so 10.9 is below it; not all three on one side
    result = direction_of_travel([10, 11] * 7 + [14, 10.9, 14], Polarity.HIGHER_IS_BETTER)
    assert (result.direction, result.signals) == (Direction.NO_SIGNIFICANT_CHANGE, ())


def test_a_point_beyond_the_limit_is_outside_it_not_near_it():
    # 14, 12, 16: the mean is 189 / 17 = 11.118 and the moving ranges 22 / 16 = 1.375, so the upper
    # limit is 14.775: 16 is beyond it and 14 is near it, but an outside point does not make a pair
    # with a near one. The fourteen points below the mean are a shift.
    values = [10, 11] * 7 + [14, 12, 16]
    result = direction_of_travel(values, Polarity.HIGHER_IS_BETTER)
    assert result.signals == (Signal(Rule.OUTSIDE_LIMITS, (16,), 1), Signal(Rule.SHIFT, tuple(range(14)), -1))
    assert (result.direction, result.rule, result.points) == (Direction.IMPROVING, Rule.OUTSIDE_LIMITS, (16,))


# A chart made by hand (mean 0, moving range 1): limits at +/-2.66, near from +/-1.7733.
UNIT = XmR(mean=0.0, mean_moving_range=1.0, upper=2.66, lower=-2.66, near_upper=1.7733, near_lower=-1.7733)


def test_near_begins_at_two_thirds_of_the_way_to_the_limit():
    assert signals([0.1, 1.78, 0.1, 1.78], UNIT) == [Signal(Rule.TWO_OF_THREE, (1, 3), 1)]
    assert signals([0.1, 1.77, 0.1, 1.77], UNIT) == []
    assert signals([-0.1, -1.78, -0.1, -1.78], UNIT) == [Signal(Rule.TWO_OF_THREE, (1, 3), -1)]
    assert signals([-0.1, -1.77, -0.1, -1.77], UNIT) == []
    assert signals([0.1, 2.66, 0.1, 2.66], UNIT) == [Signal(Rule.TWO_OF_THREE, (1, 3), 1)]  # on the limit: near
    assert signals([0.1, 2.67, 0.1], UNIT) == [Signal(Rule.OUTSIDE_LIMITS, (1,), 1)]


def test_separate_near_limit_pairs_are_separate_patterns():
    # near points at 1 and 3 (two of three), then at 6 and 7: three apart, so two patterns
    values = [-0.1, 1.8, 0.1, 1.8, -0.1, 0.1, 1.8, 1.9, -0.1]
    assert signals(values, UNIT) == [
        Signal(Rule.TWO_OF_THREE, (1, 3), 1),
        Signal(Rule.TWO_OF_THREE, (6, 7), 1),
    ]


def test_patterns_of_one_rule_on_both_sides_are_told_apart():
    values = [1.0] * 7 + [-1.0] * 7
    assert signals(values, UNIT) == [
        Signal(Rule.SHIFT, tuple(range(7)), 1),
        Signal(Rule.SHIFT, tuple(range(7, 14)), -1),
    ]


def test_runs_of_one_rule_broken_by_one_point_are_two_patterns():
    values = [1.0] * 7 + [-1.0] + [1.0] * 7
    assert signals(values, UNIT) == [
        Signal(Rule.SHIFT, tuple(range(7)), 1),
        Signal(Rule.SHIFT, tuple(range(8, 15)), 1),
    ]
    rising = [0.1 * i for i in range(7)]  # 0.0 to 0.6; then 0.0 twice (an equal neighbour breaks a trend)
    assert signals([*rising, 0.0, *rising], UNIT) == [
        Signal(Rule.TREND, tuple(range(7)), 1),
        Signal(Rule.TREND, tuple(range(8, 15)), 1),
    ]


def test_a_point_on_the_mean_is_on_neither_side():
    values = [1.0] * 6 + [0.0] + [1.0] * 6
    assert signals(values, UNIT) == []


# -- assurance at the boundaries, and a fixed baseline -----------------------------------------


def test_assurance_for_lower_is_better():
    # NEAR_UP: process limits 7.675 and 14.325
    assert direction_of_travel(NEAR_UP, Polarity.LOWER_IS_BETTER, target=5).assurance is Assurance.CONSISTENTLY_FAILS
    assert direction_of_travel(NEAR_UP, Polarity.LOWER_IS_BETTER, target=20).assurance is Assurance.CONSISTENTLY_PASSES
    assert direction_of_travel(NEAR_UP, Polarity.LOWER_IS_BETTER, target=11).assurance is Assurance.HIT_AND_MISS
    assert direction_of_travel(NEAR_UP, Polarity.HIGHER_IS_BETTER, target=5).assurance is Assurance.CONSISTENTLY_PASSES
    assert direction_of_travel(NEAR_UP, Polarity.HIGHER_IS_BETTER, target=20).assurance is Assurance.CONSISTENTLY_FAILS


def test_a_target_on_a_process_limit_is_hit_and_miss():
    chart = xmr(NEAR_UP)
    for polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        for limit in (chart.upper, chart.lower):
            assert direction_of_travel(NEAR_UP, polarity, target=limit).assurance is Assurance.HIT_AND_MISS


def test_a_baseline_fixes_the_limits_from_the_first_points():
    # the limits of SERIES alone (mean 70.5, upper 77.03); three later points at 80 are beyond them
    values = [*SERIES, 80, 80, 80]
    chart = xmr(values, baseline=12)
    assert (chart.mean, chart.mean_moving_range) == (pytest.approx(70.5), pytest.approx(27 / 11))
    fixed = direction_of_travel(values, Polarity.HIGHER_IS_BETTER, baseline=12)
    assert (fixed.chart.mean, fixed.chart.upper) == (pytest.approx(70.5), pytest.approx(70.5 + 2.66 * 27 / 11))
    assert (fixed.direction, fixed.rule, fixed.points) == (Direction.IMPROVING, Rule.OUTSIDE_LIMITS, (14,))
    assert xmr(values).mean == pytest.approx(1086 / 15)  # without a baseline the 80s move the mean


def test_a_chart_needs_two_points_and_so_does_a_baseline():
    with pytest.raises(ValueError, match=r"^an XmR chart needs at least two points$"):
        xmr([1.0])
    with pytest.raises(ValueError, match=r"^the baseline needs at least two points$"):
        xmr([1.0, 2.0, 3.0], baseline=1)
    two = xmr([1.0, 3.0])  # two points are enough
    assert (two.mean, two.mean_moving_range) == (2.0, 2.0)
    fixed = xmr([1.0, 3.0, 9.0], baseline=2)
    assert (fixed.mean, fixed.mean_moving_range) == (2.0, 2.0)


def test_the_minimum_number_of_points_can_be_lowered_but_never_below_two():
    assert direction_of_travel(SERIES[:5], Polarity.HIGHER_IS_BETTER, min_points=5).direction is (
        Direction.NO_SIGNIFICANT_CHANGE
    )
    assert direction_of_travel(SERIES[:4], Polarity.HIGHER_IS_BETTER, min_points=5).reason == (
        "4 points; at least 5 are needed"
    )
    assert (
        direction_of_travel([70], Polarity.HIGHER_IS_BETTER, min_points=1).reason == "1 points; at least 2 are needed"
    )
    assert direction_of_travel([70, 72], Polarity.HIGHER_IS_BETTER, min_points=1).direction is (
        Direction.NO_SIGNIFICANT_CHANGE
    )


# -- generated series reach every rule, direction and assurance ---------------------------------

judged = st.tuples(indicator_series(min_size=12), polarities, st.none() | st.floats(0, 100))
SEARCH = settings(
    database=None, max_examples=2000, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
)  # no shrinking


def _judge(drawn):
    values, polarity, target = drawn
    return direction_of_travel(values, polarity, target=target)


@pytest.mark.parametrize("direction", [d for d in Direction if d is not Direction.NOT_ENOUGH_DATA])
def test_generated_series_reach_every_direction(direction):
    find(judged, lambda d: _judge(d).direction is direction, settings=SEARCH)


@pytest.mark.parametrize("rule", list(Rule))
@pytest.mark.parametrize("polarity", [Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER])
def test_generated_series_reach_every_rule_improving_and_deteriorating(rule, polarity):
    for direction in (Direction.IMPROVING, Direction.DETERIORATING):
        find(
            judged.map(lambda d: (d[0], polarity, d[2])),
            lambda d, direction=direction: (_judge(d).rule, _judge(d).direction) == (rule, direction),
            settings=SEARCH,
        )


@pytest.mark.parametrize("assurance", list(Assurance))
def test_generated_series_reach_every_assurance(assurance):
    find(judged, lambda d: _judge(d).assurance is assurance, settings=SEARCH)


@given(indicator_series(min_size=12), polarities)
def test_mirroring_a_series_mirrors_its_direction_with_the_same_rule_and_points(values, polarity):
    # negation is exact in floating point, so the mirrored chart is exactly the mirror of the chart
    here = direction_of_travel(values, polarity)
    there = direction_of_travel([-v for v in values], polarity)
    swap = {Direction.IMPROVING: Direction.DETERIORATING, Direction.DETERIORATING: Direction.IMPROVING}
    assert there.direction is swap.get(here.direction, here.direction)
    assert (there.rule, there.points) == (here.rule, here.points)
    assert [(s.rule, s.points, -s.side) for s in there.signals] == [(s.rule, s.points, s.side) for s in here.signals]


@given(indicator_series(min_size=12, max_size=40))
def test_the_latest_point_judges_the_series(values):
    """Only a pattern holding the latest point decides: the verdict is that pattern's, or none."""
    result = direction_of_travel(values, Polarity.HIGHER_IS_BETTER)
    holding = [s for s in result.signals if len(values) - 1 in s.points]
    if holding:
        assert (result.rule, result.points) == (holding[0].rule, holding[0].points)
        assert result.direction is (Direction.IMPROVING if holding[0].side > 0 else Direction.DETERIORATING)
    else:
        assert result.direction is Direction.NO_SIGNIFICANT_CHANGE
