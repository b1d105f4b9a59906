"""The disclosure rule as behaviour, on the records every view is built from (fast: in memory).

Which reviews are restricted, what the placeholder says, which fields it replaces and which it
keeps, the rule that a decision to withhold as known now applies to every view, and restricted
access. tests/test_disclosure.py checks every verb and format end to end.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import Views, open_cycle
from learning_cycle.domain import fields
from learning_cycle.domain.menu import Menu, MethodRule
from learning_cycle.projections.disclosure import placeholder

from .test_disclosure import DECISIONS, METHODS, Review, fill

SOME = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = date(2016, 6, 1)
MARK = re.compile(r"Zq(\d+)x(\w+)")
REVIEWS = st.lists(
    st.builds(Review, st.sampled_from(sorted(METHODS)), st.sampled_from(DECISIONS)), min_size=1, max_size=4
)


def _texts(value) -> list[str]:
    """Every string held in a value, however deep."""
    if isinstance(value, str):
        return [value]
    if attrs.has(type(value)):
        return [t for f in attrs.fields(type(value)) for t in _texts(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _texts(v)]
    return []


def _board(reviews):
    lc = open_cycle("memory:", user="board officer", today=lambda: TODAY)
    board, activities = fill(lc, reviews)
    return lc, board, activities


@SOME
@given(reviews=REVIEWS)
def test_exactly_the_unpublished_reviews_are_restricted_and_all_their_text_is_the_placeholder(reviews):
    lc, board, activities = _board(reviews)
    with Views.of(lc) as views:
        records = views.records(board)
        full = views.records(board, restricted=lc.read_restricted(board, "test"))
    secret = {a for a, r in zip(activities, reviews, strict=True) if r.secret}
    assert {r.activity_id for r in records.restricted} == secret
    assert not records.includes_restricted and full.includes_restricted
    by_activity = {r.activity_id: r for r in records.restricted}
    finding_of = {f.finding_id: f.activity_id for f in full.findings}
    for kind in ("activities", "findings", "actions", "disseminations"):
        for shown, held in zip(getattr(records, kind), getattr(full, kind), strict=True):
            owner = {
                "activities": lambda s: s.activity_id,
                "findings": lambda s: s.activity_id,
                "actions": lambda s: finding_of[s.finding_id],
                "disseminations": lambda s: finding_of[s.finding_ids[0]],
            }[kind](held)
            markers = [t for t in _texts(held) if MARK.search(t)]
            assert markers, "every record of the board holds marked text"
            if owner in secret:
                placeholder = by_activity[owner].placeholder
                assert not [t for t in _texts(shown) if MARK.search(t)], (kind, _texts(shown))
                assert placeholder in _texts(shown)
                # what is not free text is kept: the same record, but for its text
                assert _blank_texts(shown) == _blank_texts(held)
            else:
                assert shown == held


def _blank_texts(value):
    """A value as nested tuples, with its marked text (or placeholder) left out."""
    if isinstance(value, str):
        return "" if MARK.search(value) or value.startswith("[restricted: ") else value
    if attrs.has(type(value)):
        return tuple((f.name, _blank_texts(getattr(value, f.name))) for f in attrs.fields(type(value)))
    if isinstance(value, tuple):
        return tuple(_blank_texts(v) for v in value)
    return value


def test_the_placeholder_says_the_kind_the_reason_and_the_counts():
    lc, board, _ = _board([Review("scr", "withheld"), Review("scr", "delayed"), Review("scr", None)])
    with Views.of(lc) as views:
        restricted = views.records(board).restricted
        texts = sorted(r.placeholder for r in restricted)
    assert sorted((r.status, r.review_on) for r in restricted) == [
        ("delayed", date(2016, 12, 1)), ("undecided", None), ("withheld", None)
    ]  # fmt: skip
    assert all(placeholder(r) == r.placeholder for r in restricted)
    assert texts == [
        "[restricted: a serious case review (publication not yet decided); its 1 finding and 1 action are not shown]",
        "[restricted: a serious case review (report delayed to 2016-12-01: Criminal trial); "
        "its 1 finding and 1 action are not shown]",
        "[restricted: a serious case review (report withheld: It would identify a child); "
        "its 1 finding and 1 action are not shown]",
    ]


def test_a_published_report_and_an_undecided_one_its_method_does_not_publish_are_shown():
    lc, board, _ = _board([Review("scr", "published"), Review("dive", None), Review("dive", "published")])
    with Views.of(lc) as views:
        records = views.records(board)
    assert records.restricted == ()
    assert all(MARK.search(a.title) for a in records.activities)


def test_a_decision_to_withhold_known_now_restricts_every_view_whenever_it_is_known_at():
    lc, board, (dive,) = _board([Review("dive", "withheld")])
    with Views.of(lc) as views:
        moment = views.stock_take_moment(board, views.records(board).board.year_start.year_of(date(2014, 6, 1)))
        then = views.records(board, as_known_at=moment)  # before the decision was recorded
        early = views.records(board, as_of=date(2015, 3, 15))  # before it took effect
    for records in (then, early):
        (restriction,) = records.restricted
        assert (restriction.activity_id, restriction.status, restriction.reason) == (
            dive, "withheld", "It would identify a child"
        )  # fmt: skip
        assert restriction.placeholder == placeholder(restriction)
        assert not any(MARK.search(t) for t in _texts(records.activities) + _texts(records.findings))


def test_as_of_a_date_before_the_decision_to_publish_a_review_is_undecided_then():
    lc, board, (scr,) = _board([Review("scr", "published")])
    with Views.of(lc) as views:
        before = views.records(board, as_of=date(2015, 6, 5))  # approved, not yet decided
        after = views.records(board)
    assert [(r.activity_id, r.status) for r in before.restricted] == [(scr, "undecided")]
    assert after.restricted == ()


def test_a_method_not_on_the_menu_counts_as_publishing():
    rule = MethodRule("dive", frozenset({"deep_dive"}))
    menu = Menu.of([rule, MethodRule("scr", frozenset({"serious_case_review"}), publishes={"serious_case_review"})])
    assert (menu.publishes("deep_dive", "dive"), menu.publishes("serious_case_review", "scr")) == (False, True)
    assert menu.publishes("deep_dive", "gone") is True


def test_restricted_access_is_recorded_before_it_is_given_and_names_who_and_what():
    lc, board, _ = _board([Review("scr", "withheld")])
    before = lc.position()
    access = lc.read_restricted(board, "status --as-of 2015-01-01")
    assert lc.position() == before + 1
    with Views.of(lc) as views:
        (read,) = views.access_log(board)
    assert (read.by, read.query, read.at) == ("board officer", "status --as-of 2015-01-01", access.at)
    assert access.at <= datetime.now(UTC)
    with pytest.raises(Exception, match="query: must not be blank"):
        lc.read_restricted(board, "  ")


def test_counts_are_singular_or_plural_and_an_included_read_lists_the_same_restrictions():
    lc, board, _ = _board([Review("scr", "withheld")])
    with Views.of(lc) as views:
        (activity,) = views.records(board).activities
        lc.raise_finding(board, activity.activity_id, statement="Another", level="strategic", on=date(2015, 2, 1))
        records = views.records(board)
        full = views.records(board, restricted=lc.read_restricted(board, "test"))
    assert records.restricted[0].placeholder.endswith("its 2 findings and 1 action are not shown]")
    assert full.restricted == records.restricted and full.includes_restricted


@attrs.frozen
class Note:
    how: str
    themes: tuple[str, ...] = ()


@attrs.frozen
class Material:
    statement: str
    challenge: str | None
    empty: str
    lines: tuple[str, ...]
    agencies: tuple[str, ...]
    owner: str
    note: Note
    notes: tuple[Note, ...]
    count: int = 3


fields.declare(Note, how=fields.long("how"), themes=fields.key("themes"))
fields.declare(
    Material,
    statement=fields.long("statement"),
    challenge=fields.long("challenge"),
    empty=fields.long("empty"),
    lines=fields.long("lines"),
    agencies=fields.key("agencies"),
    owner=fields.key("owner"),
    note=fields.plain("note"),
    notes=fields.plain("notes"),
    count=fields.plain("count"),
)


def test_blanking_replaces_free_text_however_deep_and_keeps_keys_empty_text_and_none():
    from learning_cycle.projections.disclosure import blank

    held = Material("Said", None, "", ("one", ""), ("csc",), "police", Note("How", ("neglect",)), (Note("A"), Note("")))
    assert blank(held, "P") == Material(
        "P", None, "", ("P", ""), ("csc",), "police", Note("P", ("neglect",)), (Note("P"), Note("")), 3
    )
    keys_only = Note("", ("neglect",))
    assert blank(keys_only, "P") is keys_only  # nothing to hide: the same value


def test_a_redacted_export_covers_every_record_of_a_restricted_review_with_a_short_placeholder():
    from learning_cycle.projections.disclosure import redactions

    lc, board, (withheld, shown, undecided) = _board(
        [Review("dive", "withheld"), Review("dive", None), Review("scr", None)]
    )
    with Views.of(lc) as views:
        records = views.records(board)
        full = views.records(board, restricted=lc.read_restricted(board, "test"))
    found = redactions([records])
    owned = {withheld: "[restricted: a deep dive, report withheld]",
             undecided: "[restricted: a serious case review, publication not yet decided]"}  # fmt: skip
    expected = dict(owned)
    finding_of = {}
    for f in full.findings:
        if f.activity_id in owned:
            expected[f.finding_id] = owned[f.activity_id]
            finding_of[f.finding_id] = owned[f.activity_id]
    expected.update({a.action_id: finding_of[a.finding_id] for a in full.actions if a.finding_id in finding_of})
    expected.update({d.dissemination_id: finding_of[d.finding_ids[0]] for d in full.disseminations
                     if d.finding_ids[0] in finding_of})  # fmt: skip
    assert found == expected
    assert shown not in found and all(len(text) <= 300 for text in found.values())


def test_the_short_placeholder_names_the_kind_and_why():
    from learning_cycle.projections.disclosure import short_placeholder

    lc, board, _ = _board([Review("scr", "delayed")])
    with Views.of(lc) as views:
        (restriction,) = views.records(board).restricted
    assert short_placeholder(restriction) == "[restricted: a serious case review, report delayed]"


def test_a_redacted_export_covers_an_action_whose_finding_cannot_be_established():
    """An action or dissemination whose finding is not in the records (views edited past the rules)
    is redacted too, with the short placeholder that says so."""
    from learning_cycle.projections.disclosure import SHORT_UNKNOWN, redactions

    lc, board, _ = _board([Review("dive", None)])
    with Views.of(lc) as views:
        records = views.records(board)
    assert records.actions, "the review's finding has an action"
    cut = attrs.evolve(records, findings=())  # its finding is gone from what the views hold
    found = redactions([cut])
    assert {a.action_id: found.get(a.action_id) for a in cut.actions} == {
        a.action_id: SHORT_UNKNOWN for a in cut.actions
    }
