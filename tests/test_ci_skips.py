"""Under CI=true a skipped test fails the session unless it is allowed, with its reason."""

from __future__ import annotations

import pytest

from . import ci_skips

pytest_plugins = ["pytester"]

INNER = """
import pytest

def test_needs_a_browser():
    pytest.skip("no browser on this machine")

@pytest.mark.skipif(True, reason="no server")
def test_marked_skip():
    pass

def test_allowed():
    pytest.skip("cannot hold when run as root")

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_to_fail():
    assert False

def test_passes():
    assert True
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    pytester.makepyfile(test_inner=INNER)
    monkeypatch.setitem(ci_skips.ALLOWED_SKIPS, "test_inner.py::test_allowed", "root ignores permissions")

    def run(ci: str | None) -> pytest.RunResult:
        if ci is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", ci)
        return pytester.runpytest("-p", "tests.ci_skips", "-p", "no:cacheprovider", "-rA")

    return run


def test_under_ci_a_skip_not_on_the_allow_list_fails_and_says_how_to_allow_it(inner):
    result = inner("true")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # a skip in the test fails it; a skip in setup (a skipif mark, a fixture) is an error there
    result.assert_outcomes(passed=1, failed=1, errors=1, skipped=1, xfailed=1)
    out = result.stdout.str()
    assert "FAILED test_inner.py::test_needs_a_browser" in out
    assert "ERROR test_inner.py::test_marked_skip" in out
    assert "skipped under CI=true (no browser on this machine)" in out
    assert "SKIPPED [1] test_inner.py:11: cannot hold when run as root" in out
    assert "add 'test_inner.py::test_marked_skip' to ALLOWED_SKIPS in tests/ci_skips.py" in out


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_skips_are_only_reported(inner, ci):
    result = inner(ci)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
