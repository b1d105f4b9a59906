"""The rich status view as a person sees it, at several widths, against captured text."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console

from learning_cycle import open_cycle
from learning_cycle.cli.status_view import StatusView, sparkline
from learning_cycle.demo import DEMO_AS_OF, load_demo
from learning_cycle.projections.store import Views

from .conftest import TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("LEARNING_CYCLE_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def status():
    with open_cycle("memory:", user="demo", today=lambda: TODAY) as lc:
        board, _ = load_demo(lc)
        with Views.of(lc) as views:
            yield views.status(board, as_of=DEMO_AS_OF)


class Stream(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # what a terminal or file reports
        return self._encoding


def render(status, width: int, *, terminal: bool = False, encoding: str = "utf-8") -> str:
    out = Stream(encoding)
    console = Console(
        file=out, width=width, force_terminal=terminal, color_system="truecolor" if terminal else None,
        legacy_windows=False, _environ={},
    )  # fmt: skip
    console.print(StatusView(status))
    return out.getvalue()


@pytest.mark.parametrize("width", [60, 100, 140])
def test_the_status_view_at_several_widths(status, width):
    text = render(status, width)
    snapshot = SNAPSHOTS / f"status-{width}.txt"
    if UPDATE:
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8"), (
        f"run with LEARNING_CYCLE_UPDATE_SNAPSHOTS=1 and review {snapshot}"
    )
    assert all(len(line) <= width for line in text.splitlines())


def test_not_a_terminal_means_no_colour_and_plain_boxes(status):
    plain = render(status, 100)
    assert "\x1b[" not in plain
    assert "╭" not in plain and "+--" in plain
    rich = render(status, 100, terminal=True)
    assert "\x1b[" in rich and "╭" in rich


def test_an_ascii_stream_gets_ascii_only(status):
    text = render(status, 100, encoding="ascii")
    assert text.isascii(), {c for c in text if not c.isascii()}
    assert "LEARN 1 -> ACT 3 -> TRAIN 1 -> MONITOR 8" in text


def test_the_view_carries_what_the_board_needs(status):
    text = render(status, 140)
    for must in (
        "LEARN 1 → ACT 3 → TRAIN 1 → MONITOR 8 ↺",
        "Three-year verdicts",
        "Overdue actions by agency",
        "met late on 2014-06-30",
        "▼ deteriorating",
        "▲ improving",
        "[1 restated]",
        "Voice of the child:",
        "1 withheld, 1 delayed",
    ):
        assert must in text, must


def test_sparklines_run_from_lowest_to_highest():
    assert sparkline((1, 2, 3, 4, 5, 6, 7, 8)) == "▁▂▃▄▅▆▇█"
    assert sparkline((5, 5, 5)) == "▁▁▁"
    assert sparkline((0, 10), ascii_only=True) == "_@"
    assert sparkline(()) == ""
