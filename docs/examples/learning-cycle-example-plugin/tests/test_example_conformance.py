"""The example plugin's own tests: the conformance kit, subclassed once per hook."""

from pathlib import Path

import learning_cycle_example

from learning_cycle.testing import (
    IndicatorSourceConformance,
    OutcomeMeasuresConformance,
    ReviewMethodsConformance,
)


class TestReviewMethods(ReviewMethodsConformance):
    plugin = learning_cycle_example


class TestTsvSource(IndicatorSourceConformance):
    plugin = learning_cycle_example
    source_key = "tsv"

    def write(self, figures, directory: Path) -> str:
        path = directory / "figures.tsv"
        path.write_text("".join(f"{k}\t{p.isoformat()}\t{v!r}\n" for k, p, v in figures), encoding="utf-8")
        return str(path)

    def write_bad(self, directory: Path) -> tuple[str, int]:
        path = directory / "bad.tsv"
        path.write_text("kit-a\t2013-04-01\t1\nkit-a\t2013-07-01\tmany\n", encoding="utf-8")
        return str(path), 2


class TestOutcomeMeasures(OutcomeMeasuresConformance):
    plugin = learning_cycle_example
