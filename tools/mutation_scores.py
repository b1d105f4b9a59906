"""Score the last `make mutate` run per module, and name the survivors docs/testing.md does not account for.

    python tools/mutation_scores.py            # after `mutmut run`; reads mutants/**/*.py.meta
    python tools/mutation_scores.py --rerun    # first runs each survivor again, alone (make mutate does)

A module's score is the share of its mutants that a test killed (a timeout counts as killed: the
mutant broke the code badly enough to hang it), out of those killed, survived or left with no test.
A survivor is accounted for when docs/testing.md names it (in backticks) with the reason it is
equivalent or harmless. Exits 1 when a survivor is not accounted for, so a new one is seen.

With ``--rerun``, every survivor of the full run is first run again by itself (``mutmut run NAME...``):
in the full run, with workers forked from one process, a few mutants of functions that every test
reaches were seen to survive tests that kill them when run alone. A result is counted only for a
mutant the mutated source still holds (a name left in mutmut's records from an earlier generation
is stale, and skipped).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
DOC = ROOT / "docs" / "testing.md"
NAME = re.compile(r"`(learning_cycle\.[^`\s]+__mutmut_\d+)`")


def results() -> dict[str, dict[str, str]]:
    """Module path -> {mutant name: status}, from the meta files mutmut leaves beside each mutated
    file; only mutants the mutated file still defines."""
    found = {}
    for meta in sorted(MUTANTS.glob("src/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        source = meta.with_suffix("").read_text(encoding="utf-8")
        module = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
        found[module] = {
            name: status_by_exit_code[code]
            for name, code in codes.items()
            if f"def {name.rsplit('.', 1)[-1]}(" in source
        }
    return found


def rerun(by_module: dict[str, dict[str, str]]) -> None:
    survivors = [n for statuses in by_module.values() for n, s in statuses.items() if s == "survived"]
    if survivors:
        mutmut = Path(sys.executable).with_name("mutmut")
        subprocess.run([str(mutmut), "run", "--max-children", "2", *survivors], cwd=ROOT, check=True)


def main() -> int:
    by_module = results()
    if not by_module:
        print("no mutation results: run `make mutate` first", file=sys.stderr)
        return 2
    if "--rerun" in sys.argv[1:]:
        rerun(by_module)
        by_module = results()
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
