"""Plugins: discovered through entry points like anyone's, switchable, validated, never needed to replay."""

from __future__ import annotations

import inspect
import json
from datetime import date
from pathlib import Path

import pytest

from learning_cycle import LearningCycle, ReviewMethod, UnknownMethod, hookimpl, hookspecs
from learning_cycle.demo import load_demo
from learning_cycle.plugins import ALLOW_ENV, BLOCK_ENV, PluginError, build_plugins

from .conftest import TODAY
from .test_cli import run

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
    assert {c.distribution for c in methods.values()} == {"learning-cycle-methods"}
    assert [p.name for p in plugins.plugins()] == ["methods"]
    menu = plugins.menu()
    assert menu.methods["section-11-audit"].finding_tags is not None
    assert len(menu.methods["section-11-audit"].finding_tags) == 8


@pytest.mark.parametrize("environ", [{BLOCK_ENV: "methods"}, {ALLOW_ENV: "someone-else"}])
def test_switching_a_plugin_off_removes_its_contributions(environ):
    plugins = build_plugins(environ=environ)
    assert plugins.review_methods() == {}
    assert plugins.menu().kinds == frozenset()


def test_a_board_whose_plugin_is_gone_still_replays(tmp_path):
    store = tmp_path / "board.sqlite"
    with LearningCycle(str(store), menu=build_plugins(environ={}).menu(), user="t", today=lambda: TODAY) as lc:
        board_id, _ = load_demo(lc)
        before = (lc.activities(board_id), lc.findings(board_id))
    without = build_plugins(environ={BLOCK_ENV: "methods"}).menu()
    with LearningCycle(str(store), menu=without, user="t", today=lambda: TODAY) as lc:
        assert (lc.activities(board_id), lc.findings(board_id)) == before
        assert {a.method for a in lc.activities(board_id)} <= THE_MENU
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
    assert str(caught.value).startswith(message), str(caught.value)


def test_plugins_command_lists_every_method_with_its_distribution(tmp_path):
    result = run("plugins", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {m["key"] for m in payload["review_methods"]} >= THE_MENU
    assert all(m["distribution"] == "learning-cycle-methods" for m in payload["review_methods"])
    assert payload["plugins"][0]["version"] == "0.1.0"


def test_blocking_the_plugin_from_the_environment_reaches_the_command(tmp_path):
    result = run("plugins", "--json", cwd=tmp_path, env={BLOCK_ENV: "methods"})
    assert json.loads(result.stdout)["review_methods"] == []


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
