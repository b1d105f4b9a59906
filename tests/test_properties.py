"""Property-based tests of the value types, the converter, past versions and following the log."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from learning_cycle import Agency, PublicationDecision, ReportingYear, VoiceOfChild, YearStart
from learning_cycle.domain import Cadence, Period, Priority
from learning_cycle.eventlog.serialization import converter
from learning_cycle.testing import strategies

from .conftest import open_cycle, small_board

keys = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,20}", fullmatch=True)
texts = strategies.texts
dates = st.dates(date(1990, 1, 1), date(2030, 12, 31))

values = st.one_of(
    st.builds(Agency, keys, texts),
    st.builds(Priority, keys, texts),
    st.builds(VoiceOfChild, st.just(True), texts),
    st.builds(VoiceOfChild, st.just(False), st.just("") | texts),
    st.builds(YearStart, st.integers(1, 12), st.integers(1, 28)),
    st.builds(PublicationDecision, st.just("published"), reference=texts),
    st.builds(PublicationDecision, st.just("withheld"), reason=texts),
    st.builds(PublicationDecision, st.just("delayed"), reason=texts, review_on=dates),
)


@given(values)
def test_value_types_round_trip_through_the_converter(value):
    assert converter.structure(converter.unstructure(value), type(value)) == value


@given(dates, st.integers(1, 12), st.integers(1, 28))
def test_every_day_falls_in_exactly_one_reporting_year(day, month, first_day):
    start = YearStart(month, first_day)
    year = start.year_of(day)
    assert day in year
    assert year.starts_on <= day <= year.ends_on
    assert day not in ReportingYear(year.first - 1, start)
    assert day not in ReportingYear(year.first + 1, start)
    assert ReportingYear.parse(year.label, start) == year


@given(st.sampled_from(list(Cadence)), st.integers(1990, 2030), st.integers(0, 3))
def test_periods_tile_time_without_gaps(cadence, year, index):
    if cadence is Cadence.MONTHLY:
        start = date(year, 1 + index, 1)
    elif cadence is Cadence.QUARTERLY:
        start = date(year, 1 + 3 * index, 1)
    else:
        start = date(year, 4, 1)
    period = Period(start, cadence)
    following = period.ends_on + timedelta(days=1)
    assert following > start
    months = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.ANNUAL: 12}[cadence]
    assert (following.year - start.year) * 12 + following.month - start.month == months
    assert following.day == 1


@settings(max_examples=20, deadline=None)
@given(st.lists(strategies.texts, min_size=1, max_size=6))
def test_a_record_at_a_past_version_is_as_it_was_then(responses):
    with open_cycle("memory:") as lc:
        b = small_board(lc)
        seen = [lc.finding(b.board_id, b.finding_id)]
        for i, response in enumerate(responses):
            lc.respond_to_finding(b.board_id, b.finding_id, response, on=date(2014, 10, 1) + timedelta(days=i))
            seen.append(lc.finding(b.board_id, b.finding_id))
        for version, state in enumerate(seen, start=1):
            assert lc.finding(b.board_id, b.finding_id, version=version) == state


def test_following_from_a_position_gives_only_what_came_after(memory_lc):
    b = small_board(memory_lc)
    middle = memory_lc.position()
    heard = []
    unsubscribe = memory_lc.subscribe(heard.extend)
    memory_lc.respond_to_finding(b.board_id, b.finding_id, "Noted", on=date(2014, 10, 1))
    unsubscribe()
    memory_lc.respond_to_finding(b.board_id, b.finding_id, "Again", on=date(2014, 10, 2))
    after = list(memory_lc.follow(after=middle))
    assert [n.position for n in after] == [middle + 1, middle + 2]
    assert [n.event.response for n in after] == ["Noted", "Again"]
    assert heard == after[:1]
    assert [n.position for n in memory_lc.follow(after=0, batch=2)] == list(range(1, middle + 3))


SRC = Path(__file__).resolve().parents[1] / "src" / "learning_cycle"
OUTER = ("application", "projections", "plugins", "interchange", "reports", "cli", "testing", "demo", "eventlog")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_domain_is_pure_and_imports_no_outer_layer():
    for path in (SRC / "domain").glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("..", "learning_cycle")) or name.startswith("learning_cycle.domain"), (
                path,
                name,
            )
            assert name.split(".")[0] not in ("cattrs", "rich", "sqlite3", "json", "os", "pluggy"), (path, name)
            assert not any(name.lstrip(".").startswith(outer) for outer in OUTER if name.startswith("..")), (path, name)
