"""Renderables for the terminal. They return rich renderables; only the CLI prints."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from ..domain import BoardState, FindingState, Stage


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
