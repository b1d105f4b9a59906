"""Plugins: discovered through entry points like anyone's, switchable, validated, never needed to replay."""

from __future__ import annotations

import inspect
import json
from datetime import date
from pathlib import Path

import pytest

from learning_cycle import (
    Column,
    IndicatorKind,
    IndicatorSource,
    LearningCycle,
    OutcomeMeasure,
    OutcomeValue,
    ReviewMethod,
    UnknownMethod,
    hookimpl,
    hookspecs,
)
from learning_cycle.demo import load_demo
from learning_cycle.plugins import ALLOW_ENV, BLOCK_ENV, PluginError, build_plugins

from .cli_helpers import run
from .conftest import TODAY, records

ROOT = Path(__file__).resolve().parents[1]

THE_MENU = {
    "scr-traditional",
    "scie-learning-together",
    "silp",
    "hybrid-systems",
    "case-review-systems",
    "child-death-review",
    "extended-learning-review",
    "themed-review",
    "deep-dive",
    "light-touch-review",
    "section-11-audit",
    "section-175-audit",
    "performance-spotlight",
    "peer-review",
    "rapid-review",
    "local-practice-review",
}


def test_first_party_review_methods_arrive_through_the_entry_point_group():
    plugins = build_plugins(environ={})
    methods = plugins.review_methods()
    assert set(methods) >= THE_MENU
    assert {methods[k].distribution for k in THE_MENU} == {"learning-cycle-methods"}
    assert {p.name for p in plugins.plugins()} >= {"methods", "sources", "outcomes"}
    menu = plugins.menu()
    assert menu.methods["section-11-audit"].finding_tags is not None
    assert len(menu.methods["section-11-audit"].finding_tags) == 8


@pytest.mark.parametrize("environ", [{BLOCK_ENV: "methods"}, {ALLOW_ENV: "sources,outcomes"}])
def test_switching_a_plugin_off_removes_its_contributions(environ):
    plugins = build_plugins(environ=environ)
    assert not set(plugins.review_methods()) & THE_MENU
    assert not plugins.menu().kinds & {"serious_case_review", "deep_dive", "section_11_audit"}
    assert set(plugins.indicator_sources()) >= {"csv", "jsonl"}


def test_the_allow_list_loads_only_what_it_names():
    plugins = build_plugins(environ={ALLOW_ENV: "someone-else"})
    assert plugins.plugins() == []
    assert (plugins.review_methods(), plugins.indicator_sources(), plugins.outcome_measures()) == ({}, {}, {})


@pytest.mark.parametrize(("blocked", "hook"), [("sources", "indicator_sources"), ("outcomes", "outcome_measures")])
def test_blocking_sources_or_outcomes_removes_them(blocked, hook):
    assert getattr(build_plugins(environ={}), hook)()
    assert not {c.plugin for c in getattr(build_plugins(environ={BLOCK_ENV: blocked}), hook)().values()} & {blocked}


def test_a_board_whose_plugin_is_gone_still_replays(tmp_path):
    store = tmp_path / "board.sqlite"
    with LearningCycle(str(store), menu=build_plugins(environ={}).menu(), user="t", today=lambda: TODAY) as lc:
        board_id, _ = load_demo(lc)
        access = lc.read_restricted(board_id, "test")
        held = records(lc, board_id, restricted=access)
        before = (list(held.activities), list(held.findings))
        restricted_with = {r.activity_id for r in records(lc, board_id).restricted}
    without = build_plugins(environ={BLOCK_ENV: "methods"}).menu()
    with LearningCycle(str(store), menu=without, user="t", today=lambda: TODAY) as lc:
        held = records(lc, board_id, restricted=access)
        assert (list(held.activities), list(held.findings)) == before
        assert {a.method for a in held.activities} <= THE_MENU
        # whether a method publishes its report is not known now: no decision to publish means restricted
        undecided = {a.activity_id for a in held.activities if a.publication is None}
        assert {r.activity_id for r in records(lc, board_id).restricted} == restricted_with | undecided
        with pytest.raises(UnknownMethod, match="kind: not a kind of learning activity on the menu"):
            lc.commission_activity(
                board_id,
                kind="deep_dive",
                method="deep-dive",
                title="T",
                why="W",
                decided_by="D",
                proportionality="P",
                agencies=["csc", "police"],
                on=date(2016, 1, 1),
            )


def _method(**changes) -> ReviewMethod:
    fields = dict(
        key="broken", title="Broken", what="What", why="Why", who_decides="Who", steps=("One",), kinds=("deep_dive",)
    )
    fields.update(changes)
    return ReviewMethod(**fields)


@pytest.mark.parametrize(
    ("registered", "message"),
    [
        (_method(steps=()), "plugin 'broken-plugin': review method 'broken': steps must list how it is done, in order"),
        (_method(key="Not A Key"), "plugin 'broken-plugin': review method key 'Not A Key' is not a valid key"),
        (_method(why=" "), "plugin 'broken-plugin': review method 'broken': why must be non-empty text"),
        (_method(kinds=()), "plugin 'broken-plugin': review method 'broken': kinds must name at least one kind"),
        (
            _method(min_agencies=0),
            "plugin 'broken-plugin': review method 'broken': min_agencies must be a whole number",
        ),
        (_method(key="deep-dive"), "plugin 'broken-plugin': key 'deep-dive' is already registered by plugin 'methods'"),
        ({"key": "dict"}, "plugin 'broken-plugin': registered dict {'key': 'dict'}, not a ReviewMethod"),
    ],
)
def test_learning_cycle_register_review_methods_refuses_malformed_descriptors(registered, message):
    class BrokenPlugin:
        @hookimpl
        def learning_cycle_register_review_methods(self, register):
            register(registered)

    plugins = build_plugins(environ={}, extra=())
    plugins.manager.register(BrokenPlugin(), name="broken-plugin")
    with pytest.raises(PluginError) as caught:
        plugins.review_methods()
    _named(caught.value, "learning_cycle_register_review_methods", message)


def _named(error: PluginError, hook: str, message: str) -> None:
    """The plugin and the hook are named, then what is wrong."""
    assert str(error) == f"plugin 'broken-plugin', hook {hook}: {error.detail}"
    assert f"plugin 'broken-plugin': {error.detail}".startswith(message), str(error)


THE_SOURCES = {"csv", "jsonl"}
THE_MEASURES = {
    "cp-safety-outcomes-at-closure",
    "health-outcomes-resuming-appointments",
    "statement-early-help",
    "statement-statutory-services",
    "statement-parents-positive-difference",
    "statement-partnership-outcomes",
    "findings-sustained-within-three-years",
    "final-reports-published",
    "voice-of-child-activities",
    "voice-of-child-findings",
    "actions-on-time",
}


def test_plugins_command_lists_every_contribution_with_its_distribution(tmp_path):
    result = run("plugins", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    for section, keys, distribution in (
        ("review_methods", THE_MENU, "learning-cycle-methods"),
        ("indicator_sources", THE_SOURCES, "learning-cycle-sources"),
        ("outcome_measures", THE_MEASURES, "learning-cycle-outcomes"),
    ):
        listed = {m["key"]: m for m in payload[section]}
        assert set(listed) >= keys, section
        assert {listed[k]["distribution"] for k in keys} == {distribution}
        assert {listed[k]["version"] for k in keys} == {"0.1.0"}
    by_name = {p["name"]: p for p in payload["plugins"]}
    assert set(by_name["outcomes"]["outcome_measures"]) == THE_MEASURES
    assert set(by_name["sources"]["indicator_sources"]) == THE_SOURCES


def test_blocking_the_plugin_from_the_environment_reaches_the_command(tmp_path):
    result = run("plugins", "--json", cwd=tmp_path, env={BLOCK_ENV: "methods,sources,outcomes"})
    payload = json.loads(result.stdout)
    assert not {m["key"] for m in payload["review_methods"]} & THE_MENU
    assert not {m["key"] for m in payload["indicator_sources"]} & THE_SOURCES
    assert not {m["key"] for m in payload["outcome_measures"]} & THE_MEASURES


def _source(**changes) -> IndicatorSource:
    fields = dict(
        key="broken", title="Broken", description="D", read=lambda location: [], columns=(Column("a", "b", "c"),)
    )
    fields.update(changes)
    return IndicatorSource(**fields)


def _measure(**changes) -> OutcomeMeasure:
    fields = dict(
        key="broken",
        title="Broken",
        description="D",
        kind=IndicatorKind.BETTER_OFF,
        unit="%",
        lower=0.0,
        upper=100.0,
        compute=lambda records: OutcomeValue(None),
    )
    fields.update(changes)
    return OutcomeMeasure(**fields)


def _refused(hook: str, registered, message: str, collect: str) -> None:
    class BrokenPlugin:
        pass

    def impl(self, register):
        register(registered)

    impl.__name__ = hook
    setattr(BrokenPlugin, hook, hookimpl(impl))
    plugins = build_plugins(environ={})
    plugins.manager.register(BrokenPlugin(), name="broken-plugin")
    with pytest.raises(PluginError) as caught:
        getattr(plugins, collect)()
    _named(caught.value, hook, message)


@pytest.mark.parametrize(
    ("registered", "message"),
    [
        (_source(read="not callable"), "plugin 'broken-plugin': indicator source 'broken': read must be callable"),
        (_source(columns=()), "plugin 'broken-plugin': indicator source 'broken': columns must document"),
        (_source(key="CSV!"), "plugin 'broken-plugin': indicator source key 'CSV!' is not a valid key"),
        (_source(title=""), "plugin 'broken-plugin': indicator source 'broken': title must be non-empty text"),
        (_source(columns=("a",)), "plugin 'broken-plugin': indicator source 'broken': each column must be a Column"),
        (_source(key="csv"), "plugin 'broken-plugin': key 'csv' is already registered by plugin 'sources'"),
        ("csv", "plugin 'broken-plugin': registered str 'csv', not an IndicatorSource"),
    ],
)
def test_learning_cycle_register_indicator_sources_refuses_malformed_descriptors(registered, message):
    _refused("learning_cycle_register_indicator_sources", registered, message, "indicator_sources")


@pytest.mark.parametrize(
    ("registered", "message"),
    [
        (_measure(lower=100.0, upper=0.0), "plugin 'broken-plugin': outcome measure 'broken': lower must be less"),
        (_measure(upper=float("inf")), "plugin 'broken-plugin': outcome measure 'broken': lower and upper must be"),
        (_measure(compute=None), "plugin 'broken-plugin': outcome measure 'broken': compute must be callable"),
        (
            _measure(kind="better_off"),
            "plugin 'broken-plugin': outcome measure 'broken': kind must be an IndicatorKind",
        ),
        (_measure(unit=""), "plugin 'broken-plugin': outcome measure 'broken': unit must be non-empty text"),
        (_measure(statement=" "), "plugin 'broken-plugin': outcome measure 'broken': statement must be non-empty"),
        (
            _measure(key="actions-on-time"),
            "plugin 'broken-plugin': key 'actions-on-time' is already registered by plugin 'outcomes'",
        ),
    ],
)
def test_learning_cycle_register_outcome_measures_refuses_malformed_descriptors(registered, message):
    _refused("learning_cycle_register_outcome_measures", registered, message, "outcome_measures")


def _hooks() -> list[str]:
    return [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("learning_cycle_")]


def test_every_hook_is_documented_with_its_signature_and_has_a_test_of_its_own():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert _hooks()
    for name in _hooks():
        signature = f"{name}{inspect.signature(getattr(hookspecs, name))}".replace("'", "")
        assert signature in docs, f"docs/plugins.md does not show {signature}"
        assert f"def test_{name}" in tests, f"no test named for {name}"


def test_open_cycle_takes_its_menu_from_the_installed_plugins(tmp_path):
    from learning_cycle import open_cycle

    with open_cycle(str(tmp_path / "b.sqlite"), user="t") as lc:
        assert set(lc.menu.methods) >= THE_MENU


def test_the_plugin_guide_quotes_its_examples_from_tested_files():
    import re

    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    quoted = re.findall(r"<!-- from: (\S+) -->\n```\w+\n(.*?)```", docs, flags=re.S)
    assert len(quoted) >= 5
    for path, snippet in quoted:
        assert snippet in (ROOT / path).read_text(encoding="utf-8"), f"docs/plugins.md quotes {path} out of date"
    for name in _hooks():
        section = docs.split(f"### `{name}(")[1].split("\n### ")[0]
        assert "<!-- from: docs/examples/" in section, f"the {name} section has no example from a tested file"


def test_the_example_third_party_plugin_is_discovered_through_its_entry_point(tmp_path):
    result = run("plugins", "--json", cwd=tmp_path)
    payload = json.loads(result.stdout)
    (example,) = [p for p in payload["plugins"] if p["name"] == "example"]
    assert example == {
        "name": "example",
        "distribution": "learning-cycle-example-plugin",
        "version": "0.1.0",
        "review_methods": ["appreciative-inquiry"],
        "indicator_sources": ["tsv"],
        "outcome_measures": ["feedback-coverage"],
    }
    # and what it registers works end to end: a figure file pulled through its source
    assert run("demo", cwd=tmp_path).returncode == 0
    (tmp_path / "figures.tsv").write_text("cp-plans\t2018-01-01\t301\n", encoding="utf-8")
    pulled = run("pull", "figures.tsv", cwd=tmp_path)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout.startswith("1 recorded, 0 corrected, 0 unchanged from figures.tsv (Tab-separated figures)")
    outcomes = json.loads(run("outcomes", "--json", cwd=tmp_path).stdout)
    assert "feedback-coverage" not in {o["key"] for o in outcomes["outcomes"]}  # until the board adopts it
    adopted = run("adopt-measure", "--measure", "feedback-coverage", "--on", "2017-06-01", cwd=tmp_path)
    assert adopted.returncode == 0, adopted.stderr
    outcomes = json.loads(run("outcomes", "--json", cwd=tmp_path).stdout)
    assert "feedback-coverage" in {o["key"] for o in outcomes["outcomes"]}


def test_views_say_a_method_is_unknown_when_its_plugin_is_gone(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    known = json.loads(run("activities", "--json", cwd=tmp_path).stdout)["activities"]
    assert {a["method"]["known"] for a in known} == {True}
    gone = run("activities", "--json", cwd=tmp_path, env={BLOCK_ENV: "methods"})
    assert gone.returncode == 0, gone.stderr
    listed = json.loads(gone.stdout)["activities"]
    # with the methods unknown, whether they publish is unknown: their material is restricted,
    # but for a report the board recorded as published (the demo's case review)
    assert [a["id"] for a in listed] == [a["id"] for a in known]
    shown = [a["title"] for a in listed if not a["title"].startswith("[restricted: ")]
    assert shown == ["Case review: learning from good practice"]
    assert {(a["method"]["known"], a["method"]["title"]) for a in listed} == {(False, None)}
    table = run("activities", cwd=tmp_path, env={BLOCK_ENV: "methods", "COLUMNS": "200"})
    assert "unknown method 'deep-dive' (its plugin is not installed)" in table.stdout


def test_a_rapid_review_shows_its_working_day_deadline(tmp_path):
    from learning_cycle import open_cycle

    store = str(tmp_path / "rapid.sqlite")
    with open_cycle(store, user="t", today=lambda: TODAY) as lc:
        b = lc.create_board("rapid", "Rapid Board (fictional)", agencies=[("csc", "CSC"), ("police", "P")], on=date(2019, 4, 1))  # fmt: skip
        lc.commission_activity(
            b, kind="rapid_review", method="rapid-review", title="Rapid review (fictional)", why="Serious incident",
            decided_by="Safeguarding partners", proportionality="Every notification", agencies=["csc", "police"],
            on=date(2019, 12, 20),
        )  # fmt: skip
    listed = json.loads(run("activities", "--json", "--store", store, cwd=tmp_path).stdout)["activities"]
    (deadline,) = listed[0]["deadlines"]
    # Friday 20 Dec 2019 + 15 working days, skipping 25 and 26 Dec and 1 Jan: 15 January 2020
    assert (deadline["due_on"], deadline["status"]) == ("2020-01-15", "overdue")
