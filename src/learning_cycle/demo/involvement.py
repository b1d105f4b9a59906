"""The demo board's outcome measures chosen by the board, and the involvement of professionals,
children and families in its learning (issue 24 items 7 and 8). Fictional, as the whole demo is."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ..application import LearningCycle

#: each outcome statement's measure, and the indicators the board says it rests on
STATEMENTS = {
    "statement-early-help": ["health-outcomes-resuming-appointments"],
    "statement-statutory-services": ["cp-visits-on-time", "cp-safety-outcomes-at-closure"],
    "statement-parents-positive-difference": ["parents-positive-difference"],
}


def adopt_measures(lc: LearningCycle, board: UUID) -> None:
    """The board names, when it sets up its indicators, the indicators each outcome statement rests
    on (the first-party measures are reported by default; a plugin's needs adopting)."""
    for measure, indicators in STATEMENTS.items():
        lc.adopt_measure(board, measure, indicators=indicators, on=date(2013, 4, 1))
