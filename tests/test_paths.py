"""Issue 24, items 2 and 3: decision paths (framework Appendix One), sub-groups owning activities and
findings (§5 b), what prompted an activity, the activity that made a check, and the year's
quality-assurance programme planned against delivered (§2.1). Real SQLite stores, the installed
methods plugin, the real command line."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import LearningCycle, Views
from learning_cycle.cli import cli
from learning_cycle.domain.errors import LearningCycleError, NotFound
from learning_cycle.interchange import export_log, import_log
from learning_cycle.plugins import get_plugins, open_cycle
from learning_cycle.projections.subgroups import SubgroupViews
from learning_cycle.reports import render
from learning_cycle.testing.strategies import histories

from .conftest import TODAY, assert_refused

CASE, QA = "Case Review Sub-group", "Quality Assurance Sub-group"
ENV = {"LEARNING_CYCLE_USER": "cli test", "LEARNING_CYCLE_STORE": None, "COLUMNS": "120"}


def cycle(path: Path | str) -> LearningCycle:
    return open_cycle(str(path), user="paths test", today=lambda: TODAY)


def new_board(lc: LearningCycle):
    b = lc.create_board(
        "paths-board",
        "Paths Board (fictional)",
        agencies=[("csc", "Social Care"), ("police", "Police"), ("yss", "Youth Support Service")],
        districts=["north"],
        subgroups=[CASE, QA],
        on=date(2015, 4, 1),
    )
    lc.set_priorities(b, "2015/16", [("neglect", "Neglect"), ("cse", "Child sexual exploitation")], on=date(2015, 4, 2))
    return b


def scr(lc: LearningCycle, b, **more):
    return lc.commission_activity(
        b,
        kind="serious_case_review",
        method="scie-learning-together",
        title="SCR: Child P (fictional)",
        why="A child was seriously harmed",
        decided_by="The independent chair",
        proportionality="Complex, several agencies",
        agencies=["csc", "police"],
        on=date(2015, 5, 1),
        **more,
    )


def light_touch(lc: LearningCycle, b, on: date = date(2015, 6, 1), **more):
    return lc.commission_activity(
        b,
        kind="light_touch_review",
        method="light-touch-review",
        title="Light-touch review: transfers",
        why="Check transfers",
        decided_by="QA",
        proportionality="A quick check",
        agencies=["csc", "police"],
        on=on,
        **more,
    )


@pytest.fixture
def lc(tmp_path: Path):
    with cycle(tmp_path / "paths.sqlite") as made:
        yield made


# -- decision paths ---------------------------------------------------------------------------


def test_a_serious_case_review_follows_its_path_recommended_by_a_subgroup_decided_by_the_chair(lc):
    b = new_board(lc)
    a = scr(lc, b)
    lc.record_decision_step(b, a, step="recommends", role=f"subgroup:{CASE}", on=date(2015, 5, 1))
    lc.record_decision_step(b, a, step="decides", role="independent-chair", on=date(2015, 5, 14))
    steps = lc.activity(b, a).steps
    assert [(s.step, s.role, s.taken_on) for s in steps] == [
        ("recommends", f"subgroup:{CASE}", date(2015, 5, 1)),
        ("decides", "independent-chair", date(2015, 5, 14)),
    ]


def test_a_step_out_of_order_or_by_the_wrong_role_is_refused_naming_what_the_path_expects(lc):
    b = new_board(lc)
    a = scr(lc, b)
    on = date(2015, 5, 2)
    step = lc.record_decision_step
    assert_refused(lc, lambda: step(b, a, step="decides", role="independent-chair", on=on), LearningCycleError, "step",
                   "decides", "step: out of order: the path's earlier step recommends is not recorded")  # fmt: skip
    refused = assert_refused(
        lc, lambda: step(b, a, step="recommends", role="board", on=on), LearningCycleError, "role", "board"
    )
    assert "the scie-learning-together method's path expects recommends: subgroup" in str(refused)
    refused = assert_refused(
        lc, lambda: step(b, a, step="recommends", role="subgroup:No Such Group", on=on), LearningCycleError, "role",
        "No Such Group",
    )  # fmt: skip
    assert "not a sub-group of the board" in str(refused) and CASE in str(refused)
    refused = assert_refused(
        lc, lambda: step(b, a, step="oversees", role="board", on=on), LearningCycleError, "step", "oversees"
    )
    assert "has no such step" in str(refused)
    assert_refused(lc, lambda: step(b, a, step="approves", role="board", on=on), LearningCycleError, "step", "approves")
    assert_refused(
        lc, lambda: step(b, a, step="decides", role="the chair", on=on), LearningCycleError, "role", "the chair"
    )
    step(b, a, step="recommends", role=f"subgroup:{CASE}", on=date(2015, 5, 10))
    refused = assert_refused(
        lc, lambda: step(b, a, step="decides", role="independent-chair", on=date(2015, 5, 9)), LearningCycleError, "on",
        date(2015, 5, 9),
    )  # fmt: skip
    assert "recommends" in str(refused)
    refused = assert_refused(
        lc, lambda: step(b, a, step="recommends", role=f"subgroup:{CASE}", on=on.replace(day=11)), LearningCycleError,
        "step", "recommends",
    )  # fmt: skip
    assert "already recorded" in str(refused)


def test_the_extended_learning_review_is_decided_by_an_agency_overseen_by_the_board_reported_to_the_yjb(lc):
    b = new_board(lc)
    a = lc.commission_activity(
        b, kind="extended_learning_review", method="extended-learning-review", title="ELR", why="An incident",
        decided_by="Youth support service", proportionality="Several agencies", agencies=["yss", "police"],
        on=date(2015, 7, 1),
    )  # fmt: skip
    on = date(2015, 7, 1)
    assert_refused(lc, lambda: lc.record_decision_step(b, a, step="decides", role="agency:health", on=on),
                   LearningCycleError, "role", "agency:health")  # fmt: skip
    lc.record_decision_step(b, a, step="decides", role="agency:yss", on=on)
    lc.record_decision_step(b, a, step="oversees", role="board", on=on)
    lc.record_decision_step(b, a, step="reported_to", role="external:youth-justice-board", on=date(2015, 9, 1))
    assert [s.role for s in lc.activity(b, a).steps] == ["agency:yss", "board", "external:youth-justice-board"]


ELR_STEPS = ("decides", "oversees", "reported_to")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tries=st.lists(st.sampled_from((*ELR_STEPS, "recommends")), max_size=6))
def test_any_sequence_of_steps_records_exactly_those_in_the_paths_order_not_yet_taken(tries):
    """A model of the rule: a step is recorded only if the path has it, it is not yet taken, and
    every earlier step of the path is."""
    roles = {"decides": "agency:yss", "oversees": "board", "reported_to": "external:youth-justice-board",
             "recommends": "board"}  # fmt: skip
    with cycle("memory:") as lc:
        b = new_board(lc)
        a = lc.commission_activity(
            b, kind="extended_learning_review", method="extended-learning-review", title="ELR", why="An incident",
            decided_by="YSS", proportionality="Several agencies", agencies=["yss", "police"], on=date(2015, 7, 1),
        )  # fmt: skip
        taken: list[str] = []
        for step in tries:
            expected = step in ELR_STEPS and step not in taken and list(ELR_STEPS[: ELR_STEPS.index(step)]) == taken
            try:
                lc.record_decision_step(b, a, step=step, role=roles[step], on=date(2015, 7, 2))
                recorded = True
            except LearningCycleError:
                recorded = False
            assert recorded == expected
            if recorded:
                taken.append(step)
        assert [s.step for s in lc.activity(b, a).steps] == taken


# -- sub-groups own activities and findings ---------------------------------------------------


def test_subgroups_own_activities_and_findings_checked_against_the_boards_subgroups(lc):
    b = new_board(lc)
    assert_refused(
        lc, lambda: scr(lc, b, subgroup="Finance Sub-group"), LearningCycleError, "subgroup", "Finance Sub-group"
    )
    a = scr(lc, b, subgroup=CASE)
    lc.start_activity(b, a, on=date(2015, 6, 1))
    f = lc.raise_finding(b, a, statement="Escalation was unclear", level="strategic", on=date(2015, 8, 1))
    assert lc.finding(b, f).subgroup == CASE  # a finding belongs to its activity's sub-group by default
    g = lc.raise_finding(b, a, statement="Plans drifted", level="operational", subgroup=QA, on=date(2015, 8, 1))
    assert lc.finding(b, g).subgroup == QA
    assert_refused(lc, lambda: lc.assign_finding_subgroup(b, f, "Nobody"), LearningCycleError, "subgroup", "Nobody")
    assert_refused(lc, lambda: lc.assign_activity_subgroup(b, a, CASE), LearningCycleError, "subgroup", CASE)
    lc.assign_activity_subgroup(b, a, QA, on=date(2015, 9, 1))
    lc.assign_finding_subgroup(b, f, QA, on=date(2015, 9, 1))
    assert (lc.activity(b, a).subgroup, lc.finding(b, f).subgroup) == (QA, QA)
    with Views.of(lc) as views:  # as of a day before the change, the first owner
        before = views.records(b, as_of=date(2015, 8, 31))
        assert [x.subgroup for x in before.activities] == [CASE]


def test_status_and_stock_take_read_per_subgroup_say_which(lc):
    b = new_board(lc)
    a = scr(lc, b, subgroup=CASE)
    q = light_touch(lc, b, subgroup=QA)
    for x in (a, q):
        lc.start_activity(b, x, on=date(2015, 7, 1))
    lc.raise_finding(b, a, statement="Escalation was unclear", level="strategic", on=date(2015, 8, 1))
    lc.raise_finding(b, q, statement="Transfers were late", level="operational", on=date(2015, 8, 1))
    lc.raise_finding(b, q, statement="Records were thin", level="operational", on=date(2015, 8, 2))
    with SubgroupViews.of_subgroup(lc, QA) as views:
        status = views.status(b, as_of=date(2016, 3, 31))
        assert [f.statement for f in status.findings] == ["Transfers were late", "Records were thin"]
        model = views.stock_take(b, "2015/16")
        assert (model.findings_raised, len(model.activities), model.programme.subgroup) == (2, 1, QA)
        md, html = render(model, "md"), render(model, "html")
        assert f"(read for the sub-group {QA})" in md and f"(read for the sub-group {QA})" in html
        assert json.loads(render(model, "json"))["programme"]["subgroup"] == QA
    with Views.of(lc) as views:
        whole = views.stock_take(b, "2015/16")
        assert (whole.findings_raised, whole.programme.subgroup) == (3, None)
        assert "read for the sub-group" not in render(whole, "md")
    with SubgroupViews.of_subgroup(lc, "Nobody") as views, pytest.raises(LearningCycleError) as refused:
        views.status(b)
    assert (refused.value.field, refused.value.value) == ("subgroup", "Nobody")


# -- links ------------------------------------------------------------------------------------


def test_an_activity_names_what_prompted_it_each_of_four_kinds_checked_to_exist(lc):
    b = new_board(lc)
    lc.define_indicator(b, key="transfers", title="Transfers followed up", kind="how_well", unit="%",
                        polarity="higher_is_better", cadence="quarterly", on=date(2015, 4, 1))  # fmt: skip
    first = light_touch(lc, b)
    lc.start_activity(b, first, on=date(2015, 6, 15))
    f = lc.raise_finding(b, first, statement="Transfers were late", level="operational", on=date(2015, 7, 1))
    by_activity = light_touch(lc, b, prompted_by_activity=first, on=date(2015, 7, 2))
    by_finding = light_touch(lc, b, prompted_by_finding=f, on=date(2015, 7, 2))
    by_priority = light_touch(lc, b, prompted_by_priority="cse", on=date(2015, 7, 2))
    by_indicator = light_touch(lc, b, prompted_by_indicator="transfers", on=date(2015, 7, 2))
    got = [lc.activity(b, x) for x in (by_activity, by_finding, by_priority, by_indicator)]
    assert (got[0].prompted_by_activity, got[1].prompted_by_finding) == (first, f)
    assert (got[2].prompted_by_priority, got[3].prompted_by_indicator) == ("cse", "transfers")
    other = "00000000-0000-4000-8000-000000000000"
    for field, value, error in (
        ("prompted_by_activity", other, NotFound),
        ("prompted_by_finding", other, NotFound),
        ("prompted_by_indicator", "no-such", NotFound),
        ("prompted_by_priority", "missing", LearningCycleError),
    ):
        before = lc.position()
        with pytest.raises(error) as refused:
            light_touch(lc, b, on=date(2015, 7, 3), **{field: value})
        assert refused.value.field == field and value in str(refused.value)
        assert lc.position() == before
    refused = assert_refused(lc, lambda: light_touch(lc, b, prompted_by_priority="missing"), LearningCycleError,
                             "prompted_by_priority", "missing")  # fmt: skip
    assert "not a priority of 2015/16" in str(refused) and "cse, neglect" in str(refused)
    with Views.of(lc) as views:
        links = views.stock_take(b, "2015/16").programme.links
    assert sorted(link.prompted_by for link in links) == [
        "the activity Light-touch review: transfers",
        "the finding Transfers were late",
        "the indicator Transfers followed up",
        "the priority Child sexual exploitation",
    ]


def test_a_check_names_the_activity_that_made_it(lc):
    b = new_board(lc)
    a = light_touch(lc, b)
    lc.start_activity(b, a, on=date(2015, 6, 15))
    f = lc.raise_finding(b, a, statement="Transfers were late", level="operational", on=date(2015, 7, 1))
    lc.respond_to_finding(b, f, "Protocol", on=date(2015, 7, 2))
    reaudit = light_touch(lc, b, on=date(2015, 10, 1), prompted_by_finding=f)
    lc.record_check(b, f, kind="re_audit", result="improved", evidence="26 of 30", made_by=reaudit, on=date(2016, 1, 5))
    assert lc.finding(b, f).checks[0].made_by == reaudit
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(NotFound) as refused:
        lc.record_check(b, f, kind="re_audit", result="improved", evidence="x", made_by=missing, on=date(2016, 1, 6))
    assert refused.value.field == "made_by"
    with Views.of(lc) as views:
        (made,) = views.stock_take(b, "2015/16").programme.checks_made_by
    assert (made.activity, made.prompted_by) == (
        "Light-touch review: transfers",
        "re-audit of the finding Transfers were late",
    )


def test_the_programme_is_planned_from_priorities_and_case_reviews_actions_and_shown_planned_against_delivered(lc):
    b = new_board(lc)
    a = scr(lc, b, subgroup=CASE)
    lc.start_activity(b, a, on=date(2015, 5, 20))
    f = lc.raise_finding(b, a, statement="Escalation was unclear", level="strategic", on=date(2015, 6, 1))
    x = lc.raise_action(b, f, owner="csc", description="Escalation protocol", due_on=date(2015, 12, 31),
                        on=date(2015, 6, 2))  # fmt: skip
    plan = lc.plan_programme_item
    plan(b, year="2015/16", item="cse-dive", title="Deep dive: CSE", priorities=["cse"], on=date(2015, 6, 3))
    plan(b, year="2015/16", item="escalation", title="Audit of escalation", priorities=["neglect"], action_ids=[x],
         on=date(2015, 6, 3))  # fmt: skip
    plan(b, year="2015/16", item="themed", title="Themed review: neglect", on=date(2015, 6, 3))
    refused = assert_refused(lc, lambda: plan(b, year="2015/16", item="x", title="X", priorities=["missing"]),
                             LearningCycleError, "priorities", "missing")  # fmt: skip
    assert "not a priority of 2015/16" in str(refused)
    assert_refused(
        lc, lambda: plan(b, year="2015/16", item="themed", title="Again"), LearningCycleError, "item", "themed"
    )
    with pytest.raises(NotFound):
        plan(b, year="2015/16", item="y", title="Y", action_ids=["00000000-0000-4000-8000-000000000000"])
    delivered = light_touch(lc, b, programme_item="cse-dive", on=date(2015, 9, 1))
    later = light_touch(lc, b, on=date(2015, 10, 1))
    lc.name_programme_item(b, later, "escalation", on=date(2015, 10, 2))
    refused = assert_refused(lc, lambda: light_touch(lc, b, programme_item="nothing"), LearningCycleError,
                             "programme_item", "nothing")  # fmt: skip
    assert "not an item of the 2015/16 programme" in str(refused)
    refused = assert_refused(lc, lambda: light_touch(lc, b, programme_item="cse-dive", on=date(2016, 5, 1)),
                             LearningCycleError, "programme_item", "cse-dive")  # fmt: skip
    assert "no quality-assurance programme is planned for 2016/17" in str(refused)
    assert lc.activity(b, delivered).programme_item == "cse-dive"
    with Views.of(lc) as views:
        model = views.stock_take(b, "2015/16")
    section = model.programme
    assert [(i.title, i.priorities, i.delivered_by) for i in section.items] == [
        ("Deep dive: CSE", ("Child sexual exploitation",), ("Light-touch review: transfers",)),
        ("Audit of escalation", ("Neglect",), ("Light-touch review: transfers",)),
        ("Themed review: neglect", (), ()),
    ]
    # the case review's report is not yet published: its action is named by the review's label only
    assert section.items[1].actions == ("review A, not published",)
    assert section.delivered == 2
    md, html, data = render(model, "md"), render(model, "html"), json.loads(render(model, "json"))
    assert "2 of 3 planned items delivered." in md and "2 of 3 planned items delivered." in html
    assert "| Themed review: neglect | priority Neglect" not in md
    assert "| Themed review: neglect | - | not delivered |" in md
    assert "action of review A, not published" in html and "Escalation protocol" not in md + html
    assert [i["delivered_by"] for i in data["programme"]["items"]] == [
        ["Light-touch review: transfers"],
        ["Light-touch review: transfers"],
        [],
    ]


def test_a_year_without_a_programme_says_so(lc):
    b = new_board(lc)
    with Views.of(lc) as views:
        model = views.stock_take(b, "2015/16")
    assert "No quality-assurance programme is recorded for 2015/16." in render(model, "md")


# -- events are forever -----------------------------------------------------------------------


def test_version_1_commissioning_raising_and_check_events_replay_with_none_of_the_new_facts(tmp_path):
    """Events stored before issue 24 (version 1) are upcast: no sub-group, nothing prompted, no
    programme item, no activity behind a check."""
    from tests.test_evolution import FIXTURE

    with cycle(tmp_path / "old.sqlite") as lc:
        import_log(lc.log, FIXTURE)
        with Views.of(lc) as views:
            (board,) = views.boards()
            records = views.records(board.board_id)
    (activity,) = records.activities
    (finding,) = records.findings
    assert (activity.subgroup, activity.programme_item, activity.steps) == (None, None, ())
    assert (activity.prompted_by_activity, activity.prompted_by_priority) == (None, None)
    assert finding.subgroup is None and [c.made_by for c in finding.checks] == [None]


def test_every_new_fact_round_trips_through_export_and_import(tmp_path, lc):
    b = new_board(lc)
    a = scr(lc, b, subgroup=CASE)
    lc.record_decision_step(b, a, step="recommends", role=f"subgroup:{CASE}", on=date(2015, 5, 1))
    lc.start_activity(b, a, on=date(2015, 5, 20))
    f = lc.raise_finding(b, a, statement="Escalation was unclear", level="strategic", on=date(2015, 6, 1))
    lc.assign_finding_subgroup(b, f, QA, on=date(2015, 6, 2))
    lc.respond_to_finding(b, f, "Protocol", on=date(2015, 6, 3))
    lc.plan_programme_item(b, year="2015/16", item="cse", title="Deep dive", priorities=["cse"], on=date(2015, 6, 3))
    r = light_touch(lc, b, subgroup=QA, prompted_by_finding=f, programme_item="cse", on=date(2015, 7, 1))
    lc.assign_activity_subgroup(b, r, CASE, on=date(2015, 7, 2))
    lc.record_check(b, f, kind="re_audit", result="improved", evidence="ok", made_by=r, on=date(2015, 9, 1))
    out = tmp_path / "log.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        export_log(lc.log, handle)
    with cycle(tmp_path / "copy.sqlite") as copy:
        import_log(copy.log, out)
        with Views.of(lc) as one, Views.of(copy) as two:
            assert one.records(b) == two.records(b)
            assert two.records(b).programmes[0].items[0].item == "cse"


# -- the command line -------------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="learning-cycle", env=ENV)


def test_the_recording_verbs_record_paths_owners_links_and_the_programme(tmp_path):
    store = tmp_path / "cli.sqlite"
    with cycle(store) as lc:
        b = new_board(lc)
        lc.set_priorities(b, "2016/17", [("neglect", "Neglect")], on=date(2016, 4, 1))
    at = ("--store", str(store), "--board", "paths-board")
    steps = [
        ("commission", "--kind", "serious_case_review", "--method", "silp", "--title", "SCR: Child Q", "--why", "Harm",
         "--decided-by", "Chair", "--proportionality", "Complex", "--agency", "csc", "--agency", "police",
         "--subgroup", CASE, "--prompted-by-priority", "neglect", "--on", "2016-05-02"),
        ("record-step", "A-1", "--step", "recommends", "--role", f"subgroup:{CASE}", "--on", "2016-05-02"),
        ("record-step", "A-1", "--step", "decides", "--role", "independent-chair", "--on", "2016-05-09"),
        ("start", "A-1", "--on", "2016-05-10"),
        ("raise-finding", "A-1", "--statement", "Escalation was unclear", "--level", "strategic", "--on", "2016-06-01"),
        ("assign-finding", "F-1", "--subgroup", QA, "--on", "2016-06-02"),
        ("respond", "F-1", "--response", "Protocol", "--on", "2016-06-03"),
        ("raise-action", "F-1", "--owner", "csc", "--description", "Write the protocol", "--due-on", "2016-12-31",
         "--on", "2016-06-03"),
        ("plan-programme", "--year", "2016/17", "--item", "escalation", "--title", "Audit of escalation",
         "--priority", "neglect", "--action", "X-1", "--on", "2016-06-04"),
        ("commission", "--kind", "light_touch_review", "--method", "light-touch-review", "--title", "Re-audit",
         "--why", "Check", "--decided-by", "QA", "--proportionality", "Quick", "--agency", "csc", "--agency", "police",
         "--prompted-by-activity", "A-1", "--prompted-by-finding", "F-1", "--on", "2016-09-01"),
        ("assign-activity", "A-2", "--subgroup", QA, "--on", "2016-09-02"),
        ("deliver-item", "A-2", "--programme-item", "escalation", "--on", "2016-09-02"),
        ("check", "F-1", "--kind", "re_audit", "--result", "improved", "--evidence", "28 of 30", "--made-by", "A-2",
         "--on", "2017-01-10"),
    ]  # fmt: skip
    for verb, *rest in steps:
        result = invoke(verb, *rest, *at)
        assert result.exit_code == 0, (verb, result.output)
    with cycle(store) as lc, Views.of(lc) as views:
        (scr_q, reaudit) = views.records(lc.board_id("paths-board")).activities
        assert [s.role for s in scr_q.steps] == [f"subgroup:{CASE}", "independent-chair"]
        assert (scr_q.subgroup, scr_q.prompted_by_priority) == (CASE, "neglect")
        assert (reaudit.subgroup, reaudit.programme_item, reaudit.prompted_by_activity) == (
            QA, "escalation", scr_q.activity_id,
        )  # fmt: skip
        (finding,) = views.records(lc.board_id("paths-board")).findings
        assert (finding.subgroup, finding.checks[0].made_by) == (QA, reaudit.activity_id)
    wrong = invoke("record-step", "A-2", "--step", "recommends", "--role", "board", *at)
    assert wrong.exit_code == 2 and "error:" in wrong.output and "has no such step" in wrong.output
    status = invoke("status", "--subgroup", QA, "--as-of", "2017-03-31", *at)
    assert status.exit_code == 0 and f"Read for the sub-group {QA}" in status.output
    for subgroup, findings, activities in ((QA, 1, 1), (CASE, 0, 1)):
        shown = invoke("status", "--subgroup", subgroup, "--json", *at)
        assert shown.exit_code == 0, shown.output
        as_json = json.loads(shown.output)
        assert as_json["subgroup"] == subgroup
        assert (len(as_json["findings"]), len(as_json["activities"])) == (findings, activities)
    paper = invoke("stocktake", "--year", "2016/17", "--subgroup", QA, *at)
    assert paper.exit_code == 0 and f"(read for the sub-group {QA})" in paper.output
    assert "1 of 1 planned items delivered." in paper.output
    unknown = invoke("stocktake", "--year", "2016/17", "--subgroup", "Nobody", *at)
    assert unknown.exit_code == 2 and "error: subgroup: 'Nobody' is not a sub-group of the board" in unknown.output


# -- the conformance kit ----------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(history=histories(get_plugins().menu(), max_activities=1, max_indicators=0))
def test_the_kits_histories_take_decision_paths_owners_links_and_programmes_and_round_trip(history):
    """With the installed methods (whose methods declare paths), a drawn history may hold the
    new facts; however drawn, it records, reads back and round-trips through the interchange."""
    with history.cycle() as lc:
        board = history.replay(lc)
        with Views.of(lc) as views:
            records = views.records(board)
        a = next((x for x in records.activities if x.title == "Activity paths-a"), None)
        if a is not None:
            assert (a.programme_item, a.prompted_by_priority) == ("item-1", "paths-priority")
            assert a.subgroup in records.board.subgroups
            assert [p.items[0].item for p in records.programmes] == ["item-1"]
        buffer = io.StringIO()
        export_log(lc.log, buffer)
    with history.cycle() as copy:
        path = Path(tempfile.mkdtemp()) / "log.jsonl"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        import_log(copy.log, path)
        with Views.of(copy) as views:
            assert views.records(board) == records
