"""Each field declared once (learning_cycle.domain.fields): the rules, disclosure, redaction, the
schemas and the words reports use derive from a record's declarations alone.

A record kind made here, for the test only (``Visit``), and a field added to it, show that nothing
else needs to change: no table of rules by a field's bare name, no name heuristics.
"""

from __future__ import annotations

import collections.abc
import inspect
import itertools
import types
import typing
from datetime import UTC, date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import Views
from learning_cycle.domain import fields, rules
from learning_cycle.domain.base import TOPIC_PREFIX, CycleAggregate, RecordedEvent
from learning_cycle.domain.errors import InvalidValue
from learning_cycle.domain.finding import Check, FindingState
from learning_cycle.domain.indicator import IndicatorState
from learning_cycle.domain.kinds import KINDS, kind_of_state
from learning_cycle.domain.values import CheckKind, IndicatorKind, Nature, ReportingYear
from learning_cycle.interchange.exporter import redacted_payload
from learning_cycle.interchange.lines import TOPICS
from learning_cycle.interchange.schemas import event_schema, schema_for
from learning_cycle.projections.disclosure import blank
from learning_cycle.projections.fold import fold as view_fold
from learning_cycle.reports import words

from .conftest import open_cycle
from .everything import record_every_event_type

# -- a record kind of the test's own ------------------------------------------------------------


class Mood(StrEnum):
    CALM = "calm"
    NOT_SETTLED = "not_settled"


@attrs.frozen
class Visitor:
    role: str
    said: str


@attrs.frozen
class VisitState:
    visit_id: typing.Any
    place: str
    notes: str
    mood: Mood
    visitors: tuple[Visitor, ...]
    tags: tuple[str, ...]


class Visit(CycleAggregate[VisitState]):
    KIND = "visit"

    class Event(RecordedEvent):
        pass

    class Made(Event, CycleAggregate.Created):
        TOPIC = TOPIC_PREFIX + "Visit.Made"
        place: str
        notes: str
        mood: Mood
        visitors: tuple[Visitor, ...]
        tags: tuple[str, ...]
        headcount: int


# The whole declaration of the record: nothing else in the code names these fields.
fields.declare(Visitor, role=fields.key("visitor's role"), said=fields.long("what the visitor said"))
fields.declare(
    Visit.Event,
    VisitState,
    visit_id=fields.plain("visit"),
    place=fields.short("place visited"),
    notes=fields.long("notes of the visit"),
    mood=fields.choice("mood", not_settled="not yet settled"),
    visitors=fields.plain("visitors"),
    tags=fields.key("tags"),
    headcount=fields.count("people seen"),
)


def _made(**changes: typing.Any) -> dict[str, typing.Any]:
    values = {
        "effective_on": date(2020, 1, 2),
        "recorded_by": "Jo",
        "place": "Ward 7",
        "notes": "Quiet day",
        "mood": Mood.CALM,
        "visitors": (Visitor("nurse", "All well"),),
        "tags": ("ward",),
        "headcount": 3,
    }
    return {**values, **changes}


# -- the rules -----------------------------------------------------------------------------------


def test_the_rules_of_a_new_record_come_from_its_declarations():
    assert rules.rule_at(Visit.Made, "place") == "short"
    assert rules.rule_at(Visit.Made, "notes") == "long"
    assert rules.rule_at(Visit.Made, "tags[]") == "key"
    assert rules.rule_at(Visit.Made, "visitors[].role") == "key"
    assert rules.rule_at(Visit.Made, "visitors[].said") == "long"
    assert rules.rule_at(Visit.Made, "headcount") == "count"
    assert rules.rule_at(Visit.Made, "mood") is None  # a choice: its type says it all
    checked = rules.check_event(Visit.Made, _made(place="Cafe\u0301"))
    assert checked["place"] == "Caf\u00e9"  # text made NFC, as every command does


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"place": "Two\nlines"}, "place", "holds a line break"),
        ({"notes": " "}, "notes", "must not be blank"),
        ({"tags": ("Not A Key",)}, "tags", "must be a key"),
        ({"visitors": (Visitor("Nurse!", "ok"),)}, "visitors.role", "must be a key"),
        ({"visitors": (Visitor("nurse", "\u202eevil"),)}, "visitors.said", "bidirectional control"),
        ({"headcount": -1}, "headcount", "whole number from 0"),
    ],
)
def test_a_new_record_refuses_what_its_declarations_forbid_naming_the_field(changes, field, words):
    with pytest.raises(InvalidValue) as refused:
        rules.check_event(Visit.Made, _made(**changes))
    assert refused.value.field == field
    assert words in str(refused.value)


def test_a_field_added_to_a_record_is_ruled_once_declared():
    @attrs.frozen
    class Later:
        room: str

    fields.declare(Later, room=fields.key("room"))
    assert rules.check_field(Later, "room", "b-12") == "b-12"
    with pytest.raises(InvalidValue, match="must be a key"):
        rules.check_field(Later, "room", "Room 12")


def test_a_field_nobody_declared_is_an_error_not_a_guess():
    @attrs.frozen
    class Undeclared:
        whatever_id: str

    with pytest.raises(LookupError, match=r"'whatever_id' of .*Undeclared is not declared"):
        fields.field_of(Undeclared, "whatever_id")


def test_a_field_declared_twice_differently_is_refused():
    @attrs.frozen
    class Twice:
        name: str

    fields.declare(Twice, name=fields.short("name"))
    fields.declare(Twice, name=fields.short("name"))  # the same again is harmless
    with pytest.raises(ValueError, match="declared twice"):
        fields.declare(Twice, name=fields.long("name"))


# -- disclosure and redaction ---------------------------------------------------------------------


def test_disclosure_blanks_exactly_the_fields_declared_free_text():
    state = VisitState(uuid4(), "Ward 7", "Quiet day", Mood.CALM, (Visitor("nurse", "All well"),), ("ward",))
    shown = blank(state, "P")
    assert shown == VisitState(state.visit_id, "P", "P", Mood.CALM, (Visitor("nurse", "P"),), ("ward",))


def test_a_redacted_line_replaces_exactly_the_declared_free_text():
    payload = {
        "place": "Ward 7",
        "notes": "Quiet day",
        "mood": "calm",
        "visitors": [{"role": "nurse", "said": "All well"}],
        "tags": ["ward"],
        "headcount": 3,
    }
    assert redacted_payload(Visit.Made, payload, "P") == {
        **payload,
        "place": "P",
        "notes": "P",
        "visitors": [{"role": "nurse", "said": "P"}],
    }


# -- schemas ----------------------------------------------------------------------------------------


def test_the_schema_of_a_new_record_has_its_limits_and_its_words():
    payload = event_schema(Visit.Made)["properties"]["payload"]["properties"]
    assert payload["place"]["maxLength"] == rules.SHORT_TEXT
    assert payload["place"]["description"] == "place visited: text"
    assert payload["tags"]["items"]["pattern"] == rules.KEY_PATTERN.pattern
    assert payload["headcount"] == {"type": "integer", "minimum": 0, "maximum": rules.MAX_COUNT, "description": "people seen: a whole number"}  # fmt: skip
    said = payload["visitors"]["items"]["properties"]["said"]
    assert said["description"].startswith("what the visitor said: ")
    assert said["maxLength"] == rules.LONG_TEXT
    assert schema_for(Visitor)["properties"]["role"]["description"] == "visitor's role: text"


# -- words for reports ------------------------------------------------------------------------------


def test_labels_and_the_words_for_values_come_from_the_declarations():
    assert fields.label(VisitState, "notes") == "notes of the visit"
    assert fields.value_words(VisitState, "mood", Mood.NOT_SETTLED) == "not yet settled"
    assert fields.value_words(VisitState, "mood", "calm") == "calm"
    assert fields.value_words(Check, "kind", CheckKind.SECTION_11_AUDIT) == "Section 11 audit"
    assert fields.value_words(FindingState, "nature", Nature.GOOD_PRACTICE) == "good practice"
    assert words.label_of(FindingState, "response") == "the board's response"
    assert {k.value: fields.value_words(IndicatorState, "kind", k) for k in IndicatorKind} == words.KIND_TITLES


# -- every record of the product is declared --------------------------------------------------------


def _owners() -> set[type]:
    found: set[type] = set()

    def walk(owner: type) -> None:
        if owner in found:
            return
        found.add(owner)
        for kind in fields.hints(owner).values():
            inner = fields.inner(kind)
            if attrs.has(inner):
                walk(inner)

    for cls in TOPICS.values():
        walk(cls)
    for kind in KINDS:
        walk(kind.state)
    return found


OWNERS = sorted(_owners(), key=lambda c: c.__qualname__)


@pytest.mark.parametrize("owner", OWNERS, ids=lambda c: c.__qualname__)
def test_every_field_of_every_event_state_and_value_is_declared(owner):
    for name in fields.hints(owner):
        fields.field_of(owner, name)  # (raises, naming the field, if it is not)


@pytest.mark.parametrize("owner", OWNERS, ids=lambda c: c.__qualname__)
def test_declared_rules_fit_the_type_and_a_choice_has_words_only_for_its_values(owner):
    for name, kind in fields.hints(owner).items():
        declared = fields.field_of(owner, name)
        inner = fields.inner(kind)
        if declared.rule in fields.TEXT_RULES or declared.rule == "key":
            assert inner is str, f"{owner.__qualname__}.{name}: a text rule on {kind}"
        if declared.rule in ("count", "year"):
            assert inner is int, f"{owner.__qualname__}.{name}"
        if isinstance(inner, type) and issubclass(inner, StrEnum):
            assert set(declared.words) <= {m.value for m in inner}, f"{owner.__qualname__}.{name}"
        assert declared.label and declared.label == declared.label.strip()


def test_every_event_field_has_a_description_in_words_in_its_schema():
    for cls in TOPICS.values():
        payload = event_schema(cls)["properties"]["payload"]["properties"]
        for name, schema in payload.items():
            assert schema["description"].startswith(fields.label(cls, name) + ": ")


_texts = st.text(min_size=1, max_size=20).filter(str.strip)
_keys = st.from_regex(rules.KEY_PATTERN, fullmatch=True)


@given(place=_texts, notes=_texts, said=_texts, role=_keys, tags=st.lists(_keys, max_size=3).map(tuple))
def test_whatever_a_new_record_holds_disclosure_shows_none_of_its_free_text(place, notes, said, role, tags):
    state = VisitState(uuid4(), place, notes, Mood.NOT_SETTLED, (Visitor(role, said),), tags)
    shown = blank(state, "[restricted]")
    assert (shown.place, shown.notes, shown.visitors[0].said) == ("[restricted]",) * 3
    assert (shown.visitors[0].role, shown.tags, shown.mood, shown.visit_id) == (role, tags, state.mood, state.visit_id)


# -- one fold ---------------------------------------------------------------------------------------


def _aggregate_state(lc: typing.Any, state: typing.Any) -> typing.Any:
    """The state the application's aggregate holds for the record ``state`` is of."""
    kind = kind_of_state(state)
    if kind.name == "Board":
        return lc.board(state.board_id)
    if kind.name == "Indicator":
        return lc.indicator(state.board_id, state.key)
    if kind.name in ("Return", "ReturnsAnalysis", "PeerReview"):  # no query of one: the aggregate as loaded
        return lc.log.load(kind.id_of(state)).state
    return getattr(lc, kind.label)(state.board_id, kind.id_of(state))


def test_one_fold_the_aggregates_the_maintained_views_and_the_as_of_fold_agree(sqlite_path):
    with open_cycle(sqlite_path) as lc:
        record_every_event_type(lc)
        events = [notice.event for notice in lc.log.read()]
        by_date = view_fold(events)
        with Views.of(lc) as views:
            maintained = views.records(views.boards()[0].board_id)
        assert len(by_date) == len({e.originator_id for e in events})
        for ident, shell in by_date.items():
            state = None
            for event in lc.history(ident):  # in version order, as the aggregate applies them
                state = event.fold(state)
            assert state == shell.state == _aggregate_state(lc, state)
    kept = (maintained.activities, maintained.findings, maintained.actions, maintained.disseminations)
    for state in (maintained.board, *itertools.chain(*kept, maintained.indicators)):
        assert by_date[kind_of_state(state).id_of(state)].state == state


def test_an_event_that_does_not_say_what_it_makes_of_the_state_is_an_error():
    class Silent(Visit.Event):
        TOPIC = TOPIC_PREFIX + "Visit.Silent"

    event = Silent(originator_id=uuid4(), originator_version=2, timestamp=datetime.now(UTC), effective_on=date(2020, 1, 2), recorded_by="Jo")  # fmt: skip
    with pytest.raises(NotImplementedError, match="Silent does not say"):
        event.fold(None)


# -- the recording commands' signatures are checked against the declarations ------------------------

#: a command's parameter that is not an event's field of the same name: what it is instead
NOT_A_FIELD_OF_THE_SAME_NAME = {
    "board_id": "the board the command records on",
    "id": "an id the caller chooses for a new record",
    "on": "the effective date of every event (each event's own `on`)",
    "indicator": "the key naming the indicator the command records on",
}
#: a parameter whose value an event holds under another name or in another form
HELD_AS = {"voice": "voice_of_child", "year": "year"}


def _members(kind: typing.Any) -> list[typing.Any]:
    """The types a parameter annotated ``kind`` accepts (a union's members, an iterable's items)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Union or (args and origin is types.UnionType):
        return [m for a in args for m in _members(a)]
    if origin in (collections.abc.Iterable, tuple, list):
        return _members(args[0])
    return [kind]


def _recording_commands() -> list[str]:
    from learning_cycle.cli.record import COMMANDS

    return sorted({method for method, _ in COMMANDS.values()})


@pytest.mark.parametrize("command", _recording_commands())
def test_every_parameter_of_a_recording_command_is_a_declared_event_field_of_its_type(command):
    """Application -> aggregate -> event pass keywords through: a command's parameter is the declared
    field of that name of the events it records (or, listed above, plumbing every command shares), and
    takes the type the event holds (a choice also as its key, a list as any iterable)."""
    from learning_cycle import LearningCycle

    method = getattr(LearningCycle, command)
    annotations = typing.get_type_hints(method)
    for name in list(inspect.signature(method).parameters)[1:]:
        if name in NOT_A_FIELD_OF_THE_SAME_NAME:
            continue
        field = HELD_AS.get(name, name)
        holders = {e: fields.inner(fields.hints(e)[field]) for e in TOPICS.values() if field in fields.hints(e)}
        assert holders, f"{command}({name}=...): no event holds a field {field!r}"
        for event in holders:
            fields.field_of(event, field)  # declared, not guessed
        accepted = _members(annotations[name])
        if name == "year":  # a reporting year, given as "2016/17" or a ReportingYear; events hold its first year
            assert ReportingYear in accepted and all(t is int for t in holders.values())
            continue
        if any(attrs.has(t) for t in holders.values()):  # a value type: it, or a spelling the command converts
            accepted = [typing.get_origin(t) or t for t in accepted]
            assert any(
                t in accepted or t in (str, tuple, collections.abc.Mapping) for t in [*holders.values(), *accepted]
            )
            continue
        assert any(t in accepted for t in holders.values()), (
            f"{command}({name}: {annotations[name]}) takes no type its events hold ({set(holders.values())})"
        )


def test_the_signature_check_catches_a_parameter_no_event_declares(monkeypatch):
    """The check above fails for a command whose parameter no event holds (so it cannot pass vacuously)."""
    from learning_cycle import LearningCycle

    def raise_finding(self, board_id: UUID, activity_id: UUID, statement: str, mood: str, on: date | None = None): ...

    monkeypatch.setattr(LearningCycle, "raise_finding", raise_finding)
    with pytest.raises(AssertionError, match="no event holds a field 'mood'"):
        test_every_parameter_of_a_recording_command_is_a_declared_event_field_of_its_type("raise_finding")
