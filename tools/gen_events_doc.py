"""Write docs/events.md from the event classes: `python tools/gen_events_doc.py`.

A test checks the committed file equals what this produces, so the reference never drifts.
"""

from __future__ import annotations

import inspect
import sys
import typing
from pathlib import Path

from learning_cycle.domain import AGGREGATES, event_classes
from learning_cycle.domain.fields import label
from learning_cycle.eventlog.serialization import payload_fields

HEADER = """# Event reference

Generated from the code by `python tools/gen_events_doc.py`; a test keeps it in step.

Every event is stored with its explicit **topic** (a public contract: never renamed, see
[interchange policy](architecture.md#events-are-forever)) and its **class version**. Besides the
fields below, every stored event has:

| field | meaning |
|---|---|
| `originator_id` | the id (UUID) of the record the event belongs to |
| `originator_version` | its position in that record's history (1, 2, ...) |
| `timestamp` | when it was recorded (UTC), set by the library |
| `effective_on` | when it happened in the world (may be years before it was recorded) |
| `recorded_by` | who recorded it |

Created events also store `originator_topic`, the topic of the record's class.
Stored JSON: dates `YYYY-MM-DD`, ids as canonical UUID text, choices by their value, lists for tuples.
"""


def type_name(kind: object) -> str:
    text = getattr(kind, "__name__", None) if not typing.get_args(kind) else None
    if text is None:
        text = str(kind).replace("typing.", "").replace("uuid.", "").replace("datetime.", "")
        for module in (
            "learning_cycle.domain.values.",
            "learning_cycle.domain.board.",
            "learning_cycle.domain.finding.",
        ):
            text = text.replace(module, "")
    return text


def render() -> str:
    lines = [HEADER]
    by_aggregate: dict[type, list[type]] = {}
    for cls in event_classes():
        owner = next(a for a in AGGREGATES if cls.__qualname__.startswith(a.__name__ + "."))
        by_aggregate.setdefault(owner, []).append(cls)
    for aggregate, classes in by_aggregate.items():
        lines.append(f"\n## {aggregate.__name__}\n")
        lines.append(inspect.cleandoc(aggregate.__doc__ or "") + "\n")
        for cls in classes:
            lines.append(f"\n### `{cls.TOPIC}` (class version {cls.class_version})\n")
            doc = inspect.cleandoc(cls.__doc__ or "") if "__doc__" in vars(cls) and cls.__doc__ else ""
            if doc and not doc.startswith(cls.__name__ + "("):
                lines.append(doc + "\n")
            fields = [(n, k) for n, k in payload_fields(cls) if n not in ("effective_on", "recorded_by")]
            if fields:
                lines.append("| field | type | what it is |\n|---|---|---|")
                lines.extend(f"| `{name}` | `{type_name(kind)}` | {label(cls, name)} |" for name, kind in fields)
            else:
                lines.append("No fields besides the common ones.")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "events.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
