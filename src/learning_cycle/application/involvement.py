"""The commands of involvement (framework §3.4): a review's sample and who was spoken to, and
practitioners' involvement in a review."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ..domain import Activity
from ..domain.involvement import Involvement, PractitionerInvolvement, Sample
from .arguments import choice
from .base import Commands


class InvolvementCommands(Commands):
    """Commands recording who took part in a board's learning."""

    def record_sample(
        self,
        board_id: UUID,
        activity_id: UUID,
        *,
        cases: int,
        criteria: str,
        practitioners_spoken_to: int = 0,
        young_people_spoken_to: int = 0,
        parents_spoken_to: int = 0,
        on: date | None = None,
    ) -> None:
        """Record a review's sample (how many cases, and the criteria they were chosen by) and how
        many practitioners, young people and parents or carers were spoken to; a later record
        replaces it."""
        sample = Sample(
            self._on(on), cases, criteria, practitioners_spoken_to, young_people_spoken_to, parents_spoken_to
        )
        self._update(Activity, board_id, activity_id, "activity_id", lambda a: a.record_sample(sample, self.user))

    def record_practitioner_involvement(
        self,
        board_id: UUID,
        activity_id: UUID,
        *,
        practitioners: int,
        how: Involvement | str,
        on: date | None = None,
    ) -> None:
        """Record how many practitioners took part in a review (a systems review), and how:
        conversations, learning_event, case_group or commented_on_draft."""
        involved = PractitionerInvolvement(self._on(on), practitioners, choice("how", how, Involvement))
        self._update(
            Activity, board_id, activity_id, "activity_id", lambda a: a.record_involvement(involved, self.user)
        )
