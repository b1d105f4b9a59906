"""The three-year sustained-improvement picture (DESIGN.md section 4; rules in docs/three-year-picture.md).

For a window of three reporting years, each finding raised by the window's end gets a row per
year, built from the board's records as they stood at that year's end, and a verdict at the
window's end with the reason that produced it. The picture rolls up by theme, agency and level.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from uuid import UUID

import attrs

from ..domain.action import ActionState
from ..domain.finding import Check, FindingState
from ..domain.indicator import IndicatorState
from ..domain.outcomes import BoardRecords
from ..domain.values import ActionStatus, CheckResult, ReportingYear, Stage
from .returns import AreaLine, areas_in_window
from .spc import Direction, direction_of_travel

YEAR = 365
"""Days: "a year apart" and "over a year" in the verdict rules."""


class Verdict(enum.StrEnum):
    SUSTAINED = "sustained"
    IMPROVING = "improving"
    NO_EVIDENCE_YET = "no_evidence_yet"
    DETERIORATING = "deteriorating"
    STALLED = "stalled"
    AWAITING_ACTION = "awaiting_action"


VERDICT_ORDER = (
    Verdict.DETERIORATING,
    Verdict.SUSTAINED,
    Verdict.STALLED,
    Verdict.IMPROVING,
    Verdict.NO_EVIDENCE_YET,
    Verdict.AWAITING_ACTION,
)


@attrs.frozen
class Evidence:
    """What the verdict rules look at, for one finding at one moment."""

    raised_on: date
    stage: Stage
    checks: tuple[Check, ...]
    """Monitoring checks made by then, oldest first."""
    overdue_actions: tuple[str, ...]
    """Descriptions of the actions overdue then."""
    indicators: Mapping[str, Direction]
    """The direction of travel then of each indicator linked to the finding."""
    improving_indicator_dates: tuple[tuple[date, str], ...] = ()
    """Year ends at which a linked indicator was improving, with its key."""


@attrs.frozen
class Judgement:
    verdict: Verdict
    reason: str


def judge(evidence: Evidence, end: date) -> Judgement:
    """The verdict for one finding at ``end`` (the rules of docs/three-year-picture.md, in order)."""
    checks = sorted(evidence.checks, key=lambda c: c.checked_on)
    latest = checks[-1] if checks else None
    worse_indicators = sorted(k for k, d in evidence.indicators.items() if d is Direction.DETERIORATING)
    improving_indicators = sorted(k for k, d in evidence.indicators.items() if d is Direction.IMPROVING)

    # 1. deteriorating
    if latest is not None and latest.result is CheckResult.WORSE:
        return Judgement(Verdict.DETERIORATING, f"the latest check ({_check(latest)}) found it worse")
    if worse_indicators:
        return Judgement(Verdict.DETERIORATING, f"indicator {', '.join(worse_indicators)} is deteriorating")

    # 2. sustained
    points = sorted(
        [(c.checked_on, f"{c.kind.value} check") for c in checks if c.result is CheckResult.IMPROVED]
        + [(d, f"indicator {k} improving") for d, k in evidence.improving_indicator_dates]
    )
    if points and points[-1][0] - points[0][0] >= timedelta(days=YEAR) and not evidence.overdue_actions:
        first, last = points[0], points[-1]
        return Judgement(
            Verdict.SUSTAINED,
            f"improvement evidenced on {first[0]} ({first[1]}) and {last[0]} ({last[1]}), "
            f"{(last[0] - first[0]).days} days apart; the latest check is not worse; no action is overdue",
        )

    # 3. stalled
    if evidence.overdue_actions:
        n = len(evidence.overdue_actions)
        listed = "; ".join(evidence.overdue_actions[:3]) + ("..." if n > 3 else "")
        return Judgement(Verdict.STALLED, f"{n} action{'s' if n > 1 else ''} overdue: {listed}")
    if latest is not None and latest.result is CheckResult.NO_CHANGE:
        return Judgement(Verdict.STALLED, f"the latest check ({_check(latest)}) found no change")
    if evidence.stage is Stage.LEARN and (end - evidence.raised_on).days > YEAR:
        return Judgement(Verdict.STALLED, f"raised on {evidence.raised_on} and not acted on for over a year")

    # 4. improving
    if latest is not None and latest.result is CheckResult.IMPROVED:
        return Judgement(Verdict.IMPROVING, f"the latest check ({_check(latest)}) found improvement, not yet sustained")
    if improving_indicators:
        return Judgement(Verdict.IMPROVING, f"indicator {', '.join(improving_indicators)} is improving")

    # 5. no evidence yet
    if evidence.stage is not Stage.LEARN:
        return Judgement(
            Verdict.NO_EVIDENCE_YET,
            f"at the {evidence.stage.value} stage but never checked: the board cannot yet know whether it worked",
        )

    # 6. awaiting action
    return Judgement(Verdict.AWAITING_ACTION, f"raised on {evidence.raised_on}; not yet acted on (under a year)")


def _check(check: Check) -> str:
    return f"{check.kind.value}, {check.checked_on}"


# -- the picture ---------------------------------------------------------------------------


@attrs.frozen
class YearRow:
    """One finding in one reporting year, as things stood at the year's end."""

    year: str
    stage: Stage | None
    """The stage reached by the year's end (``None``: not raised yet)."""
    actions_raised: int = 0
    actions_due: int = 0
    """Actions due within the year."""
    actions_done: int = 0
    """Actions completed within the year."""
    actions_overdue: int = 0
    """Actions overdue at the year's end."""
    actions_assured: int = 0
    """Actions assured by the year's end."""
    disseminations: int = 0
    """Disseminations carrying the finding delivered within the year."""
    reach: int = 0
    checks: tuple[str, ...] = ()
    """Results of the checks made within the year."""
    indicators: Mapping[str, str] = attrs.field(factory=dict)
    """Direction of travel of each linked indicator at the year's end."""


@attrs.frozen
class FindingPicture:
    finding_id: UUID
    statement: str
    level: str
    themes: tuple[str, ...]
    agencies: tuple[str, ...]
    raised_on: date
    years: tuple[YearRow, ...]
    verdict: Verdict
    reason: str


@attrs.frozen
class Picture:
    board_key: str
    years: tuple[str, ...]
    ends_on: date
    """The window's end: the last year's end, or the as-of date if that year is not over."""
    findings: tuple[FindingPicture, ...]
    by_verdict: Mapping[str, int]
    by_theme: Mapping[str, Mapping[str, int]]
    by_agency: Mapping[str, Mapping[str, int]]
    by_level: Mapping[str, Mapping[str, int]]
    includes_restricted: bool = False
    """Made with an explicit, logged read of restricted material (``restricted=``): it holds the
    material of reports not published, and every rendering of it says so at its top."""
    areas: tuple[AreaLine, ...] = ()
    """The self-assessment returns' areas for development in the window, and whether each is being delivered."""


def window(last: ReportingYear) -> tuple[ReportingYear, ReportingYear, ReportingYear]:
    return (ReportingYear(last.first - 2, last.start), ReportingYear(last.first - 1, last.start), last)


def indicator_directions(indicators: Sequence[IndicatorState], finding_id: UUID) -> dict[str, Direction]:
    return {
        i.key: direction_of_travel([m.value for m in i.measurements], i.polarity, target=i.target).direction
        for i in indicators
        if finding_id in i.finding_ids
    }


def picture(years: Sequence[tuple[ReportingYear, BoardRecords]]) -> Picture:
    """The picture from the board's records at the end of each year of the window, oldest first
    (each ``BoardRecords.as_of`` is the year's end, or an earlier date for a year not yet over)."""
    if not years:
        raise ValueError("a picture needs at least one year")
    _, last = years[-1]
    end = last.as_of
    rows: dict[UUID, list[YearRow]] = {f.finding_id: [] for f in last.findings}
    improving_at: dict[UUID, list[tuple[date, str]]] = {f.finding_id: [] for f in last.findings}
    for year, records in years:
        findings = {f.finding_id: f for f in records.findings}
        for finding_id in rows:
            finding = findings.get(finding_id)
            if finding is None:
                rows[finding_id].append(YearRow(year.label, None))
                continue
            directions = indicator_directions(records.indicators, finding_id)
            improving_at[finding_id].extend(
                (records.as_of, k) for k, d in sorted(directions.items()) if d is Direction.IMPROVING
            )
            rows[finding_id].append(_row(year, finding, records, directions))
    pictures = []
    for finding in last.findings:
        evidence = Evidence(
            raised_on=finding.raised_on,
            stage=finding.stage,
            checks=finding.checks,
            overdue_actions=_overdue(last.actions, finding.finding_id, end),
            indicators=indicator_directions(last.indicators, finding.finding_id),
            improving_indicator_dates=tuple(improving_at[finding.finding_id]),
        )
        judgement = judge(evidence, end)
        pictures.append(
            FindingPicture(
                finding.finding_id,
                finding.statement,
                finding.level.value,
                finding.themes,
                _agencies(finding, last.actions),
                finding.raised_on,
                tuple(rows[finding.finding_id]),
                judgement.verdict,
                judgement.reason,
            )
        )
    return Picture(
        board_key=last.board.key,
        years=tuple(y.label for y, _ in years),
        ends_on=end,
        findings=tuple(pictures),
        by_verdict=_count(p.verdict for p in pictures),
        by_theme=_roll_up(pictures, lambda p: p.themes or ("(no theme)",)),
        by_agency=_roll_up(pictures, lambda p: p.agencies or ("(no agency)",)),
        by_level=_roll_up(pictures, lambda p: (p.level,)),
        areas=areas_in_window(years),
    )


def _row(year: ReportingYear, finding: FindingState, records: BoardRecords, directions: Mapping[str, Direction]):
    actions = [
        a
        for a in records.actions
        if a.finding_id == finding.finding_id and a.status not in (ActionStatus.CANCELLED, ActionStatus.SUPERSEDED)
    ]
    carried = [d for d in records.disseminations if finding.finding_id in d.finding_ids and d.delivered_on in year]
    return YearRow(
        year=year.label,
        stage=finding.stage,
        actions_raised=len(actions),
        actions_due=sum(1 for a in actions if a.due_on in year),
        actions_done=sum(1 for a in actions if a.done_on is not None and a.done_on in year),
        actions_overdue=sum(1 for a in actions if a.is_overdue(records.as_of)),
        actions_assured=sum(1 for a in actions if a.is_assured),
        disseminations=len(carried),
        reach=sum(d.reach for d in carried),
        checks=tuple(c.result.value for c in finding.checks if c.checked_on in year),
        indicators={k: d.value for k, d in sorted(directions.items())},
    )


def _overdue(actions: Sequence[ActionState], finding_id: UUID, end: date) -> tuple[str, ...]:
    return tuple(
        f"{a.description} ({a.owner}, due {a.due_on})"
        for a in actions
        if a.finding_id == finding_id and a.is_overdue(end)
    )


def _agencies(finding: FindingState, actions: Sequence[ActionState]) -> tuple[str, ...]:
    owners = {a.owner for a in actions if a.finding_id == finding.finding_id}
    return tuple(sorted(set(finding.agencies) | owners))


def _count(verdicts) -> dict[str, int]:
    counted = Counter(v.value for v in verdicts)
    return {v.value: counted[v.value] for v in VERDICT_ORDER if counted[v.value]}


def _roll_up(pictures: Sequence[FindingPicture], keys) -> dict[str, dict[str, int]]:
    groups: dict[str, list[Verdict]] = {}
    for p in pictures:
        for key in keys(p):
            groups.setdefault(key, []).append(p.verdict)
    return {key: _count(verdicts) for key, verdicts in sorted(groups.items())}
