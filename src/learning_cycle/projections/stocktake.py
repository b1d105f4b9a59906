"""The annual stock-take model: everything the framework's yearly question needs, for one year.

"How effective are we at safeguarding children?" is answered from what was learnt, what was done
about it, how it fed into training, and what monitoring shows, with the three-year picture, the
outcome measures and what changed since the previous stock-take. The model is pure data; the
reports (Markdown, HTML, JSON) render it.

Built as known at the stock-take (the moment its event was recorded), it is exactly what could be
known then. Built as known now, every figure restated since then is marked with both values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

import attrs

from ..domain.menu import Menu
from ..domain.outcomes import BoardRecords, OutcomeMeasure, OutcomeValue
from ..domain.values import ActionStatus, IndicatorKind, PublicationStatus, ReportingYear
from .evidence import EvidenceChain, evidence_chains
from .involvement import Involvement, involvement
from .picture import Picture
from .principles import PrinciplesSection, principles_section
from .programme import ProgrammeSection, programme_section
from .returns import ReturnsSection, returns_section
from .reviews import RestrictedReview, board_names, restricted_reviews
from .spc import direction_of_travel


@attrs.frozen
class ActivityLine:
    title: str
    kind: str
    method: str
    status: str
    commissioned_on: date
    planned_completion: date | None
    completed_on: date | None
    delivery: str
    """Against its planned completion: ``on time``, ``late``, ``not delivered`` (planned in the
    year, not done), or ``no planned date`` (whether it delivers an item of the year's programme is
    the programme's table)."""


@attrs.frozen
class Restatement:
    indicator: str
    period: str
    old: float
    new: float
    title: str = ""
    """The indicator's title (``indicator`` is its key)."""


@attrs.frozen
class IndicatorLine:
    key: str
    title: str
    kind: str
    unit: str
    latest_period: str | None
    latest_value: float | None
    direction: str
    reason: str
    assurance: str | None
    target: float | None
    values: tuple[float, ...]
    periods: tuple[str, ...]
    polarity: str = "neutral"
    special: tuple[int, ...] = ()
    """Positions of the figures that are part of a special-cause pattern."""
    restated: tuple[Restatement, ...] = ()


@attrs.frozen
class OutcomeStatement:
    """An outcome measure, its value, and the findings whose chains evidence it."""

    key: str
    title: str
    statement: str | None
    unit: str
    value: float | None
    numerator: int | None
    denominator: int | None
    note: str
    indicators: tuple[str, ...]
    findings: tuple[str, ...]
    """Ids of the findings linked to the indicators that evidence it (see ``chains``)."""


@attrs.frozen
class Change:
    what: str
    previous: object
    now: object


@attrs.frozen
class StockTake:
    board_key: str
    board_name: str
    year: str
    starts_on: date
    ends_on: date
    as_of: date
    as_known_at: datetime | None
    held_on: date | None
    decisions: tuple[str, ...]
    next_priorities: tuple[tuple[str, str], ...]
    priorities: tuple[tuple[str, str], ...]
    # learn
    activities: tuple[ActivityLine, ...]
    activities_by_kind: Mapping[str, int]
    activities_by_method: Mapping[str, int]
    findings_raised: int
    findings_by_level: Mapping[str, int]
    findings_by_theme: Mapping[str, int]
    findings_by_pattern: Mapping[str, int]
    # act
    actions_raised: int
    actions_completed: int
    actions_completed_on_time: int
    actions_overdue_at_year_end: int
    actions_assured: int
    actions_open_at_year_end: int
    # train
    disseminations: int
    disseminations_by_channel: Mapping[str, int]
    reach: int
    reach_by_district: Mapping[str, int]
    feedback_received: int
    # monitor
    checks: int
    checks_by_result: Mapping[str, int]
    indicators: Mapping[str, tuple[IndicatorLine, ...]]
    """By kind: how much, how well, is anyone better off."""
    picture: Picture
    outcomes: Mapping[str, OutcomeValue]
    statements: tuple[OutcomeStatement, ...]
    chains: tuple[EvidenceChain, ...]
    # transparency and voice
    reports_published: int
    reports_withheld: tuple[tuple[str, str], ...]
    reports_delayed: tuple[tuple[str, str, date | None], ...]
    voice_activities: tuple[int, int]
    voice_findings: tuple[int, int]
    changes: tuple[Change, ...] = ()
    restatements: tuple[Restatement, ...] = ()
    log_head: str | None = None
    """The event log's head the report was made from, as ``POSITION:HEX`` (as known at the report's
    moment): ``learning-cycle verify --digest`` with it proves the log up to there is unchanged."""
    includes_restricted: bool = False
    """Made with an explicit, logged read of restricted material (``restricted=``): it holds the
    material of reports not published, and every rendering of it says so at its top."""
    restricted_reviews: tuple[RestrictedReview, ...] = ()
    """Each review whose report is not published, once (see :class:`RestrictedReview`)."""
    names: Mapping[str, str] = attrs.field(factory=dict)
    """The plain name of each key the board recorded (agencies, districts, priorities) and of each
    method (its plugin's title, when the caller gives it): what a person reads in place of the key."""
    principles: PrinciplesSection = attrs.field(factory=PrinciplesSection)
    """The year taken stock of against each principle of the framework (:mod:`.principles`)."""
    returns: ReturnsSection = attrs.field(factory=ReturnsSection)
    """Self-assessment returns, employer-duty assurance and the peer review (:mod:`.returns`)."""
    programme: ProgrammeSection = attrs.field(factory=lambda: ProgrammeSection(None, planned=False))
    """The year's quality-assurance programme planned against delivered, and what prompted the
    year's learning (:mod:`.programme`); says which sub-group the stock-take is read for."""
    involvement: Involvement | None = None
    """Keeping professionals, children and families involved (framework §3.4; :mod:`.involvement`)."""

    def counts(self) -> dict[str, object]:
        """The headline figures, compared year on year."""
        return {
            "learning activities in the year": len(self.activities),
            "findings raised": self.findings_raised,
            "actions raised": self.actions_raised,
            "actions completed": self.actions_completed,
            "actions overdue at the year's end": self.actions_overdue_at_year_end,
            "pieces of learning delivered": self.disseminations,
            "attendances": self.involvement.attendances if self.involvement else self.reach,
            "people reached": self.involvement.people_reached if self.involvement else 0,
            "monitoring checks": self.checks,
            "final reports published": self.reports_published,
            **{f"findings with the verdict '{VERDICT_WORDS.get(k, k)}'": v for k, v in self.picture.by_verdict.items()},
        }


def stock_take(
    year: ReportingYear,
    records: BoardRecords,
    picture: Picture,
    measures: Mapping[str, OutcomeMeasure],
    *,
    as_known_at: datetime | None = None,
    known_then: BoardRecords | None = None,
    previous: StockTake | None = None,
    methods: Mapping[str, str] | None = None,
    menu: Menu | None = None,
) -> StockTake:
    """The stock-take of ``year`` from the board's records as known (``records.as_of`` is when:
    the year's figures may be reported after it ends). What happened in the year is counted
    by its dates; what stood at the year's end is judged at the year's end.

    :param known_then: the same records as known at the stock-take; given when ``records`` are
        known later, so that restated figures can be marked with the old and the new value.
    :param previous: the previous year's stock-take, for what changed since.
    :param methods: each method's title (its plugin's descriptor), shown in place of its key.
    :param menu: the methods on the menu (which of them publish a report), for the principles.
    """
    inside: Callable[[date | None], bool] = lambda d: d is not None and d in year
    end = min(year.ends_on, records.as_of)
    board = records.board
    held = next((s for s in board.stock_takes if s.year == year.first), None)
    activities = [
        a
        for a in records.activities
        if inside(a.started_on)
        or inside(a.completed_on)
        or inside(a.planned_completion)
        or (a.started_on <= year.starts_on and (a.completed_on is None or a.completed_on >= year.starts_on))
    ]
    findings = [f for f in records.findings if inside(f.raised_on)]
    actions = list(records.actions)
    completed = [a for a in actions if a.status is ActionStatus.COMPLETED and inside(a.completed_on)]
    delivered = [d for d in records.disseminations if inside(d.delivered_on)]
    reach_by_district: Counter[str] = Counter()
    for d in delivered:  # learning delivered across several districts is counted once, under all of them
        reach_by_district[", ".join(d.districts) if d.districts else "(board-wide)"] += d.reach
    checks = [c for f in records.findings for c in f.checks if inside(c.checked_on)]
    decided = [a for a in records.activities if a.publication is not None and inside(a.publication_decided_on)]
    restatements = _restatements(records, known_then, end) if known_then is not None else ()
    titles = {i.key: i.title for i in records.indicators}
    restatements = tuple(attrs.evolve(r, title=titles.get(r.indicator, r.indicator)) for r in restatements)
    restated = {(r.indicator, r.period): r for r in restatements}
    indicators: dict[str, list[IndicatorLine]] = {k.value: [] for k in IndicatorKind}
    for i in records.indicators:
        known = [m for m in i.measurements if m.period_start <= end]
        travel = direction_of_travel([m.value for m in known], i.polarity, target=i.target)
        latest = known[-1] if known else None
        indicators[i.kind.value].append(
            IndicatorLine(
                key=i.key,
                title=i.title,
                kind=i.kind.value,
                unit=i.unit,
                latest_period=i.period(latest.period_start, board.year_start).label if latest else None,
                latest_value=latest.value if latest else None,
                direction=travel.direction.value,
                reason=travel.reason,
                assurance=travel.assurance.value if travel.assurance else None,
                target=i.target,
                values=tuple(m.value for m in known),
                periods=tuple(i.period(m.period_start, board.year_start).label for m in known),
                polarity=i.polarity.value,
                special=tuple(sorted({p for signal in travel.signals for p in signal.points})),
                restated=tuple(
                    restated[(i.key, i.period(m.period_start, board.year_start).label)]
                    for m in known
                    if (i.key, i.period(m.period_start, board.year_start).label) in restated
                ),
            )
        )
    measures = {k: m for k, m in measures.items() if m.reported_by(records, end)}  # as chosen by the year's end
    outcomes = {key: m.compute(attrs.evolve(records, as_of=end)) for key, m in sorted(measures.items())}
    chains, reviews = _reviews(records, evidence_chains(records, picture, end))
    involved = involvement(records, activities, delivered, inside)
    returned = returns_section(records, year)
    model = StockTake(
        board_key=board.key,
        board_name=board.name,
        year=year.label,
        starts_on=year.starts_on,
        ends_on=year.ends_on,
        as_of=records.as_of,
        as_known_at=as_known_at,
        held_on=held.held_on if held else None,
        decisions=held.decisions if held else (),
        next_priorities=tuple((p.key, p.title) for p in held.next_priorities) if held else (),
        priorities=tuple((p.key, p.title) for p in dict(board.priorities).get(year.first, ())),
        activities=tuple(_activity(a, year) for a in activities),
        activities_by_kind=_count(a.kind for a in activities),
        activities_by_method=_count(a.method for a in activities),
        findings_raised=len(findings),
        findings_by_level=_count(f.level.value for f in findings),
        findings_by_theme=_count(t for f in findings for t in f.themes),
        findings_by_pattern=_count(p for f in findings for p in f.patterns),
        actions_raised=sum(1 for a in actions if inside(a.raised_on)),
        actions_completed=len(completed),
        actions_completed_on_time=sum(1 for a in completed if a.completed_on <= a.due_on),
        actions_overdue_at_year_end=sum(1 for a in actions if a.is_overdue(end)),
        actions_assured=sum(1 for a in actions if inside(a.assured_on)),
        actions_open_at_year_end=sum(
            1
            for a in actions
            if a.raised_on <= end
            and (
                a.status is ActionStatus.OPEN
                or (a.status is ActionStatus.COMPLETED and a.completed_on is not None and a.completed_on > end)
            )
        ),
        disseminations=len(delivered),
        disseminations_by_channel=_count(d.channel.value for d in delivered),
        reach=sum(d.reach for d in delivered),
        reach_by_district=dict(sorted(reach_by_district.items())),
        feedback_received=sum(1 for d in records.disseminations for fb in d.feedback if inside(fb.on)),
        checks=len(checks),
        checks_by_result=_count(c.result.value for c in checks),
        indicators={k: tuple(v) for k, v in indicators.items()},
        picture=picture,
        outcomes=outcomes,
        statements=_statements(measures, outcomes, records),
        chains=chains,
        restricted_reviews=reviews,
        names=board_names(records, methods or {}),
        reports_published=sum(1 for a in decided if a.publication.status is PublicationStatus.PUBLISHED),
        reports_withheld=tuple(
            (a.title, a.publication.reason or "") for a in decided if a.publication.status is PublicationStatus.WITHHELD
        ),
        reports_delayed=tuple(
            (a.title, a.publication.reason or "", a.publication.review_on)
            for a in decided
            if a.publication.status is PublicationStatus.DELAYED
        ),
        voice_activities=(sum(1 for a in activities if a.voice_of_child.informed), len(activities)),
        voice_findings=(sum(1 for f in findings if f.voice_of_child.informed), len(findings)),
        restatements=restatements,
        principles=principles_section(records, year, picture, menu or Menu(), involvement=involved, returns=returned),
        returns=returned,
        programme=programme_section(year, records),
        involvement=involved,
    )
    if previous is not None:
        refs = {c.finding_id: f"finding {c.number}" + (f", not published (review {c.review})" if c.redacted and c.review else f": {_short(c.statement)}") for c in chains}  # fmt: skip
        model = attrs.evolve(model, changes=_changes(previous, model, refs))
    return model


def _reviews(
    records: BoardRecords, chains: tuple[EvidenceChain, ...]
) -> tuple[tuple[EvidenceChain, ...], tuple[RestrictedReview, ...]]:
    """The chains numbered, each referring to its restricted review's label, and the reviews."""
    reviews, labels = restricted_reviews(records, [c.finding_id for c in chains])
    of = {str(f.finding_id): f.activity_id for f in records.findings}
    numbered = tuple(
        attrs.evolve(c, number=n, review=labels.get(of.get(c.finding_id))) for n, c in enumerate(chains, 1)
    )
    return numbered, reviews


def _statements(measures, outcomes, records: BoardRecords) -> tuple[OutcomeStatement, ...]:
    found = []
    for key, measure in sorted(measures.items()):
        value = outcomes[key]
        indicators = tuple(sorted(i.key for i in records.indicators if i.key == key or key.removeprefix("statement-") in i.priorities))  # fmt: skip
        findings = tuple(sorted({str(f) for i in records.indicators if i.key in indicators for f in i.finding_ids}))
        found.append(
            OutcomeStatement(
                key,
                measure.title,
                measure.statement,
                measure.unit,
                value.value,
                value.numerator,
                value.denominator,
                value.note,
                indicators,
                findings,
            )
        )
    return tuple(found)


def _activity(a, year: ReportingYear) -> ActivityLine:
    """Planned against delivered: an activity planned to finish in the year is ``on time``,
    ``late`` or ``not delivered``; one finished in the year without a planned completion date is ``no planned date``;
    one finished in the year after a plan for an earlier year is ``late``."""
    planned, done = a.planned_completion, a.completed_on
    done_in_year = done is not None and done in year
    if planned is not None and planned in year and (done is None or done > year.ends_on):
        delivery = "not delivered"
    elif planned is not None and planned in year:
        delivery = "on time" if done <= planned else "late"
    elif done_in_year and planned is None:
        delivery = "no planned date"
    elif done_in_year:
        delivery = "late" if done > planned else "on time"
    else:
        delivery = "in progress"
    return ActivityLine(a.title, a.kind, a.method, a.status.value, a.started_on, planned, done, delivery)


def _restatements(now: BoardRecords, then: BoardRecords, until: date) -> tuple[Restatement, ...]:
    """Figures for periods up to ``until`` held at the stock-take and restated since."""
    earlier = {(i.key, m.period_start): m.value for i in then.indicators for m in i.measurements}
    found = []
    for i in now.indicators:
        for m in i.measurements:
            if m.period_start > until:
                continue
            old = earlier.get((i.key, m.period_start))
            if old is not None and old != m.value:
                found.append(Restatement(i.key, i.period(m.period_start, now.board.year_start).label, old, m.value))
    return tuple(found)


def _changes(previous: StockTake, now: StockTake, refs: Mapping[str, str]) -> tuple[Change, ...]:
    before, after = previous.counts(), now.counts()
    changes = [Change(k, before.get(k, 0), after.get(k, 0)) for k in dict.fromkeys([*before, *after])]
    then = {p.finding_id: p.verdict.value for p in previous.picture.findings}
    for p in now.picture.findings:
        old = then.get(p.finding_id)
        if old is not None and old != p.verdict.value:
            what = refs.get(str(p.finding_id)) or f"'{_short(p.statement)}'"
            changes.append(Change(f"verdict of {what}", old, p.verdict.value))
    return tuple(c for c in changes if c.previous != c.now)


VERDICT_WORDS = {"no_evidence_yet": "no evidence yet", "awaiting_action": "awaiting action"}
"""The verdicts whose key is not their word (the rest read as they are)."""


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _count(items) -> dict[str, int]:
    return dict(sorted(Counter(items).items()))


__all__: Sequence[str] = (
    "Change",
    "IndicatorLine",
    "Restatement",
    "RestrictedReview",
    "StockTake",
    "restricted_reviews",
    "stock_take",
)
