"""Direction of travel: the Making Data Count rules on published test vectors, and their properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import Polarity
from learning_cycle.projections.spc import (
    LIMIT,
    Assurance,
    Direction,
    Rule,
    direction_of_travel,
    shift_flags,
    signals,
    trend_flags,
    two_of_three_flags,
    xmr,
)

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
    assert result.direction is Direction.NO_SIGNIFICANT_CHANGE


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
