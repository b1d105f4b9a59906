"""Keeping professionals, children and families involved (framework §3.4): a review's sample and
who was spoken to, and practitioners' involvement in a systems review. The values an activity's
``SampleRecorded`` and ``PractitionersInvolved`` events fold into."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from . import fields as field


class Involvement(StrEnum):
    """How practitioners took part in a review (a systems review's practitioners' involvement)."""

    CONVERSATIONS = "conversations"
    LEARNING_EVENT = "learning_event"
    CASE_GROUP = "case_group"
    COMMENTED_ON_DRAFT = "commented_on_draft"


@attrs.frozen
class Sample:
    """The sample of a themed review or audit, its criteria, and who was spoken to."""

    on: date
    cases: int
    criteria: str
    practitioners: int = 0
    young_people: int = 0
    parents: int = 0


@attrs.frozen
class PractitionerInvolvement:
    """How many practitioners took part in a review, and how."""

    on: date
    practitioners: int
    how: Involvement


INVOLVEMENT_WORDS = {
    "conversations": "in conversations with the reviewers",
    "learning_event": "at a practitioners' learning event",
    "case_group": "as members of the case group",
    "commented_on_draft": "by commenting on the draft report",
}

# -- each field declared once (see :mod:`.fields`) --------------------------------------------

field.declare(
    Sample,
    on=field.plain("recorded on"),
    cases=field.count("cases in the sample"),
    criteria=field.long("how the sample was chosen"),
    practitioners=field.count("practitioners spoken to"),
    young_people=field.count("young people spoken to"),
    parents=field.count("parents and carers spoken to"),
)
field.declare(
    PractitionerInvolvement,
    on=field.plain("recorded on"),
    practitioners=field.count("practitioners involved"),
    how=field.choice("how practitioners were involved", **INVOLVEMENT_WORDS),
)
