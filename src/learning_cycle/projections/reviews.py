"""Reviews whose report is not published, stated once (``A``, ``B``...), and the names a person
reads for the board's keys: what the stock-take and the status view share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import attrs

from ..domain.outcomes import BoardRecords


@attrs.frozen
class RestrictedReview:
    """A review whose report is not published (withheld, delayed, or not yet decided), stated once:
    its kind, why, when the decision is reviewed, its counts, and the numbers of its findings in
    the stock-take (each shown under its number, never with the review's material)."""

    label: str
    """``A``, ``B``...: how the stock-take refers to it."""
    kind: str
    status: str
    reason: str | None
    review_on: date | None
    findings: int
    actions: int
    finding_numbers: tuple[int, ...]
    title: str | None = None
    """Its title, only in a model made with restricted access (otherwise it is restricted too)."""


def board_names(records: BoardRecords, methods: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each key the board recorded, with the name a person reads."""
    board = records.board
    names = {d: d.replace("-", " ").replace("_", " ").title() for d in board.districts}
    names.update((p.key, p.title) for _, priorities in board.priorities for p in priorities)
    names.update((a.key, a.name) for a in board.agencies)
    names.update(methods or {})
    return dict(sorted(names.items()))


def restricted_reviews(
    records: BoardRecords, finding_order: Sequence[object]
) -> tuple[tuple[RestrictedReview, ...], dict[object, str]]:
    """Each restricted review of ``records`` once, labelled ``A``, ``B``..., with the numbers of its
    findings (their positions, from 1, in ``finding_order``: finding ids); and the label of each
    restricted activity, by its id. The status view and the stock-take share it."""
    of = {str(f.finding_id): f.activity_id for f in records.findings}
    titles = {a.activity_id: a.title for a in records.activities}
    order = [str(f) for f in finding_order]
    labels: dict[object, str] = {}
    reviews: list[RestrictedReview] = []
    for r in records.restricted:
        labels[r.activity_id] = label = _label(len(reviews))
        numbers = tuple(n for n, f in enumerate(order, 1) if of.get(f) == r.activity_id)
        title = titles.get(r.activity_id) if records.includes_restricted else None
        reviews.append(
            RestrictedReview(label, r.kind, r.status, r.reason, r.review_on, r.findings, r.actions, numbers, title)
        )
    return tuple(reviews), labels


def _label(n: int) -> str:
    return chr(ord("A") + n % 26) + (str(n // 26) if n >= 26 else "")
