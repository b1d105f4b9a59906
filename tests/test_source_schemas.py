"""The indicator-source schemas in schemas/ and the readers agree, both ways."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from learning_cycle_sources import COLUMNS, read_csv, read_jsonl

from learning_cycle import BadInput

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = {name: json.loads((ROOT / "schemas" / f"indicator-source-{name}.schema.json").read_text()) for name in ("csv", "jsonl")}  # fmt: skip
NAMES = [c.name for c in COLUMNS]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def valid(schema: dict, instance: object) -> bool:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return validator.is_valid(instance)


def reads(reader, path: Path) -> bool:
    try:
        list(reader(str(path)))  # a reader gives figures as it reads them
    except BadInput:
        return False
    return True


def csv_file(tmp_path: Path, row: dict[str, str]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(row.keys())
    writer.writerow(row.values())
    path = tmp_path / "row.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def jsonl_file(tmp_path: Path, obj: object) -> Path:
    path = tmp_path / "row.jsonl"
    path.write_text(json.dumps(obj) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["csv", "jsonl"])
def test_each_schema_is_valid_documented_and_names_the_documented_columns(name):
    schema = SCHEMAS[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"indicator-source-{name}.schema.json")
    assert schema["title"] and schema["description"]
    assert list(schema["properties"]) == NAMES == schema["required"]
    assert all(p["description"] for p in schema["properties"].values())
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column.name}` | {column.description} |" in docs


def from_schema(schema: dict) -> st.SearchStrategy[dict]:
    """Instances of one of these flat object schemas, drawn from the schema itself: each string
    from its pattern (and date format), each number of any size."""
    fields = {}
    for name, prop in schema["properties"].items():
        if prop["type"] == "string":
            strategy = st.from_regex(prop["pattern"].removeprefix("^").removesuffix("$"), fullmatch=True)
            if prop.get("format") == "date":  # every real date matches the pattern; few pattern matches are dates
                strategy = st.dates().map(date.isoformat)
        else:
            strategy = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False))
        fields[name] = strategy
    return st.fixed_dictionaries(fields)


def _finite(value: str | float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


@FAST
@given(from_schema(SCHEMAS["csv"]))
def test_every_row_the_csv_schema_allows_is_read(tmp_path, row):
    path = csv_file(tmp_path, row)
    assert reads(read_csv, path) == _finite(row["value"])  # JSON Schema cannot say "finite" of text


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["cp-plans", "2014-04-01", "2014-02-30", "12", "-1.5e3", "1,000", "nan", "1e999", " 7 ", "Key"]),
)


@FAST
@given(st.fixed_dictionaries({n: cells for n in NAMES}))
def test_the_csv_reader_accepts_exactly_the_rows_the_schema_allows(tmp_path, row):
    trimmed = {k: v.strip() for k, v in row.items()}
    assume(not any(c in v for v in row.values() for c in "\r\n\x00"))  # a cell over lines is another layout
    assume(any(trimmed.values()))  # a blank row is skipped, as the schema says
    path = csv_file(tmp_path, row)
    assert reads(read_csv, path) == (valid(SCHEMAS["csv"], trimmed) and _finite(trimmed["value"]))


@FAST
@given(from_schema(SCHEMAS["jsonl"]))
def test_every_object_the_json_lines_schema_allows_is_read(tmp_path, obj):
    assert reads(read_jsonl, jsonl_file(tmp_path, obj)) == _finite(obj["value"])


values = st.one_of(
    st.integers(-(10**400), 10**400), st.floats(allow_nan=False), st.text(max_size=5), st.booleans(), st.none()
)


@FAST
@given(
    st.dictionaries(
        st.sampled_from([*NAMES, "comment"]),
        st.one_of(cells, values),
        min_size=0,
        max_size=4,
    )
)
def test_the_json_lines_reader_accepts_exactly_the_objects_the_schema_allows(tmp_path, obj):
    expected = valid(SCHEMAS["jsonl"], obj) and _finite(obj["value"])
    assert reads(read_jsonl, jsonl_file(tmp_path, obj)) == expected
