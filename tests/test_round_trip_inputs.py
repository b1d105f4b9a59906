"""Whatever `pull` and `init` accept, export, import and migrate carry unchanged.

Each property feeds generated input (edge values included) through the way in; what is refused
records nothing, and what is accepted exports, imports into a fresh store and exports again
byte-identical, and migrates store to store with the same export.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from learning_cycle_sources import CSV, JSONL

from learning_cycle import LearningCycleError
from learning_cycle.interchange import export_log, import_log
from learning_cycle.interchange.config import apply_config, read_config
from learning_cycle.interchange.migrate import migrate

from .conftest import open_cycle

SOME = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNITS = {"plans": "count", "share": "%", "rate": "rate per 10,000"}
TEXT = st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Z", "Cf"]), min_size=0, max_size=30)


def _export(log) -> str:
    out = StringIO()
    export_log(log, out)
    return out.getvalue()


def _carried(folder, lc) -> None:
    """Export, import into a fresh store, export again: the same bytes; migrate: the same log."""
    first = _export(lc.log)
    path = folder / "log.jsonl"
    path.write_text(first, encoding="utf-8")
    with open_cycle(folder / "imported.sqlite") as copy:
        import_log(copy.log, path)
        assert _export(copy.log) == first
    with open_cycle(folder / "migrated.sqlite") as moved:
        migrate(lc.log, moved.log)
        assert _export(moved.log) == first


# -- pull --------------------------------------------------------------------------------------

VALUES = st.one_of(
    st.integers(0, 100).map(str),
    st.floats(0, 100).map(repr),
    st.integers(-5, 10**6).map(str),
    st.floats(-1e13, 1e13, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["0", "-0", "0.0", ".5", "17.", "1e3", "1E-300", "100", "100.0000001", "5e-324", "1e12"]),
)
ROWS = st.lists(st.tuples(st.sampled_from(sorted(UNITS)), st.integers(0, 40), VALUES), min_size=1, max_size=8)


def _quarter(index: int) -> str:
    year, quarter = divmod(index, 4)
    return date(2014 + year, 1 + 3 * quarter, 1).isoformat()


@SOME
@given(rows=ROWS, jsonl=st.booleans())
def test_what_pull_accepts_exports_imports_and_migrates_unchanged(tmp_path_factory, rows, jsonl):
    folder = tmp_path_factory.mktemp("pull")
    with open_cycle(folder / "a.sqlite") as lc:
        b = lc.create_board(
            "pulled", "Pulled Board (fictional)", agencies=[("csc", "Social Care")], on=date(2014, 1, 1)
        )
        for key, unit in UNITS.items():
            lc.define_indicator(b, key=key, title=key, kind="how_much", unit=unit, polarity="neutral",
                                cadence="quarterly", on=date(2014, 1, 1))  # fmt: skip
        before = lc.position()
        if jsonl:
            text = "".join(
                f'{{"indicator": {json.dumps(k)}, "period_start": "{_quarter(q)}", "value": {v}}}\n' for k, q, v in rows
            )
            source, name = JSONL, "figures.jsonl"
        else:
            text = "indicator,period_start,value\n" + "".join(f"{k},{_quarter(q)},{v}\n" for k, q, v in rows)
            source, name = CSV, "figures.csv"
        (folder / name).write_text(text, encoding="utf-8")
        try:
            result = lc.pull(b, source, str(folder / name))
        except LearningCycleError as refused:
            event(f"pull refused: {refused.field}")
            assert lc.position() == before  # refused: nothing recorded
            return
        event("pull accepted")
        assert result.recorded == len(rows)  # a period given twice is refused
        for key, q, value in rows:  # the figure held is the file's, exactly
            held = lc.indicator(b, key).measurement(date.fromisoformat(_quarter(q)))
            assert held is not None and held.value == float(value)
        _carried(folder, lc)


# -- init --------------------------------------------------------------------------------------

KEYS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
NAMES = st.one_of(st.text("abcdefghij ABC-'()é́", min_size=1, max_size=20), TEXT)
CONFIGS = st.fixed_dictionaries(
    {
        "key": KEYS,
        "name": NAMES,
        "started_on": st.one_of(
            st.dates(date(2010, 1, 1), date(2016, 1, 1)), st.dates(date(1890, 1, 1), date(2030, 1, 1))
        ).map(date.isoformat),
        "agencies": st.lists(
            st.fixed_dictionaries({"key": KEYS, "name": NAMES}), max_size=3, unique_by=lambda a: a["key"]
        ),
        "districts": st.lists(NAMES, max_size=3, unique=True),
        "subgroups": st.lists(NAMES, max_size=2, unique=True),
        "priorities": st.lists(
            st.fixed_dictionaries(
                {
                    "year": st.integers(1985, 2032).map(lambda y: f"{y}/{(y + 1) % 100:02d}"),
                    "priorities": st.lists(
                        st.fixed_dictionaries({"key": KEYS, "title": NAMES}), max_size=2, unique_by=lambda p: p["key"]
                    ),
                }
            ),
            max_size=2,
            unique_by=lambda entry: entry["year"],
        ),
    }
)


@SOME
@given(config=CONFIGS)
def test_what_init_accepts_exports_imports_and_migrates_unchanged(tmp_path_factory, config):
    folder = tmp_path_factory.mktemp("init")
    path = folder / "board.json"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    with open_cycle(folder / "a.sqlite") as lc:
        try:
            board_id = apply_config(lc, read_config(path), source=path)
        except LearningCycleError as refused:
            event(f"init refused: {refused.field}")
            assert lc.position() == 0  # refused: nothing recorded
            return
        event("init accepted")
        assert lc.board(board_id).key == config["key"]
        _carried(folder, lc)
