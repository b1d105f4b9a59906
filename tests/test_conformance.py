"""Every first-party plugin passes the conformance kit, run exactly as a plugin author runs it."""

from __future__ import annotations

import json
from pathlib import Path

import learning_cycle_methods
import learning_cycle_outcomes
import learning_cycle_sources

from learning_cycle.testing import (
    IndicatorSourceConformance,
    OutcomeMeasuresConformance,
    ReviewMethodsConformance,
)


class TestFirstPartyMethods(ReviewMethodsConformance):
    plugin = learning_cycle_methods


class TestFirstPartyOutcomes(OutcomeMeasuresConformance):
    plugin = learning_cycle_outcomes


class TestCsvSource(IndicatorSourceConformance):
    plugin = learning_cycle_sources
    source_key = "csv"

    def write(self, figures, directory: Path) -> str:
        path = directory / "figures.csv"
        rows = ["value,indicator,period_start", *(f"{v!r},{k},{p.isoformat()}" for k, p, v in figures)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        return str(path)

    def write_bad(self, directory: Path) -> tuple[str, int]:
        path = directory / "bad.csv"
        path.write_text(
            "indicator,period_start,value\nkit-a,2013-04-01,1\nkit-a,2013-07-01,1O\nkit-b,2013-04-01,2\n",
            encoding="utf-8",
        )
        return str(path), 3


class TestJsonLinesSource(IndicatorSourceConformance):
    plugin = learning_cycle_sources
    source_key = "jsonl"

    def write(self, figures, directory: Path) -> str:
        path = directory / "figures.jsonl"
        lines = [json.dumps({"indicator": k, "period_start": p.isoformat(), "value": v}) for k, p, v in figures]
        path.write_text("\n".join(lines), encoding="utf-8")
        return str(path)

    def write_bad(self, directory: Path) -> tuple[str, int]:
        path = directory / "bad.jsonl"
        path.write_text(
            '{"indicator": "kit-a", "period_start": "2013-04-01", "value": 1}\n'
            "\n"
            '{"indicator": "kit-a", "period_start": "2013-07-01", "value": "ten"}\n',
            encoding="utf-8",
        )
        return str(path), 3
