"""The framework's outcome measures and outcome statements, and measures the log alone answers.

Three families (see docs/plugins.md for the exact definitions):

* **the framework's examples of outcome information** ("is anyone better off?"), read from the
  board's indicator with the conventional key;
* **the framework's outcome statements** (§4.0), each answered by the indicators that name the
  statement's key among their priorities: the share of them better than a year before;
* **measures of the learning cycle itself**, worked out from the event log alone.

Every measure is a pure function of :class:`~learning_cycle.BoardRecords`: same records, same
value; an empty or partial board gives ``None`` (nothing to measure yet), never a crash.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from learning_cycle import (
    ActionStatus,
    BoardRecords,
    CheckResult,
    IndicatorKind,
    IndicatorState,
    OutcomeMeasure,
    OutcomeValue,
    Polarity,
    PublicationStatus,
    hookimpl,
    proportion,
)

OUTCOME = IndicatorKind.BETTER_OFF
HOW_WELL = IndicatorKind.HOW_WELL


def latest_of(key: str):
    """A measure reading the latest figure of the board's indicator ``key``."""

    def compute(records: BoardRecords) -> OutcomeValue:
        indicator = records.indicator(key)
        if indicator is None:
            return OutcomeValue(None, note=f"the board has no indicator {key!r}")
        known = [m for m in indicator.measurements if m.period_start <= records.as_of]
        if not known:
            return OutcomeValue(None, evidence=(key,), note="no figure recorded yet")
        latest = known[-1]
        label = indicator.period(latest.period_start, records.board.year_start).label
        if not 0.0 <= latest.value <= 100.0:
            return OutcomeValue(None, evidence=(key,), note=f"{label}: {latest.value:g} is not a percentage")
        return OutcomeValue(latest.value, evidence=(key,), note=f"{label}: {latest.value:g}")

    return compute


def year_on_year(indicator: IndicatorState, as_of: date) -> bool | None:
    """Whether the latest figure is better than the figure for the same period a year before;
    ``None`` if there is no such pair, or the indicator has no better direction."""
    if indicator.polarity is Polarity.NEUTRAL:
        return None
    known = [m for m in indicator.measurements if m.period_start <= as_of]
    if not known:
        return None
    latest = known[-1]
    try:
        year_before = latest.period_start.replace(year=latest.period_start.year - 1)
    except ValueError:  # 29 February
        return None
    before = next((m for m in known if m.period_start == year_before), None)
    if before is None or before.value == latest.value:
        return None if before is None else False
    higher = latest.value > before.value
    return higher if indicator.polarity is Polarity.HIGHER_IS_BETTER else not higher


def statement_evidence(statement_key: str):
    """The share of the indicators evidencing a statement that are better than a year before: the
    indicators the board named when it adopted the statement's measure, else those that name the
    statement's key among their priorities."""

    def compute(records: BoardRecords) -> OutcomeValue:
        choice = records.board.measure_choice(f"statement-{statement_key}", records.as_of)
        if choice is not None and choice.indicators:
            evidence = [i for i in records.indicators if i.key in choice.indicators]
        else:
            evidence = [i for i in records.indicators if statement_key in i.priorities]
        verdicts = {i.key: year_on_year(i, records.as_of) for i in evidence}
        judged = {k: v for k, v in verdicts.items() if v is not None}
        if not judged:
            return OutcomeValue(
                None,
                evidence=tuple(sorted(verdicts)),
                note=f"no indicator tagged {statement_key!r} has figures a year apart",
            )
        better = sum(judged.values())
        return proportion(
            better,
            len(judged),
            breakdown={k: 100.0 if v else 0.0 for k, v in sorted(judged.items())},
            evidence=tuple(sorted(judged)),
            note="indicators better than a year before",
        )

    return compute


def partnership_outcomes(records: BoardRecords) -> OutcomeValue:
    """Of the findings re-checked, the share whose latest check found improvement."""
    latest = {}
    for f in records.findings:
        known = _checks_until(f, records.as_of)
        if known:
            latest[f.finding_id] = known[-1].result
    checked = [f for f in records.findings if f.finding_id in latest]
    improved = [f for f in checked if latest[f.finding_id] is CheckResult.IMPROVED]
    return proportion(
        len(improved),
        len(checked),
        evidence=tuple(str(f.finding_id) for f in improved),
        note="findings whose latest monitoring check found improvement",
    )


def sustained_within_three_years(records: BoardRecords) -> OutcomeValue:
    """Of the findings whose three years have run, the share with improvement found and held:
    at least two checks within the three years found improvement, and the last one did."""
    due = [f for f in records.findings if _plus_years(f.raised_on, 3) <= records.as_of]
    sustained = []
    for f in due:
        window = _checks_until(f, _plus_years(f.raised_on, 3))
        improved = [c for c in window if c.result is CheckResult.IMPROVED]
        if len(improved) >= 2 and window[-1].result is CheckResult.IMPROVED:
            sustained.append(f)
    return proportion(
        len(sustained),
        len(due),
        evidence=tuple(str(f.finding_id) for f in sustained),
        note="findings raised at least three years ago",
    )


def _checks_until(finding, day: date) -> list:
    """A finding's checks made on or before ``day``, oldest first."""
    return sorted((c for c in finding.checks if c.checked_on <= day), key=lambda c: c.checked_on)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def reports_published(records: BoardRecords) -> OutcomeValue:
    """Of the final reports approved that are to be published (their method publishes them, or the
    board decided on publishing them), the share published."""
    approved = [
        a
        for a in records.activities
        if a.report_approved_on and a.report_approved_on <= records.as_of and records.to_publish(a)
    ]
    published = [
        a
        for a in approved
        if a.publication is not None
        and a.publication.status is PublicationStatus.PUBLISHED
        and a.publication_decided_on is not None
        and a.publication_decided_on <= records.as_of
    ]
    return proportion(len(published), len(approved), evidence=tuple(str(a.activity_id) for a in published))


def voice_in_activities(records: BoardRecords) -> OutcomeValue:
    """Of the activities commissioned, the share informed by children's and families' views."""
    known = [a for a in records.activities if a.started_on <= records.as_of]
    informed = [a for a in known if a.voice_of_child.informed]
    return proportion(len(informed), len(known), evidence=tuple(str(a.activity_id) for a in informed))


def voice_in_findings(records: BoardRecords) -> OutcomeValue:
    """Of the findings raised, the share informed by children's and families' views."""
    known = [f for f in records.findings if f.raised_on <= records.as_of]
    informed = [f for f in known if f.voice_of_child.informed]
    return proportion(len(informed), len(known), evidence=tuple(str(f.finding_id) for f in informed))


def actions_on_time(records: BoardRecords) -> OutcomeValue:
    """Of the actions completed, the share completed by their due date; by owning agency."""
    done = [
        a
        for a in records.actions
        if a.status is ActionStatus.COMPLETED and a.completed_on is not None and a.completed_on <= records.as_of
    ]
    by_agency: dict[str, list[bool]] = defaultdict(list)
    for a in done:
        by_agency[a.owner].append(a.completed_on <= a.due_on)  # type: ignore[operator]
    on_time = sum(sum(v) for v in by_agency.values())
    return proportion(
        on_time,
        len(done),
        breakdown={k: 100.0 * sum(v) / len(v) for k, v in sorted(by_agency.items())},
        note="completed actions, by owning agency",
    )


def _percent(key, title, description, compute, *, kind=OUTCOME, statement=None) -> OutcomeMeasure:
    return OutcomeMeasure(
        key=key,
        title=title,
        description=description,
        kind=kind,
        unit="%",
        lower=0.0,
        upper=100.0,
        compute=compute,
        statement=statement,
        adopted_by_default=True,
    )


STATEMENTS = {
    "early-help": "Quality early help is provided to children and families, from a range of organisations",
    "statutory-services": "The right children are receiving statutory services from Children's Social Care",
    "parents-positive-difference": (
        "Parents are reporting that contact with a service has made a positive difference to their and their "
        "children's lives"
    ),
}

MEASURES = (
    _percent(
        "cp-safety-outcomes-at-closure",
        "% of child protection cases in which the most important safety outcomes are achieved at closure",
        "The latest figure of the board's indicator 'cp-safety-outcomes-at-closure'.",
        latest_of("cp-safety-outcomes-at-closure"),
    ),
    _percent(
        "health-outcomes-resuming-appointments",
        "% of children resuming appointments whose health outcomes are achieved",
        "The latest figure of the board's indicator 'health-outcomes-resuming-appointments'.",
        latest_of("health-outcomes-resuming-appointments"),
    ),
    *(
        _percent(
            f"statement-{key}",
            statement,
            f"Of the indicators the board named when it adopted this measure (else those naming {key!r} among "
            "their priorities), the share whose latest figure is better than the same period a year before (by the "
            "indicator's polarity).",
            statement_evidence(key),
            statement=statement,
        )
        for key, statement in STATEMENTS.items()
    ),
    _percent(
        "statement-partnership-outcomes",
        "Partnership working is delivering positive outcomes for children and their families",
        "Of the findings re-checked, the share whose latest monitoring check found improvement.",
        partnership_outcomes,
        statement="Partnership working is delivering positive outcomes for children and their families",
    ),
    _percent(
        "findings-sustained-within-three-years",
        "% of findings with sustained improvement within three years",
        "Of the findings raised at least three years before, the share where at least two monitoring checks "
        "within those three years found improvement and the last one did.",
        sustained_within_three_years,
    ),
    _percent(
        "final-reports-published",
        "% of final review reports published",
        "Of the final reports approved whose method publishes them (or on which the board recorded a publication "
        "decision), the share whose publication decision is 'published'.",
        reports_published,
        kind=HOW_WELL,
    ),
    _percent(
        "voice-of-child-activities",
        "% of learning activities informed by the voice of the child",
        "Of the activities commissioned, the share recorded as informed by children's and families' views.",
        voice_in_activities,
        kind=HOW_WELL,
    ),
    _percent(
        "voice-of-child-findings",
        "% of findings informed by the voice of the child",
        "Of the findings raised, the share recorded as informed by children's and families' views.",
        voice_in_findings,
        kind=HOW_WELL,
    ),
    _percent(
        "actions-on-time",
        "% of actions completed on time, by agency",
        "Of the actions completed, the share completed on or before their due date; broken down by owner.",
        actions_on_time,
        kind=HOW_WELL,
    ),
)


@hookimpl
def learning_cycle_register_outcome_measures(register):
    for measure in MEASURES:
        register(measure)
