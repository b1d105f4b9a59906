"""The demo's decision paths, sub-groups, links and quality-assurance programmes (fictional, as the
whole demo board is): Northshire's sub-groups own its activities and findings, each case review
records who recommended and who decided (framework Appendix One), each year's programme is planned
from the year's priorities and case reviews' actions, a light-touch review prompts a deep dive, and
a re-audit names the check it made. Recorded after the story, each fact effective on its own date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from ..application import LearningCycle

CASE = "Case Review Sub-group"
QA = "Quality Assurance Sub-group"
WD = "Workforce Development Sub-group"

#: activity (the story's name) -> the sub-group that owns it and its findings
OWNERS = {
    "scr-k": CASE, "scr-l": CASE, "cr-good": CASE, "s11-2013": QA, "dd-missing": QA, "s175-2014": QA,
    "s11-2014": QA, "dd-cse": QA, "dd-cin": QA, "lt-supervision": WD, "dd-da": QA,
}  # fmt: skip
FINDINGS = {
    "scr-k": ("k1", "k2"), "scr-l": ("l1", "l2"), "cr-good": ("g1",), "s11-2013": ("s11-2013-a",),
    "dd-missing": ("m1",), "s175-2014": ("s175-2014-a",), "dd-cse": ("c1",), "dd-cin": ("n1",),
    "lt-supervision": ("v1",), "dd-da": ("da1",),
}  # fmt: skip
#: activity -> its decision path's steps (step, role), taken on the day it was commissioned
PATHS = {
    "scr-k": (("recommends", f"subgroup:{CASE}"), ("decides", "independent-chair")),
    "scr-l": (("recommends", f"subgroup:{CASE}"), ("decides", "independent-chair")),
    "cr-good": (("decides", f"subgroup:{CASE}"),),
    "cdr-2015": (("decides", "panel:cdop"), ("reported_to", "board")),
    "dd-missing": (("decides", f"subgroup:{QA}"),),
    "dd-cse": (("decides", f"subgroup:{QA}"),),
    "dd-cin": (("decides", f"subgroup:{QA}"),),
    "dd-da": (("decides", f"subgroup:{QA}"),),
    "lt-supervision": (("decides", f"subgroup:{WD}"),),
}
#: reporting year -> (planned on, the items: key, title, priorities, case reviews' actions, delivered by)
PROGRAMMES = {
    "2013/14": (date(2013, 4, 18), (
        ("s11", "Section 11 self-assessment of every statutory partner", (), (), "s11-2013"),
        ("missing-lt", "Light-touch review: children missing from home or care", ("missing",), (), None),
    )),
    "2014/15": (date(2014, 4, 24), (
        ("missing", "Deep dive: children missing from home or care", ("missing",), (), "dd-missing"),
        ("s11", "Section 11 and 175 self-assessments", (), ("k1-x1",), "s11-2014"),
    )),
    "2015/16": (date(2015, 4, 20), (
        ("cse", "Deep dive: child sexual exploitation", ("cse",), (), "dd-cse"),
        ("transfers", "Re-audit of transfers between districts", ("neglect",), ("k2-x1",), None),
    )),
    "2016/17": (date(2016, 4, 18), (
        ("cin", "Deep dive: children in need", ("neglect",), ("l1-x1",), "dd-cin"),
        ("supervision", "Light-touch review of safeguarding supervision", (), ("k1-x1",), "lt-supervision"),
        ("neglect-themed", "Themed review of neglect", ("neglect",), ("l2-x1",), None),
    )),
    "2017/18": (date(2017, 4, 24), (
        ("domestic-abuse", "Deep dive: domestic abuse", ("domestic-abuse",), (), "dd-da"),
        ("supervision-deep-dive", "Deep dive: safeguarding supervision", (), ("v1-x1",), None),
    )),
}  # fmt: skip


def paths(lc: LearningCycle, b: UUID, ids: Callable[[str], UUID]) -> None:
    """Record the demo's paths, owners, links and programmes on board ``b`` (``ids(name)``: the id
    the story gave its record of that name)."""
    for name, subgroup in OWNERS.items():
        a = lc.activity(b, ids(name))
        lc.assign_activity_subgroup(b, a.activity_id, subgroup, on=a.started_on)
        for f in FINDINGS.get(name, ()):
            finding = lc.finding(b, ids(f))
            if finding.subgroup != subgroup:
                lc.assign_finding_subgroup(b, finding.finding_id, subgroup, on=finding.raised_on)
    for name, steps in PATHS.items():
        a = lc.activity(b, ids(name))
        for step, role in steps:
            taken = a.completed_on if step == "reported_to" and a.completed_on else a.started_on
            lc.record_decision_step(b, a.activity_id, step=step, role=role, on=taken)
    for year, (planned, items) in PROGRAMMES.items():
        for key, title, priorities, actions, _ in items:
            lc.plan_programme_item(b, year=year, item=key, title=title, priorities=priorities,
                                   action_ids=[ids(x) for x in actions], on=planned)  # fmt: skip
        for key, *_, delivered_by in items:
            if delivered_by is not None:
                a = lc.activity(b, ids(delivered_by))
                lc.name_programme_item(b, a.activity_id, key, on=max(a.started_on, planned))
    # a light-touch review prompts a deep dive, planned in the year's programme
    deep = lc.commission_activity(
        b, kind="deep_dive", method="deep-dive", title="Deep dive: safeguarding supervision",
        why="The light-touch survey found supervision in youth services ad hoc and unrecorded",
        decided_by="Quality Assurance Sub-group", proportionality="A finding across agencies: learn in depth",
        agencies=["csc", "health", "yss"], subgroup=QA, prompted_by_activity=ids("lt-supervision"),
        programme_item="supervision-deep-dive", on=date(2017, 5, 8), id=ids("dd-supervision"),
    )  # fmt: skip
    lc.record_decision_step(b, deep, step="decides", role=f"subgroup:{QA}", on=date(2017, 5, 8))
    lc.start_activity(b, deep, on=date(2017, 6, 5))
    # a re-audit, prompted by the finding it re-checks, names the check it made
    reaudit = lc.commission_activity(
        b, kind="light_touch_review", method="light-touch-review", title="Re-audit: transfers between districts",
        why="Are transfers still followed up, a year on?", decided_by="Quality Assurance Sub-group",
        proportionality="A re-audit of 30 case records in two agencies", agencies=["csc", "education"],
        subgroup=QA, prompted_by_finding=ids("k2"), on=date(2017, 9, 4), id=ids("ra-transfers"),
    )  # fmt: skip
    lc.record_decision_step(b, reaudit, step="decides", role=f"subgroup:{QA}", on=date(2017, 9, 4))
    lc.start_activity(b, reaudit, on=date(2017, 9, 18))
    lc.record_check(b, ids("k2"), kind="re_audit", result="improved", made_by=reaudit, on=date(2017, 12, 4),
                    evidence="Fourth re-audit of transfers: 30 of 30 followed up within 10 days")  # fmt: skip
