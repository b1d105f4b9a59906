"""A small fictional board for the demo and the tests.

Everything here is invented: "Northshire" is not a real place, and no child, family,
professional or case in it exists. Its review methods come from the first-party
``learning-cycle-methods`` plugin.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid5

from .application import LearningCycle
from .domain import PublicationDecision, VoiceOfChild

DEMO_BOARD_KEY = "northshire-demo"
DEMO_NOTICE = "Fictional demonstration data: Northshire and everything in it are invented."
_NS = UUID("0d6f1a52-7c54-4f0e-9a4e-1f7c0f3b2d10")


def _id(name: str) -> UUID:
    return uuid5(_NS, name)


def load_demo(lc: LearningCycle) -> tuple[UUID, bool]:
    """Record the fictional Northshire board in ``lc``. Returns its id and whether it was
    loaded now (``False`` when it was already in the store)."""
    if any(b.key == DEMO_BOARD_KEY for b in lc.boards()):
        return lc.board_id(DEMO_BOARD_KEY), False
    b = lc.create_board(
        DEMO_BOARD_KEY,
        "Northshire Safeguarding Children Board (fictional)",
        agencies=[
            ("csc", "Children's Social Care"),
            ("police", "Northshire Police"),
            ("health", "Clinical Commissioning Group"),
            ("education", "Education Services"),
            ("yss", "Youth Support Service"),
            ("vcs", "Voluntary and Community Sector"),
        ],
        districts=["north-vale", "east-wold", "south-march", "west-fell", "riverside", "city"],
        subgroups=["Case Review Sub-group", "Quality Assurance Sub-group", "Workforce Development Sub-group"],
        on=date(2013, 4, 1),
    )
    lc.set_priorities(
        b, "2013/14", [("cse", "Child sexual exploitation"), ("neglect", "Neglect")], on=date(2013, 4, 20)
    )

    # learn: a serious case review by a systems method
    scr = lc.commission_activity(
        b,
        kind="serious_case_review",
        method="scie-learning-together",
        title="SCR: Child J (fictional)",
        why="A child was seriously harmed; agencies' joint working needs checking.",
        decided_by="Independent Chair, on the Case Review Sub-group's recommendation",
        proportionality="Several agencies and a complex history: a systems review brings practitioners in early.",
        agencies=["csc", "police", "health", "education"],
        themes=["neglect"],
        on=date(2013, 6, 3),
        id=_id("scr"),
    )
    lc.start_activity(b, scr, on=date(2013, 7, 1))
    lc.record_activity_voice(b, scr, VoiceOfChild(True, "Family members met the lead reviewers"), on=date(2013, 9, 1))
    f1 = lc.raise_finding(
        b,
        scr,
        statement="Referrals from schools were not followed up when the family moved between districts.",
        level="operational",
        themes=["neglect"],
        agencies=["csc", "education"],
        patterns=["multi-agency-longer-term-work"],
        challenge="How will the board know that cross-district transfers are followed up?",
        on=date(2013, 11, 4),
        id=_id("f1"),
    )
    f2 = lc.raise_finding(
        b,
        scr,
        statement="Health visitors lacked time for reflective safeguarding supervision.",
        level="organisational",
        themes=["neglect"],
        agencies=["health"],
        patterns=["management-systems"],
        on=date(2013, 11, 4),
        id=_id("f2"),
    )
    lc.complete_activity(b, scr, on=date(2014, 1, 31))
    lc.approve_report(b, scr, on=date(2014, 3, 10))
    lc.decide_publication(b, scr, PublicationDecision("published", reference="NSCB-SCR-2014-01"), on=date(2014, 4, 2))
    lc.close_activity(b, scr, on=date(2014, 4, 30))

    # act: responses and actions
    lc.respond_to_finding(b, f1, "The board asked for a transfer protocol and a quarterly audit.", on=date(2014, 2, 12))
    a1 = lc.raise_action(
        b,
        f1,
        owner="csc",
        description="Agree a cross-district transfer protocol",
        due_on=date(2014, 9, 30),
        on=date(2014, 2, 12),
        id=_id("a1"),
    )
    lc.complete_action(b, a1, "Protocol signed off by all six districts", on=date(2014, 9, 1))
    a2 = lc.raise_action(
        b,
        f2,
        owner="health",
        description="Protect time for supervision of health visitors",
        due_on=date(2014, 12, 31),
        single_agency=True,
        on=date(2014, 2, 12),
        id=_id("a2"),
    )
    lc.report_progress(b, a2, "Rota changed in two of three localities", on=date(2014, 10, 1))

    # train: a roadshow carried the first finding
    lc.record_dissemination(
        b,
        channel="roadshow",
        title="Safeguarding roadshow 2014",
        audience="Front-line practitioners",
        districts=["north-vale", "east-wold", "south-march", "west-fell", "riverside", "city"],
        reach=412,
        finding_ids=[f1],
        on=date(2014, 10, 15),
        id=_id("d1"),
    )

    # monitor: an indicator and a re-audit
    lc.define_indicator(
        b,
        key="transfer-follow-up",
        title="% of cross-district transfers followed up within 10 days",
        kind="how_well",
        unit="%",
        polarity="higher_is_better",
        cadence="quarterly",
        target=90,
        finding_ids=[f1],
        on=date(2014, 4, 1),
    )
    for start, value in [
        (date(2014, 4, 1), 61),
        (date(2014, 7, 1), 68),
        (date(2014, 10, 1), 79),
        (date(2015, 1, 1), 86),
    ]:
        lc.record_measurement(b, "transfer-follow-up", start, value, source="CSC case system", on=_quarter_end(start))
    lc.correct_measurement(
        b, "transfer-follow-up", date(2014, 7, 1), 66, "Late cases added after audit", on=date(2015, 2, 2)
    )
    lc.record_check(
        b,
        f1,
        kind="re_audit",
        result="improved",
        evidence="Re-audit of 30 transfers: 26 followed up in time",
        indicator_key="transfer-follow-up",
        on=date(2015, 3, 20),
    )

    # learn only: a deep dive whose finding awaits the board
    dd = lc.commission_activity(
        b,
        kind="deep_dive",
        method="deep-dive",
        title="Deep dive: children missing from home or care",
        why="A board priority for 2014/15",
        decided_by="Quality Assurance Sub-group",
        proportionality="A priority area: in-depth learning from several sources.",
        agencies=["csc", "police", "vcs"],
        themes=["missing"],
        on=date(2014, 11, 3),
        id=_id("dd"),
    )
    lc.start_activity(b, dd, on=date(2015, 1, 5))
    f3 = lc.raise_finding(
        b,
        dd,
        statement="Return interviews are offered late and rarely by someone the child knows.",
        level="strategic",
        themes=["missing"],
        agencies=["csc", "vcs"],
        voice_of_child=VoiceOfChild(True, "Twelve young people were interviewed by a youth worker"),
        on=date(2015, 3, 2),
        id=_id("f3"),
    )

    lc.raise_finding(
        b,
        dd,
        statement="Risk assessments of missing episodes are not shared with schools.",
        level="operational",
        themes=["missing"],
        agencies=["police", "education"],
        on=date(2015, 3, 2),
        id=_id("f5"),
    )

    # a good-practice finding, straight to training
    cr = lc.commission_activity(
        b,
        kind="case_review",
        method="scie-learning-together",
        title="Case review: learning from good practice",
        why="Practitioners kept a young person safe through a crisis",
        decided_by="Case Review Sub-group",
        proportionality="Below the SCR threshold: a short systems review with the practitioners involved.",
        agencies=["yss", "education"],
        on=date(2015, 1, 12),
        id=_id("cr"),
    )
    lc.start_activity(b, cr, on=date(2015, 2, 2))
    f4 = lc.raise_finding(
        b,
        cr,
        statement="A named lead professional held the plan together across services.",
        level="individual",
        nature="good_practice",
        agencies=["yss"],
        on=date(2015, 3, 16),
        id=_id("f4"),
    )
    lc.record_dissemination(
        b,
        channel="learning_circle",
        title="Reflective learning circle: second CP plans",
        audience="Social workers and health visitors",
        reach=18,
        finding_ids=[f4],
        on=date(2015, 4, 21),
        id=_id("d2"),
    )
    # monitor again: the transfer re-audit a year on holds the improvement; return interviews got worse
    lc.record_check(
        b,
        f1,
        kind="re_audit",
        result="improved",
        evidence="Second re-audit of 30 transfers: 28 followed up in time",
        on=date(2016, 3, 30),
    )
    lc.respond_to_finding(b, f3, "Commission return interviews from the voluntary sector", on=date(2015, 6, 1))
    lc.record_check(
        b,
        f3,
        kind="themed_audit",
        result="worse",
        evidence="Audit of 20 episodes: fewer interviews within 72 hours than before",
        on=date(2016, 2, 15),
    )
    lc.hold_stock_take(
        b,
        "2014/15",
        decisions=["Keep neglect as a priority", "Re-audit transfers in 2015/16"],
        next_priorities=[("neglect", "Neglect"), ("missing", "Children missing from home or care")],
        on=date(2015, 5, 14),
    )
    return b, True


def _quarter_end(start: date) -> date:
    month = start.month + 3
    year = start.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 10)
