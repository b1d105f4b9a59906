"""Words the reports share, so Markdown and HTML say the same thing."""

from __future__ import annotations

from typing import Any

from ..domain import fields
from ..domain.indicator import IndicatorState
from ..domain.values import IndicatorKind
from ..projections.stocktake import EvidenceChain, IndicatorLine, Restatement, StockTake


def label_of(record: type, name: str) -> str:
    """The plain words for field ``name`` of a record's state, event or value type, as its
    module declares them (:mod:`learning_cycle.domain.fields`)."""
    return fields.label(record, name)


def value_of(record: type, name: str, value: Any) -> str:
    """The plain words for a ``value`` of field ``name`` (``section_11_audit``: "Section 11 audit")."""
    return fields.value_words(record, name, value)


KIND_TITLES = {kind.value: value_of(IndicatorState, "kind", kind) for kind in IndicatorKind}
"""The title of each kind of indicator (the words its declaration gives)."""
STAGES = ("learn", "act", "train", "monitor")
VERDICT_ORDER = ("sustained", "improving", "no_evidence_yet", "awaiting_action", "stalled", "deteriorating")
DIRECTION_WORDS = {
    "improving": "improving",
    "deteriorating": "deteriorating",
    "changed": "changed (no better direction)",
    "no_significant_change": "no significant change",
    "not_enough_data": "not enough data to say",
}


RESTRICTED_BANNER = (
    "RESTRICTED: this output holds the material of reports not published, shown by an explicit "
    "read recorded in the board's access log. Do not publish or share it."
)
"""What every output made with restricted access says at its top."""


def verdict_words(verdict: str) -> str:
    return verdict.replace("_", " ")


def nothing(what: str) -> str:
    return f"No {what} recorded: there is no evidence to report."


def as_known(st: StockTake) -> str:
    if st.as_known_at is not None:
        return (
            f"As it could be known at {st.as_known_at.isoformat(timespec='seconds')}: later corrections are not shown."
        )
    return (
        f"As known now (facts up to {st.as_of}). Figures restated since the stock-take are marked "
        "with the value reported at the time."
    )


def figure(value: float | None, unit: str, period: str | None, restated: tuple[Restatement, ...] = ()) -> str:
    if value is None:
        return "no figure yet"
    text = f"{value:g}{unit if unit == '%' else ' ' + unit} ({period})"
    latest = [r for r in restated if r.period == period]
    if latest:
        text += f", restated from {latest[-1].old:g}"
    return text


def direction_words(line: IndicatorLine) -> str:
    words = DIRECTION_WORDS[line.direction]
    if line.assurance:
        words += f"; target {line.target:g}: {line.assurance.replace('_', ' ')}"
    if line.restated:
        words += f"; {len(line.restated)} figure(s) restated"
    return words


def answer(st: StockTake) -> str:
    """The report's answer to the framework's question, from the evidence and nothing else."""
    verdicts = st.picture.by_verdict
    total = sum(verdicts.values())
    if not total:
        return "No finding has been recorded yet, so the board has no evidence either way."
    good = verdicts.get("sustained", 0) + verdicts.get("improving", 0)
    parts = [
        f"Of {total} findings over {st.picture.years[0]} to {st.picture.years[-1]}, {good} show improvement "
        f"({verdicts.get('sustained', 0)} sustained over at least a year, {verdicts.get('improving', 0)} improving)."
    ]
    if verdicts.get("deteriorating"):
        parts.append(f"{verdicts['deteriorating']} are deteriorating.")
    if verdicts.get("stalled"):
        parts.append(f"{verdicts['stalled']} have stalled (overdue actions, or no change when checked).")
    if verdicts.get("no_evidence_yet"):
        parts.append(
            f"For {verdicts['no_evidence_yet']}, the board acted but has not checked whether it made a difference: "
            "there is no evidence yet."
        )
    measured = [s for s in st.statements if s.value is not None]
    missing = [s for s in st.statements if s.value is None]
    if measured:
        parts.append(f"{len(measured)} outcome measures can be answered from the evidence.")
    if missing:
        parts.append(f"{len(missing)} cannot yet: the report says so where they appear.")
    return " ".join(parts)


def chain_links(chain: EvidenceChain) -> list[tuple[str, str]]:
    """The links of an evidence chain after the finding, as (kind, text), in chain order."""
    links = []
    for a in chain.actions:
        done = f"completed {a.completed_on}" if a.completed_on else a.status
        links.append(
            ("action", f"{a.description} ({a.owner}, due {a.due_on}, {done}{', assured' if a.assured else ''})")
        )
    for d in chain.disseminations:
        links.append(("training", f"{d.title} ({d.channel.replace('_', ' ')}, {d.delivered_on}, reach {d.reach})"))
    for c in chain.checks:
        links.append(
            ("check", f"{c.result.replace('_', ' ')} ({c.kind.replace('_', ' ')}, {c.checked_on}): {c.evidence}")
        )
    links += [("indicator", f"{i.title}: {i.direction.replace('_', ' ')}") for i in chain.indicators]
    return links


def log_head(st: StockTake) -> str | None:
    """Where the report's evidence stands in the tamper-evident log (docs/security.md)."""
    if st.log_head is None:
        return None
    position = st.log_head.split(":", 1)[0]
    return (
        f"Made from the event log up to position {position}, digest {st.log_head}. "
        f"`learning-cycle verify --digest {st.log_head}` proves that log unchanged since."
    )
