"""Write the value rules into docs/interchange.md and docs/embedding.md: `python tools/gen_rules_doc.py`.

The rules and their limits come from `learning_cycle.domain.rules`, the one set every way in uses;
a test checks both documents hold what this produces, so they never drift from the code.
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

import attrs

from learning_cycle.domain import event_classes, rules
from learning_cycle.eventlog.serialization import payload_fields

START, END = "<!-- rules:start -->", "<!-- rules:end -->"
DOCS = ("interchange.md", "embedding.md")

MEANING = {
    "key": "a key: lower-case letters, digits, `_`, `-`, `.`; 1 to 64 characters, starting with a letter or digit",
    "short": f"text (a name, title or label): one line, at most {rules.SHORT_TEXT:,} characters",
    "long": f"text (a statement or note): at most {rules.LONG_TEXT:,} characters",
    "note": "text (a note that may be left empty): empty, or as `long`",
    "count": f"a whole number from 0 to {rules.MAX_COUNT:,}",
    "year": f"a reporting year, named by the calendar year it starts in: {rules.FIRST_YEAR} to {rules.LAST_YEAR}",
    "figure": f"a finite number from -{rules.MAX_FIGURE:.0e} to {rules.MAX_FIGURE:.0e}",
    "date": f"a date from {rules.EARLIEST.isoformat()} to today (the day it is recorded)",
    "due": f"a date from {rules.EARLIEST.isoformat()} to {rules.HORIZON_YEARS} years after the event took effect",
    "deadline": f"a date from the day the event took effect to {rules.HORIZON_YEARS} years after it",
}


def _fields() -> dict[str, tuple[str, set[str]]]:
    """Every ruled field path of every event: its rule and the events that have it."""
    found: dict[str, tuple[str, set[str]]] = {}

    def walk(owner: type, name: str, path: str, kind: typing.Any, topic: str) -> None:
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if args and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            walk(owner, name, path, inner, topic)
        elif origin is tuple:
            walk(owner, f"{name}[]", f"{path}[]", args[0], topic)
        elif attrs.has(kind):
            hints = typing.get_type_hints(kind)
            for a in attrs.fields(kind):
                walk(kind, a.name, f"{path}.{a.name}", hints[a.name], topic)
        else:
            rule = rules.rule_at(owner, name)  # as declared with the record (learning_cycle.domain.fields)
            if rule is not None:
                found.setdefault(path, (rule, set()))[1].add(topic.split("/", 1)[1].split(".", 1)[0])

    for cls in event_classes():
        for name, kind in payload_fields(cls):
            walk(cls, name, name, kind, cls.TOPIC)
    return found


def render() -> str:
    lines = [
        "Generated from `learning_cycle.domain.rules` by `python tools/gen_rules_doc.py`. Every way in (the API,",
        "`import`, `pull`, `init`, the command line) checks these rules with the same code; an import",
        "line must also hold its text in Unicode normal form NFC, as every export writes it (commands",
        "normalise text to NFC themselves). Any text: no control character but tab and newline, no",
        "bidirectional control (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), no lone",
        "surrogate, and not blank once spaces and invisible characters (zero-width spaces, joiners,",
        "byte-order marks) are taken away. An import line is at most 1 MiB, and its `recorded_at` is",
        "not after now (ten minutes' difference between two machines' clocks is allowed).",
        "",
        "| rule | a value must be |",
        "|---|---|",
    ]
    lines += [f"| `{rule}` | {meaning} |" for rule, meaning in MEANING.items()]
    lines += ["", "| field | rule | of the records |", "|---|---|---|"]
    for path, (rule, kinds) in sorted(_fields().items()):
        lines.append(f"| `{path}` | `{rule}` | {', '.join(sorted(kinds))} |")
    lines += [
        "",
        "Rules about a value in its context are the records' own: an agency that was a partner on that",
        "date, a district of the board, a figure within its indicator's unit (a percentage from 0 to",
        "100, a count a whole number from 0, any figure of a 'how much' indicator from 0), a due date",
        "not before its finding was raised.",
    ]
    return "\n".join(lines)


def write(folder: Path) -> list[Path]:
    written = []
    for name in DOCS:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        path.write_text(f"{before}{START}\n{render()}\n{END}{after}", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(__file__).resolve().parents[1] / "docs"):
        sys.stdout.write(f"wrote {path}\n")
