"""Every output's one escaping at the edge: recorded text made safe for where it is shown.

Recorded text is data, never instructions to whatever shows it. The value rules refuse control
characters and bidirectional controls at every way in, but a store may have been written by an
older version or by another program, past the rules, so each output defends itself, whatever the
value's origin:

* **control characters** (C0 but tab and newline, DEL, C1) and **bidirectional controls**
  (:data:`~learning_cycle.domain.rules.BIDI_CONTROLS`) are neutralised in every output: the
  terminal, Markdown and HTML show each as :data:`STAND_IN` (a visible sign that the text held
  one), and JSON writes each as a ``\\uXXXX`` escape (exact: the text parses back unchanged);
  an escape sequence is thus broken at its ``ESC`` and shows as text;
* a **terminal** gets no console markup, no emoji code and no highlighting (:class:`SafeConsole`
  in the command line neutralises every piece of text it renders, see :func:`terminal_text`);
* **Markdown** gets every recorded text on one line, with HTML's ``<``, ``>`` and ``&`` as
  entities and Markdown's syntax escaped with backslashes (:func:`markdown_text`);
* **HTML** gets every recorded text escaped (:func:`html_text`);
* **JSON** is exact, its controls escaped (:func:`json_text`).

The reports escape the *model*, not chosen fields: :func:`markdown_model` and :func:`html_model`
walk it and escape every string in it (dictionary keys too), so a field added later is escaped
without anyone remembering to.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..domain.rules import BIDI_CONTROLS

STAND_IN = "\ufffd"
"""What a neutralised character shows as (U+FFFD REPLACEMENT CHARACTER)."""

CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
"""Characters no output shows raw: control characters but tab and newline, and bidirectional controls."""

JSON_CONTROLS = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw that must not be (it escapes C0 itself);
U+2028 and U+2029 too, which end a line in some readers of JSON."""

MARKDOWN = re.compile(r"([\\`*\[\]|~#$^])|(?<![^\W_])_|_(?![^\W_])|:(?=[\w+-]+:)")
"""Markdown syntax where recorded text is put: emphasis, code, links and images, tables,
strikethrough, headings, maths and footnotes; ``_`` unless between two letters or digits (where it
cannot make emphasis, so keys like ``no_evidence_yet`` stay as they are); ``:`` where it opens
an emoji code (``:cross_mark:``). ``<``, ``>`` and ``&`` are made entities instead."""

BLOCK_START = re.compile(r"^([-+=])|^(\d+)([.)])")
"""What makes a block (a list, a heading's underline) when it begins the text."""


def neutralise(text: str, keep: str = "\t\n") -> str:
    """``text`` with each control character (but those in ``keep``) and each bidirectional
    control replaced by :data:`STAND_IN`."""
    return CONTROLS.sub(lambda m: m.group() if m.group() in keep else STAND_IN, text)


def terminal_text(text: str) -> str:
    """``text`` as a terminal may be given it: no control character but tab and newline, no
    bidirectional control (each shows as :data:`STAND_IN`). Markup and emoji codes are the
    console's to switch off."""
    return neutralise(text)


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown on one line: no HTML, no Markdown syntax, no control character."""
    text = " ".join(neutralise(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN.sub(lambda m: "\\" + m.group(), text)
    return BLOCK_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def html_text(text: str) -> str:
    """``text`` as literal HTML (text or a quoted attribute's value), no control character but tab and newline."""
    return html.escape(neutralise(text), quote=True)


def json_text(data: Any, *, indent: int | None = 2, **options: Any) -> str:
    """``data`` as JSON text (readable: not ASCII-only), with every control character and
    bidirectional control written as a ``\\uXXXX`` escape, so it parses back to the same text.
    ``options`` are :func:`json.dumps`'s."""
    text = json.dumps(data, indent=indent, ensure_ascii=False, **options)
    return JSON_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markdown_model(model: Any) -> Any:
    """A copy of a report model with every string in it made literal Markdown."""
    return escape_model(model, markdown_text)


def html_model(model: Any) -> Any:
    """A copy of a report model with every string in it made literal HTML."""
    return escape_model(model, html_text)


def escape_model(value: Any, escape: Callable[[str], str]) -> Any:
    """``value`` with every string in it (in attrs fields, tuples, lists and dictionaries, keys
    too) passed through ``escape``. Enumerations are the code's own words, not recorded text."""
    if type(value) is str:
        return escape(value)
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = escape_model(old, escape)
            if new is not old:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    if isinstance(value, (tuple, list)):
        items = [escape_model(v, escape) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, Mapping):
        return {escape_model(k, escape): escape_model(v, escape) for k, v in value.items()}
    return value
