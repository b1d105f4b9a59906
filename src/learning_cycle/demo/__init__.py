"""The demo: a fictional board over five reporting years (2013/14 to 2017/18), and more at scale.

Everything here is invented. "Northshire" is not a real place, and no child, family, professional or
case in it exists. Names like "Child K" are labels of fictional reviews. The review methods come
from the first-party ``learning-cycle-methods`` plugin.

The story exercises what the framework describes:

- deep dives on children missing from home or care, child sexual exploitation, children in need
  and domestic abuse;
- a light-touch survey of safeguarding supervision;
- serious case reviews by the traditional method and by a systems method;
- case reviews below the threshold, one of them learning from good practice;
- child death review themes;
- Section 11 and Section 175 audits, each checked by the next year's audit;
- self-assessment returns as data (Section 11, 175, 157), employer-duty assurance and a peer review;
- quarterly indicators of all three kinds (improving, deteriorating, flat), one with a correction
  recorded months after the stock-take that used it;
- roadshows in six districts, and a reflective learning circle on second child protection plans;
- findings at every level and with every verdict;
- one report withheld and one delayed;
- the board's framework: adopted in June 2011, revised in November 2013 and reviewed in November
  2016, with an annual review after each stock-take (``demo/framework.py``).

It is deterministic: ids follow from names, and the indicator series from a seeded generator.
``load_demo(lc, boards=N, years=Y)`` adds N - 1 generated boards of Y years each (for the
benchmarks); every board is loaded at most once, so loading is idempotent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

from ..application import LearningCycle
from ..domain import PublicationDecision, VoiceOfChild
from ..domain.errors import NotFound
from .framework import framework
from .generated import generated_board
from .involvement import record_involvement
from .paths import paths
from .returns import northshire_returns
from .story import AGENCIES, DISTRICTS, Story, quarter_starts, reported_on, seeded_series

DEMO_BOARD_KEY = "northshire-demo"
DEMO_NOTICE = "Fictional demonstration data: Northshire and everything in it are invented."
DEMO_AS_OF = date(2018, 3, 31)
"""The end of the demo's last reporting year: the date the demo's status is shown as of."""
SEED = 2013


def load_demo(
    lc: LearningCycle,
    *,
    boards: int = 1,
    years: int = 5,
    seed: int = SEED,
    density: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[UUID, bool]:
    """Record the fictional Northshire board (and ``boards - 1`` generated ones) in ``lc``.
    Returns Northshire's id and whether anything was loaded now."""
    loaded = False
    if not _has_board(lc, DEMO_BOARD_KEY):
        _northshire(lc, seed)
        loaded = True
    if progress is not None:
        progress(1, boards)
    for n in range(1, boards):
        key = f"demo-board-{n + 1:03d}"
        if not _has_board(lc, key):
            generated_board(
                lc, key, f"Demo Board {n + 1:03d} (fictional)", years, random.Random(seed * 1000 + n), density
            )
            loaded = True
        if progress is not None:
            progress(n + 1, boards)
    return lc.board_id(DEMO_BOARD_KEY), loaded


def _has_board(lc: LearningCycle, key: str) -> bool:
    try:
        lc.board_id(key)
    except NotFound:
        return False
    return True


def _northshire(lc: LearningCycle, seed: int) -> None:
    rng = random.Random(seed)
    s = Story(lc, DEMO_BOARD_KEY)
    b = s.board = lc.create_board(
        DEMO_BOARD_KEY, "Northshire Safeguarding Children Board (fictional)", agencies=AGENCIES,
        districts=DISTRICTS,
        subgroups=["Case Review Sub-group", "Quality Assurance Sub-group", "Workforce Development Sub-group"],
        on=date(2013, 4, 1),
    )  # fmt: skip
    lc.set_priorities(b, "2013/14", [("neglect", "Neglect"), ("missing", "Children missing from home or care")],
                      on=date(2013, 4, 18))  # fmt: skip

    # -- indicators of the three kinds, reported quarterly ----------------------------------
    quarters = quarter_starts(date(2013, 4, 1), 20)  # 2013/14 Q1 to 2017/18 Q4
    series = {
        "cp-plans": ("Number of children subject of a child protection plan", "how_much", "children", "neutral",
                     None, ["neglect"], seeded_series(rng, 20, 312, 0, 14, 0, 1000)),
        "missing-appointments": ("Number of children missing health appointments", "how_much", "children",
                                 "lower_is_better", None, [], seeded_series(rng, 20, 148, 0, 9, 0, 1000)),
        "cp-visits-on-time": ("% of children on a child protection plan visited at the required minimum times",
                              "how_well", "%", "higher_is_better", 95.0, ["statutory-services"],
                              seeded_series(rng, 12, 71, 0.3, 1.5) + seeded_series(rng, 8, 76, 1.6, 0.4)),
        "return-interviews-72h": ("% of children missing who had a return interview within 72 hours", "how_well",
                                  "%", "higher_is_better", 80.0, ["missing"],
                                  seeded_series(rng, 13, 64, 0, 2.5) + seeded_series(rng, 7, 55, 0, 1.5)),
        "cp-safety-outcomes-at-closure": ("% of child protection cases in which the most important safety "
                                          "outcomes are achieved at closure", "better_off", "%", "higher_is_better",
                                          None, ["statutory-services"], seeded_series(rng, 20, 68, 0, 3)),
        "health-outcomes-resuming-appointments": ("% of children resuming appointments whose health outcomes are "
                                                  "achieved", "better_off", "%", "higher_is_better", 85.0,
                                                  ["early-help"], seeded_series(rng, 20, 58, 1.2, 1.5)),
        "parents-positive-difference": ("% of parents reporting that contact made a positive difference",
                                        "better_off", "%", "higher_is_better", None, ["parents-positive-difference"],
                                        seeded_series(rng, 20, 71, 0.1, 3)),
    }  # fmt: skip
    for key, (title, kind, unit, polarity, target, priorities, _) in series.items():
        lc.define_indicator(b, key=key, title=title, kind=kind, unit=unit, polarity=polarity, target=target,
                            cadence="quarterly", priorities=priorities, on=date(2013, 4, 1))  # fmt: skip

    def figures(until: date) -> None:
        """Record every figure reported by ``until`` not yet recorded."""
        for key, (*_, values) in series.items():
            held = {m.period_start for m in lc.indicator(b, key).measurements}
            for period, value in zip(quarters, values, strict=True):
                if period not in held and reported_on(period) <= until:
                    lc.record_measurement(
                        b, key, period, value, source="Northshire performance team", on=reported_on(period)
                    )

    # -- 2013/14: a serious case review by the traditional method; the first Section 11 audit ---
    figures(date(2013, 9, 30))
    scr_k = s.activity(
        "scr-k", kind="serious_case_review", method="scr-traditional", title="SCR: Child K (fictional)",
        why="A child died and abuse or neglect was known or suspected.",
        decided_by="Independent Chair, on the Case Review Sub-group's recommendation",
        proportionality="Statutory criteria met; single agencies' management reviews then an overview report.",
        agencies=["csc", "police", "health", "education"], themes=["neglect"],
        planned_completion=date(2014, 3, 31), on=date(2013, 6, 3), started=date(2013, 7, 1),
    )  # fmt: skip
    k1 = s.finding("k1", scr_k, statement="Health visitors lacked protected time for reflective safeguarding supervision.",
                   level="organisational", themes=["neglect"], agencies=["health"], on=date(2013, 11, 4))  # fmt: skip
    k2 = s.finding("k2", scr_k, statement="Referrals from schools were not followed up when a family moved between districts.",
                   level="operational", themes=["neglect"], agencies=["csc", "education"],
                   challenge="How will the board know transfers are followed up?", on=date(2013, 11, 4))  # fmt: skip
    s11 = s.activity(
        "s11-2013", kind="safeguarding_self_assessment", method="section-11-audit", title="Section 11 audit 2013",
        why="The annual self-assessment of the statutory partners", decided_by="Quality Assurance Sub-group",
        proportionality="Every statutory partner, every year", agencies=["csc", "police", "health", "yss"],
        on=date(2013, 9, 2), started=date(2013, 9, 16),
    )  # fmt: skip
    a1 = s.finding("s11-2013-a", s11, statement="Safer recruitment checks were not recorded consistently across partners.",
                   level="organisational", patterns=["s11-safer-recruitment"], agencies=["police", "yss"], on=date(2014, 1, 20))  # fmt: skip
    s.close_review(s11, completed=date(2014, 2, 14))
    figures(date(2014, 3, 31))
    lc.hold_stock_take(b, "2013/14", decisions=["Keep neglect as a priority"],
                       next_priorities=[("neglect", "Neglect"), ("missing", "Children missing from home or care")],
                       on=date(2014, 5, 15))  # fmt: skip

    # -- 2014/15: act on Child K; deep dive on children missing; the Section 175 audit ---------
    lc.respond_to_finding(b, k1, "Health to protect supervision time; assure the board in a year", on=date(2014, 4, 10))
    s.action("k1-x1", k1, on=date(2014, 4, 10), due=date(2014, 12, 31), owner="health",
             description="Protect time for supervision of health visitors", single_agency=True)  # fmt: skip
    lc.respond_to_finding(b, k2, "A cross-district transfer protocol", on=date(2014, 4, 10))
    s.action("k2-x1", k2, on=date(2014, 4, 10), due=date(2014, 9, 30), owner="csc",
             description="Agree a transfer protocol with schools", done=date(2014, 9, 12), assured=date(2014, 11, 3))  # fmt: skip
    s.spread("k2-alert", date(2014, 10, 15), "alert", "Seven-minute briefing: transfers between districts",
             "Designated safeguarding leads in schools", 412, [k2])  # fmt: skip
    s.close_review(scr_k, completed=date(2014, 6, 30), approved=date(2014, 7, 21),
                   decision=PublicationDecision("withheld", reason="Publishing would identify the surviving siblings"),
                   decided=date(2014, 7, 21))  # fmt: skip
    lc.record_finding_voice(
        b, k2, VoiceOfChild(True, "The family's older child spoke to the lead reviewer"), on=date(2014, 5, 1)
    )
    lc.respond_to_finding(b, a1, "Each partner to evidence checks in next year's audit", on=date(2014, 4, 24))
    s.action("s11-2013-a-x1", a1, on=date(2014, 4, 24), due=date(2014, 10, 31), owner="police",
             description="Record safer recruitment checks in one register", done=date(2014, 10, 20))  # fmt: skip
    dd_missing = s.activity(
        "dd-missing", kind="deep_dive", method="deep-dive", title="Deep dive: children missing from home or care",
        why="A board priority for 2014/15", decided_by="Quality Assurance Sub-group",
        proportionality="A priority area: in-depth learning from several sources.", agencies=["csc", "police", "vcs"],
        themes=["missing"], voice_of_child=VoiceOfChild(True, "Twelve young people were interviewed by a youth worker"),
        planned_completion=date(2015, 3, 31), on=date(2014, 11, 3), started=date(2015, 1, 5),
    )  # fmt: skip
    m1 = s.finding("m1", dd_missing, statement="Return interviews are offered late and rarely by someone the child knows.",
                   level="strategic", themes=["missing"], agencies=["csc", "vcs"],
                   voice_of_child=VoiceOfChild(True, "Young people said they wanted someone they already trusted"),
                   on=date(2015, 3, 2))  # fmt: skip
    s.close_review(dd_missing, completed=date(2015, 3, 20))
    s175 = s.activity(
        "s175-2014", kind="safeguarding_self_assessment", method="section-175-audit", title="Section 175 audit 2014",
        why="Schools' annual safeguarding self-assessment", decided_by="Education Safeguarding Group",
        proportionality="Every maintained school and academy", agencies=["education"],
        on=date(2014, 9, 1), started=date(2014, 9, 15),
    )  # fmt: skip
    e1 = s.finding("s175-2014-a", s175, statement="Staff in a third of schools had not had safeguarding training in three years.",
                   level="individual", agencies=["education"], on=date(2014, 12, 1))  # fmt: skip
    s.close_review(s175, completed=date(2014, 12, 12))
    lc.respond_to_finding(b, e1, "Refresher training for every school by the summer", on=date(2015, 1, 12))
    s.action("s175-x1", e1, on=date(2015, 1, 12), due=date(2015, 7, 31), owner="education",
             description="Refresher training in every school", done=date(2015, 7, 10))  # fmt: skip
    s.spread("s175-course", date(2015, 5, 14), "training_course", "Safeguarding refresher for school staff",
             "School staff", 640, [e1])  # fmt: skip
    s11b = s.activity(
        "s11-2014", kind="safeguarding_self_assessment", method="section-11-audit", title="Section 11 audit 2014",
        why="The annual self-assessment, checking last year's areas for development",
        decided_by="Quality Assurance Sub-group", proportionality="Every statutory partner, every year",
        agencies=["csc", "police", "health", "yss"], on=date(2014, 9, 1), started=date(2014, 9, 15),
    )  # fmt: skip
    s.check(a1, date(2015, 1, 19), "improved", "Section 11 audit 2014: every partner evidenced its checks",
            kind="section_11_audit")  # fmt: skip
    s.close_review(s11b, completed=date(2015, 2, 13))
    s.check(k2, date(2015, 3, 20), "improved", "Re-audit of 30 transfers: 26 followed up within 10 days")
    figures(date(2015, 3, 31))
    lc.hold_stock_take(b, "2014/15", decisions=["Re-audit transfers in 2015/16", "Commission a CSE deep dive"],
                       next_priorities=[("neglect", "Neglect"), ("cse", "Child sexual exploitation")],
                       on=date(2015, 5, 14))  # fmt: skip

    # -- 2015/16: a systems SCR; the CSE deep dive; good practice; child death themes -------------
    scr_l = s.activity(
        "scr-l", kind="serious_case_review", method="scie-learning-together", title="SCR: Child L (fictional)",
        why="A young person was seriously harmed; agencies' joint working needs understanding.",
        decided_by="Independent Chair", proportionality="Complex multi-agency history: a systems review.",
        agencies=["csc", "police", "health", "yss"], themes=["cse"], planned_completion=date(2016, 1, 31),
        on=date(2015, 5, 4), started=date(2015, 6, 1),
    )  # fmt: skip
    lc.pause_activity_clock(
        b, scr_l, "Parallel criminal proceedings: interviews waited for the police", on=date(2015, 9, 1)
    )
    lc.resume_activity_clock(b, scr_l, on=date(2015, 10, 26))
    l1 = s.finding("l1", scr_l, statement="Professionals deferred to the most senior agency in strategy meetings.",
                   level="strategic", patterns=["human-reasoning-biases"], themes=["cse"], agencies=["csc", "police"],
                   on=date(2015, 11, 2))  # fmt: skip
    l2 = s.finding("l2", scr_l, statement="Escalation routes were unknown to health practitioners.",
                   level="operational", patterns=["management-systems"], themes=["cse"], agencies=["health"],
                   on=date(2015, 11, 2))  # fmt: skip
    s.close_review(scr_l, completed=date(2016, 2, 26), approved=date(2016, 3, 14),
                   decision=PublicationDecision("delayed", reason="Parallel criminal proceedings",
                                                review_on=date(2018, 6, 30)), decided=date(2016, 3, 14))  # fmt: skip
    dd_cse = s.activity(
        "dd-cse", kind="deep_dive", method="deep-dive", title="Deep dive: child sexual exploitation",
        why="A board priority for 2015/16", decided_by="Quality Assurance Sub-group",
        proportionality="A priority area: in-depth learning from several sources.", agencies=["csc", "police", "yss", "vcs"],
        themes=["cse"], voice_of_child=VoiceOfChild(True, "Young people's reference group"),
        on=date(2015, 6, 1), started=date(2015, 7, 1),
    )  # fmt: skip
    c1 = s.finding("c1", dd_cse, statement="Risk assessments of exploitation were not shared with schools.",
                   level="operational", themes=["cse"], agencies=["police", "education"], on=date(2015, 10, 12))  # fmt: skip
    s.close_review(dd_cse, completed=date(2015, 11, 30))
    good = s.activity(
        "cr-good", kind="case_review", method="case-review-systems", title="Case review: learning from good practice",
        why="Practitioners kept a young person safe through a crisis", decided_by="Case Review Sub-group",
        proportionality="Below the serious case threshold: a short review with the practitioners involved.",
        agencies=["yss", "education"], on=date(2015, 9, 7), started=date(2015, 10, 5),
    )  # fmt: skip
    g1 = s.finding("g1", good, statement="A named lead professional held the plan together across services.",
                   level="individual", nature="good_practice", agencies=["yss"], on=date(2015, 12, 7))  # fmt: skip
    s.close_review(good, completed=date(2016, 1, 15), approved=date(2016, 2, 1),
                   decision=PublicationDecision("published", reference="NSCB-CR-2016-01"), decided=date(2016, 2, 8))  # fmt: skip
    s.spread("g1-circle", date(2016, 2, 18), "learning_circle", "Reflective learning circle: a lead professional who held it together",
             "Youth workers and teachers", 22, [g1])  # fmt: skip
    cdr = s.activity(
        "cdr-2015", kind="child_death_review", method="child-death-review", title="Child death overview panel: themes 2015",
        why="Themes across the deaths reviewed by the panel", decided_by="Child Death Overview Panel",
        proportionality="Every child death is reviewed; themes go to the board", agencies=["health"],
        themes=["safe-sleeping"], on=date(2015, 4, 1), started=date(2015, 4, 1),
    )  # fmt: skip
    d1 = s.finding("d1", cdr, statement="Advice on safe sleeping did not reach parents at the point of discharge.",
                   level="strategic", themes=["safe-sleeping"], agencies=["health"], on=date(2016, 1, 25))  # fmt: skip
    s.close_review(cdr, completed=date(2016, 3, 31))
    lc.respond_to_finding(b, m1, "Commission return interviews from the voluntary sector", on=date(2015, 6, 1))
    s.action("m1-x1", m1, on=date(2015, 6, 1), due=date(2015, 12, 31), owner="vcs",
             description="Commission return interviews from the voluntary sector", done=date(2015, 12, 1))  # fmt: skip
    s.check(k2, date(2016, 3, 30), "improved", "Second re-audit of 30 transfers: 28 followed up within 10 days")
    s.check(e1, date(2015, 12, 1), "improved", "Section 175 audit 2015: training current in nine schools in ten",
            kind="section_175_audit")  # fmt: skip
    figures(date(2016, 3, 31))
    lc.hold_stock_take(b, "2015/16", decisions=["Publish Child L's review after the trial"],
                       next_priorities=[("neglect", "Neglect"), ("cse", "Child sexual exploitation"),
                                        ("cin", "Children in need")], on=date(2016, 5, 12))  # fmt: skip

    # -- 2016/17: roadshows in six districts; children in need; supervision survey --------------
    lc.respond_to_finding(
        b, l1, "Strategy meetings chaired independently; respectful challenge training", on=date(2016, 4, 11)
    )
    s.action("l1-x1", l1, on=date(2016, 4, 11), due=date(2016, 10, 31), owner="csc",
             description="Independent chairing of strategy meetings", done=date(2016, 9, 30))  # fmt: skip
    lc.respond_to_finding(b, l2, "Publish an escalation policy for health", on=date(2016, 4, 11))
    s.action("l2-x1", l2, on=date(2016, 4, 11), due=date(2016, 9, 30), owner="health",
             description="An escalation policy for health practitioners", done=date(2016, 9, 20))  # fmt: skip
    for n, district in enumerate(DISTRICTS):
        s.spread(f"roadshow-{district}", date(2016, 6, 6) + timedelta(days=7 * n), "roadshow",
                 f"Learning from Child L: roadshow in {district}", "Multi-agency practitioners",
                 60 + 11 * n, [l1, l2], districts=[district])  # fmt: skip
    lc.record_feedback(b, s.id(f"roadshow-{DISTRICTS[0]}"), "Practitioners said they now challenge in strategy meetings",
                       respondents=41, on=date(2016, 9, 12))  # fmt: skip
    lc.respond_to_finding(b, c1, "Share exploitation risk assessments with schools", on=date(2016, 4, 18))
    s.action("c1-x1", c1, on=date(2016, 4, 18), due=date(2016, 12, 31), owner="police",
             description="Information-sharing agreement with schools on exploitation", done=date(2016, 12, 2))  # fmt: skip
    s.spread("c1-briefing", date(2017, 1, 19), "briefing", "Sharing exploitation risk with schools",
             "Designated safeguarding leads", 180, [c1])  # fmt: skip
    lc.respond_to_finding(b, d1, "Safe sleeping advice at discharge from maternity", on=date(2016, 4, 25))
    s.action(
        "d1-x1",
        d1,
        on=date(2016, 4, 25),
        due=date(2016, 12, 31),
        owner="health",
        description="Safe sleeping advice in every discharge pack",
    )  # never completed: stalled
    dd_cin = s.activity(
        "dd-cin", kind="deep_dive", method="deep-dive", title="Deep dive: children in need",
        why="A board priority for 2016/17", decided_by="Quality Assurance Sub-group",
        proportionality="A priority area: in-depth learning from several sources.", agencies=["csc", "education", "health"],
        themes=["cin"], on=date(2016, 6, 6), started=date(2016, 7, 4),
    )  # fmt: skip
    n1 = s.finding("n1", dd_cin, statement="Children in need plans rarely recorded what the child wanted to change.",
                   level="operational", themes=["cin"], agencies=["csc"],
                   voice_of_child=VoiceOfChild(True, "Case files were read for the child's own words"),
                   on=date(2016, 11, 7))  # fmt: skip
    s.close_review(dd_cin, completed=date(2016, 12, 16))
    lc.respond_to_finding(
        b, n1, "A children in need plan template that starts with the child's words", on=date(2017, 1, 9)
    )
    s.action("n1-x1", n1, on=date(2017, 1, 9), due=date(2017, 6, 30), owner="csc",
             description="New children in need plan template", done=date(2017, 6, 1))  # fmt: skip
    survey = s.activity(
        "lt-supervision", kind="light_touch_review", method="light-touch-review",
        title="Light-touch survey: safeguarding supervision", why="Is supervision happening across agencies?",
        decided_by="Workforce Development Sub-group", proportionality="A quick survey of two or more agencies",
        agencies=["csc", "health", "yss"], on=date(2016, 9, 5), started=date(2016, 9, 19),
    )  # fmt: skip
    v1 = s.finding("v1", survey, statement="Supervision in youth services was ad hoc and unrecorded.",
                   level="organisational", agencies=["yss"], on=date(2016, 11, 28))  # fmt: skip
    s.close_review(survey, completed=date(2016, 12, 9))
    lc.respond_to_finding(b, v1, "Youth services to adopt the supervision policy", on=date(2017, 1, 16))
    s.action("v1-x1", v1, on=date(2017, 1, 16), due=date(2017, 4, 30), owner="yss",
             description="Adopt and record safeguarding supervision", done=date(2017, 4, 10))  # fmt: skip
    s.check(m1, date(2016, 12, 12), "no_change", "Audit of 20 episodes: return interviews still late")
    s.spread("cp2-circle", date(2017, 2, 9), "learning_circle",
             "Reflective learning circle: children subject to a second or later child protection plan",
             "Social workers and health visitors", 18, [k2])  # fmt: skip
    record_involvement(lc, b, s.id)
    figures(date(2017, 3, 31))
    lc.hold_stock_take(b, "2016/17", decisions=["Return interviews: escalate to the board", "Keep CSE a priority"],
                       next_priorities=[("neglect", "Neglect"), ("cse", "Child sexual exploitation"),
                                        ("domestic-abuse", "Domestic abuse")], on=date(2017, 5, 11))  # fmt: skip
    # A figure used at the stock-take is restated months later (recorded after the stock-take).
    lc.correct_measurement(b, "cp-safety-outcomes-at-closure", date(2016, 10, 1),
                           round(series["cp-safety-outcomes-at-closure"][-1][14] - 6.5, 1),
                           "Cases closed in error were reopened after a data quality audit", on=date(2017, 8, 14))  # fmt: skip

    # -- 2017/18: checks a year on; domestic abuse deep dive; a new finding awaiting action ------
    s.check(l1, date(2017, 6, 12), "improved", "Observation of 12 strategy meetings: challenge was recorded in 10")
    s.check(l2, date(2017, 7, 3), "improved", "Survey of 80 health practitioners: 71 knew the escalation route")
    s.check(
        c1, date(2017, 11, 6), "worse", "Audit of 15 cases: risk assessments reached schools in fewer cases than before"
    )
    s.check(n1, date(2017, 10, 2), "improved", "Audit of 25 plans: the child's words recorded in 19",
            indicator_key="cp-visits-on-time")  # fmt: skip
    lc.link_indicator(b, "cp-visits-on-time", [n1], on=date(2017, 10, 2))
    lc.link_indicator(b, "return-interviews-72h", [m1], on=date(2015, 6, 1))
    s.check(a1, date(2016, 1, 25), "improved", "Section 11 audit 2015: checks recorded in one register",
            kind="section_11_audit")  # fmt: skip
    s.check(k2, date(2017, 3, 27), "improved", "Third re-audit of transfers: 29 of 30 followed up within 10 days")
    dd_da = s.activity(
        "dd-da", kind="deep_dive", method="deep-dive", title="Deep dive: domestic abuse",
        why="A board priority for 2017/18", decided_by="Quality Assurance Sub-group",
        proportionality="A priority area: in-depth learning from several sources.", agencies=["csc", "police", "health", "vcs"],
        themes=["domestic-abuse"], on=date(2017, 6, 5), started=date(2017, 7, 3),
    )  # fmt: skip
    s.finding("da1", dd_da, statement="Notifications of domestic abuse incidents reached schools after the weekend.",
              level="strategic", themes=["domestic-abuse"], agencies=["police", "education"], on=date(2017, 11, 20))  # fmt: skip
    s.close_review(dd_da, completed=date(2018, 1, 26))
    paths(lc, b, s.id)
    figures(DEMO_AS_OF)
    framework(lc, b)  # the board's learning and improvement framework (demo/framework.py)
    northshire_returns(lc, b)
