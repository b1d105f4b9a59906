"""The rich status view as a person sees it, at several widths, against captured text."""

from __future__ import annotations

import io
import os
import re
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from learning_cycle import open_cycle
from learning_cycle.cli.status_view import StatusView, sparkline
from learning_cycle.demo import DEMO_AS_OF, load_demo
from learning_cycle.domain.fields import all_value_words
from learning_cycle.plugins import get_plugins
from learning_cycle.projections.store import Views
from learning_cycle.reports.plain import WORDS, plain

from .cli_helpers import run
from .conftest import TODAY

WIDTHS = [60, 80, 100, 140, 200]

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("LEARNING_CYCLE_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def status():
    with open_cycle("memory:", user="demo", today=lambda: TODAY) as lc:
        board, _ = load_demo(lc)
        with Views.of(lc) as views:
            titles = {key: c.item.title for key, c in get_plugins().review_methods().items()}
            yield views.status(board, as_of=DEMO_AS_OF, methods=titles)


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
    console.print(StatusView(status, why="the day asked for"))
    return out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
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
    text = "\n".join(entries(render(status, 140))) + render(status, 140)
    for must in (
        "LEARN 1 → ACT 3 → TRAIN 1 → MONITOR 8 ↺",
        "Three-year verdicts",
        "Overdue actions by agency",
        "met late on 2014-06-30",
        "▼ deteriorating",
        "▲ improving",
        "[1 figure restated]",
        "Voice of the child:",
        "1 withheld, 1 delayed",
    ):
        assert must in text, must


def test_sparklines_run_from_lowest_to_highest():
    assert sparkline((1, 2, 3, 4, 5, 6, 7, 8)) == "▁▂▃▄▅▆▇█"
    assert sparkline((5, 5, 5)) == "▁▁▁"
    assert sparkline((0, 10), ascii_only=True) == "_@"
    assert sparkline(()) == ""


def entries(text: str) -> list[str]:
    """What a person reads as one entry, each on one line: a table's row (its cells' wrapped lines
    joined, cell by cell) or a stacked entry (a line starting with a date and the indented lines
    under it)."""
    found: list[str] = []
    cells: list[list[str]] = []
    stacked: list[str] = []

    def flush() -> None:
        if cells:
            found.append(" | ".join(" ".join(" ".join(c).split()) for c in cells))
            cells.clear()
        if stacked:
            found.append(" ".join(" ".join(stacked).split()))
            stacked.clear()

    for line in text.splitlines():
        if line.startswith("|"):
            parts = line.strip()[1:-1].split("|")
            if not cells:
                cells.extend([] for _ in parts)
            for cell, part in zip(cells, parts, strict=True):
                cell.append(part)
        elif re.match(r"\d{4}-\d{2}-\d{2} ", line):
            flush()
            stacked.append(line)
        elif stacked and line.startswith(" "):
            stacked.append(line)
        else:
            flush()
    flush()
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_finding_verdict_and_date_reads_in_full(status, width):
    text = render(status, width)
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    pool = entries(text)
    for f in status.findings:
        words = f"not published: see review {f.review}" if f.review else f.statement
        verdict = plain(f.verdict.value)
        whole = [e for e in pool if words in e and verdict in e and str(f.raised_on) in e and f"since {f.since}" in e]
        assert whole, (width, words, verdict, f.raised_on, f.since)
        pool.remove(whole[0])
    for a in status.activities:
        words = f"not published: see review {a.review}" if a.review else a.title
        assert any(words in e and str(a.commissioned_on) in e for e in pool), (width, words)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(min_value=60, max_value=200))
def test_any_width_from_60_to_200_reads_in_full(status, width):
    test_every_finding_verdict_and_date_reads_in_full(status, width)


def test_each_unpublished_review_is_stated_once(status):
    assert status.restricted_reviews
    for width in WIDTHS:
        text = render(status, width)
        assert "[restricted" not in text
        joined = " ".join(text.split())
        for r in status.restricted_reviews:
            assert joined.count(r.reason) == 1, (width, r.label)
            assert re.search(rf"review {r.label} Serious case review: [^|]*{re.escape(r.reason)}", joined)
            refs = sum(1 for f in status.findings if f.review == r.label) + sum(
                1 for a in status.activities if a.review == r.label
            )
            assert joined.count(f"not published: see review {r.label}") == refs


def test_the_day_it_is_as_of_says_why(status):
    then = render(status, 100)
    assert "as of 2018-03-31 (the day asked for); nothing recorded happens after 2018-01-26" in then
    later = attrs.evolve(status, as_of=date(2026, 11, 26))
    text = " ".join(render(later, 100).split())
    assert "Timescales and overdue actions are counted to 2026-11-26: --as-of 2018-01-26" in text


SNAKE = re.compile(r"(?<![\w-])[a-z0-9]+(?:_[a-z0-9]+)+\b")
KEYISH = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")
"""Key-shaped words (a command's --option is not one: the lookbehind)."""


def test_no_internal_key_in_any_terminal_view_of_the_demo(demo_store, tmp_path):
    with open_cycle(str(demo_store), user="reader") as lc, Views.of(lc) as views:
        (board,) = views.boards()
        records = views.records(board.board_id)
    own = " ".join(
        [f.statement for f in records.findings]
        + [a.title for a in records.activities]
        + [r.placeholder for r in records.restricted]
        + [a.description for a in records.actions]
        + [i.title for i in records.indicators]
        + [c.item.title for c in get_plugins().review_methods().values()]
    )
    own += " ".join(all_value_words().values()) + " ".join(WORDS.values())  # the declared words of values
    allowed = set(KEYISH.findall(own)) | set(SNAKE.findall(own))
    keys = {a.key for a in board.agencies} | set(board.districts) | set(get_plugins().review_methods())
    keys |= {p.key for _, ps in board.priorities for p in ps}
    keys = {k for k in keys if not re.search(rf"\b{re.escape(k)}\b", own, re.IGNORECASE)}
    assert {"csc", "yss", "vcs", "scr-traditional", "east-wold"} <= keys
    for verb in (["status"], ["status", "--as-of", "2018-03-31"], ["picture"], ["findings"], ["activities"],
                 ["outcomes", "--as-of", "2018-03-31"]):  # fmt: skip
        for width in ("60", "80", "140"):
            done = run("--store", str(demo_store), *verb, cwd=tmp_path, env={"COLUMNS": width})
            assert done.returncode == 0, done.stderr
            shown = done.stdout
            found = {w for w in SNAKE.findall(shown) + KEYISH.findall(shown) if w not in allowed}
            found |= {k for k in keys if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", shown)}
            assert not found, (verb, width, found)
            assert all(len(line) <= int(width) for line in shown.splitlines()), (verb, width)


def test_a_board_whose_records_stop_in_the_past_says_so(demo_store, tmp_path):
    status = run("--store", str(demo_store), "status", cwd=tmp_path, env={"COLUMNS": "100"})
    said = " ".join(status.stdout.split())
    assert status.returncode == 0, status.stderr
    assert "(today); nothing recorded happens after 2018-01-26" in said
    assert "--as-of 2018-01-26 shows the board as it stood then" in said
    picture = run("--store", str(demo_store), "picture", cwd=tmp_path, env={"COLUMNS": "100"})
    assert picture.returncode == 0, picture.stderr
    assert "Three-year picture 2015/16 to 2017/18" in picture.stdout
    assert "the picture ends with 2017/18, the last year with records" in " ".join(picture.stderr.split())
    chosen = run("--store", str(demo_store), "picture", "--year", "2016/17", cwd=tmp_path)
    assert "2014/15 to 2016/17" in chosen.stdout and "last year with records" not in chosen.stderr
