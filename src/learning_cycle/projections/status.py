"""The cycle at a glance: every finding, activity and indicator of a board, and the totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from uuid import UUID

import attrs

from ..domain.menu import Menu
from ..domain.outcomes import BoardRecords
from ..domain.timescales import ENGLAND_AND_WALES, Deadline, DeadlineStatus, WorkingCalendar
from ..domain.values import ActionStatus, PublicationStatus, Stage
from .involvement import Involvement, involvement
from .picture import Picture, Verdict
from .reviews import RestrictedReview, board_names, restricted_reviews
from .spc import direction_of_travel


@attrs.frozen
class FindingStatus:
    finding_id: UUID
    statement: str
    level: str
    nature: str
    themes: tuple[str, ...]
    agencies: tuple[str, ...]
    raised_on: date
    stage: Stage
    since: date
    days_in_stage: int
    open_actions: int
    overdue_actions: int
    last_dissemination: date | None
    last_check: tuple[date, str] | None
    verdict: Verdict | None
    reason: str
    review: str | None = None
    """The label of its review (``A``, ``B``...: ``CycleStatus.restricted_reviews``) when that review's
    report is not published; its words are then a placeholder: show the label, not the placeholder."""


@attrs.frozen
class ActivityStatusView:
    activity_id: UUID
    title: str
    kind: str
    method: str
    method_known: bool
    status: str
    commissioned_on: date
    clock_paused: bool
    deadlines: tuple[Deadline, ...]
    overdue_steps: tuple[str, ...]
    review: str | None = None
    """The label of this activity in ``CycleStatus.restricted_reviews`` when its report is not published."""


@attrs.frozen
class IndicatorStatus:
    key: str
    title: str
    kind: str
    unit: str
    polarity: str
    target: float | None
    points: int
    latest_period: str | None
    latest_value: float | None
    restated: int
    direction: str
    reason: str
    rule: str | None
    assurance: str | None
    values: tuple[float, ...]


@attrs.frozen
class Transparency:
    approved: int
    published: int
    withheld: tuple[tuple[str, str], ...]
    """(activity title, reason)."""
    delayed: tuple[tuple[str, str, date | None], ...]
    """(activity title, reason, review date)."""
    undecided: int


@attrs.frozen
class VoiceCoverage:
    activities_informed: int
    activities: int
    findings_informed: int
    findings: int


@attrs.frozen
class CycleStatus:
    board_key: str
    board_name: str
    as_of: date
    as_known_at: datetime | None
    findings: tuple[FindingStatus, ...]
    activities: tuple[ActivityStatusView, ...]
    indicators: tuple[IndicatorStatus, ...]
    by_stage: Mapping[str, int]
    by_level: Mapping[str, int]
    by_agency: Mapping[str, int]
    by_priority: Mapping[str, int]
    by_theme: Mapping[str, int]
    by_verdict: Mapping[str, int]
    overdue_actions_by_agency: Mapping[str, int]
    voice: VoiceCoverage
    transparency: Transparency
    includes_restricted: bool = False
    """Made with an explicit, logged read of restricted material (``restricted=``): it holds the
    material of reports not published, and every rendering of it says so at its top."""
    names: Mapping[str, str] = attrs.field(factory=dict)
    """The words a person reads for each key the model holds: the board's agencies, districts and
    priorities by their names, review methods by their plugins' titles (keys stay in JSON)."""
    last_recorded: date | None = None
    """The latest day on which anything shown was recorded to happen (an activity, finding, action,
    spread of learning, check or figure): a view as of a later day counts its timescales to then."""
    restricted_reviews: tuple[RestrictedReview, ...] = ()
    involvement: Involvement | None = None
    """Who took part in the board's learning, over all its records (:mod:`.involvement`)."""
    """Each review whose report is not published, once: kind, reason, review date, counts, and the
    numbers of its findings (positions, from 1, in ``findings``), to state once in place of repeating
    the placeholder on every line. Empty when made with restricted access (the material is shown)."""

    @property
    def empty(self) -> bool:
        return not (self.findings or self.activities or self.indicators)


def cycle_status(
    records: BoardRecords,
    menu: Menu,
    picture: Picture | None = None,
    *,
    as_known_at: datetime | None = None,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
    methods: Mapping[str, str] | None = None,
) -> CycleStatus:
    """The status of a board from its records as of ``records.as_of``; verdicts from ``picture``
    (the three-year window ending then), if given; ``methods``: each review method's title by its key."""
    on = records.as_of
    verdicts = {p.finding_id: (p.verdict, p.reason) for p in picture.findings} if picture else {}
    actions_of: dict[UUID, list] = {}
    for a in records.actions:
        actions_of.setdefault(a.finding_id, []).append(a)
    findings = []
    for f in records.findings:
        stage = f.stage
        since = f.reached(stage) or f.raised_on
        live = [a for a in actions_of.get(f.finding_id, ()) if a.status is ActionStatus.OPEN]
        delivered = [d.delivered_on for d in records.disseminations if f.finding_id in d.finding_ids]
        checks = sorted(f.checks, key=lambda c: c.checked_on)
        verdict, reason = verdicts.get(f.finding_id, (None, ""))
        findings.append(
            FindingStatus(
                finding_id=f.finding_id,
                statement=f.statement,
                level=f.level.value,
                nature=f.nature.value,
                themes=f.themes,
                agencies=f.agencies,
                raised_on=f.raised_on,
                stage=stage,
                since=since,
                days_in_stage=(on - since).days,
                open_actions=len(live),
                overdue_actions=sum(1 for a in live if a.is_overdue(on)),
                last_dissemination=max(delivered, default=None),
                last_check=(checks[-1].checked_on, checks[-1].result.value) if checks else None,
                verdict=verdict,
                reason=reason,
            )
        )
    activities = []
    for a in records.activities:
        timescales = menu.timescales(a.method)
        deadlines = a.deadlines(timescales, on, calendar) if timescales else ()
        activities.append(
            ActivityStatusView(
                activity_id=a.activity_id,
                title=a.title,
                kind=a.kind,
                method=a.method,
                method_known=timescales is not None,
                status=a.status.value,
                commissioned_on=a.started_on,
                clock_paused=a.clock_paused,
                deadlines=deadlines,
                overdue_steps=tuple(d.timescale.label for d in deadlines if d.status is DeadlineStatus.OVERDUE),
            )
        )
    indicators = []
    for i in records.indicators:
        values = tuple(m.value for m in i.measurements)
        travel = direction_of_travel(values, i.polarity, target=i.target)
        latest = i.measurements[-1] if i.measurements else None
        indicators.append(
            IndicatorStatus(
                key=i.key,
                title=i.title,
                kind=i.kind.value,
                unit=i.unit,
                polarity=i.polarity.value,
                target=i.target,
                points=len(values),
                latest_period=i.period(latest.period_start, records.board.year_start).label if latest else None,
                latest_value=latest.value if latest else None,
                restated=sum(1 for m in i.measurements if m.corrected),
                direction=travel.direction.value,
                reason=travel.reason,
                rule=travel.rule.value if travel.rule else None,
                assurance=travel.assurance.value if travel.assurance else None,
                values=values,
            )
        )
    # with a recorded read the material is shown as recorded: nothing to state in its place
    shown = records if not records.includes_restricted else attrs.evolve(records, restricted=())
    reviews, labels = restricted_reviews(shown, [f.finding_id for f in findings])
    activity_of = {f.finding_id: f.activity_id for f in records.findings}
    findings = [attrs.evolve(f, review=labels.get(activity_of[f.finding_id])) for f in findings]
    activities = [attrs.evolve(a, review=labels.get(a.activity_id)) for a in activities]
    year = records.board.year_start.year_of(on)
    priorities = dict(records.board.priorities).get(year.first, ())
    overdue_by_agency = Counter(a.owner for a in records.actions if a.is_overdue(on))
    return CycleStatus(
        board_key=records.board.key,
        board_name=records.board.name,
        as_of=on,
        as_known_at=as_known_at,
        findings=tuple(findings),
        activities=tuple(activities),
        indicators=tuple(indicators),
        by_stage={s.value: sum(1 for f in findings if f.stage is s) for s in Stage},
        by_level=_count(f.level for f in findings),
        by_agency=_count(a for f in findings for a in f.agencies),
        by_priority={p.key: sum(1 for f in findings if p.key in f.themes) for p in priorities},
        by_theme=_count(t for f in findings for t in f.themes),
        by_verdict=_count(f.verdict.value for f in findings if f.verdict is not None),
        overdue_actions_by_agency=dict(sorted(overdue_by_agency.items())),
        voice=VoiceCoverage(
            activities_informed=sum(1 for a in records.activities if a.voice_of_child.informed),
            activities=len(records.activities),
            findings_informed=sum(1 for f in records.findings if f.voice_of_child.informed),
            findings=len(records.findings),
        ),
        transparency=_transparency(records),
        names=board_names(records, methods),
        last_recorded=last_recorded(records),
        restricted_reviews=reviews,
        involvement=involvement(records, records.activities, records.disseminations, lambda d: d is not None),
    )


def last_recorded(records: BoardRecords) -> date | None:
    """The latest day on which anything in ``records`` was recorded to happen."""
    days = [
        d
        for a in records.activities
        for d in (a.started_on, a.completed_on, a.closed_on, a.report_approved_on, a.publication_decided_on)
    ]
    days += [d for f in records.findings for d in (f.raised_on, *(on for _, on in f.stage_dates))]
    days += [c.checked_on for f in records.findings for c in f.checks]
    days += [d for a in records.actions for d in (a.raised_on, a.completed_on, a.assured_on)]
    days += [d.delivered_on for d in records.disseminations]
    days += [m.recorded_on for i in records.indicators for m in i.measurements]
    return max((d for d in days if d is not None and d <= records.as_of), default=None)


def _transparency(records: BoardRecords) -> Transparency:
    approved = [a for a in records.activities if a.report_approved_on is not None and records.to_publish(a)]
    decided = [a for a in approved if a.publication is not None]
    return Transparency(
        approved=len(approved),
        published=sum(1 for a in decided if a.publication.status is PublicationStatus.PUBLISHED),
        withheld=tuple(
            (a.title, a.publication.reason or "") for a in decided if a.publication.status is PublicationStatus.WITHHELD
        ),
        delayed=tuple(
            (a.title, a.publication.reason or "", a.publication.review_on)
            for a in decided
            if a.publication.status is PublicationStatus.DELAYED
        ),
        undecided=len(approved) - len(decided),
    )


def _count(items) -> dict[str, int]:
    return dict(sorted(Counter(items).items()))
