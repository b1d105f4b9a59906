"""The demo's self-assessment (fictional, as all of Northshire): each year the partners' Section 11
returns (some amber, some red), two schools' Section 175 returns and the college's Section 157
return, with their areas for development followed up by the next year's audit; the board's analysis
of each year's Section 11 returns; every agency's assurance on its employer duties (the voluntary
sector's through the Safe Network); and a peer review of the board's self-assessment in 2016/17."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ..application import LearningCycle
from ..domain.returns import STANDARDS, Audit

PARTNERS = ("csc", "police", "health", "yss")
DUTY_AGENCIES = ("csc", "police", "health", "education", "yss")

# (audit, organisation, year) -> (standards rated amber, standards rated red, areas for development)
WEAK: dict[tuple[Audit, str, int], tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]] = {
    (Audit.SECTION_11, "police", 2013): (
        ("s11-safer-recruitment",),
        (),
        {"dbs-register": "Keep one register of recruitment checks"},
    ),
    (Audit.SECTION_11, "health", 2014): (
        ("s11-service-development-informed-by-children",),
        (),
        {"children-views": "Ask children and families about services"},
    ),
    (Audit.SECTION_11, "yss", 2015): (
        ("s11-training-for-all-staff",),
        ("s11-information-sharing",),
        {"sharing-protocol": "Agree a protocol for sharing information with schools"},
    ),
    (Audit.SECTION_11, "csc", 2016): (
        ("s11-line-of-accountability", "s11-inter-agency-working"),
        (),
        {"escalation": "Make the escalation route known to all staff"},
    ),
    (Audit.SECTION_11, "police", 2017): (
        ("s11-training-for-all-staff",),
        (),
        {"training-records": "Record who has had safeguarding training"},
    ),
    (Audit.SECTION_175, "hill-primary", 2015): (
        ("s175-staff-training",),
        (),
        {"governor-training": "Train governors in safeguarding"},
    ),
    (Audit.SECTION_175, "vale-academy", 2016): (
        (),
        ("s175-records-and-referrals",),
        {"referral-records": "Keep referrals on one secure system"},
    ),
    (Audit.SECTION_157, "northshire-college", 2016): (
        ("s157-learners-at-risk",),
        (),
        {"learners-16-18": "Identify learners aged 16 to 18 at risk"},
    ),
}
# area -> (follow-up in the next year: delivery, evidence)
FOLLOWED: dict[str, tuple[str, str]] = {
    "dbs-register": ("delivered", "One register kept since June 2014"),
    "children-views": ("in_progress", "Two services consulted; the rest planned"),
    "sharing-protocol": ("delivered", "Protocol signed with every secondary school"),
    "escalation": ("in_progress", "Briefed to 60% of teams"),
    "governor-training": ("not_delivered", "No governor trained yet"),
    "referral-records": ("delivered", "Secure system in use since May 2017"),
    "learners-16-18": ("in_progress", "A screening question added at enrolment"),
}
SCHOOLS = {"hill-primary": "Hill Primary School", "vale-academy": "Vale Academy"}
COLLEGE = {"northshire-college": "Northshire College"}
# (organisation, year) -> the duty partly met (everything else met)
DUTY_AMBER = {("health", 2015): "release-for-learning", ("yss", 2016): "reflective-supervision", ("vcs", 2016): "access-to-findings"}  # fmt: skip


def _return(lc: LearningCycle, b: UUID, audit: Audit, organisation: str, year: int, name: str | None = None) -> None:
    amber, red, areas = WEAK.get((audit, organisation, year), ((), (), {}))
    ratings = {s: "not_met" if s in red else "partly_met" if s in amber else "fully_met" for s in STANDARDS[audit]}
    on = date(year, 11, 1) if audit in (Audit.SECTION_11, Audit.SECTION_157) else date(year + 1, 1, 10)
    lc.submit_return(b, audit=audit, organisation=organisation, year=f"{year}/{(year + 1) % 100:02d}", name=name,
                     ratings=ratings, areas=areas, strengths=["Safeguarding leads in post and known to staff"], on=on)  # fmt: skip
    for area in areas:
        if area in FOLLOWED and year < 2017:
            delivery, evidence = FOLLOWED[area]
            lc.follow_up_area(b, audit=audit, organisation=organisation, year=f"{year}/{(year + 1) % 100:02d}",
                              area=area, delivery=delivery, evidence=evidence, on=date(year + 1, 11, 15))  # fmt: skip


def northshire_returns(lc: LearningCycle, b: UUID) -> None:
    """Northshire's returns, 2013/14 to 2017/18 (all invented)."""
    for year in range(2013, 2018):
        label = f"{year}/{(year + 1) % 100:02d}"
        for agency in PARTNERS:
            _return(lc, b, Audit.SECTION_11, agency, year)
        lc.analyse_returns(b, audit="section_11", year=label, on=date(year + 1, 1, 20),
                           analysis="Tested at a challenge panel")  # fmt: skip
        if year >= 2015:
            for key, name in SCHOOLS.items():
                _return(lc, b, Audit.SECTION_175, key, year, name)
            for key, name in COLLEGE.items():
                _return(lc, b, Audit.SECTION_157, key, year, name)
        for agency in (*DUTY_AGENCIES, "vcs"):
            amber = DUTY_AMBER.get((agency, year))
            audit = Audit.SAFE_NETWORK if agency == "vcs" else Audit.EMPLOYER_DUTIES
            lc.submit_return(b, audit=audit, organisation=agency, year=label, on=date(year + 1, 2, 1),
                             ratings={d: "partly_met" if d == amber else "fully_met" for d in STANDARDS[audit]})  # fmt: skip
    lc.record_peer_review(b, year="2016/17", verdict="partly_robust", reviewers="A neighbouring board (fictional)",
                          improve="Test the Section 11 ratings against case audits, not only the agencies' own evidence",
                          on=date(2017, 3, 1))  # fmt: skip
