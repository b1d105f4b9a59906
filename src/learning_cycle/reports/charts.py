"""Inline SVG charts for the HTML report: no script, no network, printable, with text alternatives.

Each chart is a ``<figure>`` holding an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (what a
screen reader says), a caption, and the same figures as a table in a ``<details>`` element. Axes are
labelled with their units; the lines' labels stand in the right margin, outside the plot, moved
apart so that none sits on another; every point is inside the plot. Making Data Count's variation
and assurance icons are drawn here too (:func:`variation_icon`, :func:`assurance_icon`).

Text given to a chart is HTML already: the report escapes its whole model first (:func:`.safe.html_model`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..projections.spc import xmr
from ..projections.stocktake import IndicatorLine

W, H = 640, 200
PAD_L, PAD_R, PAD_T, PAD_B = 70, 118, 12, 46
INSET = 12
"""Space between the axes and the first and last points."""
GAP = 13
"""The least distance between two labels in the right margin."""

COLOURS = {
    "improving": "#489fdf",
    "concerning": "#ed8b00",
    "neither": "#7030a0",
    "common": "#a6a6a6",
    "none": "#d9d9d9",
    "pass": "#489fdf",
    "fail": "#ed8b00",
    "hitmiss": "#a6a6a6",
}


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _figure(ident: str, title: str, desc: str, body: str, caption: str, table: str, height: int = H) -> str:
    return (
        f'<figure class="chart" id="{ident}">\n'
        f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {W} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">\n'
        f'<title id="{ident}-t">{title}</title>\n<desc id="{ident}-d">{desc}</desc>\n'
        f"{body}</svg>\n<figcaption>{caption}</figcaption>\n"
        f"<details><summary>The figures as a table</summary>\n{table}</details>\n</figure>\n"
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n"


def spread(wanted: Sequence[float], low: float, high: float, gap: float = GAP) -> list[float]:
    """Positions as near ``wanted`` as can be with at least ``gap`` between neighbours, all within
    ``low`` to ``high`` (given in order from top to bottom)."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    at = low - gap
    for i in order:
        at = max(wanted[i], at + gap, low)
        placed[i] = at
    over = (at - high) if order else 0
    if over > 0:  # pushed past the bottom: move all up, keeping the gaps
        for i in order:
            placed[i] -= over
    return placed


def ticks(low: float, high: float) -> list[float]:
    """Round values for the axis between ``low`` and ``high``: three to six of them, a round step
    apart (1, 2 or 5 times a power of ten)."""
    import math

    raw = (high - low) / 4 or 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step) + 1)]


def _unit(unit: str) -> str:
    return "per cent" if unit == "%" else unit


def run_chart(ident: str, line: IndicatorLine) -> str:
    """A run chart of an indicator with its mean and process limits (an XmR chart)."""
    values = line.values
    if len(values) < 2:
        return f'<p class="no-chart" id="{ident}">{line.title}: not enough figures to chart yet.</p>\n'
    chart = xmr(values)
    flagged = set(line.special)
    target = [line.target] if line.target is not None else []
    low, high = min([*values, chart.lower, *target]), max([*values, chart.upper, *target])
    span = (high - low) or 1.0
    low, high = low - span * 0.08, high + span * 0.08  # every point inside the plot, clear of its edges
    span = high - low
    bottom, right = H - PAD_B, W - PAD_R
    x = lambda i: PAD_L + INSET + i * (right - PAD_L - 2 * INSET) / (len(values) - 1)
    y = lambda v: PAD_T + (high - v) * (bottom - PAD_T) / span
    parts = [
        f'<line class="axis" x1="{PAD_L}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
        f'<line class="axis" x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{bottom}"/>',
    ]
    for v in ticks(low, high):
        parts.append(f'<line class="tick" x1="{PAD_L - 4}" y1="{_n(y(v))}" x2="{PAD_L}" y2="{_n(y(v))}"/>')
        parts.append(
            f'<text class="label tick-label" x="{PAD_L - 7}" y="{_n(y(v) + 4)}" text-anchor="end">{_n(v)}</text>'
        )
    lines = [("upper limit", chart.upper, "limit"), ("mean", chart.mean, "mean"), ("lower limit", chart.lower, "limit")]
    if line.target is not None:
        lines.append(("target", line.target, "target"))
    at = spread([y(v) + 4 for _, v, _ in lines], PAD_T + 10, bottom)
    for (label, value, cls), ty in zip(lines, at, strict=True):
        parts.append(f'<line class="{cls}" x1="{PAD_L}" y1="{_n(y(value))}" x2="{right}" y2="{_n(y(value))}"/>')
        parts.append(f'<text class="label line-label" x="{right + 6}" y="{_n(ty)}">{label} {_n(value)}</text>')
    points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in enumerate(values))
    parts.append(f'<polyline class="series" points="{points}"/>')
    for i, v in enumerate(values):
        cls = "point special" if i in flagged else "point"
        parts.append(f'<circle class="{cls}" cx="{_n(x(i))}" cy="{_n(y(v))}" r="3.5"/>')
    for i, anchor in ((0, "start"), (len(values) - 1, "end")):
        parts.append(
            f'<text class="label period-label" x="{_n(x(i) + (-INSET if anchor == "start" else INSET))}" y="{bottom + 15}" text-anchor="{anchor}">{line.periods[i]}</text>'
        )
    parts.append(
        f'<text class="label axis-title" x="{_n((PAD_L + right) / 2)}" y="{H - 6}" text-anchor="middle">period</text>'
    )
    parts.append(
        f'<text class="label axis-title" x="14" y="{_n((PAD_T + bottom) / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_n((PAD_T + bottom) / 2)})">{_unit(line.unit)}</text>'
    )
    desc = (
        f"{len(values)} figures from {line.periods[0]} to {line.periods[-1]}, latest {_n(values[-1])} {_unit(line.unit)}; "
        f"mean {_n(chart.mean)}, process limits {_n(chart.lower)} to {_n(chart.upper)}"
        + (f", target {_n(line.target)}" if line.target is not None else "")
        + (
            f"; {len(flagged)} of the points are part of a special-cause pattern (orange)."
            if flagged
            else "; no special cause."
        )
    )
    table = _table(["period", f"figure ({_unit(line.unit)})", "special cause"], [(p, _n(v), "yes" if i in flagged else "") for i, (p, v) in enumerate(zip(line.periods, values, strict=True))])  # fmt: skip
    return _figure(ident, f"Run chart: {line.title}", desc, "\n".join(parts) + "\n", desc, table)


def bar_chart(ident: str, title: str, counts: Sequence[tuple[str, int]], caption: str, unit: str = "findings") -> str:
    """Horizontal bars, one per label (the stages of the cycle, the verdicts), each with its count."""
    most = max((n for _, n in counts), default=0) or 1
    height = 26 * max(1, len(counts)) + 30
    parts = []
    for i, (label, n) in enumerate(counts):
        top = 6 + i * 26
        width = (W - 260) * n / most
        parts.append(f'<text class="label" x="180" y="{top + 17}" text-anchor="end">{label}</text>')
        parts.append(f'<rect class="bar bar-{i}" x="190" y="{top + 4}" width="{_n(width)}" height="18"/>')
        parts.append(f'<text class="label" x="{_n(196 + width)}" y="{top + 17}">{n}</text>')
    parts.append(
        f'<text class="label axis-title" x="{_n(190 + (W - 260) / 2)}" y="{height - 6}" text-anchor="middle">number of {unit}</text>'
    )
    desc = "; ".join(f"{label}: {n}" for label, n in counts) + "."
    return _figure(ident, title, desc, "\n".join(parts) + "\n", caption, _table(["", unit], counts), height)


def _icon(colour: str, mark: str, title: str) -> str:
    return (
        f'<svg class="icon" aria-hidden="true" data-icon="{title}" viewBox="0 0 32 32" width="32" height="32" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<circle cx="16" cy="16" r="14" fill="#fff" stroke="{colour}" stroke-width="3"/>{mark}</svg>'
    )


def variation_icon(kind: str, title: str, up: bool | None = None) -> str:
    """Making Data Count's variation icon: grey for common-cause variation; blue (improving),
    orange (concerning) or purple (neither) for a special cause, with H or L for higher or lower."""
    colour = COLOURS[kind]
    if kind in ("common", "none"):
        mark = f'<path d="M7 18 Q11 10 15 17 T25 15" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    else:
        letter = "H" if up else "L"
        mark = f'<text x="16" y="21" text-anchor="middle" font-size="14" font-weight="bold" fill="{colour}">{letter}</text>'
    return _icon(colour, mark, title)


def assurance_icon(kind: str, title: str) -> str:
    """Making Data Count's assurance icon: P (consistently meets the target, blue), F (consistently
    misses it, orange), ? (hit and miss, grey)."""
    colour = COLOURS[kind]
    letter = {"pass": "P", "fail": "F", "hitmiss": "?"}[kind]
    mark = f'<text x="16" y="21" text-anchor="middle" font-size="14" font-weight="bold" fill="{colour}">{letter}</text>'
    return _icon(colour, mark, title)


def legend() -> str:
    """What the marks of every run chart mean."""
    items = [
        '<circle class="point" cx="10" cy="10" r="4"/>', "a figure",
        '<circle class="point special" cx="10" cy="10" r="4"/>', "part of a special cause",
        '<line class="mean" x1="0" y1="10" x2="20" y2="10"/>', "mean",
        '<line class="limit" x1="0" y1="10" x2="20" y2="10"/>', "process limits",
        '<line class="target" x1="0" y1="10" x2="20" y2="10"/>', "target",
    ]  # fmt: skip
    cells = "".join(
        f'<li><svg aria-hidden="true" viewBox="0 0 20 20" width="20" height="20">{items[i]}</svg> {items[i + 1]}</li>'
        for i in range(0, len(items), 2)
    )
    return f'<ul class="legend" aria-label="Legend of the run charts">{cells}</ul>\n'
