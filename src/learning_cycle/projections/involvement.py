"""The stock-take's section on involvement (framework §3.4): what each channel's reach counts,
each review's sample and who was spoken to, practitioners' involvement, and what training
feedback says of satisfaction and of impact on practice, kept apart. Pure: built from a year's
records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import attrs

from ..domain.activity_state import ActivityState
from ..domain.dissemination import DisseminationState, ReachCounts
from ..domain.outcomes import BoardRecords

NOT_PUBLISHED = "a review not published"
"""How the section names a review whose material is restricted (its counts are kept)."""


@attrs.frozen
class ChannelReach:
    """One channel's learning in the year: pieces delivered, and its reach, with what it counts."""

    channel: str
    counts: str
    """``attendances`` or ``people_reached``."""
    pieces: int
    reach: int


@attrs.frozen
class ReviewInvolvement:
    """Who took part in one review of the year, as last recorded."""

    title: str
    kind: str
    cases: int | None = None
    criteria: str | None = None
    practitioners_spoken_to: int | None = None
    young_people_spoken_to: int | None = None
    parents_spoken_to: int | None = None
    practitioners_involved: int | None = None
    how: str | None = None


@attrs.frozen
class Involvement:
    """Keeping professionals, children and families involved, for one year."""

    attendances: int
    """Reach of the channels whose reach counts attendances (courses, briefings...)."""
    people_reached: int
    """Reach of the channels whose reach counts people reached (alerts, social media...): never
    added to attendances."""
    channels: tuple[ChannelReach, ...]
    reviews: tuple[ReviewInvolvement, ...]
    feedback_respondents: int
    satisfied: tuple[int, int]
    """(respondents satisfied, respondents asked), over the feedback received in the year."""
    impact: tuple[int, int]
    """(respondents reporting an impact on practice, respondents asked)."""


def involvement(
    records: BoardRecords,
    activities: Sequence[ActivityState],
    delivered: Sequence[DisseminationState],
    inside: Callable[[date | None], bool],
) -> Involvement:
    """The section for the year's ``activities`` and the learning ``delivered`` in it; ``inside``
    says whether a day is in the year (feedback counts in the year it was received). A review whose
    material is restricted in ``records`` is named only as a review not published."""
    hidden = set() if records.includes_restricted else {r.activity_id for r in records.restricted}
    channels: dict[str, list[DisseminationState]] = {}
    for d in delivered:
        channels.setdefault(d.channel.value, []).append(d)
    lines = tuple(
        ChannelReach(key, ds[0].reach_counts.value, len(ds), sum(d.reach for d in ds))
        for key, ds in sorted(channels.items())
    )
    heard = [f for d in delivered for f in d.feedback if inside(f.on)]
    return Involvement(
        attendances=sum(c.reach for c in lines if c.counts == ReachCounts.ATTENDANCES.value),
        people_reached=sum(c.reach for c in lines if c.counts == ReachCounts.PEOPLE_REACHED.value),
        channels=lines,
        reviews=tuple(
            _review(a, a.activity_id in hidden) for a in activities if a.sample is not None or a.involvement is not None
        ),
        feedback_respondents=sum(f.respondents for f in heard),
        satisfied=(
            sum(f.satisfied for f in heard if f.satisfied is not None),
            sum(f.respondents for f in heard if f.satisfied is not None),
        ),
        impact=(
            sum(f.impact for f in heard if f.impact is not None),
            sum(f.respondents for f in heard if f.impact is not None),
        ),
    )


def _review(a: ActivityState, hidden: bool) -> ReviewInvolvement:
    s, i = a.sample, a.involvement
    return ReviewInvolvement(
        title=NOT_PUBLISHED if hidden else a.title,
        kind=a.kind,
        cases=s.cases if s else None,
        criteria=None if hidden or not s else s.criteria,
        practitioners_spoken_to=s.practitioners if s else None,
        young_people_spoken_to=s.young_people if s else None,
        parents_spoken_to=s.parents if s else None,
        practitioners_involved=i.practitioners if i else None,
        how=i.how.value if i else None,
    )
