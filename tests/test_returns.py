"""Self-assessment returns, their follow-ups, the board's analysis, the peer review of the board's
own assessment, and employer-duty assurance (framework §2.4, §2.7, §3.6; issue 24 items 4 to 6)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from learning_cycle import BadInput, LearningCycle
from learning_cycle.domain.errors import AlreadyExists, InvalidValue, NotFound, RuleViolation, UnknownAgency
from learning_cycle.interchange import export_log, import_log
from learning_cycle.projections.store import Views
from learning_cycle.reports import render

from .conftest import MENU, TODAY, assert_refused, open_cycle
from .test_cli_click import invoke

S11 = ["s11-senior-management-commitment", "s11-safer-recruitment", "s11-information-sharing"]


def _board(lc: LearningCycle):
    return lc.create_board(
        "returns-board",
        "Returns Board (fictional)",
        agencies=[("csc", "Social Care"), ("police", "Police"), ("vcs", "Voluntary Sector")],
        on=date(2014, 4, 1),
    )


def _recorded(lc: LearningCycle):
    """A board with hand-chosen returns over 2015/16 and 2016/17 (counts worked out below by hand)."""
    b = _board(lc)
    lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", on=date(2015, 11, 2),
                     ratings={"s11-safer-recruitment": "partly_met", "s11-information-sharing": "fully_met"},
                     areas={"checks": "Record every recruitment check"}, strengths=["Leads in post"])  # fmt: skip
    lc.submit_return(b, audit="section_11", organisation="police", year="2015/16", on=date(2015, 11, 3),
                     ratings=["s11-safer-recruitment=not_met", "s11-information-sharing=partly_met"],
                     areas=["protocol=Agree a sharing protocol"])  # fmt: skip
    lc.submit_return(b, audit="section_11", organisation="csc", year="2016/17", on=date(2016, 11, 2),
                     ratings={"s11-safer-recruitment": "fully_met", "s11-information-sharing": "fully_met"})  # fmt: skip
    lc.submit_return(b, audit="section_175", organisation="hill-primary", name="Hill Primary School", year="2016/17",
                     ratings={"s175-staff-training": "partly_met"}, areas={"governors": "Train the governors"},
                     on=date(2017, 1, 9))  # fmt: skip
    lc.follow_up_area(b, audit="section_11", organisation="csc", year="2015/16", area="checks", delivery="delivered",
                      evidence="One register since June", on=date(2016, 11, 2))  # fmt: skip
    lc.follow_up_area(b, audit="section_11", organisation="police", year="2015/16", area="protocol",
                      delivery="in_progress", evidence="Signed by half the schools", on=date(2016, 11, 20))  # fmt: skip
    lc.analyse_returns(b, audit="section_11", year="2016/17", analysis="Tested at a challenge panel", on=date(2017, 1, 20))  # fmt: skip
    lc.submit_return(b, audit="employer_duties", organisation="police", year="2016/17", on=date(2017, 2, 1),
                     ratings={"induction": "fully_met", "reflective-supervision": "partly_met", "raising-concerns": "not_met"})  # fmt: skip
    lc.submit_return(b, audit="safe_network", organisation="vcs", year="2016/17", on=date(2017, 2, 2),
                     ratings={"induction": "fully_met", "access-to-findings": "partly_met"})  # fmt: skip
    lc.record_peer_review(b, year="2016/17", verdict="partly_robust", improve="Test ratings against case audits",
                          reviewers="A neighbouring board", on=date(2017, 3, 1))  # fmt: skip
    return b


def test_the_stock_take_counts_each_standard_red_amber_green_and_follows_last_years_areas(store):
    with open_cycle(store) as lc:
        b = _recorded(lc)
        with Views.of(lc) as views:
            first, second = views.stock_take(b, "2015/16").returns, views.stock_take(b, "2016/17").returns
    (s11,) = first.audits
    assert (s11.audit, s11.returns, s11.organisations) == ("section_11", 2, ("csc", "police"))
    counts = {c.standard: (c.red, c.amber, c.green) for c in s11.standards}
    assert counts == {"s11-safer-recruitment": (1, 1, 0), "s11-information-sharing": (0, 1, 1)}
    assert [(a.organisation, a.key, a.delivery) for a in s11.areas] == [("csc", "checks", None), ("police", "protocol", None)]  # fmt: skip
    assert s11.followed_up == () and s11.analysis is None
    s11, s175 = second.audits
    assert (s11.returns, s175.returns, s175.organisations) == (1, 1, ("hill-primary",))
    assert {c.standard: (c.red, c.amber, c.green) for c in s11.standards} == {
        "s11-safer-recruitment": (0, 0, 1),
        "s11-information-sharing": (0, 0, 1),
    }
    assert [(a.organisation, a.key, a.year, a.delivery) for a in s11.followed_up] == [
        ("csc", "checks", "2015/16", "delivered"),
        ("police", "protocol", "2015/16", "in_progress"),
    ]
    assert s11.analysis == "Tested at a challenge panel" and s11.analysed_on == date(2017, 1, 20)
    assert [(a.name, a.key) for a in s175.areas] == [("Hill Primary School", "governors")]
    assert [(d.organisation, d.through, dict(d.ratings)) for d in second.duties] == [
        (
            "police",
            "employer_duties",
            {"induction": "fully_met", "reflective-supervision": "partly_met", "raising-concerns": "not_met"},
        ),
        ("vcs", "safe_network", {"induction": "fully_met", "access-to-findings": "partly_met"}),
    ]
    (review,) = second.peer_reviews
    assert (review.verdict, review.reviewers, review.reported_on) == ("partly_robust", "A neighbouring board", date(2017, 3, 1))  # fmt: skip
    assert first.peer_reviews == () and first.duties == ()


def test_every_format_of_the_stock_take_shows_the_returns_the_duties_and_the_peer_review(lc):
    b = _recorded(lc)
    with Views.of(lc) as views:
        st_ = views.stock_take(b, "2016/17")
    md, html, js = render(st_, "md"), render(st_, "html"), json.loads(render(st_, "json"))
    for text in (md, html):
        assert "Self-assessment, organisational learning and peer review" in text
        assert "Section 11: 1 return (2 green, 0 amber, 0 red), analysed by the board on 20 January 2017: Tested at a challenge panel" in text  # fmt: skip
        assert "Section 175: 1 return (0 green, 1 amber, 0 red; red or amber: safeguarding training for all staff and governors), not analysed yet" in text  # fmt: skip
        assert "Areas for development raised: Hill Primary School: Train the governors." in text
        assert "Social Care: Record every recruitment check (2015/16), delivered (One register since June)" in text
        assert "Police: Agree a sharing protocol (2015/16), in progress (Signed by half the schools)" in text
        assert "Employer duties (learning at organisational level): 2 assurances, every duty met in 0." in text
        assert "Police, amber: reflective safeguarding supervision and support" in text  # each duty in its words
        assert "Police, red: an environment where staff feel able to raise concerns" in text
        assert "Voluntary Sector through the Safe Network, amber: access to findings from case reviews" in text
        assert "(A neighbouring board, 1 March 2017): the board's own assessment is partly robust." in text
        assert "What must improve: Test ratings against case audits" in text
    part = js["returns"]
    assert [a["audit"] for a in part["audits"]] == ["section_11", "section_175"]
    assert part["peer_reviews"][0]["verdict"] == "partly_robust"
    assert part["duties"][0]["ratings"]["raising-concerns"] == "not_met"


def test_the_picture_shows_each_area_for_development_and_whether_it_is_being_delivered(lc):
    b = _recorded(lc)
    with Views.of(lc) as views:
        then = views.picture(b, "2015/16").areas
        now = views.picture(b, "2016/17").areas
        before_follow_up = views.picture(b, "2016/17", as_of=date(2016, 11, 10)).areas
    assert [(a.key, a.delivery) for a in then] == [("checks", None), ("protocol", None)]
    assert [(a.key, a.year, a.delivery) for a in now] == [
        ("checks", "2015/16", "delivered"),
        ("protocol", "2015/16", "in_progress"),
        ("governors", "2016/17", None),
    ]
    assert [(a.key, a.delivery) for a in before_follow_up] == [("checks", "delivered"), ("protocol", None)]


OTHER_STANDARDS = st.sampled_from(
    [
        ("section_11", "s175-curriculum"),
        ("section_175", "s11-safer-recruitment"),
        ("section_157", "s175-allegations"),
        ("section_11", "induction"),
        ("employer_duties", "s11-information-sharing"),
        ("safe_network", "s157-learners-at-risk"),
        ("section_157", "no-such-standard"),
    ]
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(wrong=OTHER_STANDARDS, rating=st.sampled_from(["not_met", "partly_met", "fully_met"]))
def test_a_rating_of_a_standard_the_audit_does_not_have_is_refused_and_nothing_is_written(memory_lc, wrong, rating):
    lc = memory_lc
    b = lc.board_id("returns-board") if lc.position() else _board(lc)
    audit, standard = wrong
    refused = assert_refused(
        lc,
        lambda: lc.submit_return(
            b, audit=audit, organisation="csc", year="2015/16", ratings={standard: rating}, on=date(2015, 11, 1)
        ),
        RuleViolation,
        "ratings",
        standard,
        "ratings: is not a standard of the " + audit,
    )
    assert "its standards:" in str(refused)


def test_bad_returns_are_refused_naming_the_field(lc):
    b = _board(lc)
    ok = {"s11-safer-recruitment": "fully_met"}
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_12", organisation="csc", year="2015/16", ratings=ok), InvalidValue, "audit", "section_12")  # fmt: skip
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", ratings={"s11-safer-recruitment": "purple"}), InvalidValue, "ratings", "purple")  # fmt: skip
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", ratings=["s11-safer-recruitment"]), InvalidValue, "ratings", "s11-safer-recruitment")  # fmt: skip
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_11", organisation="health", year="2015/16", ratings=ok, on=date(2015, 11, 1)), UnknownAgency, "organisation", "health")  # fmt: skip
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_11", organisation="csc", year="2013/14", ratings=ok, on=date(2015, 11, 1)), RuleViolation, "year", "2013/14")  # fmt: skip
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", ratings={}, on=date(2015, 11, 1)), RuleViolation, "ratings", [])  # fmt: skip
    lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", ratings=ok, on=date(2015, 11, 1))
    assert_refused(lc, lambda: lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", ratings=ok, on=date(2015, 12, 1)), AlreadyExists, "organisation", "csc (section_11, 2015/16)")  # fmt: skip
    # a school's return is not a partner's: any organisation's key, with its name
    lc.submit_return(b, audit="section_175", organisation="hill-primary", year="2015/16", name="Hill Primary",
                     ratings={"s175-curriculum": "fully_met"}, on=date(2015, 11, 1))  # fmt: skip


def test_follow_ups_are_refused_for_an_area_never_raised_or_in_the_year_it_was_raised(lc):
    b = _board(lc)
    lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", ratings={"s11-safer-recruitment": "not_met"},
                     areas={"checks": "Record the checks"}, on=date(2015, 11, 1))  # fmt: skip
    follow = lambda **kw: lambda: lc.follow_up_area(b, **{"audit": "section_11", "organisation": "csc", "year": "2015/16", "area": "checks", "delivery": "delivered", "evidence": "Seen", "on": date(2016, 10, 1), **kw})  # fmt: skip
    assert_refused(lc, follow(area="training"), RuleViolation, "area", "training", "area: was never raised")
    assert_refused(lc, follow(on=date(2016, 3, 31)), RuleViolation, "on", "2016-03-31", "on: falls in the year the area was raised")  # fmt: skip
    assert_refused(lc, follow(year="2014/15"), NotFound, "organisation", "csc (section_11, 2014/15)")
    assert_refused(lc, follow(organisation="police"), NotFound, "organisation", "police (section_11, 2015/16)")
    assert_refused(lc, follow(delivery="done"), InvalidValue, "delivery", "done")
    follow(on=date(2016, 4, 1))()  # the first day of the next reporting year
    assert_refused(lc, lambda: lc.record_peer_review(b, year="2015/16", verdict="sturdy", improve="x", reviewers="y"), InvalidValue, "verdict", "sturdy")  # fmt: skip


class ReturnLifecycle(RuleBasedStateMachine):
    """A return's life, against a model: follow-ups of areas raised are kept in date order and the
    latest wins; a follow-up of an area never raised, or in the year it was raised, is refused and
    writes nothing."""

    @initialize(areas=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True))
    def submit(self, areas):
        self.lc = LearningCycle("memory:", menu=MENU, user="machine", today=lambda: TODAY)
        self.b = _board(self.lc)
        self.areas = areas
        self.lc.submit_return(self.b, audit="section_11", organisation="csc", year="2015/16", on=date(2015, 6, 1),
                              ratings={"s11-safer-recruitment": "partly_met"}, areas={a: f"Area {a}" for a in areas})  # fmt: skip
        self.model: dict[str, list[tuple[date, str]]] = {}

    def _follow(self, area, delivery, on):
        self.lc.follow_up_area(self.b, audit="section_11", organisation="csc", year="2015/16", area=area,
                               delivery=delivery, evidence=f"Evidence {delivery}", on=on)  # fmt: skip

    @rule(
        area=st.sampled_from(["a", "b", "c", "d"]),
        delivery=st.sampled_from(["delivered", "in_progress", "not_delivered"]),
        days=st.integers(-300, 1500),
    )
    def follow_up(self, area, delivery, days):
        on = date.fromordinal(date(2016, 4, 1).toordinal() + days)
        if area in self.areas and days >= 0:
            self._follow(area, delivery, on)
            self.model.setdefault(area, []).append((on, delivery))
            return
        before = self.lc.position()
        with pytest.raises(RuleViolation):
            self._follow(area, delivery, on)
        assert self.lc.position() == before

    @invariant()
    def the_picture_shows_the_latest_follow_up(self):
        with Views.of(self.lc) as views:
            shown = {a.key: a.delivery for a in views.picture(self.b, "2017/18").areas}
        expected = {}
        for area in self.areas:  # as things stood at the window's end, 31 March 2018
            done = sorted((f for f in self.model.get(area, []) if f[0] <= date(2018, 3, 31)), key=lambda x: x[0])
            expected[area] = done[-1][1] if done else None
        assert shown == expected

    def teardown(self):
        self.lc.close()


ReturnLifecycle.TestCase.settings = settings(max_examples=10, stateful_step_count=8, deadline=None)
test_a_returns_lifecycle_follows_its_model = ReturnLifecycle.TestCase


def test_a_redacted_export_blanks_the_free_text_of_returns_and_keeps_the_rest(lc):
    b = _recorded(lc)
    with Views.of(lc) as views:
        records = views.records(b)
    ids = [r.return_id for r in records.returns] + [a.analysis_id for a in records.analyses]
    ids += [p.peer_review_id for p in records.peer_reviews]
    out = io.StringIO()
    export_log(lc.log, out, redact={i: "[withheld]" for i in ids})
    text = out.getvalue()
    for secret in ("Record every recruitment check", "Leads in post", "One register since June", "Tested at a challenge panel", "Test ratings against case audits", "A neighbouring board", "Hill Primary School"):  # fmt: skip
        assert secret not in text, secret
    assert "s11-safer-recruitment" in text and "partly_met" in text and '"checks"' in text  # keys stay


def test_export_and_import_carry_returns_unchanged(lc, tmp_path):
    b = _recorded(lc)
    path = tmp_path / "log.jsonl"
    with path.open("w", encoding="utf-8") as f:
        export_log(lc.log, f)
    with open_cycle(tmp_path / "copy.sqlite") as copy:
        import_log(copy.log, path)
        with Views.of(copy) as views, Views.of(lc) as original:
            again, before = views.records(b), original.records(b)
            assert (again.returns, again.analyses, again.peer_reviews) == (before.returns, before.analyses, before.peer_reviews)  # fmt: skip
            assert views.stock_take(b, "2016/17").returns == original.stock_take(b, "2016/17").returns


def test_the_verbs_record_returns_follow_ups_the_analysis_and_the_peer_review(tmp_path):
    path = tmp_path / "cli.sqlite"
    with open_cycle(path) as lc:
        _board(lc)
    where = ["--store", str(path), "--board", "returns-board"]
    made = invoke("submit-return", *where, "--audit", "section_11", "--organisation", "police", "--year", "2015/16",
                  "--rating", "s11-safer-recruitment=partly_met", "--rating", "s11-information-sharing=fully_met",
                  "--area", "checks=Record every check", "--strength", "Leads in post", "--on", "2015-11-02")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "recorded the self-assessment return for 2015/16" in made.output
    followed = invoke("follow-up-area", *where, "--audit", "section_11", "--organisation", "police", "--year", "2015/16",
                      "--area", "checks", "--delivery", "delivered", "--evidence", "One register", "--on", "2016-11-02")  # fmt: skip
    assert followed.exit_code == 0, followed.output
    analysed = invoke("analyse-returns", *where, "--audit", "section_11", "--year", "2015/16", "--analysis", "Tested",
                      "--on", "2016-01-20")  # fmt: skip
    assert analysed.exit_code == 0, analysed.output
    reviewed = invoke("peer-review", *where, "--year", "2016/17", "--verdict", "robust", "--improve", "Keep testing",
                      "--reviewers", "A neighbouring board", "--on", "2017-03-01")  # fmt: skip
    assert reviewed.exit_code == 0, reviewed.output
    wrong = invoke("submit-return", *where, "--audit", "section_175", "--organisation", "hill", "--year", "2015/16",
                   "--rating", "s11-safer-recruitment=fully_met", "--on", "2015-11-02")  # fmt: skip
    assert wrong.exit_code == 2 and "Traceback" not in wrong.output
    assert wrong.output.startswith("error: ratings: is not a standard of the section_175 audit (its standards: s175-")
    with open_cycle(path) as lc, Views.of(lc) as views:
        records = views.records(lc.board_id("returns-board"))
        (made_return,) = records.returns
        assert [(r.standard, r.rating.value) for r in made_return.ratings] == [
            ("s11-safer-recruitment", "partly_met"),
            ("s11-information-sharing", "fully_met"),
        ]
        assert made_return.strengths == ("Leads in post",) and made_return.follow_ups[0].delivery.value == "delivered"
        assert [a.analysis for a in records.analyses] == ["Tested"]
        assert [(p.year, p.verdict.value) for p in records.peer_reviews] == [(2016, "robust")]


def test_the_demo_board_submits_returns_follows_them_up_and_is_peer_reviewed(demo_store):
    with open_cycle(demo_store) as lc, Views.of(lc) as views:
        part = views.stock_take(lc.board_id("northshire-demo"), "2016/17").returns
    assert {a.audit for a in part.audits} == {"section_11", "section_175", "section_157"}
    assert any(c.red or c.amber for a in part.audits for c in a.standards)
    assert any(x.delivery is not None for a in part.audits for x in a.followed_up)
    assert {d.through for d in part.duties} == {"employer_duties", "safe_network"}
    assert [p.verdict for p in part.peer_reviews] == ["partly_robust"]


def test_the_free_text_of_returns_is_escaped_in_every_format(lc):
    b = _board(lc)
    hostile = "<script>alert(1)</script> **bold** | [link](x)"
    lc.submit_return(b, audit="section_11", organisation="csc", year="2015/16", on=date(2015, 11, 2),
                     ratings={"s11-safer-recruitment": "partly_met"}, areas={"checks": hostile})  # fmt: skip
    lc.record_peer_review(b, year="2015/16", verdict="robust", improve=hostile, reviewers=hostile, on=date(2016, 3, 1))
    with Views.of(lc) as views:
        st_ = views.stock_take(b, "2015/16")
    md, html, js = render(st_, "md"), render(st_, "html"), render(st_, "json")
    assert "<script>" not in md and "<script>" not in html and "**bold**" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*bold\\*\\* \\| \\[link\\](x)" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** | [link](x)" in html
    assert json.loads(js)["returns"]["peer_reviews"][0]["improve"] == hostile  # JSON is exact


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"s11-safer-recruitment"', '"s175-curriculum"', "payload.ratings: is not a standard of the section_11 audit"),
        ('"organisation":"csc"', '"organisation":"police"', "originator_id: is not the id of the return with board_id"),
        (
            '"ratings":[',
            '"ratings":[{"standard":"s11-information-sharing","rating":"fully_met"},',
            "payload.ratings: is rated twice",
        ),
    ],
)
def test_import_refuses_a_return_the_command_would_refuse_and_writes_nothing(lc, tmp_path, old, new, message):
    _recorded(lc)
    out = io.StringIO()
    export_log(lc.log, out)
    lines = out.getvalue().splitlines()
    (n,) = [i for i, line in enumerate(lines) if "Return.Submitted" in line and '"organisation":"csc"' in line and "2015" in line]  # fmt: skip
    assert old in lines[n]
    lines[n] = lines[n].replace(old, new, 1)
    path = tmp_path / "changed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_cycle(tmp_path / "target.sqlite") as target:
        with pytest.raises(BadInput) as caught:
            import_log(target.log, path)
        assert f"changed.jsonl:{n + 1}:" in str(caught.value) and message in str(caught.value), str(caught.value)
        assert target.position() == 0


def test_the_picture_verb_lists_the_areas_for_development_and_whether_each_is_delivered(tmp_path):
    path = tmp_path / "picture.sqlite"
    with open_cycle(path) as lc:
        _recorded(lc)
    shown = invoke("picture", "--store", str(path), "--board", "returns-board", "--year", "2016/17")
    assert shown.exit_code == 0, shown.output
    flat = " ".join(shown.output.split())
    assert "Areas for development: Social Care: Record every recruitment check (2015/16), delivered;" in flat
    assert "Police: Agree a sharing protocol (2015/16), in progress;" in flat
    assert "Hill Primary School: Train the governors (2016/17), not followed up yet" in flat
