"""Score the last `make mutate` run per module, and name the survivors docs/testing.md does not account for.

    python tools/mutation_scores.py            # after `mutmut run`; reads mutants/**/*.py.meta

A module's score is the share of its mutants that a test killed (a timeout counts as killed: the
mutant broke the code badly enough to hang it), out of those killed, survived or left with no test.
A survivor is accounted for when docs/testing.md names it (in backticks) with the reason it is
equivalent or harmless. Exits 1 when a survivor is not accounted for, so a new one is seen.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
DOC = ROOT / "docs" / "testing.md"
NAME = re.compile(r"`(learning_cycle\.[^`\s]+__mutmut_\d+)`")


def results() -> dict[str, dict[str, str]]:
    """Module path -> {mutant name: status}, from the meta files mutmut leaves beside each mutated file."""
    found = {}
    for meta in sorted(MUTANTS.glob("src/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        module = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
        found[module] = {name: status_by_exit_code[code] for name, code in codes.items()}
    return found


def main() -> int:
    by_module = results()
    if not by_module:
        print("no mutation results: run `make mutate` first", file=sys.stderr)
        return 2
    accounted = set(NAME.findall(DOC.read_text(encoding="utf-8"))) if DOC.exists() else set()
    print("| module | mutants | killed | survived | no test | score |")
    print("|---|---:|---:|---:|---:|---:|")
    unexplained = []
    for module, statuses in by_module.items():
        counts = Counter(statuses.values())
        killed = counts["killed"] + counts["timeout"]
        judged = killed + counts["survived"] + counts["no tests"]
        score = f"{100 * killed / judged:.1f}%" if judged else "-"
        print(f"| `{module}` | {len(statuses)} | {killed} | {counts['survived']} | {counts['no tests']} | {score} |")
        unexplained += [n for n, s in statuses.items() if s in ("survived", "no tests") and n not in accounted]
        unchecked = counts["not checked"]
        if unchecked:
            print(f"|   ({unchecked} not checked: the run was stopped) | | | | | |")
    if unexplained:
        print(f"\n{len(unexplained)} survivor(s) not accounted for in docs/testing.md (`mutmut show NAME`):")
        for name in unexplained:
            print(f"  {name}")
        return 1
    print("\nEvery survivor is accounted for in docs/testing.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
