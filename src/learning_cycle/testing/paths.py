"""The conformance kit's part for issue 24's decision paths, sub-groups, links and programmes: steps
:func:`~.strategies.histories` adds to a drawn history (a board's sub-groups, a programme planned
from a priority, an activity commissioned for it by a method with a decision path, each step of the
path taken, an activity it prompted, and a change of owner)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from ..application import LearningCycle
from ..domain.menu import Menu

SUBGROUPS = ("Quality Assurance Sub-group", "Case Review Sub-group")
Add = Callable[[str, Callable[[LearningCycle, dict[str, Any]], Any], date], None]


def _role(declared: str, agency: str) -> str:
    """A role that fits the path's ``declared`` one (any sub-group or agency: the history's first)."""
    return {"subgroup": f"subgroup:{SUBGROUPS[0]}", "agency": f"agency:{agency}"}.get(declared, declared)


def path_steps(draw: st.DrawFn, menu: Menu, add: Add, first: date, agencies: list[str], findings: list[str]) -> None:
    """Add the steps of paths, owners, links and a programme to a history begun on ``first``."""
    usable = sorted(
        (m for m in menu.methods.values() if m.path is not None and m.kinds and m.min_agencies <= len(agencies)),
        key=lambda m: m.key,
    )
    if not usable or not draw(st.booleans()):
        return
    method = draw(st.sampled_from(usable))
    kind = draw(st.sampled_from(sorted(method.kinds)))
    planned = first + timedelta(days=draw(st.integers(0, 900)))
    for name in SUBGROUPS:

        def subgroup(lc: LearningCycle, r: dict[str, Any], name: str = name) -> None:
            lc.add_subgroup(r["board"], name, on=first)

        add(f"add sub-group {name!r}", subgroup, first)

    def plan(lc: LearningCycle, r: dict[str, Any]) -> None:
        year = lc.board(r["board"]).year_of(planned).label
        lc.set_priorities(r["board"], year, [("paths-priority", "A priority of the year")], on=planned)
        lc.plan_programme_item(r["board"], year=year, item="item-1", title="Planned item",
                               priorities=["paths-priority"], on=planned)  # fmt: skip

    add(f"plan a programme item of the year of {planned}", plan, planned)
    prompted_by: str | None = None
    linked: bool = draw(st.booleans())
    if findings and linked:
        prompted_by = draw(st.sampled_from(findings))

    def commission(lc: LearningCycle, r: dict[str, Any]) -> None:
        finding = r[prompted_by] if prompted_by else None  # a link only to a finding raised by then
        if finding is not None and lc.finding(r["board"], finding).raised_on > planned:
            finding = None
        r["paths-a"] = lc.commission_activity(
            r["board"], kind=kind, method=method.key, title="Activity paths-a", why="Planned",
            decided_by="As the path says", proportionality="Proportionate", agencies=agencies,
            subgroup=SUBGROUPS[0], prompted_by_priority="paths-priority", programme_item="item-1",
            prompted_by_finding=finding, on=planned,
        )  # fmt: skip

    add(
        f"commission paths-a ({kind} by {method.key}) for item-1 on {planned}, prompted by {prompted_by}",
        commission,
        planned,
    )
    day = planned
    assert method.path is not None
    for step in method.path.steps[: draw(st.integers(0, len(method.path.steps)))]:
        day += timedelta(days=draw(st.integers(0, 30)))
        role = _role(method.path.role(step) or "", agencies[0])

        def take(lc: LearningCycle, r: dict[str, Any], step: str = step, role: str = role, on: date = day) -> None:
            lc.record_decision_step(r["board"], r["paths-a"], step=step, role=role, on=on)

        add(f"paths-a: {step} by {role} on {day}", take, day)
    if draw(st.booleans()):
        later = day + timedelta(days=draw(st.integers(0, 200)))

        def prompted(lc: LearningCycle, r: dict[str, Any]) -> None:
            r["paths-b"] = lc.commission_activity(
                r["board"], kind=kind, method=method.key, title="Activity paths-b", why="Prompted",
                decided_by="As the path says", proportionality="Proportionate", agencies=agencies,
                prompted_by_activity=r["paths-a"], on=later,
            )  # fmt: skip
            lc.assign_activity_subgroup(r["board"], r["paths-a"], SUBGROUPS[1], on=later)

        add(f"commission paths-b prompted by paths-a on {later}, owned by {SUBGROUPS[1]!r} from then", prompted, later)
