"""Direction of travel by statistical process control, as NHS England's "Making Data Count" does it.

An XmR chart (individuals and moving range): the mean of the points, the mean of the moving
ranges (the absolute differences between consecutive points), and process limits at
``mean +/- 2.66 x mean moving range``. Four special-cause rules, each marking the points involved:

1. **outside limits**: a point above the upper or below the lower process limit;
2. **shift**: seven or more consecutive points on the same side of the mean (a point on the mean
   breaks the run);
3. **trend**: seven or more consecutive points each higher (or each lower) than the one before
   (an equal neighbour breaks it);
4. **two of three near a limit**: two of three consecutive points beyond two thirds of the way
   from the mean to a process limit (but not beyond the limit), all three on the same side.

The direction of travel is read from the latest point: if it is part of a special-cause pattern,
the process has changed, and the indicator's polarity says whether that is improving or
deteriorating (a neutral indicator has "changed" without better or worse); otherwise there is no
significant change. With fewer points than the minimum there is not enough data to say.

Sources: docs/direction-of-travel.md cites each rule and constant.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from itertools import pairwise

import attrs

from ..domain.values import Polarity

LIMIT = 2.66
"""Process limits: mean +/- 2.66 x mean moving range (3 sigma, sigma estimated as MR-bar / 1.128)."""
NEAR = 2 * LIMIT / 3
"""Near a limit: beyond mean +/- 1.77 x mean moving range (2 sigma)."""
RUN = 7
"""Points in a shift or a trend."""
MIN_POINTS = 12
"""Fewer points than this: not enough data for the limits to be trusted."""


class Direction(enum.StrEnum):
    IMPROVING = "improving"
    DETERIORATING = "deteriorating"
    CHANGED = "changed"
    """A special cause on an indicator with no better direction (neutral polarity)."""
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    NOT_ENOUGH_DATA = "not_enough_data"


class Rule(enum.StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


RULE_TEXT = {
    Rule.OUTSIDE_LIMITS: "a point beyond a process limit",
    Rule.SHIFT: f"{RUN} or more points in a row on one side of the mean",
    Rule.TREND: f"{RUN} or more points in a row each higher or each lower than the last",
    Rule.TWO_OF_THREE: "two of three points in a row near a process limit, all on one side of the mean",
}


class Assurance(enum.StrEnum):
    """Will the process meet its target? (Making Data Count's assurance icons.)"""

    CONSISTENTLY_PASSES = "consistently_passes"
    CONSISTENTLY_FAILS = "consistently_fails"
    HIT_AND_MISS = "hit_and_miss"


@attrs.frozen
class XmR:
    """An XmR chart's centre line and limits."""

    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    near_upper: float
    near_lower: float


@attrs.frozen
class Signal:
    """A special cause: the rule, the points involved (0-based positions) and its side
    (+1 above the mean or upward, -1 below or downward)."""

    rule: Rule
    points: tuple[int, ...]
    side: int


@attrs.frozen
class DirectionOfTravel:
    direction: Direction
    reason: str
    rule: Rule | None = None
    points: tuple[int, ...] = ()
    """The points of the pattern the latest point belongs to (0-based positions)."""
    signals: tuple[Signal, ...] = ()
    chart: XmR | None = None
    assurance: Assurance | None = None


def xmr(values: Sequence[float], baseline: int | None = None) -> XmR:
    """The chart of ``values``; the mean and limits come from the first ``baseline`` points if
    given (fixing the limits after a baseline period), else from all of them."""
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two points")
    base = list(values[:baseline] if baseline else values)
    if len(base) < 2:
        raise ValueError("the baseline needs at least two points")
    mean = sum(base) / len(base)
    ranges = [abs(b - a) for a, b in pairwise(base)]
    mr = sum(ranges) / len(ranges)
    return XmR(mean, mr, mean + LIMIT * mr, mean - LIMIT * mr, mean + NEAR * mr, mean - NEAR * mr)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def shift_flags(sides: Sequence[int]) -> list[int]:
    """Per point, +1/-1 if it is part of a run of ``RUN`` or more on one side of the mean."""
    flags = [0] * len(sides)
    start = 0
    for i in range(1, len(sides) + 1):
        if i == len(sides) or sides[i] != sides[start] or sides[i] == 0:
            if sides[start] != 0 and i - start >= RUN:
                flags[start:i] = [sides[start]] * (i - start)
            start = i
    return flags


def trend_flags(values: Sequence[float]) -> list[int]:
    """Per point, +1/-1 if it is part of ``RUN`` or more points each higher/lower than the last."""
    flags = [0] * len(values)
    steps = [_sign(b - a) for a, b in pairwise(values)]
    start = 0  # a run of steps from step `start`
    for i in range(1, len(steps) + 1):
        if i == len(steps) or steps[i] != steps[start] or steps[i] == 0:
            if steps[start] != 0 and i - start + 1 >= RUN:
                flags[start : i + 1] = [steps[start]] * (i - start + 1)
            start = i
    return flags


def two_of_three_flags(close: Sequence[bool], sides: Sequence[int]) -> list[int]:
    """Per point, +1/-1 if it is a near-limit point of two of three consecutive points near a
    limit, all three on one side of the mean."""
    flags = [0] * len(close)
    for i in range(len(close) - 2):
        window = range(i, i + 3)
        side = sides[i]
        if side != 0 and all(sides[j] == side for j in window) and sum(close[j] for j in window) >= 2:
            for j in window:
                if close[j]:
                    flags[j] = side
    return flags


def _tolerance(values: Sequence[float]) -> float:
    """Differences smaller than this are rounding, not variation (a mean of equal points is
    not always exactly equal to them in floating point)."""
    return 1e-9 * max(1.0, max(abs(v) for v in values))


def signals(values: Sequence[float], chart: XmR) -> list[Signal]:
    """Every special-cause pattern in ``values``, in rule order."""
    tol = _tolerance(values)
    sides = [_sign(v - chart.mean) if abs(v - chart.mean) > tol else 0 for v in values]
    outside = [v > chart.upper + tol or v < chart.lower - tol for v in values]
    close = [
        not o and (v > chart.near_upper + tol or v < chart.near_lower - tol)
        for v, o in zip(values, outside, strict=True)
    ]
    found = [Signal(Rule.OUTSIDE_LIMITS, (i,), sides[i]) for i, o in enumerate(outside) if o]
    for rule, flags in (
        (Rule.SHIFT, shift_flags(sides)),
        (Rule.TREND, trend_flags(values)),
        (Rule.TWO_OF_THREE, two_of_three_flags(close, sides)),
    ):
        found.extend(Signal(rule, points, side) for points, side in _runs(flags, rule))
    return found


def _runs(flags: Sequence[int], rule: Rule) -> list[tuple[tuple[int, ...], int]]:
    """Group flagged points into patterns: consecutive points with the same flag (for two of
    three, flagged points at most two apart)."""
    gap = 2 if rule is Rule.TWO_OF_THREE else 1
    runs: list[tuple[list[int], int]] = []
    for i, flag in enumerate(flags):
        if not flag:
            continue
        if runs and runs[-1][1] == flag and i - runs[-1][0][-1] <= gap:
            runs[-1][0].append(i)
        else:
            runs.append(([i], flag))
    return [(tuple(points), side) for points, side in runs]


def direction_of_travel(
    values: Sequence[float],
    polarity: Polarity,
    *,
    target: float | None = None,
    min_points: int = MIN_POINTS,
    baseline: int | None = None,
) -> DirectionOfTravel:
    """Improving, deteriorating, changed (neutral), no significant change, or not enough data,
    read from the latest point, with the rule that fired and the points involved."""
    values = [float(v) for v in values]
    if len(values) < max(min_points, 2):
        return DirectionOfTravel(
            Direction.NOT_ENOUGH_DATA, f"{len(values)} points; at least {max(min_points, 2)} are needed"
        )
    chart = xmr(values, baseline)
    found = tuple(signals(values, chart))
    assurance = _assurance(chart, polarity, target)
    latest = len(values) - 1
    for signal in found:
        if latest in signal.points:
            if polarity is Polarity.NEUTRAL:
                direction = Direction.CHANGED
            else:
                better = 1 if polarity is Polarity.HIGHER_IS_BETTER else -1
                direction = Direction.IMPROVING if signal.side == better else Direction.DETERIORATING
            way = "upward" if signal.side > 0 else "downward"
            reason = f"special cause ({RULE_TEXT[signal.rule]}, {way}) including the latest point"
            return DirectionOfTravel(direction, reason, signal.rule, signal.points, found, chart, assurance)
    reason = "common-cause variation: the latest point is part of no special-cause pattern"
    return DirectionOfTravel(Direction.NO_SIGNIFICANT_CHANGE, reason, None, (), found, chart, assurance)


def _assurance(chart: XmR, polarity: Polarity, target: float | None) -> Assurance | None:
    if target is None or polarity is Polarity.NEUTRAL:
        return None
    higher = polarity is Polarity.HIGHER_IS_BETTER
    if target > chart.upper:
        return Assurance.CONSISTENTLY_FAILS if higher else Assurance.CONSISTENTLY_PASSES
    if target < chart.lower:
        return Assurance.CONSISTENTLY_PASSES if higher else Assurance.CONSISTENTLY_FAILS
    return Assurance.HIT_AND_MISS
