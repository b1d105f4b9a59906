"""The plain words a person reads for each value the code keeps as a key.

One function, :func:`plain`, so the source of the words can change (the domain's declarations, when
each field declares its words once) without touching a renderer. Names the board records (agencies,
districts, priorities) and the methods' titles (their plugins' descriptors) are not here: the model
carries them (``StockTake.names``).
"""

from __future__ import annotations

import re
from functools import cache

from ..domain import fields

WORDS = {
    # words for the read models' own values; a value a record declares takes its words from there
    # verdicts
    "sustained": "sustained",
    "improving": "improving",
    "no_evidence_yet": "no evidence yet",
    "awaiting_action": "awaiting action",
    "stalled": "stalled",
    "deteriorating": "deteriorating",
    # stages
    "learn": "learn",
    "act": "act",
    "train": "train",
    "monitor": "monitor",
    # kinds of activity
    "serious_case_review": "serious case review",
    "learning_review": "learning review",
    "multi_agency_audit": "multi-agency audit",
    "single_agency_audit": "single-agency audit",
    "learning_activity": "learning activity",
    # channels
    "training_course": "training course",
    "alert": "alert",
    "briefing": "briefing",
    "roadshow": "roadshow",
    "learning_circle": "learning circle",
    "supervision": "supervision",
    "other": "other",
    # checks
    "themed_audit": "themed audit",
    "peer_review": "peer review",
    "indicator_review": "indicator review",
    "improved": "improved",
    "worse": "worse",
    # directions of travel and assurance (Making Data Count's words)
    "changed": "changed, with no better direction",
    "no_significant_change": "no significant change",
    "not_enough_data": "not enough data to say",
    "consistently_passes": "consistently meets the target",
    "consistently_fails": "consistently misses the target",
    "hit_and_miss": "hit and miss: may or may not meet the target",
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neither higher nor lower is better",
    # indicator kinds
    # publication
    "published": "published",
    "withheld": "withheld",
    "delayed": "delayed",
    "undecided": "publication not yet decided",
    "problem": "problem",
}

KEY = re.compile(r"\b[a-z0-9]+(?:[_-][a-z0-9]+)+\b")
"""A key-shaped word: lower-case parts joined by ``_`` or ``-``."""


@cache
def _declared() -> dict[str, str]:
    """The words of :data:`WORDS` under those the domain declares (the declarations win)."""
    return {**WORDS, **fields.all_value_words()}


def plain(value: object) -> str:
    """The words a person reads for ``value`` (an enumeration's value or a key): the words the
    record's declaration gives it (:mod:`learning_cycle.domain.fields`), else those of
    :data:`WORDS` (values of the read models: verdicts, directions of travel); a key with no words
    reads with its ``_`` (and, in a key-shaped word, its ``-``) as spaces, so no key is ever shown
    as a key."""
    text = str(getattr(value, "value", value))
    words = _declared()
    if text in words:
        return words[text]
    return text.replace("_", " ").replace("-", " ") if KEY.fullmatch(text) else text.replace("_", " ")


def plain_in(text: str, names: dict[str, str] | None = None) -> str:
    """``text`` (a reason the code wrote) with each key-shaped word of :data:`WORDS` (or of ``names``)
    in plain words; other words as they are."""
    names = names or {}

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        return names.get(word) or _declared().get(word, word)

    return KEY.sub(swap, text)


__all__ = ["plain", "plain_in"]
