"""Indicator figures from files a board's analysts already produce: CSV and JSON Lines.

Both read the same three fields per figure (see :data:`COLUMNS` and ``schemas/``):

* ``indicator``: the indicator's key on the board;
* ``period_start``: the first day of the period the figure measures (``YYYY-MM-DD``);
* ``value``: the figure, a plain number (``.`` for decimals, no thousands separators).

Every bad row is reported with file, line and column; files are UTF-8 (a byte-order mark is
allowed). Files are read a line at a time and each figure is given as it is read (memory does not
grow with the file); only a regular file is read (a pipe or a device is refused).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from learning_cycle import BadInput, Column, Figure, IndicatorSource, Problem, Where, hookimpl, open_regular

COLUMNS = (
    Column("indicator", "The indicator's key on the board (lower case, digits, '-', '_', '.')", "cp-repeat-plans"),
    Column("period_start", "The first day of the period the figure measures, as YYYY-MM-DD", "2016-04-01"),
    Column("value", "The figure: a plain number, '.' for decimals, no thousands separators", "17.5"),
)
NAMES = tuple(c.name for c in COLUMNS)
KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
NUMBER = re.compile(r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
MAX_PROBLEMS = 50
MAX_LINE = 1 << 20
"""Longest line read (1 MiB, in bytes): a longer one is not a figure, and is reported rather than read."""


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    def add(self, where: Where, field: str, value: Any, reason: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(where, field, value, reason))
        else:
            self.more += 1

    def raise_any(self) -> None:
        """Refuse the file if any row was bad (after its good figures were given, so the host
        checks them against the board too: every problem in one pass)."""
        if self.items:
            raise BadInput(self.items, more=self.more)


def _text_lines(path: str, problems: _Problems, *, skip_long: bool) -> Iterator[tuple[int, str]]:
    """The file's lines, numbered, decoded as they are read (never the whole file in memory): a
    regular file only (:func:`~learning_cycle.open_regular`). A line that is not UTF-8 ends the
    reading with a problem naming its line and column; so does a line longer than
    :data:`MAX_LINE` bytes, unless ``skip_long`` (it is then reported and skipped). A file of
    nothing but blanks is reported as empty."""
    name = Path(path).name
    seen = False
    with open_regular(path) as f:
        number = 0
        while raw := f.readline(MAX_LINE + 1):
            number += 1
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while (rest := f.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                    pass
                problems.add(Where(name, number, 1), "line", f"more than {MAX_LINE} bytes", "is too long")
                if skip_long:
                    continue
                return
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
                problems.add(
                    Where(name, number, column), "encoding", raw[exc.start : exc.start + 4], "is not UTF-8 text"
                )
                return
            seen = seen or bool(line.strip())
            yield number, line
    if not seen and not problems.items:
        problems.add(Where(name, 1), "file", path, "is empty: expected figures")


def _figure(fields: dict[str, Any], where: dict[str, Where], problems: _Problems) -> Figure | None:
    ok = True
    key = fields["indicator"]
    if not isinstance(key, str) or not KEY.fullmatch(key):
        problems.add(
            where["indicator"], "indicator", key, "must be an indicator key (lower case, digits, '-', '_', '.')"
        )
        ok = False
    raw_day = fields["period_start"]
    day = None
    try:
        if not isinstance(raw_day, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw_day):
            raise ValueError
        day = date.fromisoformat(raw_day)
    except ValueError:
        problems.add(where["period_start"], "period_start", raw_day, "must be a date as YYYY-MM-DD")
        ok = False
    raw_value = fields["value"]
    value = None
    try:
        if (isinstance(raw_value, str) and NUMBER.fullmatch(raw_value.strip())) or (
            isinstance(raw_value, (int, float)) and not isinstance(raw_value, bool)
        ):
            value = float(raw_value)
    except OverflowError:  # an integer too large for a float
        value = None
    if value is None or not math.isfinite(value):
        problems.add(where["value"], "value", raw_value, "must be a finite number ('.' for decimals)")
        ok = False
    if not ok:
        return None
    places = {f: where[f] for f in NAMES}
    return Figure(key, day, value, where["row"], places)  # type: ignore[arg-type]


def read_csv(path: str) -> Iterator[Figure]:
    """Figures from a CSV file with a header line naming the columns (in any order), given as
    they are read; then :class:`BadInput` if any row was bad."""
    problems = _Problems()
    name = Path(path).name
    reader = csv.reader((line for _, line in _text_lines(path, problems, skip_long=False)), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.add(Where(name, 1), "header", None, f"is not valid CSV: {exc}")
        header = None
    if header is not None:
        header = [h.strip() for h in header]
        for i, column in enumerate(header, 1):
            if column not in NAMES:
                problems.add(Where(name, 1, i), "header", column, f"is not a column (expected {', '.join(NAMES)})")
            elif column in header[: i - 1]:
                first = header.index(column) + 1
                problems.add(Where(name, 1, i), "header", column, f"is given twice (first in column {first})")
        for column in NAMES:
            if column not in header:
                problems.add(Where(name, 1), "header", header, f"has no {column!r} column")
        if not problems.items:
            index = {column: header.index(column) for column in NAMES}
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.add(Where(name, start), "row", None, f"is not valid CSV: {exc}")
                    break
                line = start
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.add(
                        Where(name, line, min(len(row), len(header)) + 1),
                        "row",
                        row,
                        f"has {len(row)} fields, expected {len(header)} ({', '.join(header)})",
                    )
                    continue
                fields = {c: row[index[c]].strip() for c in NAMES}
                where = {c: Where(name, line, index[c] + 1) for c in NAMES}
                where["row"] = Where(name, line)
                figure = _figure(fields, where, problems)
                if figure is not None:
                    yield figure
    problems.raise_any()


def _at(name: str, number: int, line: str, field: str) -> Where:
    found = line.find(f'"{field}"')
    return Where(name, number, found + 1 if found >= 0 else 1)


def read_jsonl(path: str) -> Iterator[Figure]:
    """Figures from a JSON Lines file: one object per line with the three fields, given as they
    are read; then :class:`BadInput` if any line was bad."""
    problems = _Problems()
    name = Path(path).name
    for number, line in _text_lines(path, problems, skip_long=True):
        line = line.removesuffix("\n").removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(Where(name, number, exc.colno), "json", line[max(0, exc.colno - 10) : exc.colno + 10], exc.msg)
            continue
        except RecursionError:
            problems.add(Where(name, number, 1), "json", line[:20], "is nested too deeply to be a figure")
            continue
        except ValueError as exc:  # e.g. a number of thousands of digits
            problems.add(Where(name, number, 1), "json", line[:20], " ".join(str(exc).split()))
            continue
        if not isinstance(obj, dict):
            problems.add(Where(name, number, 1), "line", obj, "must be a JSON object")
            continue
        row = Where(name, number)
        at = lambda field, number=number, line=line: _at(name, number, line, field)
        bad = False
        for field in obj:
            if field not in NAMES:
                problems.add(at(field), field, obj[field], f"is not a field (expected {', '.join(NAMES)})")
                bad = True
        for field in NAMES:
            if field not in obj:
                problems.add(row, field, None, "is missing")
                bad = True
        if bad:
            continue
        value = obj["value"]
        if isinstance(value, str):  # a JSON number must be a number, not text
            problems.add(at("value"), "value", value, "must be a JSON number, not text")
            continue
        figure = _figure(obj, {**{f: at(f) for f in NAMES}, "row": row}, problems)
        if figure is not None:
            yield figure
    problems.raise_any()


CSV = IndicatorSource(
    key="csv",
    title="CSV file",
    description="A CSV file (UTF-8) with a header line naming the columns indicator, period_start and value.",
    read=read_csv,
    columns=COLUMNS,
    suffixes=(".csv",),
)
JSONL = IndicatorSource(
    key="jsonl",
    title="JSON Lines file",
    description='One JSON object per line: {"indicator": ..., "period_start": "YYYY-MM-DD", "value": number}.',
    read=read_jsonl,
    columns=COLUMNS,
    suffixes=(".jsonl", ".ndjson"),
)


@hookimpl
def learning_cycle_register_indicator_sources(register):
    register(CSV)
    register(JSONL)
