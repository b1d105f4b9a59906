"""The conformance kit for plugin authors: an opt-in pytest plugin.

In your plugin's tests::

    # conftest.py
    pytest_plugins = ["learning_cycle.testing"]

    # test_conformance.py
    from learning_cycle.testing import ReviewMethodsConformance
    import my_plugin

    class TestMyMethods(ReviewMethodsConformance):
        plugin = my_plugin

It gives you:

* fixtures: ``memory_cycle`` (an in-memory :class:`~learning_cycle.LearningCycle` whose menu comes
  from the plugins loaded now), ``memory_board`` (the same with a fictional board of six agencies)
  and ``register_plugin`` (registers a plugin for one test, and always unregisters it);
* :func:`register_plugin`, the same as a context manager;
* hypothesis strategies in :mod:`learning_cycle.testing.strategies`;
* abstract conformance test classes, one per hook: :class:`ReviewMethodsConformance`,
  :class:`IndicatorSourceConformance` and :class:`OutcomeMeasuresConformance`. Subclass one in a
  class whose name starts with ``Test`` and set ``plugin``; every test of the base class then runs
  against your plugin. The bases are not collected themselves (their names do not start with
  ``Test``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..application import LearningCycle
from ..domain import Cadence, InvalidValue, Menu, MethodRule, UnknownMethod
from ..domain.errors import BadInput
from ..domain.menu import ReviewMethod
from ..domain.outcomes import BoardRecords, OutcomeValue
from ..domain.sources import Figure, IndicatorSource
from ..domain.timescales import DeadlineStatus, deadline
from ..domain.values import IndicatorKind, Polarity
from ..eventlog.serialization import converter
from ..plugins import Plugins, build_plugins, get_plugins, registered
from ..projections.store import Views
from . import strategies
from .strategies import AGENCIES, DISTRICTS, FIRST_DAY, History, histories

__all__ = [
    "IndicatorSourceConformance",
    "OutcomeMeasuresConformance",
    "ReviewMethodsConformance",
    "memory_board",
    "memory_cycle",
    "register_plugin",
    "strategies",
]

TODAY = date(2030, 1, 1)
"""The clock of the kit's in-memory cycles: late enough for any history the strategies draw."""

CONFORMANCE = settings(
    max_examples=25,
    deadline=None,
    # each subclass runs the inherited tests: the same function from different executors
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.differing_executors],
)


@contextmanager
def register_plugin(plugin: Any, *, entry_points: bool = True) -> Iterator[Plugins]:
    """Within the block, ``plugin`` is loaded as if installed (along with the installed plugins,
    unless ``entry_points=False``); afterwards it is unregistered, even if the block fails."""
    with registered(plugin, entry_points=entry_points) as plugins:
        yield plugins


@attrs.frozen
class MemoryBoard:
    lc: LearningCycle
    board_id: UUID


def _cycle(menu: Menu) -> LearningCycle:
    return LearningCycle("memory:", menu=menu, user="conformance kit", today=lambda: TODAY)


def _board(lc: LearningCycle, key: str = "kit-board") -> UUID:
    return lc.create_board(key, "Conformance Board (fictional)", agencies=AGENCIES, districts=DISTRICTS, on=FIRST_DAY)


@pytest.fixture
def memory_cycle() -> Iterator[LearningCycle]:
    """An in-memory cycle whose menu comes from the plugins loaded now."""
    with _cycle(get_plugins().menu()) as lc:
        yield lc


@pytest.fixture
def memory_board(memory_cycle: LearningCycle) -> MemoryBoard:
    """A fictional board of six agencies and four districts, set up on 1 April 2013."""
    return MemoryBoard(memory_cycle, _board(memory_cycle))


@pytest.fixture(name="register_plugin")
def register_plugin_fixture() -> Iterator[Callable[[Any], Plugins]]:
    """Call it with a plugin to load it for the rest of the test; it is unregistered afterwards."""
    with ExitStack() as stack:
        yield lambda plugin, *, entry_points=True: stack.enter_context(
            register_plugin(plugin, entry_points=entry_points)
        )


class _Conformance:
    """What every conformance class shares: the plugin under test, loaded on its own."""

    plugin: ClassVar[Any] = None
    """The plugin under test: a module or object with ``@hookimpl`` functions."""

    @classmethod
    def plugins(cls) -> Plugins:
        if cls.plugin is None:
            pytest.fail(f"{cls.__name__}: set `plugin = <your plugin module>` on the class")
        return build_plugins([cls.plugin], entry_points=False)


# -- review methods ----------------------------------------------------------------------


class ReviewMethodsConformance(_Conformance):
    """Checks a plugin's review methods: well formed, serialisable, commissionable as described."""

    def methods(self) -> dict[str, ReviewMethod]:
        return {k: c.item for k, c in self.plugins().review_methods().items()}

    def test_registers_review_methods(self):
        assert self.methods(), f"{self.plugin!r} registers no review methods"

    def test_descriptors_round_trip_through_json(self):
        for key, method in self.methods().items():
            text = json.dumps(converter.unstructure(method))
            assert converter.structure(json.loads(text), ReviewMethod) == method, f"{key} does not round-trip"

    def test_every_method_can_be_commissioned_with_its_minimum_of_agencies(self):
        methods = self.methods()
        lc = _cycle(Menu.of(m.rule for m in methods.values()))
        board = _board(lc)
        for key, method in methods.items():
            assert method.min_agencies <= len(AGENCIES), f"{key}: needs more agencies than any board test has"
            for kind in method.kinds:
                names = [a.key for a in AGENCIES[: method.min_agencies]]
                lc.commission_activity(
                    board,
                    kind=kind,
                    method=key,
                    title=f"{key} for {kind}",
                    why="Conformance",
                    decided_by="Chair",
                    proportionality=method.proportionality or "Conformance",
                    agencies=names,
                    on=FIRST_DAY,
                )
                if method.min_agencies > 1:
                    with pytest.raises(InvalidValue, match=f"needs at least {method.min_agencies} agencies"):
                        lc.commission_activity(
                            board,
                            kind=kind,
                            method=key,
                            title="Too few",
                            why="Conformance",
                            decided_by="Chair",
                            proportionality="Conformance",
                            agencies=names[:-1],
                            on=FIRST_DAY,
                        )

    def test_a_method_refuses_kinds_it_does_not_serve(self):
        methods = self.methods()
        menu = Menu.of([*(m.rule for m in methods.values()), MethodRule("kit-other", {"kit_other_kind"})])
        lc = _cycle(menu)
        board = _board(lc)
        for key in methods:
            with pytest.raises(UnknownMethod, match="does not serve activities of kind 'kit_other_kind'"):
                lc.commission_activity(
                    board,
                    kind="kit_other_kind",
                    method=key,
                    title="Wrong kind",
                    why="Conformance",
                    decided_by="Chair",
                    proportionality="Conformance",
                    agencies=[a.key for a in AGENCIES],
                    on=FIRST_DAY,
                )

    def test_findings_carry_only_tags_of_the_method_taxonomy(self):
        """A method with a taxonomy takes its own tags and refuses others; one without takes any tag."""
        methods = self.methods()
        lc = _cycle(Menu.of(m.rule for m in methods.values()))
        board = _board(lc)
        for key, method in methods.items():
            activity = _started(lc, board, key, method)
            if method.finding_taxonomy is None:
                finding = lc.raise_finding(
                    board, activity, statement="Free", level="operational", patterns=["kit-free-tag"], on=FIRST_DAY
                )
                assert lc.finding(board, finding).patterns == ("kit-free-tag",), f"{key}: has no taxonomy"
                continue
            for tag in method.finding_taxonomy:
                lc.raise_finding(board, activity, statement=tag, level="operational", patterns=[tag], on=FIRST_DAY)
            with pytest.raises(InvalidValue, match=r"not in the \S+ method's taxonomy"):
                lc.raise_finding(
                    board, activity, statement="x", level="operational", patterns=["kit-not-a-tag"], on=FIRST_DAY
                )

    def test_timescales_give_a_working_day_deadline(self):
        """Each timescale runs from its starting event to a later working day; a method without
        timescales gives an activity no deadlines."""
        methods = self.methods()
        lc = _cycle(Menu.of(m.rule for m in methods.values()))
        board = _board(lc)
        for key, method in methods.items():
            if not method.timescales:
                activity = _started(lc, board, key, method)
                assert lc.deadlines(board, activity, on=FIRST_DAY) == (), f"{key}: declares no timescale"
            for timescale in method.timescales:
                milestones = {timescale.from_event: FIRST_DAY}
                d = deadline(milestones, (), timescale, FIRST_DAY + timedelta(days=1))
                assert d.status is DeadlineStatus.ON_TRACK, f"{key}: {timescale.label} is not running"
                assert d.due_on is not None and d.due_on > FIRST_DAY


def _started(lc: LearningCycle, board: UUID, key: str, method: ReviewMethod) -> UUID:
    """A started activity of the method's first kind, with every test agency."""
    activity = lc.commission_activity(
        board,
        kind=method.kinds[0],
        method=key,
        title=key,
        why="Conformance",
        decided_by="Chair",
        proportionality="Conformance",
        agencies=[a.key for a in AGENCIES],
        on=FIRST_DAY,
    )
    lc.start_activity(board, activity, on=FIRST_DAY)
    return activity


# -- indicator sources -------------------------------------------------------------------

_series = st.lists(
    st.tuples(st.sampled_from(["kit-a", "kit-b"]), st.integers(0, 19), st.integers(-10_000, 10_000)),
    min_size=1,  # an input with no figures at all is reported as a mistake
    max_size=30,
    unique_by=lambda t: (t[0], t[1]),
)


def _quarter(n: int) -> date:
    month = 3 + 3 * n
    return date(2013 + month // 12, month % 12 + 1, 1)


class IndicatorSourceConformance(_Conformance):
    """Checks an indicator source: it reads back what was written, pulling is idempotent,
    changed figures become corrections, and a bad row names its place with nothing written.

    Set ``source_key`` and implement :meth:`write` and :meth:`write_bad`.
    """

    source_key: ClassVar[str] = ""

    def write(self, figures: list[tuple[str, date, float]], directory: Path) -> str:
        """Write ``(indicator key, period start, value)`` rows in your source's format under
        ``directory``; return the location to read."""
        raise NotImplementedError("implement write(figures, directory) -> location")

    def write_bad(self, directory: Path) -> tuple[str, int]:
        """Write an input whose only bad row has an unreadable value; return the location and
        that row's line number."""
        raise NotImplementedError("implement write_bad(directory) -> (location, line)")

    def source(self) -> IndicatorSource:
        sources = self.plugins().indicator_sources()
        if self.source_key not in sources:
            pytest.fail(f"{self.plugin!r} registers no indicator source {self.source_key!r} (has: {sorted(sources)})")
        return sources[self.source_key].item

    def _board(self) -> tuple[LearningCycle, UUID]:
        lc = _cycle(Menu())
        board = _board(lc)
        for key in ("kit-a", "kit-b"):
            lc.define_indicator(
                board,
                key=key,
                title=key,
                kind=IndicatorKind.HOW_WELL,  # a score of how well: any figure, negative too
                unit="score",
                polarity=Polarity.NEUTRAL,
                cadence=Cadence.QUARTERLY,
                on=FIRST_DAY,
            )
        return lc, board

    def test_registers_the_source(self):
        source = self.source()
        assert source.columns, f"{self.source_key}: document the columns of its input"

    @CONFORMANCE
    @given(rows=_series)
    def test_reads_back_exactly_what_was_written_on_the_cadence(self, rows, tmp_path_factory):
        figures = [(k, _quarter(q), v / 4) for k, q, v in rows]
        location = self.write(figures, tmp_path_factory.mktemp("source"))
        read = list(self.source().read(location))
        assert all(isinstance(f, Figure) for f in read), "read must yield Figure values"
        for f in read:
            assert f.period_start.day == 1 and f.period_start.month in (1, 4, 7, 10), (
                f"{f.where}: period {f.period_start} is off the indicator's quarterly cadence "
                "(the input said a period starting on the first of January, April, July or October)"
            )
        got = sorted((f.indicator, f.period_start, f.value) for f in read)
        assert got == sorted(figures), "the figures read are not the figures written"

    @CONFORMANCE
    @given(rows=_series, changes=st.sets(st.integers(0, 29)))
    def test_pulling_is_idempotent_and_changes_become_corrections(self, rows, changes, tmp_path_factory):
        lc, board = self._board()
        source = self.source()
        figures = [(k, _quarter(q), v / 4) for k, q, v in rows]
        first = lc.pull(board, source, self.write(figures, tmp_path_factory.mktemp("first")))
        assert (first.recorded, first.corrected, first.unchanged) == (len(figures), 0, 0)
        position = lc.position()
        again = lc.pull(board, source, self.write(figures, tmp_path_factory.mktemp("again")))
        assert (again.recorded, again.corrected, again.unchanged) == (0, 0, len(figures))
        assert lc.position() == position, "pulling unchanged figures recorded something"
        changed = [(k, p, v + 1 if i in changes else v) for i, (k, p, v) in enumerate(figures)]
        third = lc.pull(board, source, self.write(changed, tmp_path_factory.mktemp("changed")))
        n = sum(1 for i in range(len(figures)) if i in changes)
        assert (third.recorded, third.corrected, third.unchanged) == (0, n, len(figures) - n)
        for k, p, v in changed:
            assert lc.indicator(board, k).measurement(p).value == v

    def test_a_bad_row_names_its_line_and_column_and_nothing_is_written(self, tmp_path):
        lc, board = self._board()
        location, line = self.write_bad(tmp_path)
        position = lc.position()
        with pytest.raises(BadInput) as caught:
            lc.pull(board, self.source(), location)
        where = caught.value.where
        assert where.line == line, f"the bad row is on line {line}, the error says {where}"
        assert where.column is not None, f"the error names no column: {caught.value}"
        assert str(where) in str(caught.value)
        assert lc.position() == position, "a bad input recorded something"


# -- outcome measures --------------------------------------------------------------------


class OutcomeMeasuresConformance(_Conformance):
    """Checks outcome measures: pure, deterministic and total, with values inside their range."""

    def measures(self):
        return {k: c.item for k, c in self.plugins().outcome_measures().items()}

    def test_registers_outcome_measures(self):
        assert self.measures(), f"{self.plugin!r} registers no outcome measures"

    def check(self, records: BoardRecords) -> dict[str, OutcomeValue]:
        values = {}
        for key, measure in self.measures().items():
            value = measure.compute(records)
            assert isinstance(value, OutcomeValue), f"{key}: compute returned {value!r}, not an OutcomeValue"
            if value.value is not None:
                assert measure.lower <= value.value <= measure.upper, (
                    f"{key}: {value.value} is outside its declared range [{measure.lower}, {measure.upper}]"
                )
            for part, figure in value.breakdown.items():
                assert measure.lower <= figure <= measure.upper, f"{key}: breakdown {part}={figure} is out of range"
            assert measure.compute(records) == value, f"{key}: the same records gave a different value"
            values[key] = value
        return values

    def test_an_empty_board_gives_values_or_none_never_a_crash(self):
        lc = _cycle(Menu())
        board = _board(lc)
        with Views.of(lc) as views:
            self.check(views.records(board, as_of=TODAY))

    @CONFORMANCE
    @given(history=histories(), as_of=st.dates(FIRST_DAY, TODAY))
    def test_pure_deterministic_and_total_on_any_history(self, history: History, as_of: date):
        lc = history.cycle(today=lambda: TODAY)
        board = history.replay(lc)
        with Views.of(lc) as views:
            records = views.records(board, as_of=as_of)
        position = lc.position()
        first = self.check(records)
        assert lc.position() == position, "a measure wrote to the store"
        replayed = history.cycle(today=lambda: TODAY)
        with Views.of(replayed) as views:
            again = self.check(views.records(history.replay(replayed), as_of=as_of))
        figures = lambda values: {
            k: (v.value, v.numerator, v.denominator, dict(v.breakdown)) for k, v in values.items()
        }
        assert figures(again) == figures(first), "replaying the same history gave different values"
