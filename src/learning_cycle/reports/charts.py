"""Inline SVG charts for the HTML report: no script, no network, printable, with text alternatives.

Each chart is a ``<figure>`` holding an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (what a
screen reader says), a caption, and the same figures as a table in a ``<details>`` element.

Text given to a chart is HTML already: the report escapes its whole model first (:func:`.safe.html_model`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..projections.spc import xmr
from ..projections.stocktake import IndicatorLine

W, H = 640, 220
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 16, 40


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _figure(ident: str, title: str, desc: str, body: str, caption: str, table: str) -> str:
    return (
        f'<figure class="chart" id="{ident}">\n'
        f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {W} {H}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">\n'
        f'<title id="{ident}-t">{title}</title>\n<desc id="{ident}-d">{desc}</desc>\n'
        f"{body}</svg>\n<figcaption>{caption}</figcaption>\n"
        f"<details><summary>The figures as a table</summary>\n{table}</details>\n</figure>\n"
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n"


def run_chart(ident: str, line: IndicatorLine) -> str:
    """A run chart of an indicator with its mean and process limits (an XmR chart)."""
    values = line.values
    if len(values) < 2:
        return f'<p class="no-chart" id="{ident}">{line.title}: not enough figures to chart yet.</p>\n'
    chart = xmr(values)
    flagged = set(line.special)
    lows = [min(values), chart.lower] + ([line.target] if line.target is not None else [])
    highs = [max(values), chart.upper] + ([line.target] if line.target is not None else [])
    low, high = min(lows), max(highs)
    span = (high - low) or 1.0
    x = lambda i: PAD_L + i * (W - PAD_L - PAD_R) / (len(values) - 1)
    y = lambda v: PAD_T + (high - v) * (H - PAD_T - PAD_B) / span
    parts = [
        f'<line class="axis" x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" y2="{H - PAD_B}"/>',
        f'<line class="axis" x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{H - PAD_B}"/>',
    ]
    for label, value, cls in (
        ("upper limit", chart.upper, "limit"),
        ("mean", chart.mean, "mean"),
        ("lower limit", chart.lower, "limit"),
        *((("target", line.target, "target"),) if line.target is not None else ()),
    ):
        parts.append(f'<line class="{cls}" x1="{PAD_L}" y1="{_n(y(value))}" x2="{W - PAD_R}" y2="{_n(y(value))}"/>')
        parts.append(f'<text class="label" x="{PAD_L - 4}" y="{_n(y(value) + 4)}" text-anchor="end">{_n(value)}</text>')
        parts.append(f'<text class="label" x="{W - PAD_R}" y="{_n(y(value) - 3)}" text-anchor="end">{label}</text>')
    points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in enumerate(values))
    parts.append(f'<polyline class="series" points="{points}"/>')
    for i, v in enumerate(values):
        cls = "point special" if i in flagged else "point"
        parts.append(f'<circle class="{cls}" cx="{_n(x(i))}" cy="{_n(y(v))}" r="3.5"/>')
    for i, anchor in ((0, "start"), (len(values) - 1, "end")):
        parts.append(
            f'<text class="label" x="{_n(x(i))}" y="{H - PAD_B + 16}" text-anchor="{anchor}">{line.periods[i]}</text>'
        )
    desc = (
        f"{len(values)} figures from {line.periods[0]} to {line.periods[-1]}, latest {_n(values[-1])}; mean "
        f"{_n(chart.mean)}, process limits {_n(chart.lower)} to {_n(chart.upper)}. Direction of travel: "
        f"{line.direction.replace('_', ' ')} ({line.reason})."
    )
    table = _table(["period", "figure", "special cause"], [(p, _n(v), "yes" if i in flagged else "") for i, (p, v) in enumerate(zip(line.periods, values, strict=True))])  # fmt: skip
    return _figure(ident, f"Run chart: {line.title}", desc, "\n".join(parts) + "\n", desc, table)


def bar_chart(ident: str, title: str, counts: Sequence[tuple[str, int]], caption: str) -> str:
    """Horizontal bars, one per label (the stages of the cycle, the verdicts)."""
    most = max((n for _, n in counts), default=0) or 1
    row = (H - PAD_T - PAD_B) / max(1, len(counts))
    parts = []
    for i, (label, n) in enumerate(counts):
        top = PAD_T + i * row
        width = (W - 200 - PAD_R) * n / most
        parts.append(f'<text class="label" x="180" y="{_n(top + row / 2 + 4)}" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect class="bar bar-{i}" x="190" y="{_n(top + 4)}" width="{_n(width)}" height="{_n(row - 8)}"/>'
        )
        parts.append(f'<text class="label" x="{_n(194 + width)}" y="{_n(top + row / 2 + 4)}">{n}</text>')
    desc = "; ".join(f"{label}: {n}" for label, n in counts) + "."
    return _figure(ident, title, desc, "\n".join(parts) + "\n", caption, _table(["", "findings"], counts))
