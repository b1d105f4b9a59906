"""Issue 24's first done-when: one fictional board, recorded through the public API only, that uses
every feature of the framework's governance (the framework and its reviews, decision paths and
sub-groups, links and the programme, self-assessment returns and the peer review, involvement,
outcome measures chosen by the board, the smaller gaps), and its stock-take (Markdown, HTML, JSON),
status view and three-year picture checked against expectations worked out by hand below."""

from __future__ import annotations

import html
import io
import json
from datetime import date
from types import SimpleNamespace as Westmere

import pytest
from click.testing import CliRunner
from rich.console import Console

from learning_cycle import PublicationDecision, Views
from learning_cycle.cli import cli
from learning_cycle.cli.status_view import StatusView
from learning_cycle.domain.values import ReportingYear
from learning_cycle.plugins import get_plugins, open_cycle
from learning_cycle.projections.subgroups import SubgroupViews
from learning_cycle.reports import render

from .conftest import TODAY

CASE, QA = "Case Review Sub-group", "Quality Assurance Sub-group"
FIRST_NAME = "Westmere Learning Framework (fictional)"
SECOND_NAME = "Westmere Learning and Improvement Framework (fictional)"
SIX = ["systems_learning", "continuous_improvement", "proportionality", "professionals_involved", "transparency",
       "sustained_improvement"]  # fmt: skip
Y1_END, Y2_END = date(2016, 3, 31), date(2017, 3, 31)


def record(lc) -> tuple[object, dict]:
    """Westmere Partnership (fictional), April 2015 to March 2017. Every fact has its own date."""
    d = date
    b = lc.create_board("westmere", "Westmere Partnership (fictional)", districts=["east", "west"], subgroups=[CASE],
                        agencies=[("csc", "Social Care"), ("police", "Police"), ("health", "Health"),
                                  ("vcs", "Voluntary Sector")], on=d(2015, 4, 1))  # fmt: skip
    lc.add_subgroup(b, QA, on=d(2015, 4, 20))
    lc.set_priorities(b, "2015/16", [("neglect", "Neglect"), ("cse", "Child sexual exploitation")], on=d(2015, 4, 2))
    lc.set_priorities(b, "2016/17", [("neglect", "Neglect")], on=d(2016, 4, 2))
    # the framework: adopted with five principles, revised with all six in its second year
    lc.adopt_framework(b, name=FIRST_NAME, agreed_by="the Partnership", principles=SIX[:5], summary="How we learn",
                       on=d(2015, 6, 1))  # fmt: skip
    lc.review_framework(b, outcome="revised", agreed_by="the Partnership", changes="Sustained improvement added",
                        name=SECOND_NAME, principles=SIX, on=d(2016, 11, 7))  # fmt: skip
    # an indicator: figures for October-December 2015 and January-March 2016
    lc.define_indicator(b, key="visits", title="Visits on time", kind="how_well", unit="%",
                        polarity="higher_is_better", cadence="quarterly", on=d(2015, 4, 1))  # fmt: skip
    lc.record_measurement(b, "visits", d(2015, 10, 1), 70, on=d(2016, 1, 20))
    lc.record_measurement(b, "visits", d(2016, 1, 1), 74, on=d(2016, 4, 20))
    common = {"why": "Learning needed", "decided_by": "see its steps"}
    # A1: a serious case review, recommended by the case review sub-group, decided by the chair
    a1 = lc.commission_activity(b, kind="serious_case_review", method="scie-learning-together", subgroup=CASE,
                                title="SCR: Child W (fictional)", proportionality="Complex, several agencies",
                                agencies=["csc", "police"], on=d(2015, 5, 4), **common)  # fmt: skip
    lc.record_decision_step(b, a1, step="recommends", role=f"subgroup:{CASE}", on=d(2015, 5, 4))
    lc.record_decision_step(b, a1, step="decides", role="independent-chair", on=d(2015, 5, 18))
    lc.start_activity(b, a1, on=d(2015, 6, 1))
    lc.record_practitioner_involvement(b, a1, practitioners=12, how="learning_event", on=d(2015, 9, 10))
    f1 = lc.raise_finding(b, a1, statement="Handover between teams lost the plan", level="operational",
                          patterns=["multi-agency-longer-term-work"], on=d(2015, 9, 1))  # fmt: skip
    f2 = lc.raise_finding(b, a1, statement="Escalation was unclear", level="strategic", on=d(2015, 9, 1))
    lc.respond_to_finding(b, f1, "A handover protocol", on=d(2015, 9, 5))
    lc.respond_to_finding(b, f2, "Police to brief on escalation", on=d(2015, 9, 5))
    lc.assign_finding_subgroup(b, f2, QA, on=d(2016, 6, 1))  # from 2016/17, the QA sub-group's
    x1 = lc.raise_action(b, f1, owner="csc", description="Handover protocol", due_on=d(2015, 12, 31), on=d(2015, 9, 5))
    x2 = lc.raise_action(b, f2, owner="police", description="Escalation briefing", due_on=d(2016, 1, 31),
                         single_agency=True, on=d(2015, 9, 5))  # fmt: skip
    lc.complete_action(b, x1, "Protocol in use", on=d(2015, 11, 20))
    lc.complete_action(b, x2, "Briefed", on=d(2016, 1, 15))  # single-agency: done only when assured
    lc.assure_action(b, x2, "Police assurance report", on=d(2016, 6, 10))
    lc.complete_activity(b, a1, on=d(2016, 1, 20))
    lc.approve_report(b, a1, on=d(2016, 2, 1))
    lc.decide_publication(b, a1, PublicationDecision("published", reference="https://example.org/w"), on=d(2016, 3, 1))
    # A2: a light-touch review prompted by a priority, delivering an item of the programme
    lc.plan_programme_item(b, year="2015/16", item="transfers", title="Light-touch review of transfers",
                           priorities=["neglect"], on=d(2015, 6, 15))  # fmt: skip
    lc.plan_programme_item(b, year="2015/16", item="cse-dive", title="Deep dive: child sexual exploitation",
                           priorities=["cse"], on=d(2015, 6, 15))  # fmt: skip
    a2 = lc.commission_activity(b, kind="light_touch_review", method="light-touch-review", subgroup=QA,
                                title="Light-touch review: transfers", proportionality="A quick check",
                                agencies=["csc", "health"], prompted_by_priority="neglect", programme_item="transfers",
                                on=d(2015, 7, 1), **common)  # fmt: skip
    lc.record_decision_step(b, a2, step="decides", role=f"subgroup:{QA}", on=d(2015, 7, 1))
    lc.start_activity(b, a2, on=d(2015, 7, 6))
    f3 = lc.raise_finding(b, a2, statement="Transfers were not followed up", level="operational", on=d(2015, 10, 1))
    lc.respond_to_finding(b, f3, "Transfer checklist", on=d(2015, 10, 5))
    x3 = lc.raise_action(b, f3, owner="health", description="Checklist", due_on=d(2015, 12, 31), on=d(2015, 10, 5))
    lc.complete_action(b, x3, "Checklist in use", on=d(2016, 2, 10))  # late
    lc.complete_activity(b, a2, on=d(2015, 10, 30))
    lc.approve_report(b, a2, on=d(2015, 11, 10))  # its method publishes no report
    # A3: a themed review prompted by the indicator, owned later by QA, its sample recorded
    a3 = lc.commission_activity(b, kind="themed_review", method="themed-review", title="Themed review: neglect",
                                proportionality="A theme across cases", agencies=["csc", "health"],
                                prompted_by_indicator="visits", on=d(2015, 9, 1), **common)  # fmt: skip
    lc.record_decision_step(b, a3, step="decides", role="board", on=d(2015, 9, 1))
    lc.assign_activity_subgroup(b, a3, QA, on=d(2015, 9, 2))
    lc.start_activity(b, a3, on=d(2015, 9, 7))
    lc.record_sample(b, a3, cases=18, criteria="Plans open six months", practitioners_spoken_to=9,
                     young_people_spoken_to=5, parents_spoken_to=3, on=d(2015, 11, 2))  # fmt: skip
    f4 = lc.raise_finding(b, a3, statement="One worker had no supervision", level="individual", subgroup=CASE,
                          on=d(2015, 9, 20))  # fmt: skip
    # learning delivered: a course (attendances), social media (people reached), a briefing
    d1 = lc.record_dissemination(b, channel="training_course", title="Handover course", audience="Social workers",
                                 districts=["east"], reach=40, finding_ids=[f1], on=d(2015, 10, 1))  # fmt: skip
    lc.record_feedback(b, d1, "Useful", respondents=20, satisfied=18, impact=9, on=d(2015, 12, 1))
    lc.record_dissemination(b, channel="social_media", title="Seven points from Child W", audience="All",
                            reach=1500, finding_ids=[f1, f2], on=d(2016, 3, 15))  # fmt: skip
    lc.record_check(b, f1, kind="re_audit", result="improved", evidence="18 of 20", on=d(2016, 3, 10))
    # self-assessment 2015/16: Section 11 returns with areas for development
    lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", on=d(2015, 11, 2),
                     ratings={"s11-safer-recruitment": "partly_met", "s11-information-sharing": "fully_met"},
                     areas={"checks": "Record every recruitment check"}, strengths=["Leads in post"])  # fmt: skip
    lc.submit_return(b, audit="section_11", organisation="police", year="2015/16", on=d(2015, 11, 3),
                     ratings={"s11-safer-recruitment": "not_met", "s11-information-sharing": "partly_met"},
                     areas={"protocol": "Agree a sharing protocol"})  # fmt: skip
    lc.hold_stock_take(b, "2015/16", decisions=["Keep neglect"], on=d(2016, 5, 12))
    lc.hold_annual_review(b, "2015/16", agreed_by="Business planning day", changes="Neglect kept", on=d(2016, 5, 12))
    # recorded after the stock-take of 2015/16: the example plugin's measure adopted, a first-party one dropped
    lc.adopt_measure(b, "feedback-coverage", on=d(2016, 6, 1))
    lc.drop_measure(b, "voice-of-child-findings", "Measured in the audit instead", on=d(2016, 6, 1))
    # 2016/17: the programme, planned from a priority and the SCR's action
    lc.plan_programme_item(b, year="2016/17", item="escalation", title="Audit of escalation", priorities=["neglect"],
                           action_ids=[x2], on=d(2016, 4, 20))  # fmt: skip
    lc.plan_programme_item(b, year="2016/17", item="supervision", title="Re-audit of supervision", on=d(2016, 4, 20))
    a4 = lc.commission_activity(b, kind="light_touch_review", method="light-touch-review", subgroup=QA,
                                title="Re-audit: transfers", proportionality="Thirty records", agencies=["csc", "health"],
                                prompted_by_finding=f3, on=d(2016, 6, 1), **common)  # fmt: skip
    lc.record_decision_step(b, a4, step="decides", role=f"subgroup:{QA}", on=d(2016, 6, 1))
    lc.start_activity(b, a4, on=d(2016, 6, 6))
    lc.record_check(b, f3, kind="re_audit", result="improved", evidence="28 of 30", made_by=a4, on=d(2016, 9, 1))
    a5 = lc.commission_activity(b, kind="deep_dive", method="deep-dive", subgroup=QA, title="Deep dive: escalation",
                                proportionality="A priority in depth", agencies=["csc", "police"],
                                prompted_by_activity=a1, on=d(2016, 7, 1), **common)  # fmt: skip
    lc.record_decision_step(b, a5, step="decides", role=f"subgroup:{QA}", on=d(2016, 7, 1))
    lc.name_programme_item(b, a5, "escalation", on=d(2016, 7, 2))
    # A6: a case review whose method publishes its report: approved, no decision yet
    a6 = lc.commission_activity(b, kind="case_review", method="case-review-systems", subgroup=CASE,
                                title="Case review: Child V (fictional)", proportionality="Below the SCR threshold",
                                agencies=["csc", "police"], on=d(2016, 5, 2), **common)  # fmt: skip
    lc.record_decision_step(b, a6, step="decides", role=f"subgroup:{CASE}", on=d(2016, 5, 2))
    lc.start_activity(b, a6, on=d(2016, 5, 9))
    lc.complete_activity(b, a6, on=d(2016, 11, 1))
    lc.approve_report(b, a6, on=d(2016, 12, 1))
    d3 = lc.record_dissemination(b, channel="briefing", title="Transfers briefing", audience="Managers",
                                 districts=["east", "west"], reach=60, finding_ids=[f3], on=d(2016, 9, 15))  # fmt: skip
    lc.record_feedback(b, d3, "Clear", respondents=30, satisfied=25, impact=12, on=d(2016, 12, 1))
    lc.record_check(b, f1, kind="re_audit", result="improved", evidence="19 of 20", on=d(2017, 3, 20))
    lc.submit_return(b, audit="section_11", organisation="csc", year="2016/17", on=d(2016, 11, 2),
                     ratings={"s11-safer-recruitment": "fully_met", "s11-information-sharing": "fully_met"})  # fmt: skip
    lc.submit_return(b, audit="section_11", organisation="police", year="2016/17", on=d(2016, 11, 3),
                     ratings={"s11-safer-recruitment": "partly_met", "s11-information-sharing": "fully_met"})  # fmt: skip
    lc.follow_up_area(b, audit="section_11", organisation="csc", year="2015/16", area="checks", delivery="delivered",
                      evidence="One register", on=d(2016, 11, 2))  # fmt: skip
    lc.follow_up_area(b, audit="section_11", organisation="police", year="2015/16", area="protocol",
                      delivery="in_progress", evidence="Half signed", on=d(2016, 11, 20))  # fmt: skip
    lc.analyse_returns(b, audit="section_11", year="2016/17", analysis="Tested at a challenge panel", on=d(2017, 1, 20))
    lc.submit_return(b, audit="employer_duties", organisation="police", year="2016/17", on=d(2017, 2, 1),
                     ratings={"induction": "fully_met", "reflective-supervision": "partly_met"})  # fmt: skip
    lc.submit_return(b, audit="safe_network", organisation="vcs", year="2016/17", on=d(2017, 2, 2),
                     ratings={"induction": "fully_met", "access-to-findings": "fully_met"})  # fmt: skip
    lc.record_peer_review(b, year="2016/17", verdict="partly_robust", improve="Test ratings against case audits",
                          reviewers="A neighbouring board", on=d(2017, 3, 1))  # fmt: skip
    lc.hold_stock_take(b, "2016/17", on=d(2017, 5, 11))  # no annual review recorded after it
    return b, {"a1": a1, "f1": f1, "f2": f2, "f3": f3, "f4": f4}


@pytest.fixture(scope="module")
def westmere(tmp_path_factory) -> Westmere:
    path = str(tmp_path_factory.mktemp("westmere") / "westmere.sqlite")
    with open_cycle(path, user="governance test", today=lambda: TODAY) as lc:
        b, ids = record(lc)
    return Westmere(path=path, b=b, ids=ids)


MEASURES = {key: c.item for key, c in get_plugins().outcome_measures().items()}
TITLES = {key: c.item.title for key, c in get_plugins().review_methods().items()}


def read(w: Westmere, subgroup: str | None = None):
    lc = open_cycle(w.path, user="governance test", today=lambda: TODAY)
    return lc, (Views.of(lc) if subgroup is None else SubgroupViews.of_subgroup(lc, subgroup))


def stock_take(w: Westmere, year: str, subgroup: str | None = None, *, as_held: bool = False):
    """The stock-take as the terminal makes it (the installed plugins' measures and methods' titles),
    in its three formats: the model, Markdown, HTML (its entities unescaped) and JSON; ``as_held``: as
    known when its stock-take was recorded."""
    lc, views = read(w, subgroup)
    with lc, views:
        moment = views.stock_take_moment(w.b, ReportingYear.parse(year, lc.board(w.b).year_start)) if as_held else None
        model = views.stock_take(w.b, year, measures=MEASURES, methods=TITLES, as_known_at=moment)
    return model, render(model, "md"), html.unescape(render(model, "html")), json.loads(render(model, "json"))


def status(w: Westmere, as_of: date, subgroup: str | None = None):
    lc, views = read(w, subgroup)
    with lc, views:
        return views.status(w.b, as_of=as_of, methods=TITLES)


def picture(w: Westmere, year: str):
    lc, views = read(w)
    with lc, views:
        return views.picture(w.b, year)


def shown(model) -> str:
    """The status view as the terminal prints it to a file (wide enough that no line wraps)."""
    out = io.StringIO()
    Console(file=out, width=400, color_system=None, legacy_windows=False, _environ={}).print(StatusView(model))
    return out.getvalue()


def in_every_format(md: str, page: str, *sentences: str) -> None:
    for sentence in sentences:
        assert sentence in md, sentence
        assert sentence in page, sentence


# -- the framework and the principles (items 1 and 5 d) ------------------------------------------


def test_the_framework_heads_the_section_and_each_principle_is_answered_or_says_the_evidence_is_missing(westmere):
    first, md1, page1, js1 = stock_take(westmere, "2015/16")
    second, md2, page2, js2 = stock_take(westmere, "2016/17")
    # 2015/16: adopted 1 June 2015 with five principles, not yet reviewed, annual review 12 May 2016
    head = js1["principles"]["framework"]
    assert (head["name"], head["adopted_on"], head["principles"]) == (FIRST_NAME, "2015-06-01", SIX[:5])
    assert (head["last_reviewed_on"], head["annual_review_on"]) == (None, "2016-05-12")
    in_every_format(md1, page1, f"The board's framework: {FIRST_NAME}, adopted 1 June 2015 by the Partnership; "
                    "not reviewed by the end of the year. Annual review after this stock-take: 12 May 2016.")  # fmt: skip
    in_every_format(md1, page1, "Sustained improvement (not among the framework's principles)")
    # 2016/17: revised on 7 November 2016 (new name, six principles); no annual review recorded after it
    head = js2["principles"]["framework"]
    assert (head["name"], head["principles"], head["last_review_outcome"]) == (SECOND_NAME, SIX, "revised")
    in_every_format(md2, page2, f"The board's framework: {SECOND_NAME}, adopted 1 June 2015 by the Partnership; "
                    "last reviewed 7 November 2016 (revised). The annual review after this stock-take is not recorded.")  # fmt: skip
    assert "not among the framework's principles" not in md2
    one = {line["principle"]: line for line in js1["principles"]["lines"]}
    # findings of 2015/16: F1, F3 operational, F2 strategic, F4 individual; F1 names a pattern
    assert one["systems_learning"]["figures"] == {"findings raised": 4, "about the system": 4 - 1,
                                                  "about individual practice": 1, "naming an underlying pattern": 1}  # fmt: skip
    # completed in 2015/16: X1 (on time), X2 (by its due date, though not yet assured), X3 (late); one check
    assert one["continuous_improvement"]["figures"] == {"actions completed": 3, "completed on time": 2,
                                                        "monitoring checks": 1, "checks that found improvement": 1}  # fmt: skip
    # A1, A2, A3 by three methods; the SCR is published, so every rationale is shown
    assert one["proportionality"]["figures"] == {"methods chosen": 3, "different methods": 3, "rationale shown": 3}
    # D1 (a course: 40 attendances, east) and D2 (social media: 1500 people reached, board-wide), never added;
    # 1 of 2 districts, 1 course, D1's feedback (20 asked: 18 satisfied, 9 an impact); A1 involved 12
    # practitioners and A3 spoke to 9
    assert one["professionals_involved"]["figures"] == {"pieces of learning delivered": 2, "attendances": 40,
        "people reached": 1500, "districts reached": 1, "training courses": 1, "feedback received": 1,
        "feedback respondents": 20, "satisfied": 18, "reporting an impact on practice": 9,
        "reviews practitioners took part in": 2, "practitioners taking part": 12 + 9}  # fmt: skip
    # only the SCR's method publishes a report (the light-touch review's was approved too, and is not counted)
    assert one["transparency"]["figures"]["reviews whose method publishes a report"] == 1
    assert not any(line["evidence_missing"] for line in one.values())
    two = {line["principle"]: line for line in js2["principles"]["lines"]}
    # nothing was raised in 2016/17: systems learning has no evidence, said plainly in every format
    assert [p for p, line in two.items() if line["evidence_missing"]] == ["systems_learning"]
    in_every_format(md2, page2, "No evidence recorded for systems learning in 2016/17: no finding was raised in the year.")  # fmt: skip
    assert "| Systems learning | No evidence recorded" in md2 and md2.count("| missing |") == 1
    # A4, A5, A6 commissioned in 2016/17; A6's report awaits a decision: its rationale is not shown
    assert two["proportionality"]["figures"] == {"methods chosen": 3, "different methods": 3, "rationale shown": 3 - 1}
    assert "Below the SCR threshold" not in md2 + page2 + json.dumps(js2)
    in_every_format(md2, page2, "Of 1 review whose method publishes a final report, with a report approved or a "
                    "decision in the year: 0 published, 0 withheld, 0 delayed, 1 not yet decided.")  # fmt: skip
    for model, md, page in ((first, md1, page1), (second, md2, page2)):  # each answer, in every format
        assert [line.principle for line in model.principles.lines] == SIX
        in_every_format(md, page, *(line.answer.removesuffix(".") for line in model.principles.lines))


# -- decision paths and sub-groups (item 2) -------------------------------------------------------


def test_decision_paths_are_recorded_and_each_subgroup_reads_only_its_own_activities_and_findings(westmere):
    w = westmere
    with open_cycle(w.path, user="governance test", today=lambda: TODAY) as lc:
        steps = [(s.step, s.role, s.taken_on) for s in lc.activity(w.b, w.ids["a1"]).steps]
        owners = {k: lc.finding(w.b, w.ids[k]).subgroup for k in ("f1", "f2", "f3", "f4")}
    assert steps == [("recommends", f"subgroup:{CASE}", date(2015, 5, 4)), ("decides", "independent-chair", date(2015, 5, 18))]  # fmt: skip
    # F1, F2 from A1 (CASE), F2 moved to QA on 1 June 2016; F3 from A2 (QA); F4 from A3 (QA's) raised for CASE
    assert owners == {"f1": CASE, "f2": QA, "f3": QA, "f4": CASE}
    for subgroup in (CASE, QA):
        mine = {w.ids[k] for k, owner in owners.items() if owner == subgroup}
        assert {f.finding_id for f in status(w, Y2_END, subgroup).findings} == mine
    # at the end of 2015/16, before F2 moved, CASE read it as its own
    before = status(w, Y1_END, CASE)
    assert {f.finding_id for f in before.findings} == {w.ids[k] for k in ("f1", "f2", "f4")}
    # QA's activities: A2, A3 (assigned), A4, A5; CASE's: A1, A6
    assert len(status(w, Y2_END, QA).activities) == 4 and len(status(w, Y2_END, CASE).activities) == 2
    model, md, page, js = stock_take(w, "2015/16", QA)
    assert ([a.title for a in model.activities], js["programme"]["subgroup"]) == (["Light-touch review: transfers", "Themed review: neglect"], QA)  # fmt: skip
    in_every_format(md, page, f"(read for the sub-group {QA})")
    runner = CliRunner()
    env = {"LEARNING_CYCLE_USER": "cli test", "LEARNING_CYCLE_STORE": None, "COLUMNS": "120"}
    done = runner.invoke(cli, ["status", "--subgroup", CASE, "--json", "--as-of", "2017-03-31", "--store", w.path,
                               "--board", "westmere"], prog_name="learning-cycle", env=env)  # fmt: skip
    assert done.exit_code == 0, done.output
    as_json = json.loads(done.output)
    assert as_json["subgroup"] == CASE
    assert sorted(f["finding_id"] for f in as_json["findings"]) == sorted(str(w.ids[k]) for k in ("f1", "f4"))


def test_a_subgroups_stock_take_of_a_year_counts_the_findings_it_owned_in_that_year(westmere):
    # raised in 2015/16: F1, F2, F4 owned by CASE and F3 by QA all year; F2 passed to QA only on 1 June 2016
    assert stock_take(westmere, "2015/16", CASE)[0].findings_raised == 3
    assert stock_take(westmere, "2015/16", QA)[0].findings_raised == 1


# -- links and the programme (item 3) -------------------------------------------------------------


def test_the_programme_is_shown_planned_against_delivered_with_what_informed_it_and_what_prompted_what(westmere):
    _, md1, page1, js1 = stock_take(westmere, "2015/16")
    _, md2, page2, js2 = stock_take(westmere, "2016/17")
    # 2015/16: two items planned, "transfers" delivered by A2 (commissioned for it)
    assert [(i["title"], i["priorities"], i["delivered_by"]) for i in js1["programme"]["items"]] == [
        ("Light-touch review of transfers", ["Neglect"], ["Light-touch review: transfers"]),
        ("Deep dive: child sexual exploitation", ["Child sexual exploitation"], [])]  # fmt: skip
    assert "| Deep dive: child sexual exploitation | priority Child sexual exploitation | not delivered |" in md1
    in_every_format(md1, page1, "1 of 2 planned items delivered.",
                    "Light-touch review: transfers, prompted by the priority Neglect; "
                    "Themed review: neglect, prompted by the indicator Visits on time.")  # fmt: skip
    # 2016/17: "escalation" from the priority and the SCR's action X2, delivered by A5 (named later)
    items = js2["programme"]["items"]
    assert items[0]["actions"] == ["SCR: Child W (fictional): Escalation briefing"]
    assert [i["delivered_by"] for i in items] == [["Deep dive: escalation"], []]
    in_every_format(md2, page2, "1 of 2 planned items delivered.",
                    "Re-audit: transfers, prompted by the finding Transfers were not followed up; "
                    "Deep dive: escalation, prompted by the activity SCR: Child W (fictional); "
                    "Re-audit: transfers made the re-audit of the finding Transfers were not followed up.")  # fmt: skip
    assert js2["programme"]["checks_made_by"] == [
        {"activity": "Re-audit: transfers", "prompted_by": "re-audit of the finding Transfers were not followed up"}]  # fmt: skip


# -- self-assessment, employer duties and the peer review (items 4 to 6) --------------------------


def test_returns_are_counted_red_amber_green_last_years_areas_followed_up_and_the_peer_review_said(westmere):
    _, md1, page1, js1 = stock_take(westmere, "2015/16")
    _, md2, page2, js2 = stock_take(westmere, "2016/17")
    # 2015/16: safer recruitment: csc amber, police red; information sharing: csc green, police amber
    (s11,) = js1["returns"]["audits"]
    assert {c["standard"]: (c["red"], c["amber"], c["green"]) for c in s11["standards"]} == {
        "s11-safer-recruitment": (1, 1, 0), "s11-information-sharing": (0, 1, 1)}  # fmt: skip
    in_every_format(md1, page1, f"Section 11: 2 returns ({0 + 1} green, {1 + 1} amber, {1 + 0} red;",
                    "Areas for development raised: Social Care: Record every recruitment check; Police: Agree a "
                    "sharing protocol. Last year's followed up: none.")  # fmt: skip
    # 2016/17: safer recruitment: csc green, police amber; information sharing: both green
    (s11,) = js2["returns"]["audits"]
    assert {c["standard"]: (c["red"], c["amber"], c["green"]) for c in s11["standards"]} == {
        "s11-safer-recruitment": (0, 1, 1), "s11-information-sharing": (0, 0, 2)}  # fmt: skip
    assert [(a["key"], a["delivery"]) for a in s11["followed_up"]] == [("checks", "delivered"), ("protocol", "in_progress")]  # fmt: skip
    in_every_format(md2, page2,
                    "Section 11: 2 returns (3 green, 1 amber, 0 red; red or amber: safer recruitment), analysed by "
                    "the board on 20 January 2017: Tested at a challenge panel.",
                    "Social Care: Record every recruitment check (2015/16), delivered (One register)",
                    "Police: Agree a sharing protocol (2015/16), in progress (Half signed)",
                    # police: one duty partly met; the voluntary sector, through the Safe Network: every duty met
                    "Employer duties (learning at organisational level): 2 assurances, every duty met in 1. "
                    "Police, amber: reflective safeguarding supervision and support.",
                    "(A neighbouring board, 1 March 2017): the board's own assessment is partly robust. "
                    "What must improve: Test ratings against case audits")  # fmt: skip
    keys = ("s11-safer-recruitment", "partly_met", "in_progress", "partly_robust", "employer_duties", "safe_network")
    assert [k for k in keys if k in md1 + page1 + md2 + page2] == []  # keys stay in JSON; the paper says words
    assert [(d["organisation"], d["through"]) for d in js2["returns"]["duties"]] == [
        ("police", "employer_duties"), ("vcs", "safe_network")]  # fmt: skip
    assert [p["verdict"] for p in js2["returns"]["peer_reviews"]] == ["partly_robust"] and js1["returns"]["peer_reviews"] == []  # fmt: skip
    # the picture: each area raised in the window, and whether it is being delivered at the window's end
    assert [(a.key, a.delivery) for a in picture(westmere, "2015/16").areas] == [("checks", None), ("protocol", None)]
    assert [(a.key, a.year, a.delivery) for a in picture(westmere, "2016/17").areas] == [
        ("checks", "2015/16", "delivered"), ("protocol", "2015/16", "in_progress")]  # fmt: skip


# -- involvement (item 7) ---------------------------------------------------------------------------


def test_involvement_counts_attendances_apart_from_people_reached_and_satisfaction_apart_from_impact(westmere):
    _, md, page, js = stock_take(westmere, "2015/16")
    inv = js["involvement"]
    # D1, a course: 40 attendances; D2, social media: 1500 people reached (never added together)
    assert (inv["attendances"], inv["people_reached"]) == (40, 1500)
    assert (inv["satisfied"], inv["impact"]) == ([18, 20], [9, 20])  # D1's feedback
    by_title = {r["title"]: r for r in inv["reviews"]}
    assert (by_title["Themed review: neglect"]["cases"], by_title["SCR: Child W (fictional)"]["practitioners_involved"]) == (18, 12)  # fmt: skip
    in_every_format(md, page,
                    "Reach counts attendances at courses, briefings and sessions (40) apart from people reached by "
                    "alerts, social media and other channels (1500): social media: 1 piece, 1500 people reached; "
                    "training course: 1 piece, 40 attendances.",
                    "Feedback: 18 of 20 respondents were satisfied with the learning; 9 of 20 reported an impact on their practice.",
                    "18 cases: Plans open six months", "12 at a practitioners' learning event")  # fmt: skip
    assert [k for k in ("social_media", "training_course", "learning_event") if k in md + page] == []
    # the status view, over all the records: D1 + D3 = 40 + 60 attendances; feedback 18 + 25 of 20 + 30, 9 + 12
    line = shown(status(westmere, Y2_END))
    said = (f"Involvement: {40 + 60} attendances and 1500 people reached by alerts and social media; {18 + 25} of "
            f"{20 + 30} respondents satisfied; {9 + 12} of {20 + 30} reporting an impact on practice; 1 review recorded "
            "18 cases sampled and spoke to 9 practitioners, 5 young people and 3 parents or carers; 12 practitioners "
            "involved in 1 review")  # fmt: skip
    assert said in " ".join(line.split())


# -- outcome measures chosen by the board (item 8) --------------------------------------------------


def test_a_plugins_measure_enters_the_stock_take_only_from_its_adoption_and_a_dropped_one_leaves(westmere):
    title = MEASURES["feedback-coverage"].title  # the example plugin's: not reported until adopted
    dropped = MEASURES["voice-of-child-findings"].title  # first-party, reported by default until dropped
    _, md1, page1, js1 = stock_take(westmere, "2015/16")
    _, md2, page2, js2 = stock_take(westmere, "2016/17")
    # adopted and dropped on 1 June 2016: 2015/16 ended before, 2016/17 includes the day
    assert "feedback-coverage" not in js1["outcomes"] and title not in md1 + page1
    assert "voice-of-child-findings" in js1["outcomes"] and dropped in md1 and dropped in page1
    assert "voice-of-child-findings" not in js2["outcomes"] and dropped not in md2 + page2
    # by 31 March 2017, D1, D2, D3 delivered; D1 and D3 have feedback
    got = js2["outcomes"]["feedback-coverage"]
    assert (got["numerator"], got["denominator"]) == (2, 3)
    in_every_format(md2, page2, title)
    assert f"| {title} | 66.7% (2 of 3) |" in md2
    assert len(js2["outcomes"]) == len(js1["outcomes"]) + 1 - 1  # one adopted, one dropped
    # the stock-take of 2015/16 as it was held, before the adoption was recorded, reports the same
    assert stock_take(westmere, "2015/16", as_held=True)[3]["outcomes"] == js1["outcomes"]


# -- the smaller gaps (item 9) ----------------------------------------------------------------------


def test_quarters_by_the_reporting_year_transparency_over_published_methods_and_single_agency_assurance(westmere):
    w = westmere
    then, now = status(w, Y1_END), status(w, Y2_END)
    # January to March 2016 on a board whose year starts in April: the fourth quarter of 2015/16
    assert [i.latest_period for i in now.indicators] == ["Q4 2015/16"]
    _, md, page, js = stock_take(w, "2015/16")
    assert js["indicators"]["how_well"][0]["periods"] == ["Q3 2015/16", "Q4 2015/16"]
    in_every_format(md, page, "74.0% in Q4 2015/16")
    assert "Q4 2015/16" in shown(now) and "2016-Q1" not in md + page + shown(now)
    # approved reports whose method publishes one: A1 (published) by 2015/16's end; A6 (undecided) too by
    # 2016/17's; A2's light-touch report was approved but its method publishes none
    t1, t2 = then.transparency, now.transparency
    assert (t1.approved, t1.published, t1.undecided) == (1, 1, 0)
    assert (t2.approved, t2.published, t2.undecided) == (1 + 1, 1, 1)
    assert "Transparency: of 2 approved final reports to publish, 1 published, 0 withheld, 0 delayed, 1 awaiting a decision" in shown(now)  # fmt: skip
    published = stock_take(w, "2016/17")[3]["outcomes"]["final-reports-published"]
    assert (published["numerator"], published["denominator"]) == (1, 2)
    # X2 (police, single-agency) completed 15 January 2016, due 31 January, assured only 10 June 2016:
    # not done, so overdue, at 2015/16's end; done in 2016/17
    assert then.overdue_actions_by_agency == {"police": 1} and now.overdue_actions_by_agency == {}
    (f2,) = [f for f in picture(w, "2016/17").findings if f.finding_id == w.ids["f2"]]
    assert [(r.year, r.actions_done, r.actions_overdue) for r in f2.years[1:]] == [("2015/16", 0, 1), ("2016/17", 1, 0)]


# -- the three-year picture ---------------------------------------------------------------------------


def test_the_picture_gives_each_finding_the_verdict_its_evidence_calls_for_in_the_model_and_the_paper(westmere):
    # at 31 March 2016: F1 one improving check; F2 X2 overdue (stalled); F3 acted on, never checked;
    # F4 raised 20 September 2015, not acted on, under a year
    first = picture(westmere, "2015/16")
    assert first.by_verdict == {"stalled": 1, "no_evidence_yet": 1, "awaiting_action": 1, "improving": 1}
    # at 31 March 2017: F1 improving checks 375 days apart, nothing overdue (sustained); F2 assured but
    # never checked; F3 one improving check (by A4); F4 still not acted on, over a year (stalled)
    second = picture(westmere, "2016/17")
    verdicts = {f.finding_id: f.verdict.value for f in second.findings}
    assert [verdicts[westmere.ids[k]] for k in ("f1", "f2", "f3", "f4")] == ["sustained", "no_evidence_yet", "improving", "stalled"]  # fmt: skip
    assert second.years == ("2014/15", "2015/16", "2016/17")
    _, md, page, js = stock_take(westmere, "2016/17")
    assert js["picture"]["by_verdict"] == second.by_verdict
    # with last year's two areas followed up (csc's delivered, police's in progress) and the peer review
    in_every_format(md, page, "Over 2014/15 to 2016/17, of 4 findings followed: 1 sustained, 1 improving, 1 stalled, "
                    "0 deteriorating, 1 with no evidence yet; 1 of 2 areas for development from last year "
                    "delivered; a peer review found the board's own assessment partly robust.")  # fmt: skip
    assert "| Handover between teams lost the plan | - | monitor | monitor | sustained |" in md
