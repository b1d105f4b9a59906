"""Issue 24's smaller gaps: quarters read by the board's reporting year, ``pull --on``, the
transparency measure over reports a method publishes, and one rule for when an action is done."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from learning_cycle_outcomes import MEASURES

from learning_cycle import IndicatorKind, LearningCycle, OutcomeMeasure, OutcomeValue, PublicationDecision, hookimpl
from learning_cycle.cli import cli
from learning_cycle.domain.menu import Menu, MethodRule
from learning_cycle.domain.values import Cadence, Period, YearStart
from learning_cycle.interchange.config import apply_config, read_config
from learning_cycle.plugins import BLOCK_ENV
from learning_cycle.projections.store import Views
from learning_cycle.testing import register_plugin

from .cli_helpers import run
from .conftest import TODAY, copy_store, open_cycle

ENV = {"LEARNING_CYCLE_USER": "cli test", "LEARNING_CYCLE_STORE": None, "COLUMNS": "120"}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="learning-cycle", env=ENV)


def _quarterly_board(lc: LearningCycle, year_start: YearStart | None = None):
    b = lc.create_board(
        "gaps", "Gaps Board (fictional)", agencies=[("csc", "Social Care")], year_start=year_start, on=date(2014, 4, 1)
    )
    lc.define_indicator(
        b, key="visits", title="Visits on time", kind="how_well", unit="%", polarity="higher_is_better",
        cadence="quarterly", on=date(2014, 4, 1),
    )  # fmt: skip
    return b


# -- quarters by the board's reporting year ---------------------------------------------------


def test_january_to_march_on_an_april_board_is_the_fourth_quarter_of_its_year(memory_lc: LearningCycle):
    lc = memory_lc
    b = _quarterly_board(lc)
    lc.record_measurement(b, "visits", date(2016, 1, 1), 81, on=date(2016, 4, 20))
    with Views.of(lc) as views:
        status = views.status(b)
        stock_take = views.stock_take(b, lc.board(b).year_start.year_of(date(2016, 1, 1)))
    (line,) = status.indicators
    assert line.latest_period == "Q4 2015/16"
    (taken,) = stock_take.indicators["how_well"]
    assert (taken.latest_period, taken.periods) == ("Q4 2015/16", ("Q4 2015/16",))


def test_on_a_calendar_year_board_january_is_the_first_quarter(memory_lc: LearningCycle):
    lc = memory_lc
    b = _quarterly_board(lc, YearStart(1, 1))
    lc.record_measurement(b, "visits", date(2016, 1, 1), 81, on=date(2016, 4, 20))
    with Views.of(lc) as views:
        (line,) = views.status(b).indicators
    assert line.latest_period == "Q1 2016"


@given(
    year=st.integers(2010, 2030),
    quarter=st.sampled_from([1, 4, 7, 10]),
    start=st.sampled_from([1, 4, 7, 10]),
)
def test_a_quarter_is_named_by_its_place_in_the_year_that_holds_it(year, quarter, start):
    ys = YearStart(start, 1)
    first = date(year, quarter, 1)
    label = Period(first, Cadence.QUARTERLY, ys).label
    number, _, year_label = label.partition(" ")
    reporting = ys.year_of(first)
    assert year_label == reporting.label
    # the quarter's number counts quarters from the year's first day
    assert reporting.starts_on <= first <= reporting.ends_on
    months = (first.year - reporting.first) * 12 + first.month - start
    assert number == f"Q{months // 3 + 1}"


def test_a_year_start_that_is_not_a_calendar_quarter_names_the_quarter_by_its_months():
    assert Period(date(2016, 1, 1), Cadence.QUARTERLY, YearStart(9, 1)).label == "January to March 2016"


# -- pull --on ---------------------------------------------------------------------------------


def test_pull_on_backfills_the_recorded_on_date_from_the_terminal(tmp_path: Path):
    store = tmp_path / "store.sqlite"
    with open_cycle(store) as lc:
        b = _quarterly_board(lc)
    figures = tmp_path / "figures.csv"
    figures.write_text("indicator,period_start,value\nvisits,2016-01-01,81\n", encoding="utf-8")
    result = invoke("pull", str(figures), "--store", str(store), "--board", "gaps", "--on", "2016-04-20")
    assert result.exit_code == 0, result.output
    with open_cycle(store) as lc:
        (m,) = lc.indicator(b, "visits").measurements
    assert (m.period_start, m.value, m.recorded_on) == (date(2016, 1, 1), 81.0, date(2016, 4, 20))


def test_pull_on_refuses_a_bad_date_or_one_before_the_board_and_writes_nothing(tmp_path: Path):
    store = tmp_path / "store.sqlite"
    with open_cycle(store) as lc:
        _quarterly_board(lc)
        before = lc.position()
    figures = tmp_path / "figures.csv"
    figures.write_text("indicator,period_start,value\nvisits,2014-04-01,81\n", encoding="utf-8")
    refusals = (
        ("20-04-2016", "error: --on: '20-04-2016' is not a date"),
        ("2001-04-01", "on: is before the start of the period it measures (2014-04-01) (got '2001-04-01')"),
    )
    for on, words in refusals:
        result = invoke("pull", str(figures), "--store", str(store), "--board", "gaps", "--on", on)
        assert result.exit_code == 2, result.output
        assert words in result.stderr and "Traceback" not in result.output
    with open_cycle(store) as lc:
        assert lc.position() == before


# -- the transparency measure over reports a method publishes ----------------------------------

PUBLISHING = Menu.of(
    [
        MethodRule("systems", {"serious_case_review"}, min_agencies=1, publishes={"serious_case_review"}),
        MethodRule("audit", {"safeguarding_self_assessment"}, min_agencies=1),
    ]
)


def _reviews(lc: LearningCycle):
    b = lc.create_board("pub", "Publishing Board (fictional)", agencies=[("csc", "Social Care")], on=date(2014, 4, 1))
    made = []
    for kind, method, n in (("serious_case_review", "systems", 2), ("safeguarding_self_assessment", "audit", 3)):
        for i in range(n):
            a = lc.commission_activity(
                b, kind=kind, method=method, title=f"{method} {i}", why="Why", decided_by="Chair",
                proportionality="Fits", agencies=["csc"], on=date(2014, 5, 1),
            )  # fmt: skip
            lc.start_activity(b, a, on=date(2014, 5, 2))
            lc.complete_activity(b, a, on=date(2014, 9, 1))
            lc.approve_report(b, a, on=date(2014, 9, 2))
            made.append(a)
    return b, made


def test_only_reports_a_method_publishes_count_towards_publication_and_awaiting_a_decision(tmp_path: Path):
    with LearningCycle(str(tmp_path / "s.sqlite"), menu=PUBLISHING, user="t", today=lambda: TODAY) as lc:
        b, (scr1, _, *_audits) = _reviews(lc)
        lc.decide_publication(b, scr1, PublicationDecision("published", reference="www"), on=date(2014, 9, 3))
        with Views.of(lc) as views:
            t = views.status(b).transparency
            measure = {m.key: m for m in MEASURES}["final-reports-published"].compute(views.records(b))
    # of the five approved reports, the method publishes two: one published, one awaiting a decision
    assert (t.approved, t.published, t.undecided) == (2, 1, 1)
    assert (measure.numerator, measure.denominator, measure.value) == (1, 2, 50.0)


def test_a_decision_on_a_report_its_method_does_not_publish_counts_it(tmp_path: Path):
    with LearningCycle(str(tmp_path / "s.sqlite"), menu=PUBLISHING, user="t", today=lambda: TODAY) as lc:
        b, (_, _, audit, *_) = _reviews(lc)
        lc.decide_publication(b, audit, PublicationDecision("published", reference="www"), on=date(2014, 9, 3))
        with Views.of(lc) as views:
            t = views.status(b).transparency
            measure = {m.key: m for m in MEASURES}["final-reports-published"].compute(views.records(b))
    assert (t.approved, t.published, t.undecided) == (3, 1, 2)
    assert (measure.numerator, measure.denominator) == (1, 3)


# -- one rule for when an action is done --------------------------------------------------------


def _action(board, *, single_agency: bool):
    lc, b = board.lc, board.board_id
    x = lc.raise_action(
        b, board.finding_id, owner="csc", description="Supervision", due_on=date(2015, 1, 31),
        single_agency=single_agency, on=date(2014, 10, 1),
    )  # fmt: skip
    lc.complete_action(b, x, "Done", on=date(2015, 1, 15))
    return x


def _counts(lc: LearningCycle, b, as_of: date):
    """(overdue actions in the status view, actions done and assured in the picture's last year)."""
    with Views.of(lc) as views:
        status = views.status(b, as_of=as_of)
        (finding,) = views.picture(b, as_of=as_of).findings
    row = finding.years[-1]
    return status.overdue_actions_by_agency.get("csc", 0), row.actions_done, row.actions_assured, finding.verdict.value


def test_a_single_agency_action_is_done_only_when_its_assurance_is_back(board):
    lc, b = board.lc, board.board_id
    x = _action(board, single_agency=True)
    _action(board, single_agency=False)  # for several agencies: done when completed
    # both completed before their due date; the single-agency one has no assurance yet: it is not
    # done, and it is overdue once its due date passes
    assert _counts(lc, b, date(2015, 3, 1))[:3] == (1, 1, 1)
    lc.assure_action(b, x, "Assurance report", on=date(2015, 3, 10))
    assert _counts(lc, b, date(2015, 3, 20))[:3] == (0, 2, 2)
    # a view of a day before the assurance still shows it not done
    assert _counts(lc, b, date(2015, 3, 1))[:3] == (1, 1, 1)


# -- outcome measures chosen by the board ---------------------------------------------------------


def _stocktake(store: Path, year: str, *, blocked: bool = False) -> str:
    """The year's stock-take in Markdown, but for the log's head its provenance names (which moves
    with every event recorded, the adoption's too)."""
    env = {BLOCK_ENV: "example"} if blocked else {}
    done = run("stocktake", "--year", year, "--format", "md", "--store", str(store), cwd=store.parent, env=env)
    assert done.returncode == 0, done.stderr
    text = re.sub(r"up to event \d+\.", "up to event N.", done.stdout)
    return re.sub(r"\b\d+:[0-9a-f]{16,}\b", "HEAD", text)


def test_an_installed_plugins_measure_enters_a_board_stocktake_only_from_its_adoption(demo_store: Path, tmp_path):
    store = copy_store(demo_store, tmp_path / "demo.sqlite")
    title = "% of learning delivered that has feedback recorded"  # the example plugin's measure
    before = {year: _stocktake(store, year) for year in ("2016/17", "2017/18")}
    # installing the example plugin changes no board's stock-take until that board adopts its measure
    assert before == {year: _stocktake(store, year, blocked=True) for year in before}
    assert all(title not in text for text in before.values())
    adopted = run("adopt-measure", "--measure", "feedback-coverage", "--on", "2017-06-01", "--store", str(store),
                  cwd=tmp_path)  # fmt: skip
    assert adopted.returncode == 0, adopted.stderr
    # a stock-take of a year before the adoption stays the same; the year of it reports the measure
    assert _stocktake(store, "2016/17") == before["2016/17"]
    after = _stocktake(store, "2017/18")
    assert title in after and title not in before["2017/18"]


def _measure(key: str, *, by_default: bool) -> OutcomeMeasure:
    return OutcomeMeasure(
        key=key, title=f"Measure {key}", description="Counts findings", kind=IndicatorKind.HOW_WELL, unit="%",
        lower=0.0, upper=100.0, compute=lambda r: OutcomeValue(float(len(r.findings))), adopted_by_default=by_default,
    )  # fmt: skip


def test_a_board_reports_a_measure_as_it_had_chosen_by_each_years_end(board):
    lc, b = board.lc, board.board_id
    measures = {"theirs": _measure("theirs", by_default=False), "ours": _measure("ours", by_default=True)}
    lc.adopt_measure(b, "theirs", on=date(2015, 6, 1))  # in 2015/16
    lc.drop_measure(b, "ours", "The board measures this another way", on=date(2016, 6, 1))  # in 2016/17
    lc.drop_measure(b, "theirs", "Replaced", on=date(2017, 6, 1))  # in 2017/18
    with Views.of(lc) as views:
        reported = {y: set(views.stock_take(b, y, measures=measures).outcomes) for y in ("2014/15", "2015/16", "2016/17", "2017/18")}  # fmt: skip
    assert reported == {"2014/15": {"ours"}, "2015/16": {"ours", "theirs"}, "2016/17": {"theirs"}, "2017/18": set()}


def test_a_plugin_other_than_the_first_party_cannot_make_its_measure_adopted_by_default():
    class Sneaky:
        @hookimpl
        def learning_cycle_register_outcome_measures(self, register):
            register(_measure("sneaky", by_default=True))

    with register_plugin(Sneaky()) as plugins:
        found = plugins.outcome_measures()
    assert found["sneaky"].item.adopted_by_default is False
    assert found["final-reports-published"].item.adopted_by_default is True  # the first-party plugin's


def test_an_outcome_statement_rests_on_the_indicators_the_board_named_not_on_priority_keys(tmp_path: Path):
    config = {
        "key": "named", "name": "Named Board (fictional)", "agencies": [{"key": "csc", "name": "Social Care"}],
        "started_on": "2014-04-01",
        "measures": [{"measure": "statement-early-help", "indicators": ["named-one"]}, {"measure": "feedback-coverage"}],
    }  # fmt: skip
    path = tmp_path / "board.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    with open_cycle(tmp_path / "s.sqlite") as lc:
        b = apply_config(lc, read_config(path), source=path)
        for key, tags, values in (("tagged", ["early-help"], (50, 70)), ("named-one", [], (50, 40))):
            lc.define_indicator(
                b, key=key, title=key, kind="better_off", unit="%", polarity="higher_is_better", cadence="quarterly",
                priorities=tags, on=date(2014, 4, 1),
            )  # fmt: skip
            lc.record_measurement(b, key, date(2014, 4, 1), values[0], on=date(2014, 8, 1))
            lc.record_measurement(b, key, date(2015, 4, 1), values[1], on=date(2015, 8, 1))
        statement = {m.key: m for m in MEASURES}["statement-early-help"]
        with Views.of(lc) as views:
            value = statement.compute(views.records(b))
        assert lc.board(b).reports_measure("feedback-coverage", date(2014, 4, 1))
    # the named indicator got worse; the one merely tagged with the statement's key is not counted
    assert (value.value, value.evidence) == (0.0, ("named-one",))


def test_the_verbs_adopt_and_drop_a_measure_and_refuse_a_bad_key(tmp_path: Path):
    store = tmp_path / "store.sqlite"
    with open_cycle(store) as lc:
        b = _quarterly_board(lc)
    common = ["--store", str(store), "--board", "gaps"]
    done = invoke("adopt-measure", "--measure", "feedback-coverage", "--indicator", "visits", "--on", "2015-04-01", *common)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "adopted the outcome measure feedback-coverage" in done.stdout
    done = invoke("drop-measure", "--measure", "feedback-coverage", "--reason", "Replaced", "--on", "2016-04-01", *common)  # fmt: skip
    assert done.exit_code == 0, done.output
    with open_cycle(store) as lc:
        board = lc.board(b)
        before = lc.position()
    assert [(c.measure, c.on, c.adopted, c.indicators) for c in board.measures] == [
        ("feedback-coverage", date(2015, 4, 1), True, ("visits",)),
        ("feedback-coverage", date(2016, 4, 1), False, ()),
    ]
    refused = invoke("adopt-measure", "--measure", "Feedback!", *common)
    assert refused.exit_code == 2 and "measure" in refused.stderr and "'Feedback!'" in refused.stderr
    assert "Traceback" not in refused.output
    with open_cycle(store) as lc:
        assert lc.position() == before
