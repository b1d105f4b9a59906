"""The stock-take model: reproducible as known on the day, and marked with restatements as known now."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest
from learning_cycle_outcomes import MEASURES

from learning_cycle import LearningCycle
from learning_cycle.projections.store import Views

from .conftest import MENU, TODAY

OUTCOMES = {m.key: m for m in MEASURES}


def _board(lc):
    b = lc.create_board(
        "stock", "Stock-take Board (fictional)", agencies=[("csc", "CSC"), ("police", "Police")],
        districts=["north", "south"], on=date(2015, 4, 1),
    )  # fmt: skip
    lc.set_priorities(b, "2016/17", [("neglect", "Neglect")], on=date(2016, 4, 1))
    a = lc.commission_activity(
        b, kind="serious_case_review", method="systems", title="SCR (fictional)", why="Harm", decided_by="Chair",
        proportionality="Complex", agencies=["csc", "police"], planned_completion=date(2016, 12, 31),
        on=date(2016, 5, 1),
    )  # fmt: skip
    lc.start_activity(b, a, on=date(2016, 6, 1))
    f = lc.raise_finding(b, a, statement="Neglect was not recognised", level="strategic", themes=["neglect"], on=date(2016, 9, 1))  # fmt: skip
    lc.respond_to_finding(b, f, "Neglect strategy", on=date(2016, 10, 1))
    x = lc.raise_action(
        b, f, owner="csc", description="Neglect toolkit", due_on=date(2017, 1, 31), on=date(2016, 10, 1)
    )
    lc.complete_action(b, x, "Toolkit launched", on=date(2017, 1, 20))
    lc.record_dissemination(
        b, channel="roadshow", title="Neglect roadshow", audience="Practitioners", districts=["north"], reach=80,
        finding_ids=[f], on=date(2017, 2, 14),
    )  # fmt: skip
    lc.complete_activity(b, a, on=date(2017, 2, 1))
    lc.define_indicator(
        b, key="cp-safety-outcomes-at-closure", title="Safety outcomes at closure", kind="better_off", unit="%",
        polarity="higher_is_better", cadence="quarterly", on=date(2015, 4, 1),
    )  # fmt: skip
    for n, value in enumerate([61, 64, 66, 70, 72, 71, 75, 77]):
        start = date(2015 + (3 + 3 * n) // 12, (3 + 3 * n) % 12 + 1, 1)
        lc.record_measurement(b, "cp-safety-outcomes-at-closure", start, value, on=date(2017, 4, 20))
    return b


def test_as_known_at_the_stock_take_it_is_what_could_be_known_then_and_now_it_marks_restatements(
    sqlite_path, time_machine
):
    # Both clocks (effective dates and recorded moments) travel together: the history is recorded
    # as it happened, so the test means the same whatever day it runs on.
    time_machine.move_to(datetime(2017, 4, 21, 9, 0, tzinfo=UTC), tick=False)
    with LearningCycle(str(sqlite_path), menu=MENU, user="test analyst") as lc, Views.of(lc) as views:
        b = _board(lc)
        time_machine.move_to(datetime(2017, 5, 10, 15, 0, tzinfo=UTC), tick=False)
        lc.hold_stock_take(b, "2016/17", decisions=["Keep neglect as a priority"], on=date(2017, 5, 10))
        moment = views.stock_take_moment(b, views.records(b).board.year_start.year_of(date(2016, 6, 1)))
        assert moment == datetime(2017, 5, 10, 15, 0, tzinfo=UTC)
        head_then = str(lc.log.recorder.chain_head())  # the log's head when the stock-take was held
        on_the_day = views.stock_take(b, "2016/17", as_known_at=moment, measures=OUTCOMES)
        # later: a figure of the year is restated, and more is recorded
        time_machine.move_to(datetime(2017, 7, 3, 11, 0, tzinfo=UTC), tick=False)
        lc.correct_measurement(
            b, "cp-safety-outcomes-at-closure", date(2016, 10, 1), 68, "Recount", on=date(2017, 7, 1)
        )
        time_machine.move_to(datetime(2017, 8, 2, 11, 0, tzinfo=UTC), tick=False)
        lc.join_agency(b, "health", "Health", on=date(2017, 8, 1))
        again = views.stock_take(b, "2016/17", as_known_at=moment, measures=OUTCOMES)
        now = views.stock_take(b, "2016/17", measures=OUTCOMES)
    assert again == on_the_day  # reproducible, whatever was recorded since
    assert on_the_day.log_head == head_then != now.log_head  # each states the log it was made from
    assert (on_the_day.as_of, now.as_of) == (date(2017, 5, 10), date(2017, 8, 2))
    assert on_the_day.restatements == ()
    (restated,) = now.restatements
    assert (restated.indicator, restated.old, restated.new) == ("cp-safety-outcomes-at-closure", 75.0, 68.0)
    (line,) = now.indicators["better_off"]
    assert line.restated == (restated,)
    assert now.outcomes["cp-safety-outcomes-at-closure"].value == 77.0
    assert attrs.evolve(now, restatements=(), indicators=on_the_day.indicators, as_of=on_the_day.as_of, as_known_at=moment, outcomes=on_the_day.outcomes, log_head=on_the_day.log_head, names=on_the_day.names) == on_the_day  # fmt: skip


def test_the_stock_take_counts_the_year(board):
    lc = board.lc
    b = _board(lc)
    lc.hold_stock_take(b, "2016/17", decisions=["Keep neglect as a priority"], on=date(2017, 5, 10))
    with Views.of(lc) as views:
        st = views.stock_take(b, "2016/17", measures=OUTCOMES)
    assert (st.year, st.starts_on, st.ends_on) == ("2016/17", date(2016, 4, 1), date(2017, 3, 31))
    assert st.activities_by_method == {"systems": 1}
    assert [a.delivery for a in st.activities] == ["late"]  # planned for 31 December, done 1 February
    assert (st.findings_raised, st.findings_by_theme) == (1, {"neglect": 1})
    assert (st.actions_raised, st.actions_completed, st.actions_completed_on_time) == (1, 1, 1)
    assert (st.disseminations, st.reach, st.reach_by_district) == (1, 80, {"north": 80})
    assert st.priorities == (("neglect", "Neglect"),)
    assert (st.held_on, st.decisions) == (date(2017, 5, 10), ("Keep neglect as a priority",))
    assert st.picture.years == ("2014/15", "2015/16", "2016/17")
    assert st.voice_findings == (0, 1)
    changes = {c.what: (c.previous, c.now) for c in st.changes}
    assert changes["findings raised"] == (0, 1) and changes["attendances"] == (0, 80)
    assert "people reached" not in changes  # a roadshow counts attendances: no one reached by alerts, either year
    assert st.ends_on < TODAY


@pytest.mark.parametrize(
    ("planned", "completed", "reads"),
    [
        (date(2016, 12, 31), date(2016, 12, 31), "on time"),  # finished on the day planned
        (date(2016, 12, 31), date(2017, 1, 1), "late"),  # a day after, still in the year
        (date(2016, 12, 31), None, "not delivered"),  # planned in the year, not finished
        (date(2016, 12, 31), date(2017, 4, 1), "not delivered"),  # finished in the next year
        (None, date(2017, 1, 10), "no planned date"),  # finished in the year, never given a date
        (date(2016, 3, 31), date(2016, 5, 2), "late"),  # planned for the year before, finished in this one
        (date(2016, 3, 31), date(2016, 3, 30), None),  # finished before the year: not an activity of it
        (date(2017, 6, 30), date(2017, 1, 10), "on time"),  # planned for next year, finished early
        (date(2017, 6, 30), None, "in progress"),  # planned for next year, going on
    ],
)
def test_each_activity_of_the_year_is_read_against_its_planned_completion(planned, completed, reads):
    """The stock-take's learning activities: each against the completion date it was planned for,
    in words (2016/17 runs from 1 April 2016 to 31 March 2017)."""
    with LearningCycle("memory:", menu=MENU, user="test", today=lambda: TODAY) as lc:
        b = lc.create_board("plan", "Plan Board (fictional)", agencies=[("csc", "CSC"), ("police", "Police")],
                            on=date(2015, 4, 1))  # fmt: skip
        a = lc.commission_activity(b, kind="serious_case_review", method="systems", title="SCR (fictional)",
                                   why="Harm", decided_by="Chair", proportionality="Complex", agencies=["csc", "police"],
                                   planned_completion=planned, on=date(2015, 12, 1))  # fmt: skip
        lc.start_activity(b, a, on=date(2016, 1, 4))
        if completed is not None:
            lc.complete_activity(b, a, on=completed)
        with Views.of(lc) as views:
            views.catch_up()
            lines = views.stock_take(b, "2016/17").activities
    assert [line.delivery for line in lines] == ([] if reads is None else [reads])
