"""The chain of evidence of each finding, for the stock-take: from the finding to what was done about
it, how it fed into training, and how it was checked (pure data; the reports render it)."""

from __future__ import annotations

from datetime import date

import attrs

from ..domain.outcomes import BoardRecords
from .picture import Picture
from .spc import direction_of_travel


@attrs.frozen
class ChainAction:
    description: str
    owner: str
    due_on: date
    status: str
    completed_on: date | None
    assured: bool


@attrs.frozen
class ChainCheck:
    checked_on: date
    kind: str
    result: str
    evidence: str


@attrs.frozen
class ChainDissemination:
    title: str
    channel: str
    delivered_on: date
    reach: int


@attrs.frozen
class ChainIndicator:
    key: str
    title: str
    direction: str
    latest_value: float | None


@attrs.frozen
class EvidenceChain:
    """One finding and the evidence of what came of it: finding -> actions -> dissemination ->
    checks -> indicators. ``gaps`` says, in words, which links are missing."""

    finding_id: str
    statement: str
    level: str
    raised_on: date
    verdict: str
    reason: str
    actions: tuple[ChainAction, ...]
    disseminations: tuple[ChainDissemination, ...]
    checks: tuple[ChainCheck, ...]
    indicators: tuple[ChainIndicator, ...]
    gaps: tuple[str, ...]
    redacted: bool = False
    """From a report not published: its material is replaced by a placeholder (the disclosure
    policy, :mod:`.disclosure`)."""
    number: int = 0
    """The finding's number in the stock-take (1, 2...), in the order of the three-year picture."""
    review: str | None = None
    """The label of its :class:`RestrictedReview`, when its review's report is not published."""
    agencies: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


def evidence_chains(records: BoardRecords, picture: Picture, end: date) -> tuple[EvidenceChain, ...]:
    """Each finding of ``picture`` with what was done about it by ``end``: its actions, the learning
    spread from it, its checks and indicators, its verdict, and the gaps in its chain of evidence."""
    verdicts = {p.finding_id: (p.verdict.value, p.reason) for p in picture.findings}
    hidden = set() if records.includes_restricted else {r.activity_id for r in records.restricted}
    chains = []
    for f in records.findings:
        if f.finding_id not in verdicts:
            continue
        actions = tuple(
            ChainAction(a.description, a.owner, a.due_on, a.status.value, a.completed_on, a.is_assured)
            for a in records.actions
            if a.finding_id == f.finding_id and a.raised_on <= end
        )
        spread = tuple(
            ChainDissemination(d.title, d.channel.value, d.delivered_on, d.reach)
            for d in records.disseminations
            if f.finding_id in d.finding_ids and d.delivered_on <= end
        )
        checks = tuple(
            ChainCheck(c.checked_on, c.kind.value, c.result.value, c.evidence) for c in f.checks if c.checked_on <= end
        )
        indicators = tuple(
            ChainIndicator(
                i.key,
                i.title,
                direction_of_travel(
                    [m.value for m in i.measurements if m.period_start <= end], i.polarity
                ).direction.value,
                next((m.value for m in reversed(i.measurements) if m.period_start <= end), None),
            )
            for i in records.indicators
            if f.finding_id in i.finding_ids
        )
        gaps = []
        if not actions and f.response is None:
            gaps.append("no response or action recorded")
        if not spread:
            gaps.append("not fed into training or briefings")
        if not checks and not indicators:
            gaps.append("never checked: no evidence yet of any difference made")
        verdict, reason = verdicts[f.finding_id]
        chains.append(
            EvidenceChain(
                str(f.finding_id),
                f.statement,
                f.level.value,
                f.raised_on,
                verdict,
                reason,
                actions,
                spread,
                checks,
                indicators,
                tuple(gaps),
                redacted=f.activity_id in hidden,
                agencies=f.agencies,
                themes=f.themes,
            )
        )
    return tuple(chains)
