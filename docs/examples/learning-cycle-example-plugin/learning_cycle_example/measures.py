"""An outcome measure: how much of the board's training has had feedback (fictional)."""

from learning_cycle import BoardRecords, IndicatorKind, OutcomeMeasure, OutcomeValue, hookimpl, proportion


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
