"""The standard menu of learning (a learning and improvement framework's Appendix One and its
quality-assurance programme), as a learning-cycle plugin: installed and discovered through the
``learning_cycle`` entry-point group, exactly as a third party's plugin would be."""

from __future__ import annotations

from learning_cycle import DecisionPath, ReviewMethod, Timescale, hookimpl

SCR_TIMESCALE = Timescale(
    130,
    "commissioned",
    "completed",
    "Working Together to Safeguard Children (2015), chapter 4: a serious case review should be completed "
    "within six months of the decision to initiate it; six months is taken as 130 working days",
)

#: SCIE Learning Together's typology of underlying patterns (systems findings say why it happened).
SCIE_PATTERNS = (
    "multi-agency-response-to-incidents-and-crises",
    "multi-agency-longer-term-work",
    "human-reasoning-biases",
    "family-professional-interaction",
    "tools",
    "management-systems",
)

#: The eight standards of a Section 11 (Children Act 2004) safeguarding self-assessment.
SECTION_11_STANDARDS = (
    "s11-senior-management-commitment",
    "s11-statement-of-responsibilities",
    "s11-line-of-accountability",
    "s11-service-development-informed-by-children",
    "s11-training-for-all-staff",
    "s11-safer-recruitment",
    "s11-inter-agency-working",
    "s11-information-sharing",
)

#: Appendix One's WHO decides, as decision paths (roles: see learning_cycle.domain.menu.ROLE_KINDS).
SCR_PATH = DecisionPath(recommends="subgroup", decides="independent-chair")
"""The SCR sub-group makes a recommendation to the independent chair."""
SUBGROUP_DECIDES = DecisionPath(decides="subgroup")
BOARD_DECIDES = DecisionPath(decides="board")

SYSTEMS_STEPS = (
    "Agree the scope and the questions with the sub-group",
    "Bring the practitioners involved together early, as active contributors to the analysis",
    "Meet practitioners as a group to correct, challenge or amplify the emerging analysis",
    "Identify the underlying patterns that made good or poor practice more likely",
    "Put findings, and questions or challenges, to the board",
)

METHODS = (
    ReviewMethod(
        key="scr-traditional",
        title="Serious case review: traditional method",
        what="Serious case review with individual management reviews and an independent overview report",
        why="Learning when a child dies or is seriously harmed and the way organisations worked together needs checking",
        who_decides="The independent chair of the board, on the recommendation of the SCR sub-group",
        steps=(
            "Each organisation interviews its own staff and writes an individual management review",
            "An independent review author collates an overview report",
            "The author translates findings into SMART recommendations",
        ),
        kinds=("serious_case_review",),
        min_agencies=2,
        proportionality="When compliance with procedures is the main question and agencies can review their own staff",
        publishes=("serious_case_review",),
        timescales=(SCR_TIMESCALE,),
        path=SCR_PATH,
    ),
    ReviewMethod(
        key="scie-learning-together",
        title="Serious case review or case review: SCIE Learning Together (systems method)",
        what="A systems review that asks why practice happened as it did, not only what happened",
        why="Gives insight into how the safeguarding system functions more broadly, avoiding hindsight bias",
        who_decides="The independent chair on the SCR sub-group's recommendation (the sub-group for case reviews)",
        steps=SYSTEMS_STEPS,
        kinds=("serious_case_review", "case_review"),
        min_agencies=2,
        proportionality="Complex multi-agency cases where the system, not only the case, needs to be understood",
        publishes=("serious_case_review", "case_review"),
        timescales=(SCR_TIMESCALE,),
        finding_taxonomy=SCIE_PATTERNS,
        path=SCR_PATH,
    ),
    ReviewMethod(
        key="silp",
        title="Significant Incident Learning Process (SILP)",
        what="A systems review built around a learning event with the practitioners and managers involved",
        why="Engages practitioners fully and keeps the review proportionate",
        who_decides="The independent chair on the SCR sub-group's recommendation",
        steps=(
            "Agencies provide chronologies and short reports",
            "A learning event with practitioners and managers analyses the case together",
            "A recall event tests the draft findings with participants",
            "The lead reviewer writes the overview report",
        ),
        kinds=("serious_case_review", "case_review"),
        min_agencies=2,
        proportionality="When practitioner engagement matters and the case needs a proportionate systems review",
        publishes=("serious_case_review", "case_review"),
        timescales=(SCR_TIMESCALE,),
        path=SCR_PATH,
    ),
    ReviewMethod(
        key="hybrid-systems",
        title="Hybrid systems review",
        what="A review that combines elements of systems methods to fit the case",
        why="Proportionality: the method fits the scale and complexity of the issues",
        who_decides="The independent chair on the SCR sub-group's recommendation",
        steps=SYSTEMS_STEPS,
        kinds=("serious_case_review", "case_review"),
        min_agencies=2,
        proportionality="When neither a full systems review nor a traditional review fits",
        publishes=("serious_case_review", "case_review"),
        timescales=(SCR_TIMESCALE,),
        path=SCR_PATH,
    ),
    ReviewMethod(
        key="case-review-systems",
        title="Case review below the serious case threshold",
        what="A systems review of a case that does not meet the criteria for a serious case review",
        why="Lessons about how organisations work together, including learning from good practice",
        who_decides="The SCR sub-group",
        steps=SYSTEMS_STEPS,
        kinds=("case_review",),
        min_agencies=2,
        proportionality="Cases below the SCR threshold, or good practice worth embedding more widely",
        publishes=("case_review",),
        path=SUBGROUP_DECIDES,
    ),
    ReviewMethod(
        key="child-death-review",
        title="Child death review (child death overview panel)",
        what="Themed learning across all child deaths, with a focus on unexpected deaths",
        why="To understand themes, patterns and contributory factors, to inform local action and national research",
        who_decides="A statutory requirement overseen by the child death overview panel (CDOP)",
        steps=(
            "Gather information on every child death",
            "The panel reviews deaths and identifies modifiable factors",
            "Themes and patterns are reported to the board",
        ),
        kinds=("child_death_review",),
        min_agencies=1,
        proportionality="Every child death; themed analysis across deaths",
        path=DecisionPath(decides="panel:cdop", reported_to="board"),
    ),
    ReviewMethod(
        key="extended-learning-review",
        title="Extended learning review (youth offending)",
        what="A systems review of an incident involving a young person known to the youth offending team",
        why="Learning across partner agencies from serious incidents in youth justice",
        who_decides="The youth support service, reporting to the Youth Justice Board; overseen by the board",
        steps=SYSTEMS_STEPS,
        kinds=("extended_learning_review",),
        min_agencies=2,
        proportionality="Incidents with potential learning across partner agencies",
        path=DecisionPath(decides="agency", oversees="board", reported_to="external:youth-justice-board"),
    ),
    ReviewMethod(
        key="themed-review",
        title="Themed review across cases",
        what="A sample of cases examined for a common theme that makes children vulnerable",
        why="To explore common areas of good practice or areas for improvement across cases",
        who_decides="The board",
        steps=(
            "Choose the theme and sample cases",
            "Examine the files",
            "Discuss experiences with practitioners and young people",
        ),
        kinds=("themed_review",),
        min_agencies=2,
        proportionality="A theme across several cases rather than one case",
        path=BOARD_DECIDES,
    ),
    ReviewMethod(
        key="deep-dive",
        title="Quality assurance deep dive",
        what="In-depth analysis of one of one or two priority areas a year, from a range of sources",
        why="The board needs to learn in depth about a priority area",
        who_decides="The quality assurance sub-group, from the priorities set at the business planning day",
        steps=(
            "Set the questions from the priority",
            "Analyse performance data, audits and practitioners' and children's views",
            "Report findings and challenges to the board",
        ),
        kinds=("deep_dive",),
        min_agencies=2,
        proportionality="One or two priority areas a year",
        path=SUBGROUP_DECIDES,
    ),
    ReviewMethod(
        key="light-touch-review",
        title="Light-touch review",
        what="A check on what is happening in one area of safeguarding across two or more agencies",
        why="A bit of local research to learn whether deeper investigation or specific action is needed",
        who_decides="The quality assurance sub-group",
        steps=(
            "Identify the most important question about the topic",
            "Gather results in the most economical way: documents, a case audit, a survey, conversations",
            "Decide whether deeper investigation or action is needed",
        ),
        kinds=("light_touch_review",),
        min_agencies=2,
        proportionality="When the board has some confidence and wants to check, not investigate",
        path=SUBGROUP_DECIDES,
    ),
    ReviewMethod(
        key="section-11-audit",
        title="Section 11 safeguarding self-assessment (Children Act 2004)",
        what="Organisations evaluate how well they meet their statutory safeguarding duties, against eight standards",
        why="Find good practice to build on and weaker areas for development; next year's audit checks last year's areas",
        who_decides="The board, annually",
        steps=(
            "Each organisation completes the self-assessment against the eight standards",
            "Responses are analysed and tested at a strategic level",
            "Areas for development are agreed and checked in the next year's audit",
        ),
        kinds=("safeguarding_self_assessment",),
        min_agencies=1,
        proportionality="Every statutory partner, every year",
        finding_taxonomy=SECTION_11_STANDARDS,
        path=BOARD_DECIDES,
    ),
    ReviewMethod(
        key="section-175-audit",
        title="Section 175/157 safeguarding self-assessment (Education Act 2002)",
        what="Schools and colleges evaluate how well they meet their safeguarding duties",
        why="Find good practice and areas for development in education; next year's audit checks last year's areas",
        who_decides="The board, annually",
        steps=(
            "Schools and colleges complete the self-assessment",
            "Responses are analysed and tested at a strategic level",
            "Areas for development are agreed and checked in the next year's audit",
        ),
        kinds=("safeguarding_self_assessment",),
        min_agencies=1,
        proportionality="Every school and college, every year",
        path=BOARD_DECIDES,
    ),
    ReviewMethod(
        key="performance-spotlight",
        title="Quarterly performance spotlight",
        what="A focus on one area of the quarterly performance report",
        why="Quantity, quality and outcome information shows whether anyone is better off",
        who_decides="The quality assurance sub-group",
        steps=("Choose the spotlight from the quarterly report", "Analyse the indicators", "Report to the board"),
        kinds=("performance_spotlight",),
        min_agencies=1,
        proportionality="Quarterly; a worsening indicator may prompt a light-touch review",
        path=SUBGROUP_DECIDES,
    ),
    ReviewMethod(
        key="peer-review",
        title="Peer review",
        what="Peers check the robustness and accuracy of the board's own assessment of its effectiveness",
        why="An outside check on what needs to improve",
        who_decides="The board",
        steps=("Agree the scope with the peer team", "The peers review and report", "The board responds"),
        kinds=("peer_review",),
        min_agencies=1,
        proportionality="Periodically, to test the board's self-assessment",
        path=BOARD_DECIDES,
    ),
    ReviewMethod(
        key="rapid-review",
        title="Rapid review",
        what="A prompt review of a serious incident notification to decide whether a practice review is needed",
        why="Statutory: learning starts quickly and the decision on a practice review is made in time",
        who_decides="The safeguarding partners",
        steps=(
            "Gather the facts from the agencies involved",
            "Identify immediate action to keep children safe",
            "Decide whether a local child safeguarding practice review is appropriate",
            "Send the rapid review to the national panel",
        ),
        kinds=("rapid_review",),
        min_agencies=2,
        proportionality="Every serious incident notification",
        timescales=(
            Timescale(
                15,
                "commissioned",
                "completed",
                "15 working days from the serious incident notification (Working Together 2018, chapter 4); "
                "the rapid review is commissioned on the day the notification is made",
            ),
        ),
        path=BOARD_DECIDES,
    ),
    ReviewMethod(
        key="local-practice-review",
        title="Local child safeguarding practice review",
        what="A review of a serious child safeguarding case, where the rapid review found it appropriate",
        why="To identify improvements to safeguard and promote the welfare of children",
        who_decides="The safeguarding partners, after the rapid review",
        steps=SYSTEMS_STEPS,
        kinds=("local_practice_review",),
        min_agencies=2,
        proportionality="Serious cases that raise issues of importance locally",
        finding_taxonomy=SCIE_PATTERNS,
        publishes=("local_practice_review",),
        path=BOARD_DECIDES,
    ),
    ReviewMethod(
        key="section-157-audit",
        title="Section 157 safeguarding self-assessment (Education Act 2002, colleges)",
        what="Further education colleges evaluate how well they meet their safeguarding duties to learners",
        why="Find good practice and areas for development in colleges; next year's audit checks last year's areas",
        who_decides="The board, annually",
        steps=(
            "Each college completes the self-assessment against the Section 157 standards",
            "Responses are analysed and tested at a strategic level",
            "Areas for development are agreed and checked in the next year's audit",
        ),
        kinds=("safeguarding_self_assessment",),
        min_agencies=1,
        proportionality="Every further education college, every year",
    ),
)


@hookimpl
def learning_cycle_register_review_methods(register):
    for method in METHODS:
        register(method)
