"""Write the generated JSON Schemas into schemas/: `python tools/gen_schemas.py`.

Schemas of the current class versions are (re)written; a schema of a past class version is never
touched, so old exports stay checkable. A test checks the committed files equal what this produces.
"""

from __future__ import annotations

import json
from pathlib import Path

from learning_cycle.interchange.schemas import all_schemas

ROOT = Path(__file__).resolve().parents[1] / "schemas"


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    for name, schema in all_schemas().items():
        path = ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
        print(path.relative_to(ROOT.parent))


if __name__ == "__main__":
    main()
