"""Words the reports share, so Markdown and HTML say the same thing."""

from __future__ import annotations

from typing import Any

from ..domain import fields
from ..domain.indicator import IndicatorState
from ..domain.values import IndicatorKind


def label_of(record: type, name: str) -> str:
    """The plain words for field ``name`` of a record's state, event or value type, as its
    module declares them (:mod:`learning_cycle.domain.fields`)."""
    return fields.label(record, name)


def value_of(record: type, name: str, value: Any) -> str:
    """The plain words for a ``value`` of field ``name`` (``section_11_audit``: "Section 11 audit")."""
    return fields.value_words(record, name, value)


KIND_TITLES = {kind.value: value_of(IndicatorState, "kind", kind) for kind in IndicatorKind}
"""The title of each kind of indicator (the words its declaration gives)."""
STAGES = ("learn", "act", "train", "monitor")
VERDICT_ORDER = ("sustained", "improving", "no_evidence_yet", "awaiting_action", "stalled", "deteriorating")

RESTRICTED_BANNER = (
    "RESTRICTED: this output holds the material of reports not published, shown by an explicit "
    "read recorded in the board's access log. Do not publish or share it."
)
"""What every output made with restricted access says at its top."""
