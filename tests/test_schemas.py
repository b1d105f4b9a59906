"""schemas/ and the code agree, both ways: what the code writes validates, what the schemas allow is read."""

from __future__ import annotations

import json
import typing
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from uuid import UUID

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle.domain import rules
from learning_cycle.domain.errors import InvalidValue
from learning_cycle.eventlog.serialization import payload_fields
from learning_cycle.interchange.lines import (
    TOPICS,
    class_version,
    dumps,
    event_line,
    make_event,
    parse_state,
    payload_of,
    structure_state,
)
from learning_cycle.interchange.schemas import all_schemas, event_schema_name
from learning_cycle.testing import strategies as values

from .conftest import open_cycle
from .everything import record_every_event_type

ROOT = Path(__file__).resolve().parents[1] / "schemas"
FILES = {p.relative_to(ROOT).as_posix(): json.loads(p.read_text(encoding="utf-8")) for p in ROOT.rglob("*.json")}
Validator = jsonschema.Draft202012Validator
CLASSES = sorted(TOPICS.values(), key=lambda c: c.TOPIC)
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def validate(schema: dict, instance: object) -> list[str]:
    return [e.message for e in Validator(schema, format_checker=Validator.FORMAT_CHECKER).iter_errors(instance)]


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_schema_is_a_valid_2020_12_schema_with_an_id_title_and_description(name):
    schema = FILES[name]
    Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(name) and schema["title"] and schema["description"]


def test_the_committed_schemas_are_what_the_code_generates():
    for name, schema in all_schemas().items():
        assert FILES.get(name) == schema, f"schemas/{name} is out of date: run python tools/gen_schemas.py"
    for cls in CLASSES:  # past versions stay, so old exports can still be checked
        for version in range(1, class_version(cls) + 1):
            assert event_schema_name(cls, version) in FILES


def test_every_exported_line_validates_against_the_schema_of_its_topic_and_version(tmp_path):
    from learning_cycle import open_cycle as open_with_plugins
    from learning_cycle.demo import load_demo
    from learning_cycle.interchange import export_log

    path = tmp_path / "a.jsonl"
    with path.open("w", encoding="utf-8") as f:
        with open_cycle(tmp_path / "a.sqlite") as lc:
            record_every_event_type(lc)
            export_log(lc.log, f)
        with open_with_plugins(str(tmp_path / "demo.sqlite")) as lc:
            load_demo(lc)
            export_log(lc.log, f)
    topics = set()
    for text in path.read_text(encoding="utf-8").splitlines():
        line = json.loads(text)
        topics.add(line["topic"])
        assert validate(FILES["event-line.schema.json"], line) == []
        name = event_schema_name(TOPICS[line["topic"]], line["class_version"])
        assert validate(FILES[name], line) == [], name
    assert topics == set(TOPICS)


# -- both ways, by type -------------------------------------------------------------------

KNOWN = {
    "Agency": values.agencies,
    "Priority": values.priorities,
    "VoiceOfChild": values.voices,
    "PublicationDecision": values.publication_decisions,
    "YearStart": values.year_starts,
}


def _follows_rules(rule, value) -> bool:
    try:
        rules.check_value("x", rule, value, None, normalise=False)
    except InvalidValue:
        return False
    return True


def values_for(kind, path: str | None = None, owner: type | None = None) -> st.SearchStrategy:
    """Values the code would write for a field: of its type, and within its value rule."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    rule = None if path is None else rules.rule_at(owner, path)
    if rule == "key":
        return st.from_regex(rules.KEY_PATTERN, fullmatch=True)
    if rule == "count":
        return st.integers(0, rules.MAX_COUNT)
    if rule == "year":
        return st.integers(rules.FIRST_YEAR, rules.LAST_YEAR)
    if rule in ("date", "due", "deadline"):
        return st.dates(rules.EARLIEST, date(2026, 1, 2))  # (a due date is then within the horizon)
    if kind is str:
        return values.texts.filter(lambda t: rule is None or _follows_rules(rule, t))
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(0, 10**6)
    if kind is float:
        return st.floats(-1e9, 1e9, allow_nan=False)
    if kind is date:
        return values.dates
    if kind is UUID:
        return st.uuids()
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from(list(kind))
    if origin is tuple:
        return st.lists(values_for(args[0], None if path is None else f"{path}[]", owner), max_size=3).map(tuple)
    if args and type(None) in args:
        return st.none() | values_for(next(a for a in args if a is not type(None)), path, owner)
    if getattr(kind, "__name__", "") in KNOWN:
        return KNOWN[kind.__name__].filter(lambda v: path is None or _ruled_ok(owner, path, v))
    if attrs.has(kind):
        hints = typing.get_type_hints(kind)
        at = (lambda n: None) if path is None else (lambda n: f"{path}.{n}")
        return st.builds(kind, **{f.name: values_for(hints[f.name], at(f.name), owner) for f in attrs.fields(kind)})
    raise TypeError(kind)


def _ruled_ok(owner: type, path: str, value) -> bool:
    try:
        rules.check_field(owner, path, value, None, False)
    except InvalidValue:
        return False
    return True


def events_of(cls):
    fields = {name: values_for(kind, name, cls) for name, kind in payload_fields(cls)}
    return st.fixed_dictionaries(fields).flatmap(
        lambda v: st.builds(lambda i, n: make_event(cls, v, i, n, datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)), st.uuids(), st.integers(1, 50))
    )  # fmt: skip


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.TOPIC)
@FAST
@given(data=st.data())
def test_what_the_code_writes_the_schema_allows_and_reads_back_equal(cls, data):
    event = data.draw(events_of(cls))
    line = json.loads(dumps(event_line(event)))
    assert validate(FILES[event_schema_name(cls)], line) == []
    back_cls, state = parse_state(line)
    structured, problems = structure_state(back_cls, state)
    assert problems == []
    assert structured == {name: vars(event)[name] for name, _ in payload_fields(cls)}


def from_schema(schema: dict) -> st.SearchStrategy:
    """Instances of the subset of JSON Schema that schemas/ uses."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([from_schema(s) for s in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat)
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat)
        if "pattern" in schema:
            low, high = schema.get("minLength", 0), schema.get("maxLength", 10**6)
            return st.from_regex(schema["pattern"].removeprefix("^").removesuffix("$"), fullmatch=True).filter(
                lambda t: low <= len(t) <= high
            )
        return st.text(min_size=schema.get("minLength", 0), max_size=20)
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**9)), schema.get("maximum", 10**9))
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(from_schema(schema["items"]), max_size=3)
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required},
        )
    raise TypeError(schema)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.TOPIC)
@FAST
@given(data=st.data())
def test_what_the_schema_allows_is_read_or_refused_with_a_clear_message(cls, data):
    line = data.draw(from_schema(FILES[event_schema_name(cls)]))
    assert validate(FILES[event_schema_name(cls)], line) == []
    back_cls, state = parse_state(line)
    _, problems = structure_state(back_cls, state)
    for path, reason, _ in problems:  # the schema cannot say everything (keys' spelling, a "how" when informed)
        assert path.startswith(("payload.", "effective_on", "recorded_by")) and reason
    assert {name for name, _ in payload_of(cls)} == set(line["payload"])
