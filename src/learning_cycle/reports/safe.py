"""Recorded text made safe for where it is shown: a terminal, Markdown, HTML.

Recorded text is data, never instructions to whatever shows it. The value rules refuse control
characters at every way in, but a log may come from an older version or another tool, so each
output defends itself too:

* a terminal gets no escape sequence and no control character but tab and newline
  (:func:`terminal_text`), and no console markup (the CLI's console has it switched off);
* Markdown gets HTML's ``<``, ``>`` and ``&`` as entities and Markdown's syntax escaped with
  backslashes, on one line (:func:`markdown_text`, :func:`markdown_model`);
* HTML escapes everything it interpolates (``html.escape``), as it always has;
* JSON is exact: ``json.dumps`` escapes control characters itself.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-_]"  # other two-character escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # any other control character (tab and newline stay)
)
"""Terminal escape sequences, whole, and control characters."""

MARKDOWN = re.compile(r"([\\`*_\[\]|~#])")
"""Characters that make Markdown (emphasis, code, links and images, tables, strikethrough,
headings) where recorded text is put; ``<``, ``>`` and ``&`` are made entities instead."""

KEEP = frozenset({"kind", "unit", "level", "status", "verdict", "direction", "method", "stage"})
"""Model fields the Markdown template reads as values (a key, a unit, a choice), not shown as recorded text."""


def terminal_text(text: str) -> str:
    """``text`` with terminal escape sequences and control characters (but tab and newline) removed."""
    return ESCAPES.sub("", text)


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown: no HTML, no Markdown syntax, no line break, no control character."""
    text = " ".join(terminal_text(text).splitlines())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN.sub(r"\\\1", text)


def markdown_model(model: Any) -> Any:
    """A copy of a report model with every recorded text made literal Markdown (see :data:`KEEP`)."""
    return _escape(model, markdown_text)


def _escape(value: Any, escape: Any) -> Any:
    if type(value) is str:
        return escape(value)
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            if field.name in KEEP or not field.init:
                continue
            old = getattr(value, field.name)
            new = _escape(old, escape)
            if new is not old:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_escape(v, escape) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):  # keys are keys (a theme, an agency, a kind): values are shown
        return {k: _escape(v, escape) for k, v in value.items()}
    return value
