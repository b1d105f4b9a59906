"""The year's quality-assurance programme, planned against delivered (framework §2.1), and a board's
records read for one of its sub-groups (framework §5 b: sub-groups report on learning needs and
findings).

An item of the programme is delivered when an activity of the year was commissioned for it (its
``programme_item``). Each item shows the priorities and the case reviews' actions that informed it;
the section also lists what prompted the year's activities (another activity, a finding, a priority,
an indicator) and the checks that name the activity that made them. Pure data; the reports render it.
"""

from __future__ import annotations

from uuid import UUID

import attrs

from ..domain.errors import LearningCycleError
from ..domain.fields import value_words
from ..domain.finding import Check
from ..domain.outcomes import BoardRecords
from ..domain.values import ReportingYear
from .reviews import restricted_reviews


@attrs.frozen
class ProgrammeLine:
    """One planned item: what informed it, and the activities that deliver it."""

    item: str
    title: str
    priorities: tuple[str, ...]
    """The titles of the year's priorities that informed it."""
    actions: tuple[str, ...]
    """The case reviews' actions that informed it (each as ``the review: the action``, or only the
    review's label where its report is not published)."""
    delivered_by: tuple[str, ...]
    """The titles of the year's activities commissioned for it."""

    @property
    def delivered(self) -> bool:
        return bool(self.delivered_by)


@attrs.frozen
class Link:
    """An activity of the year and what prompted it, in words."""

    activity: str
    prompted_by: str


@attrs.frozen
class ProgrammeSection:
    """The stock-take's section on the year's quality-assurance programme and the links of its learning."""

    subgroup: str | None
    """The sub-group the stock-take is read for (``None``: the whole board)."""
    planned: bool
    """Whether a programme was planned for the year."""
    items: tuple[ProgrammeLine, ...] = ()
    links: tuple[Link, ...] = ()
    checks_made_by: tuple[Link, ...] = ()
    """Checks of the year that name the activity that made them (``prompted_by``: the check in words)."""

    @property
    def delivered(self) -> int:
        return sum(1 for i in self.items if i.delivered)


def programme_section(year: ReportingYear, records: BoardRecords, subgroup: str | None = None) -> ProgrammeSection:
    """The programme of ``year`` planned against delivered, with the links of the year's learning.
    A review whose report is not published is named by its label (``review A, not published``),
    never by its placeholder, which the stock-take states once."""
    programme = next((p for p in records.programmes if p.year == year.first), None)
    names = _Names(records)
    priorities = {p.key: p.title for p in records.board.priorities_for(year)}
    indicators = {i.key: i.title for i in records.indicators}
    of_year = [a for a in records.activities if a.started_on in year]
    items: tuple[ProgrammeLine, ...] = ()
    if programme is not None:
        items = tuple(
            ProgrammeLine(
                item=i.item,
                title=i.title,
                priorities=tuple(priorities.get(k, k) for k in i.priorities),
                actions=tuple(names.action(x) for x in i.action_ids),
                delivered_by=tuple(names.activity(a.activity_id) for a in of_year if a.programme_item == i.item),
            )
            for i in programme.items
        )
    links = []
    for a in of_year:
        prompts = []
        if a.prompted_by_activity is not None:
            prompts.append(f"the activity {names.activity(a.prompted_by_activity)}")
        if a.prompted_by_finding is not None:
            prompts.append(names.finding(a.prompted_by_finding))
        if a.prompted_by_priority is not None:
            prompts.append(f"the priority {priorities.get(a.prompted_by_priority, a.prompted_by_priority)}")
        if a.prompted_by_indicator is not None:
            prompts.append(f"the indicator {indicators.get(a.prompted_by_indicator, a.prompted_by_indicator)}")
        links += [Link(names.activity(a.activity_id), what) for what in prompts]
    checks = tuple(
        Link(names.activity(c.made_by), f"{value_words(Check, 'kind', c.kind)} of {names.finding(f.finding_id)}")
        for f in records.findings
        for c in f.checks
        if c.made_by is not None and c.checked_on in year
    )
    return ProgrammeSection(subgroup, programme is not None, items, tuple(links), checks)


class _Names:
    """How the section names an activity, a finding and an action: by title or statement, or, for
    a review not published, by its label."""

    def __init__(self, records: BoardRecords) -> None:
        _, self.labels = restricted_reviews(records, ())
        self.activities = {a.activity_id: a for a in records.activities}
        self.findings = {f.finding_id: f for f in records.findings}
        self.actions = {a.action_id: a for a in records.actions}
        self.shown = records.includes_restricted

    def _hidden(self, activity_id: UUID) -> str | None:
        label = None if self.shown else self.labels.get(activity_id)
        return None if label is None else f"review {label}, not published"

    def activity(self, ident: UUID) -> str:
        activity = self.activities.get(ident)
        if activity is None:
            return "(an activity not in this view)"
        return self._hidden(ident) or activity.title

    def finding(self, ident: UUID) -> str:
        finding = self.findings.get(ident)
        if finding is None:
            return "(a finding not in this view)"
        hidden = self._hidden(finding.activity_id)
        return f"a finding of {hidden}" if hidden else f"the finding {_short(finding.statement)}"

    def action(self, ident: UUID) -> str:
        action = self.actions.get(ident)
        finding = self.findings.get(action.finding_id) if action else None
        if action is None or finding is None:
            return "(an action not in this view)"
        hidden = self._hidden(finding.activity_id)
        return hidden or f"{self.activity(finding.activity_id)}: {_short(action.description)}"


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def of_subgroup(records: BoardRecords, subgroup: str | None, *, owners: BoardRecords | None = None) -> BoardRecords:
    """The board's records as one sub-group reads them: its activities and findings, the actions
    on its findings and the learning that carried them; indicators and programmes stay whole
    (they are the board's). ``None``: the whole board. ``owners``: the records whose owners count
    (the board's records as of another day: a stock-take reads the owners at its year's end)."""
    if subgroup is None:
        return records
    if subgroup not in records.board.subgroups:
        known = "; ".join(records.board.subgroups) or "none"
        raise LearningCycleError(
            f"subgroup: {subgroup!r} is not a sub-group of the board (its sub-groups: {known})",
            field="subgroup",
            value=subgroup,
        )
    by = records if owners is None else owners
    kept = {f.finding_id for f in by.findings if f.subgroup == subgroup}
    ran = {a.activity_id for a in by.activities if a.subgroup == subgroup}
    findings = tuple(f for f in records.findings if f.finding_id in kept)
    shown = ran | {f.activity_id for f in findings}  # a restriction stays on each kept finding's review
    return attrs.evolve(
        records,
        activities=tuple(a for a in records.activities if a.activity_id in ran),
        findings=findings,
        restricted=tuple(r for r in records.restricted if r.activity_id in shown),
        actions=tuple(a for a in records.actions if a.finding_id in kept),
        disseminations=tuple(d for d in records.disseminations if kept & set(d.finding_ids)),
    )
