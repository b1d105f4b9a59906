"""The conformance kit fails a broken plugin, and says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

BROKEN = (Path(__file__).parent / "broken_plugin.py").read_text(encoding="utf-8")
CONFORMANCE_TESTS = """
from pathlib import Path

import broken_plugin
from learning_cycle.testing import (
    IndicatorSourceConformance,
    OutcomeMeasuresConformance,
    ReviewMethodsConformance,
)


class TestBrokenMethods(ReviewMethodsConformance):
    plugin = broken_plugin


class TestBrokenSource(IndicatorSourceConformance):
    plugin = broken_plugin
    source_key = "shifted"

    def write(self, figures, directory):
        path = Path(directory) / "figures.csv"
        rows = ["indicator,period_start,value", *(f"{k},{p.isoformat()},{v!r}" for k, p, v in figures)]
        path.write_text("\\n".join(rows) + "\\n", encoding="utf-8")
        return str(path)

    def write_bad(self, directory):
        path = Path(directory) / "bad.csv"
        path.write_text("indicator,period_start,value\\nkit-a,2013-04-01,x\\n", encoding="utf-8")
        return str(path), 2


class TestBrokenOutcomes(OutcomeMeasuresConformance):
    plugin = broken_plugin
"""


@pytest.fixture
def broken_run(pytester: pytest.Pytester):
    pytester.makepyfile(broken_plugin=BROKEN, test_broken=CONFORMANCE_TESTS)
    pytester.makeconftest(
        "from hypothesis import Phase, settings\n"
        "settings.register_profile('quick', phases=[Phase.explicit, Phase.generate])\n"
        "settings.load_profile('quick')\n"
        'pytest_plugins = ["learning_cycle.testing"]\n'
    )
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")


def test_the_kit_fails_a_broken_plugin_and_says_what_is_wrong(broken_run):
    out = broken_run.stdout.str()
    assert broken_run.ret == pytest.ExitCode.TESTS_FAILED
    # the malformed review method is refused by name, with the plugin named
    assert (
        "plugin 'broken_plugin', hook learning_cycle_register_review_methods: review method 'broken-method': "
        "steps must list how it is done, in order" in out
    )
    # the source's figures are not what was written: the periods moved off the cadence
    assert "TestBrokenSource::test_reads_back_exactly_what_was_written_on_the_cadence" in out
    assert "is off the indicator's quarterly cadence" in out
    # the measure is outside its declared range: the host refuses its answer, naming plugin and measure
    assert (
        "plugin 'broken_plugin', hook compute of outcome measure 'too-much': returned value 150.0, "
        "outside its declared range [0.0, 100.0]" in out
    )
    # what the broken plugin does right still passes: its source reports a bad row by line and column
    assert "TestBrokenSource::test_a_bad_row_names_its_line_and_column" not in out
    assert broken_run.parseoutcomes()["passed"] >= 1
