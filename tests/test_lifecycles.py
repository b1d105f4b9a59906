"""Stateful tests of the lifecycles: the real records, kept in a real SQLite file, against plain models.

Each rule tries a command whether or not the model allows it: an allowed command must succeed and
change the record as the model says; a refused one must raise a RuleViolation and write nothing.
An invariant replays the whole log from the file, in recorded order, in a fresh reader, and checks
it reproduces every record's state.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unittest
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, rule

from learning_cycle import (
    ActionStatus,
    ActivityStatus,
    InvalidValue,
    PublicationDecision,
    PublicationStatus,
    RuleViolation,
    Stage,
)

from .conftest import POSTGRES_ENV, drop_schema, open_cycle, postgres_url, records

SETTINGS = settings(
    max_examples=25, stateful_step_count=18, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class CycleMachine(RuleBasedStateMachine):
    """A board in a real SQLite file (or PostgreSQL schema), a clock that moves forward, and the
    replay invariant."""

    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="lc-stateful-"))
        self.schema = None
        if self.backend == "postgres":
            self.schema = f"lc_test_{uuid4().hex[:12]}"
            self.path = f"{postgres_url()}?schema={self.schema}"
        else:
            self.path = self.folder / "board.sqlite"
        self.lc = open_cycle(self.path)
        self.day = date(2014, 1, 1)
        self.board_id = self.lc.create_board(
            "stateful",
            "Stateful Board (fictional)",
            agencies=[("csc", "Social Care"), ("police", "Police")],
            districts=["north"],
            on=self.day,
        )

    def tick(self, days: int) -> date:
        self.day += timedelta(days=days)
        return self.day

    def attempt(self, allowed: bool, command, change=lambda: None) -> None:
        """Run ``command``: if the model allows it, it must land (then ``change`` the model);
        if not, it must be refused and write nothing."""
        if allowed:
            command()
            change()
        else:
            self.refused(command)

    def refused(self, command) -> None:
        before = self.lc.position()
        try:
            command()
        except RuleViolation:
            pass
        else:
            raise AssertionError("the model says this must be refused, but it was recorded")
        assert self.lc.position() == before

    def new_activity(self, *, started: bool = True) -> UUID:
        activity = self.lc.commission_activity(
            self.board_id,
            kind="serious_case_review",
            method="systems",
            title="Review",
            why="Harm",
            decided_by="Chair",
            proportionality="Complex",
            agencies=["csc", "police"],
            on=self.day,
        )
        if started:
            self.lc.start_activity(self.board_id, activity, on=self.day)
        return activity

    @invariant()
    def replaying_the_file_reproduces_every_record(self) -> None:
        with open_cycle(self.path) as reader:
            replayed: dict[UUID, object] = {}
            for notice in reader.follow():
                event = notice.event
                replayed[event.originator_id] = event.mutate(replayed.get(event.originator_id))
            for ident, aggregate in replayed.items():
                live = self.lc.log.load(ident)
                assert aggregate.state == live.state
                assert aggregate.version == live.version

    def teardown(self) -> None:
        self.lc.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.schema is not None:
            drop_schema(postgres_url(), self.schema)


# -- activities -------------------------------------------------------------------------


class ActivityLifecycle(CycleMachine):
    activities = Bundle("activities")

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[UUID, dict] = {}

    @rule(target=activities)
    def commission(self):
        activity = self.new_activity(started=False)
        self.model[activity] = {
            "status": ActivityStatus.COMMISSIONED,
            "approved": False,
            "publication": None,
            "findings": 0,
            "pauses": [],
        }
        return activity

    def move(self, activity, days, allowed_from, to, command) -> None:
        on = self.tick(days)
        m = self.model[activity]
        self.attempt(
            m["status"] is allowed_from, lambda: command(self.board_id, activity, on=on), lambda: m.update(status=to)
        )

    @rule(activity=activities, days=st.integers(0, 40))
    def start(self, activity, days):
        self.move(activity, days, ActivityStatus.COMMISSIONED, ActivityStatus.STARTED, self.lc.start_activity)

    @rule(activity=activities, days=st.integers(0, 40))
    def complete(self, activity, days):
        self.move(activity, days, ActivityStatus.STARTED, ActivityStatus.COMPLETED, self.lc.complete_activity)

    @rule(activity=activities, days=st.integers(0, 40))
    def close(self, activity, days):
        self.move(activity, days, ActivityStatus.COMPLETED, ActivityStatus.CLOSED, self.lc.close_activity)

    @rule(activity=activities, days=st.integers(0, 40))
    def raise_finding(self, activity, days):
        on = self.tick(days)
        m = self.model[activity]
        self.attempt(
            m["status"] in (ActivityStatus.STARTED, ActivityStatus.COMPLETED),
            lambda: self.lc.raise_finding(self.board_id, activity, statement="Something", level="strategic", on=on),
            lambda: m.update(findings=m["findings"] + 1),
        )

    @rule(activity=activities, days=st.integers(0, 40))
    def approve_report(self, activity, days):
        on = self.tick(days)
        m = self.model[activity]
        self.attempt(
            m["status"] is ActivityStatus.COMPLETED and not m["approved"],
            lambda: self.lc.approve_report(self.board_id, activity, on=on),
            lambda: m.update(approved=True),
        )

    @rule(activity=activities, status=st.sampled_from(PublicationStatus), days=st.integers(0, 40))
    def decide_publication(self, activity, status, days):
        on = self.tick(days)
        m = self.model[activity]
        decision = PublicationDecision(status, reference="R", reason="In the children's interests", review_on=on)
        if m["approved"] and m["publication"] is not PublicationStatus.PUBLISHED:
            self.lc.decide_publication(self.board_id, activity, decision, on=on)
            m["publication"] = status
        else:
            self.refused(lambda: self.lc.decide_publication(self.board_id, activity, decision, on=on))

    @rule(activity=activities, days=st.integers(0, 40))
    def pause_clock(self, activity, days):
        on = self.tick(days)
        m = self.model[activity]
        finished = m["status"] in (ActivityStatus.COMPLETED, ActivityStatus.CLOSED)
        paused = bool(m["pauses"]) and m["pauses"][-1][1] is None
        self.attempt(
            not finished and not paused,
            lambda: self.lc.pause_activity_clock(self.board_id, activity, "Criminal proceedings", on=on),
            lambda: m["pauses"].append([on, None]),
        )

    @rule(activity=activities, days=st.integers(0, 40))
    def resume_clock(self, activity, days):
        on = self.tick(days)
        m = self.model[activity]
        paused = bool(m["pauses"]) and m["pauses"][-1][1] is None
        self.attempt(
            paused,
            lambda: self.lc.resume_activity_clock(self.board_id, activity, on=on),
            lambda: m["pauses"][-1].__setitem__(1, on),
        )

    @invariant()
    def records_match_the_model(self):
        found = {}
        for f in list(records(self.lc, self.board_id).findings):
            found[f.activity_id] = found.get(f.activity_id, 0) + 1
        for activity, m in self.model.items():
            state = self.lc.activity(self.board_id, activity)
            assert state.status is m["status"]
            assert (state.report_approved_on is not None) == m["approved"]
            assert (state.publication.status if state.publication else None) == m["publication"]
            assert found.get(activity, 0) == m["findings"]
            assert [[p.paused_on, p.resumed_on] for p in state.pauses] == m["pauses"]
            (deadline,) = self.lc.deadlines(self.board_id, activity, on=self.day)
            open_pause = bool(m["pauses"]) and m["pauses"][-1][1] is None and state.completed_on is None
            # a paused clock has no due date, unless the deadline had already passed when it was paused
            assert (deadline.status.value == "paused") == (open_pause and deadline.due_on is None)
            if open_pause:
                assert deadline.status.value in ("paused", "overdue")


# -- findings: the stage comes from the evidence ----------------------------------------


class FindingLifecycle(CycleMachine):
    findings = Bundle("findings")

    @initialize()
    def an_activity(self):
        self.activity = self.new_activity()
        self.model: dict[UUID, dict] = {}

    @rule(target=findings, good_practice=st.booleans(), days=st.integers(0, 30))
    def raise_finding(self, good_practice, days):
        on = self.tick(days)
        nature = "good_practice" if good_practice else "problem"
        finding = self.lc.raise_finding(
            self.board_id, self.activity, statement="Found", level="operational", nature=nature, on=on
        )
        self.model[finding] = {"nature": nature, "dates": {Stage.LEARN: on}, "checks": 0, "actions": 0}
        return finding

    def reach(self, finding, stage, on):
        self.model[finding]["dates"].setdefault(stage, on)

    @rule(finding=findings, days=st.integers(0, 30))
    def respond(self, finding, days):
        on = self.tick(days)
        self.lc.respond_to_finding(self.board_id, finding, "The board will act", on=on)
        self.reach(finding, Stage.ACT, on)

    @rule(finding=findings, days=st.integers(0, 30), due_in=st.integers(0, 200))
    def raise_action(self, finding, days, due_in):
        on = self.tick(days)
        self.lc.raise_action(
            self.board_id, finding, owner="csc", description="Do it", due_on=on + timedelta(days=due_in), on=on
        )
        self.reach(finding, Stage.ACT, on)
        self.model[finding]["actions"] += 1

    @rule(finding=findings, days=st.integers(0, 30))
    def disseminate(self, finding, days):
        on = self.tick(days)
        m = self.model[finding]
        command = lambda: self.lc.record_dissemination(
            self.board_id, channel="briefing", title="Briefing", audience="All", finding_ids=[finding], on=on
        )
        if m["nature"] == "good_practice" or Stage.ACT in m["dates"]:
            command()
            self.reach(finding, Stage.TRAIN, on)
        else:
            self.refused(command)

    @rule(finding=findings, days=st.integers(0, 30), result=st.sampled_from(["improved", "no_change", "worse"]))
    def check(self, finding, days, result):
        on = self.tick(days)
        m = self.model[finding]
        command = lambda: self.lc.record_check(
            self.board_id, finding, kind="re_audit", result=result, evidence="Audit", on=on
        )
        if len(m["dates"]) > 1:
            command()
            self.reach(finding, Stage.MONITOR, on)
            m["checks"] += 1
        else:
            self.refused(command)

    @invariant()
    def stage_is_derived_from_the_evidence(self):
        for finding, m in self.model.items():
            state = self.lc.finding(self.board_id, finding)
            assert dict(state.stage_dates) == m["dates"]
            assert state.stage is max(m["dates"], key=lambda s: s.rank)
            assert len(state.checks) == m["checks"]
            assert len(state.action_ids) == m["actions"]


# -- actions ----------------------------------------------------------------------------


class ActionLifecycle(CycleMachine):
    actions = Bundle("actions")

    @initialize()
    def a_finding(self):
        activity = self.new_activity()
        self.finding = self.lc.raise_finding(
            self.board_id, activity, statement="Found", level="operational", on=self.day
        )
        self.model: dict[UUID, dict] = {}

    @rule(target=actions, days=st.integers(0, 30), due_in=st.integers(0, 120), single=st.booleans())
    def raise_action(self, days, due_in, single):
        on = self.tick(days)
        action = self.lc.raise_action(
            self.board_id,
            self.finding,
            owner="police",
            description="Act",
            due_on=on + timedelta(days=due_in),
            single_agency=single,
            on=on,
        )
        self.model[action] = {
            "status": ActionStatus.OPEN,
            "assured": False,
            "single": single,
            "progress": 0,
            "due": on + timedelta(days=due_in),
        }
        return action

    def when_open(self, action, command, change):
        m = self.model[action]
        if m["status"] is ActionStatus.OPEN:
            command()
            change(m)
        else:
            self.refused(command)

    @rule(action=actions, days=st.integers(0, 30))
    def progress(self, action, days):
        on = self.tick(days)
        self.when_open(
            action,
            lambda: self.lc.report_progress(self.board_id, action, "Moving", on=on),
            lambda m: m.update(progress=m["progress"] + 1),
        )

    @rule(action=actions, days=st.integers(0, 30), due_in=st.integers(0, 90))
    def reschedule(self, action, days, due_in):
        on = self.tick(days)
        due = on + timedelta(days=due_in)
        self.when_open(
            action,
            lambda: self.lc.reschedule_action(self.board_id, action, due, "Slipped", on=on),
            lambda m: m.update(due=due),
        )

    @rule(action=actions, days=st.integers(0, 30))
    def complete(self, action, days):
        on = self.tick(days)
        self.when_open(
            action,
            lambda: self.lc.complete_action(self.board_id, action, "Evidence", on=on),
            lambda m: m.update(status=ActionStatus.COMPLETED),
        )

    @rule(action=actions, days=st.integers(0, 30))
    def cancel(self, action, days):
        on = self.tick(days)
        self.when_open(
            action,
            lambda: self.lc.cancel_action(self.board_id, action, "Not needed", on=on),
            lambda m: m.update(status=ActionStatus.CANCELLED),
        )

    @rule(action=consumes(actions), days=st.integers(0, 30))
    def supersede(self, action, days):
        on = self.tick(days)
        self.when_open(
            action,
            lambda: self.lc.supersede_action(self.board_id, action, "Replaced", on=on),
            lambda m: m.update(status=ActionStatus.SUPERSEDED),
        )

    @rule(action=actions, days=st.integers(0, 30))
    def assure(self, action, days):
        on = self.tick(days)
        m = self.model[action]
        command = lambda: self.lc.assure_action(self.board_id, action, "Embedded", on=on)
        if m["status"] is ActionStatus.COMPLETED and not m["assured"]:
            command()
            m["assured"] = True
        else:
            self.refused(command)

    @invariant()
    def records_match_the_model(self):
        for action, m in self.model.items():
            state = self.lc.action(self.board_id, action)
            assert state.status is m["status"]
            assert state.due_on == m["due"]
            assert len(state.progress) == m["progress"]
            assert state.is_assured == (m["status"] is ActionStatus.COMPLETED and (m["assured"] or not m["single"]))
        assert set(self.lc.finding(self.board_id, self.finding).action_ids) == set(self.model)


# -- indicators -------------------------------------------------------------------------


QUARTERS = [date(2014 + i // 4, 1 + 3 * (i % 4), 1) for i in range(12)]


class IndicatorLifecycle(CycleMachine):
    @initialize()
    def an_indicator(self):
        self.lc.define_indicator(
            self.board_id,
            key="visits",
            title="Visits",
            kind="how_well",
            unit="%",
            polarity="higher_is_better",
            cadence="quarterly",
            on=self.day,
        )
        self.figures: dict[date, tuple[float, bool]] = {}
        self.reported: dict[date, date] = {}

    @rule(quarter=st.sampled_from(QUARTERS), value=st.floats(0, 100, allow_nan=False))
    def record(self, quarter, value):
        on = max(self.day, quarter)
        command = lambda: self.lc.record_measurement(self.board_id, "visits", quarter, value, on=on)
        if quarter in self.figures:
            self.refused(command)
        else:
            command()
            self.figures[quarter] = (value, False)
            self.reported[quarter] = on

    @rule(quarter=st.sampled_from(QUARTERS), value=st.floats(0, 100, allow_nan=False))
    def correct(self, quarter, value):
        on = max(self.day, self.reported.get(quarter, self.day))
        command = lambda: self.lc.correct_measurement(self.board_id, "visits", quarter, value, "Restated", on=on)
        if quarter in self.figures:
            command()
            self.figures[quarter] = (value, True)
        else:
            self.refused(command)

    @rule(quarter=st.sampled_from(QUARTERS))
    def a_correction_dated_before_the_figure_is_refused(self, quarter):
        if quarter not in self.figures or self.reported[quarter] <= date(2014, 1, 1):
            return
        before = self.lc.position()
        with pytest.raises(InvalidValue, match="on: is before the day the figure was reported"):
            self.lc.correct_measurement(self.board_id, "visits", quarter, 1.0, "Early", on=date(2014, 1, 1))
        assert self.lc.position() == before

    @rule(day=st.integers(2, 28), month=st.integers(1, 12))
    def off_cadence_is_refused(self, day, month):
        before = self.lc.position()
        with pytest.raises(InvalidValue) as refused:
            self.lc.record_measurement(self.board_id, "visits", date(2015, month, day), 1.0, on=date(2016, 1, 1))
        assert (refused.value.field, refused.value.value) == ("period_start", date(2015, month, day))
        assert "a quarterly period starts on 1 January, April, July or October" in str(refused.value)
        assert self.lc.position() == before

    @invariant()
    def one_figure_per_period_as_restated(self):
        state = self.lc.indicator(self.board_id, "visits")
        assert {m.period_start: (m.value, m.corrected) for m in state.measurements} == self.figures
        assert [m.period_start for m in state.measurements] == sorted(self.figures)


TestActivityLifecycle = ActivityLifecycle.TestCase
TestFindingLifecycle = FindingLifecycle.TestCase
TestActionLifecycle = ActionLifecycle.TestCase
TestIndicatorLifecycle = IndicatorLifecycle.TestCase


def _on_postgres(machine: type[CycleMachine]):
    """The same state machine against a real PostgreSQL server (fewer examples: a server is slower)."""
    variant = type(f"{machine.__name__}OnPostgres", (machine,), {"backend": "postgres"})
    case = variant.TestCase
    case.settings = settings(case.settings, max_examples=8)
    if not os.environ.get(POSTGRES_ENV) and os.environ.get("CI") != "true":
        case = unittest.skip(f"no PostgreSQL server ({POSTGRES_ENV} is not set)")(case)
    return pytest.mark.postgres(case)


TestActivityLifecycleOnPostgres = _on_postgres(ActivityLifecycle)
TestFindingLifecycleOnPostgres = _on_postgres(FindingLifecycle)
TestActionLifecycleOnPostgres = _on_postgres(ActionLifecycle)
TestIndicatorLifecycleOnPostgres = _on_postgres(IndicatorLifecycle)
for _case in (TestActivityLifecycle, TestFindingLifecycle, TestActionLifecycle, TestIndicatorLifecycle):
    _case.settings = SETTINGS
del _case
