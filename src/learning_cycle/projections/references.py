"""Short references people can read and type for a board's records: ``A-3`` (the third activity
commissioned on the board), ``F-12`` (finding), ``X-4`` (action), ``D-2`` (dissemination).

A reference is the record's place among the records of its kind on its board, in the order they
were created in the log. The log is append-only, so a reference never changes and is never reused;
it is unique within the board. A record is also found by an unambiguous prefix of its id (at least
four hex digits), as git finds a commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from uuid import UUID

import attrs

from ..domain.base import TOPIC_PREFIX
from ..domain.errors import InvalidValue
from ..eventlog.log import RecordedNotice

#: The event that creates each kind of record, and the letter of its references.
CREATED: Mapping[str, str] = {
    TOPIC_PREFIX + "Activity.Commissioned": "A",
    TOPIC_PREFIX + "Finding.Raised": "F",
    TOPIC_PREFIX + "Action.Raised": "X",
    TOPIC_PREFIX + "Dissemination.Delivered": "D",
}
NAMES: Mapping[str, str] = {"A": "activity", "F": "finding", "X": "action", "D": "dissemination"}
_REFERENCE = re.compile(r"([A-Za-z])-([1-9][0-9]{0,8})")
_PREFIX = re.compile(r"[0-9a-fA-F-]{4,36}")


@attrs.frozen
class References:
    """The references of one board's records."""

    ids: Mapping[str, UUID]  # "F-12" -> id
    refs: Mapping[UUID, str]  # id -> "F-12"

    def of(self, ident: UUID) -> str | None:
        """The reference of the record ``ident`` (None for a record of another kind or board)."""
        return self.refs.get(ident)

    def resolve(self, text: str, letter: str, field: str) -> UUID:
        """The id of the record of kind ``letter`` that ``text`` names (a reference or an id prefix);
        an :class:`InvalidValue` naming ``field`` if it names none, or more than one."""
        kind = NAMES[letter]
        given = text.strip()
        found = _REFERENCE.fullmatch(given)
        if found:
            ref = f"{found[1].upper()}-{int(found[2])}"
            if found[1].upper() != letter:
                raise InvalidValue(field, text, f"must name {_a(kind)}: its references start {letter}-")
            if ref not in self.ids:
                raise InvalidValue(field, text, f"no {kind} {ref} on this board (the {kind} references are {self._span(letter)})")  # fmt: skip
            return self.ids[ref]
        if _PREFIX.fullmatch(given):
            wanted = given.lower().replace("-", "")
            matches = [i for r, i in self.ids.items() if r.startswith(letter + "-") and i.hex.startswith(wanted)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise InvalidValue(field, text, f"is the start of {len(matches)} {kind} ids: give more of it, or the reference")  # fmt: skip
        raise InvalidValue(field, text, f"must be {_a(kind)} reference like {letter}-1, or the start of its id")

    def _span(self, letter: str) -> str:
        count = sum(1 for r in self.ids if r.startswith(letter + "-"))
        return f"{letter}-1 to {letter}-{count}" if count else "none yet"


def is_reference(text: str) -> bool:
    """Whether ``text`` is written as a reference (a letter, a hyphen, a number: ``F-12``)."""
    return _REFERENCE.fullmatch(text.strip()) is not None


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def references(notices: Iterable[RecordedNotice], board_id: UUID) -> References:
    """The references of ``board_id``'s records, from the log's creation events (in recorded order)."""
    counts: dict[str, int] = {}
    ids: dict[str, UUID] = {}
    for notice in notices:
        letter = CREATED.get(notice.topic)
        if letter is None or getattr(notice.event, "board_id", None) != board_id:
            continue
        counts[letter] = counts.get(letter, 0) + 1
        ids[f"{letter}-{counts[letter]}"] = notice.event.originator_id
    return References(ids, {i: r for r, i in ids.items()})
