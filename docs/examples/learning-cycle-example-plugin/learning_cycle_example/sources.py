"""An indicator source: tab-separated figures, as some case systems export them (fictional)."""

from datetime import date
from pathlib import Path

from learning_cycle import BadInput, Column, Figure, IndicatorSource, Problem, Where, hookimpl

TSV_COLUMNS = (
    Column("indicator", "The indicator's key on the board", "cp-plans"),
    Column("period_start", "The first day of the period, YYYY-MM-DD", "2016-04-01"),
    Column("value", "The figure, a plain number", "312"),
)


def read_tsv(location: str) -> list[Figure]:
    """Read ``indicator<TAB>period_start<TAB>value`` lines (no header). Every bad line is
    reported with its line and column; nothing is returned unless every line is good."""
    name = Path(location).name
    figures, problems = [], []
    for number, line in enumerate(Path(location).read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            problems.append(Problem(Where(name, number, 1), "line", line, "needs three tab-separated fields"))
            continue
        places = {}
        column = 1
        for field, cell in zip(("indicator", "period_start", "value"), cells, strict=True):
            places[field] = Where(name, number, column)
            column += len(cell) + 1
        try:
            period_start = date.fromisoformat(cells[1])
        except ValueError:
            problems.append(Problem(places["period_start"], "period_start", cells[1], "must be a date as YYYY-MM-DD"))
            continue
        try:
            value = float(cells[2])
        except ValueError:
            problems.append(Problem(places["value"], "value", cells[2], "must be a number"))
            continue
        figures.append(Figure(cells[0], period_start, value, Where(name, number), places))
    if problems:
        raise BadInput(problems, read=figures)  # the good rows, for the host to check too
    return figures


@hookimpl
def learning_cycle_register_indicator_sources(register):
    register(
        IndicatorSource(
            key="tsv",
            title="Tab-separated figures",
            description="indicator, period_start and value, separated by tabs, one figure a line, no header",
            read=read_tsv,
            columns=TSV_COLUMNS,
            suffixes=(".tsv",),
        )
    )
