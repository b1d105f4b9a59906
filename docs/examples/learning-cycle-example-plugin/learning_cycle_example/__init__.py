"""An example third-party plugin for learning-cycle, one of each kind of contribution.

* a review method: appreciative inquiry, learning from what went well;
* an indicator source: tab-separated figures, as some case systems export them;
* an outcome measure: how much of the board's training has had feedback.

Everything here is fictional and for illustration. docs/plugins.md walks through it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from learning_cycle import (
    BadInput,
    BoardRecords,
    Column,
    Figure,
    IndicatorKind,
    IndicatorSource,
    OutcomeMeasure,
    OutcomeValue,
    Problem,
    ReviewMethod,
    Timescale,
    Where,
    hookimpl,
    proportion,
)

# -- a review method ------------------------------------------------------------------

APPRECIATIVE_INQUIRY = ReviewMethod(
    key="appreciative-inquiry",
    title="Appreciative inquiry",
    what="A review that studies a case that went well, to find the conditions that made it go well",
    why="To spread good practice as deliberately as a review of harm spreads lessons",
    who_decides="The case review sub-group",
    steps=(
        "Choose a case that practitioners agree went well",
        "Gather the story from each agency and from the family",
        "Find the conditions for success",
        "Report to the board with what to keep doing",
    ),
    kinds=("appreciative_inquiry",),
    min_agencies=2,
    proportionality="A case of good practice across two or more agencies",
    timescales=(Timescale(40, "started", "completed", "Eight working weeks from the first meeting"),),
    finding_taxonomy=("conditions-for-success", "relationships", "persistence"),
)


@hookimpl
def learning_cycle_register_review_methods(register):
    register(APPRECIATIVE_INQUIRY)


# -- an indicator source --------------------------------------------------------------

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


# -- an outcome measure ---------------------------------------------------------------


def feedback_coverage(records: BoardRecords) -> OutcomeValue:
    """Of the learning delivered so far, the share with feedback recorded."""
    delivered = [d for d in records.disseminations if d.delivered_on <= records.as_of]
    heard = [d for d in delivered if any(f.on <= records.as_of for f in d.feedback)]
    return proportion(len(heard), len(delivered), evidence=tuple(str(d.dissemination_id) for d in heard))


@hookimpl
def learning_cycle_register_outcome_measures(register):
    register(
        OutcomeMeasure(
            key="feedback-coverage",
            title="% of learning delivered that has feedback recorded",
            description="Of the disseminations delivered, the share with at least one piece of feedback.",
            kind=IndicatorKind.HOW_WELL,
            unit="%",
            lower=0.0,
            upper=100.0,
            compute=feedback_coverage,
        )
    )


# -- a verb on the command line -------------------------------------------------------


@hookimpl
def learning_cycle_register_commands(cli):
    import click

    @cli.command(name="example-steps")
    def example_steps():
        """The steps of the example plugin's review method, appreciative inquiry.

        Example: learning-cycle example-steps
        """
        for number, step in enumerate(APPRECIATIVE_INQUIRY.steps, 1):
            click.echo(f"{number}. {step}")
