"""Restricted access: reading the material of reports not published, explicitly and on the record."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import attrs


@attrs.frozen
class RestrictedAccess:
    """A read of restricted material, recorded in the board's log before anything is shown.

    Made by :meth:`LearningCycle.read_restricted <learning_cycle.LearningCycle.read_restricted>`,
    which records who, when, what and which board; pass it to a view query
    (``restricted=``) to see the material as recorded. The outputs so made say they hold
    restricted material. A view query checks that the board's log holds this read (same board,
    who, query and moment) and refuses one made by hand: only a logged read opens the material.
    """

    board_id: UUID
    query: str
    by: str
    at: datetime
    """When the read was recorded."""


@attrs.frozen
class AccessRecord:
    """One entry of a board's access log."""

    at: datetime
    by: str
    query: str
