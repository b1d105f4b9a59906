"""The disclosure policy: what an unpublished review holds never leaves through an output.

The framework publishes a final report "unless to do so is not in the best interests of the
children or public" (§3.5). The material of an activity whose report is withheld, delayed, or
not yet decided (for the kinds a method publishes) can identify a child. So every view a board
reads, in every format, on both time axes, is built from records in which that material is
replaced by a placeholder: what kind of review it was, how many findings and actions it holds, and
the recorded reason for not publishing. Figures, stages, dates and verdicts still count.

The policy is applied once, to :class:`~learning_cycle.BoardRecords`, before any model (status,
picture, stock-take, listings, outcome measures) is built from them, so no renderer can forget it.

A decision to withhold or delay, as known now, applies to every view, whenever it is as known at:
the one place where a view of a past moment uses what is known now. A stock-take rebuilt as it
was known on the day it was held must not republish what the board has since decided to withhold.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any
from uuid import UUID

import attrs

from ..domain import fields
from ..domain.menu import Menu
from ..domain.outcomes import BoardRecords, Restriction
from ..domain.values import PublicationStatus

WITHHELD, DELAYED, UNDECIDED = "withheld", "delayed", "undecided"


def restrictions(records: BoardRecords, menu: Menu, *, now: Iterable[Restriction] = ()) -> tuple[Restriction, ...]:
    """The activities of ``records`` whose material is restricted: those whose report is withheld
    or delayed in these records, those a method publishes with no decision yet, and those
    restricted ``now`` (as known now), in the order of ``records``; then (failing closed) every
    activity a finding refers to that is not in ``records``: its publication cannot be
    established, so it is undecided."""
    known_now = {r.activity_id: r for r in now}
    found = []
    for activity in records.activities:
        decision = activity.publication
        if decision is not None and decision.status in (PublicationStatus.WITHHELD, PublicationStatus.DELAYED):
            found.append(_restriction(records, activity.activity_id, activity.kind, decision.status.value, decision))
        elif decision is None and menu.publishes(activity.kind, activity.method):
            found.append(_restriction(records, activity.activity_id, activity.kind, UNDECIDED, None))
        elif activity.activity_id in known_now:
            now_known = known_now[activity.activity_id]
            found.append(_restriction(records, now_known.activity_id, now_known.kind, now_known.status, now_known))
    seen = {a.activity_id for a in records.activities}
    for missing in dict.fromkeys(f.activity_id for f in records.findings if f.activity_id not in seen):
        found.append(_restriction(records, missing, UNKNOWN_KIND, UNDECIDED, None))
    return tuple(found)


UNKNOWN_KIND = "learning_activity"
"""The kind a restriction names for an activity that is not in the records (a finding refers to it)."""

UNKNOWN = "[restricted: its learning activity is not in the views, so its publication cannot be established]"
"""What is shown in place of an action or dissemination whose finding is not in the records."""


def _restriction(records: BoardRecords, activity_id: Any, kind: str, status: str, decided: Any) -> Restriction:
    """A restriction with its counts in ``records`` and its placeholder; ``decided`` gives the
    reason and review date (a publication decision, or a restriction known now)."""
    findings = {f.finding_id for f in records.findings if f.activity_id == activity_id}
    actions = sum(1 for a in records.actions if a.finding_id in findings)
    reason = None if decided is None else decided.reason
    review_on = None if decided is None else decided.review_on
    text = _placeholder(kind, status, reason, review_on, len(findings), actions)
    return Restriction(activity_id, kind, status, reason, review_on, len(findings), actions, text)


def placeholder(restriction: Restriction) -> str:
    """What is shown in place of each piece of an activity's material."""
    r = restriction
    return _placeholder(r.kind, r.status, r.reason, r.review_on, r.findings, r.actions)


def _placeholder(kind: str, status: str, reason: str | None, review_on: Any, findings: int, actions: int) -> str:
    why = {
        WITHHELD: f"report withheld: {reason}",
        DELAYED: f"report delayed to {review_on}: {reason}",
        UNDECIDED: "publication not yet decided",
    }[status]
    counts = f"{_count(findings, 'finding')} and {_count(actions, 'action')}"
    return f"[restricted: a {kind.replace('_', ' ')} ({why}); its {counts} are not shown]"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def disclose(records: BoardRecords, restricted: tuple[Restriction, ...], *, include: bool) -> BoardRecords:
    """``records`` with the material of each ``restricted`` activity replaced by its placeholder
    (or, with ``include``, kept as recorded and marked as including restricted material). An
    action or dissemination that refers to a finding not in ``records`` is restricted too (what
    cannot be established is not shown)."""
    if include:
        return attrs.evolve(records, restricted=restricted, includes_restricted=True)
    hidden = _hidden(records, {r.activity_id: r.placeholder for r in restricted}, UNKNOWN)
    if not hidden:  # nothing restricted (a restricted review hides at least itself), nothing unknown
        return records

    def each(states: tuple[Any, ...], ident: str) -> tuple[Any, ...]:
        return tuple(blank(s, hidden[getattr(s, ident)]) if getattr(s, ident) in hidden else s for s in states)

    return attrs.evolve(
        records,
        activities=each(records.activities, "activity_id"),
        findings=each(records.findings, "finding_id"),
        actions=each(records.actions, "action_id"),
        disseminations=each(records.disseminations, "dissemination_id"),
        restricted=restricted,
    )


def _hidden(records: BoardRecords, texts: dict[Any, str], unknown: str) -> dict[UUID, str]:
    """The id of every record of ``records`` holding restricted material, with its placeholder:
    each restricted activity (``texts``: activity id to placeholder), its findings, their actions,
    and disseminations of them; and ``unknown`` for each action or dissemination that refers to a
    finding not in ``records``."""
    found: dict[UUID, str] = dict(texts)
    findings = {f.finding_id: texts[f.activity_id] for f in records.findings if f.activity_id in texts}
    found.update(findings)
    known = {f.finding_id for f in records.findings}
    for a in records.actions:
        text = findings.get(a.finding_id) or (None if a.finding_id in known else unknown)
        if text is not None:
            found[a.action_id] = text
    for d in records.disseminations:
        text = next((findings[f] for f in d.finding_ids if f in findings), None)
        if text is None and any(f not in known for f in d.finding_ids):
            text = unknown
        if text is not None:
            found[d.dissemination_id] = text
    return found


def blank(state: Any, text: str) -> Any:
    """``state`` with every field declared free text (:mod:`learning_cycle.domain.fields`)
    replaced by ``text``, in nested values and lists too. Empty text and ``None`` stay as they
    are (nothing to hide)."""
    changes = {}
    for name, kind in _text_fields(type(state)):
        value = getattr(state, name)
        changed = _blank_value(value, kind, text)
        if changed is not value:
            changes[name] = changed
    return attrs.evolve(state, **changes) if changes else state


def _blank_value(value: Any, kind: str, text: str) -> Any:
    if value is None:
        return value
    if kind == "text":
        return text if type(value) is str and value else value
    if kind == "texts":
        return tuple(text if type(v) is str and v else v for v in value)
    if kind == "value":
        return blank(value, text)
    if kind == "values":
        return tuple(blank(v, text) for v in value)
    return value


@cache
def _text_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """The fields of ``cls`` that hold free text as declared (:mod:`learning_cycle.domain.fields`),
    directly or in nested attrs values. A field declared ``kept`` (the publication decision, which
    the placeholder reports) is kept as recorded; text in a field no declaration covers is blanked
    (failing closed: what is not known to be safe is not shown)."""
    found = []
    for name, kind in fields.hints(cls).items():
        declared = fields.declared(cls).get(name)
        many = fields.is_list(kind)
        if declared is not None and declared.kept:
            continue
        if attrs.has(fields.inner(kind)):
            found.append((name, "values" if many else "value"))
        elif declared is None or declared.text:
            found.append((name, "texts" if many else "text"))
    return tuple(found)


def policy(records: BoardRecords, menu: Menu, *, now: BoardRecords | None = None, include: bool) -> BoardRecords:
    """Apply the disclosure policy to a view's ``records``: ``now`` are the board's records as known
    now (whose decisions to withhold apply to every view); leave it out when ``records`` are them."""
    known_now = restrictions(now, menu) if now is not None else ()
    publishing = frozenset(a.activity_id for a in records.activities if menu.publishes(a.kind, a.method))
    records = attrs.evolve(records, publishing=publishing)
    return disclose(records, restrictions(records, menu, now=known_now), include=include)


def short_placeholder(restriction: Restriction) -> str:
    """The placeholder a redacted export puts in each text field (short enough for any of them;
    the reason for not publishing stays in the log's publication decision)."""
    status = {UNDECIDED: "publication not yet decided"}.get(restriction.status, f"report {restriction.status}")
    return f"[restricted: a {restriction.kind.replace('_', ' ')}, {status}]"


def redactions(boards: Iterable[BoardRecords]) -> dict[UUID, str]:
    """For a redacted export: the id of every record holding restricted material (each restricted
    activity, its findings, their actions, and disseminations of them; and each action or
    dissemination whose finding is not in the records), with its placeholder. ``boards`` are
    records the policy was applied to (``restricted`` filled in)."""
    found: dict[UUID, str] = {}
    for records in boards:
        texts = {r.activity_id: short_placeholder(r) for r in records.restricted}
        found.update(_hidden(records, texts, SHORT_UNKNOWN))
    return found


SHORT_UNKNOWN = "[restricted: publication cannot be established]"


__all__ = [
    "DELAYED",
    "UNDECIDED",
    "WITHHELD",
    "blank",
    "disclose",
    "placeholder",
    "policy",
    "redactions",
    "restrictions",
    "short_placeholder",
]
