"""The 7-minute briefing of one review: what partnerships publish for practitioners after it.

Its sections are the form boards use: the case in brief, why it matters, what was found, what
practitioners should do, questions for reflection, and where to learn more. Everything in it comes
from the review's records (the activity, its findings, their actions and the learning delivered
from them) and the board's own names for its agencies and priorities; nothing is invented but the
fixed wording that frames it.

The disclosure policy holds: a review whose report is not published (withheld, delayed, or not yet
decided, :mod:`.disclosure`) gets no briefing, unless the records were read with a recorded read of
restricted material (``BoardRecords.includes_restricted``); the briefing then says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

import attrs

from ..domain.errors import LearningCycleError, NotFound
from ..domain.outcomes import BoardRecords
from ..domain.values import ActionStatus, Nature

QUESTIONS_PROBLEM = "In your own work, when have you seen this: {statement} What would help you do it differently?"
QUESTIONS_GOOD = "What made this work, and how could your team do the same: {statement}"
QUESTION_VOICE = "How do you make sure the child's own words and wishes reach the plan?"
QUESTION_SHARE = "Who in your team needs to hear this briefing, and when will you share it?"


@attrs.frozen
class BriefingFinding:
    number: int
    statement: str
    good_practice: bool
    level: str
    themes: tuple[str, ...]


@attrs.frozen
class BriefingAction:
    finding: int
    description: str
    owner: str
    due_on: date
    done: bool


@attrs.frozen
class BriefingLearning:
    title: str
    channel: str
    audience: str
    delivered_on: date
    reach: int


@attrs.frozen
class Briefing:
    """A 7-minute briefing: pure data, rendered by :func:`learning_cycle.reports.render_briefing`."""

    board_name: str
    title: str
    kind: str
    method: str
    """The method's title (its plugin's descriptor), or empty when the caller gave none."""
    why: str
    commissioned_on: date
    completed_on: date | None
    agencies: tuple[str, ...]
    themes: tuple[str, ...]
    """The board's priorities and themes the review bears on, by their names."""
    findings: tuple[BriefingFinding, ...]
    actions: tuple[BriefingAction, ...]
    learning: tuple[BriefingLearning, ...]
    questions: tuple[str, ...]
    published_on: date | None
    """When the report was published (``None``: not published; only with restricted access)."""
    voice_of_child: bool
    as_of: date
    includes_restricted: bool = False
    """Made from a recorded read of restricted material: not to be published or shared."""


class NoBriefing(LearningCycleError):
    """The review's report is not published, so it gets no briefing (without a recorded read)."""


def find_activity(records: BoardRecords, ref: str | UUID) -> UUID:
    """The id of the activity ``ref`` names: its id, or its title (any case). Refused when none
    or several match, naming the value."""
    text = str(ref).strip()
    found = [
        a.activity_id for a in records.activities if str(a.activity_id) == text or a.title.casefold() == text.casefold()
    ]
    if not found:
        raise NotFound("learning activity", text, field="review", by="id or title")
    if len(found) > 1:
        raise LearningCycleError(
            f"review: several learning activities have the title {text!r}: give its id", field="review", value=text
        )
    return found[0]


def briefing(records: BoardRecords, activity: str | UUID, *, methods: Mapping[str, str] | None = None) -> Briefing:
    """The 7-minute briefing of ``activity`` (an id or a title) from ``records`` (the policy
    applied: :meth:`Views.records`). Raises :class:`NoBriefing` for a review whose report is not
    published unless ``records`` were read with a recorded read of restricted material."""
    activity_id = find_activity(records, activity)
    restricted = next((r for r in records.restricted if r.activity_id == activity_id), None)
    if restricted is not None and not records.includes_restricted:
        why = {"withheld": "its report is withheld", "delayed": f"its report is delayed to {restricted.review_on}"}.get(
            restricted.status, "its publication is not yet decided"
        )
        raise NoBriefing(
            f"review: {why}, so it gets no briefing (a briefing is published to practitioners)",
            field="review",
            value=str(activity_id),
        )
    a = next(a for a in records.activities if a.activity_id == activity_id)
    board = records.board
    names = {p.key: p.title for _, priorities in board.priorities for p in priorities}
    names.update((x.key, x.name) for x in board.agencies)
    name = lambda key: names.get(key) or key.replace("_", " ").replace("-", " ")
    findings = [f for f in records.findings if f.activity_id == activity_id]
    numbers = {f.finding_id: n for n, f in enumerate(findings, 1)}
    actions = tuple(
        BriefingAction(
            numbers[x.finding_id], x.description, name(x.owner), x.due_on, x.status is ActionStatus.COMPLETED
        )
        for x in records.actions
        if x.finding_id in numbers and x.status in (ActionStatus.OPEN, ActionStatus.COMPLETED)
    )
    learning = tuple(
        BriefingLearning(d.title, d.channel.value, d.audience, d.delivered_on, d.reach)
        for d in records.disseminations
        if any(f in numbers for f in d.finding_ids)
    )
    themes = tuple(dict.fromkeys(name(t) for t in (*a.themes, *(t for f in findings for t in f.themes))))
    questions = [
        (QUESTIONS_GOOD if f.nature is Nature.GOOD_PRACTICE else QUESTIONS_PROBLEM).format(statement=f.statement)
        for f in findings
    ]
    voice = a.voice_of_child.informed or any(f.voice_of_child.informed for f in findings)
    questions += [QUESTION_VOICE, QUESTION_SHARE]
    published = (
        a.publication_decided_on if a.publication is not None and a.publication.status.value == "published" else None
    )
    return Briefing(
        board_name=board.name,
        title=a.title,
        kind=a.kind,
        method=(methods or {}).get(a.method, ""),
        why=a.why,
        commissioned_on=a.started_on,
        completed_on=a.completed_on,
        agencies=tuple(name(k) for k in a.agencies),
        themes=themes,
        findings=tuple(
            BriefingFinding(
                numbers[f.finding_id],
                f.statement,
                f.nature is Nature.GOOD_PRACTICE,
                f.level.value,
                tuple(name(t) for t in f.themes),
            )
            for f in findings
        ),
        actions=actions,
        learning=learning,
        questions=tuple(questions),
        published_on=published,
        voice_of_child=voice,
        as_of=records.as_of,
        includes_restricted=records.includes_restricted,
    )


__all__ = ["Briefing", "NoBriefing", "briefing", "find_activity"]
