"""Renderables for the terminal. They return rich renderables; only the CLI prints."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from ..domain import BoardState, FindingState, Stage
from ..plugins import Plugins


def findings_payload(board: BoardState, findings: list[FindingState]) -> dict[str, Any]:
    return {
        "board": {"key": board.key, "name": board.name},
        "findings": [
            {
                "id": str(f.finding_id),
                "statement": f.statement,
                "level": f.level.value,
                "nature": f.nature.value,
                "stage": f.stage.value,
                "stage_dates": {s.value: d.isoformat() for s, d in f.stage_dates},
            }
            for f in findings
        ],
    }


def render_findings(board: BoardState, findings: list[FindingState]) -> Table:
    table = Table(title=f"{board.name}: findings and their stage", title_justify="left")
    table.add_column("raised", no_wrap=True)
    table.add_column("finding")
    table.add_column("level", no_wrap=True)
    table.add_column("stage", no_wrap=True)
    table.add_column("since", no_wrap=True)
    for f in findings:
        stage = f.stage
        table.add_row(
            f.raised_on.isoformat(),
            f.statement,
            f.level.value,
            _STAGE_MARK[stage],
            (f.reached(stage) or f.raised_on).isoformat(),
        )
    return table


_STAGE_MARK = {Stage.LEARN: "learn", Stage.ACT: "act", Stage.TRAIN: "train", Stage.MONITOR: "monitor"}


def plugins_payload(plugins: Plugins) -> dict[str, Any]:
    methods = plugins.review_methods()
    return {
        "plugins": [
            {
                "name": info.name,
                "distribution": info.distribution,
                "version": info.version,
                "review_methods": sorted(k for k, c in methods.items() if c.plugin == info.name),
            }
            for info in plugins.plugins()
        ],
        "review_methods": [
            {
                "key": key,
                "title": c.item.title,
                "kinds": list(c.item.kinds),
                "min_agencies": c.item.min_agencies,
                "plugin": c.plugin,
                "distribution": c.distribution,
            }
            for key, c in sorted(methods.items())
        ],
    }


def render_plugins(payload: dict[str, Any]) -> Table:
    table = Table(title="Review methods from plugins", title_justify="left")
    table.add_column("method", no_wrap=True)
    table.add_column("title")
    table.add_column("kinds")
    table.add_column("from", no_wrap=True)
    for m in payload["review_methods"]:
        table.add_row(m["key"], m["title"], ", ".join(m["kinds"]), m["distribution"] or m["plugin"])
    return table
