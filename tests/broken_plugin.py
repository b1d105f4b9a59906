"""A deliberately broken plugin: the conformance kit must fail it, saying what is wrong.

* its review method lists no steps;
* its indicator source moves every period on by a day (off the indicator's cadence);
* its outcome measure answers 150 on a 0-100 scale.
"""

from datetime import timedelta

from learning_cycle_sources import read_csv

from learning_cycle import (
    Column,
    IndicatorKind,
    IndicatorSource,
    OutcomeMeasure,
    OutcomeValue,
    ReviewMethod,
    hookimpl,
)


def read_shifted(location):
    return [f.__class__(f.indicator, f.period_start + timedelta(days=1), f.value, f.where) for f in read_csv(location)]


@hookimpl
def learning_cycle_register_review_methods(register):
    register(
        ReviewMethod(
            key="broken-method",
            title="Broken",
            what="A method with no steps",
            why="To be refused",
            who_decides="Nobody",
            steps=(),
            kinds=("deep_dive",),
        )
    )


@hookimpl
def learning_cycle_register_indicator_sources(register):
    register(
        IndicatorSource(
            key="shifted",
            title="Shifted CSV",
            description="Reads CSV and moves every period on a day",
            read=read_shifted,
            columns=(Column("indicator", "key", "x"),),
        )
    )


@hookimpl
def learning_cycle_register_outcome_measures(register):
    register(
        OutcomeMeasure(
            key="too-much",
            title="Too much",
            description="Always 150",
            kind=IndicatorKind.BETTER_OFF,
            unit="%",
            lower=0.0,
            upper=100.0,
            compute=lambda records: OutcomeValue(150.0),
        )
    )
