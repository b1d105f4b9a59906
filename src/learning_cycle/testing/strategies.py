"""Hypothesis strategies for learning-cycle's public value types and for whole, valid histories.

::

    from hypothesis import given
    from learning_cycle.testing.strategies import histories

    @given(histories())
    def test_my_measure_is_total(history):
        lc = history.cycle()
        board_id = history.replay(lc)
        ...

Every history a strategy draws is valid: replaying it never breaks a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import attrs
from hypothesis import strategies as st

from ..application import LearningCycle
from ..domain import (
    Agency,
    Cadence,
    CheckKind,
    CheckResult,
    IndicatorKind,
    Level,
    Menu,
    Nature,
    Period,
    Polarity,
    Priority,
    PublicationDecision,
    PublicationStatus,
    ReportingYear,
    VoiceOfChild,
    YearStart,
    rules,
)
from ..domain.errors import InvalidValue
from ..domain.values import Channel
from .framework import framework_steps
from .involvement import involvement_steps
from .paths import path_steps
from .returns import returns_steps

FIRST_DAY = date(2013, 4, 1)
"""Histories start on this day (the start of the 2013/14 reporting year)."""
AGENCIES = (
    Agency("csc", "Children's Social Care"),
    Agency("police", "Police"),
    Agency("health", "Health"),
    Agency("education", "Education"),
    Agency("probation", "Probation"),
    Agency("voluntary", "Voluntary sector"),
)
DISTRICTS = ("north", "south", "east", "west")
INDICATOR_TAGS = ("early-help", "statutory-services", "parents-positive-difference", "neglect", "missing")

keys = st.from_regex(r"\A[a-z][a-z0-9-]{0,15}\Z")


def is_text(value: str) -> bool:
    """Whether every way in takes ``value`` as it is (the one set of rules: NFC, no control
    character but tab and newline, not blank; see :mod:`learning_cycle.domain.rules`)."""
    try:
        rules.check_text("text", value, normalise=False)
    except InvalidValue:
        return False
    return True


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(is_text)
dates = st.dates(min_value=FIRST_DAY, max_value=date(2025, 3, 31))
agencies = st.builds(Agency, keys, texts)
priorities = st.builds(Priority, keys, texts)
voices = st.one_of(st.builds(VoiceOfChild, st.just(False)), st.builds(VoiceOfChild, st.just(True), texts))
publication_decisions = st.one_of(
    st.builds(PublicationDecision, st.just(PublicationStatus.PUBLISHED), reference=texts),
    st.builds(PublicationDecision, st.just(PublicationStatus.WITHHELD), reason=texts),
    st.builds(PublicationDecision, st.just(PublicationStatus.DELAYED), reason=texts, review_on=dates),
)
year_starts = st.builds(YearStart, st.integers(1, 12), st.just(1))
reporting_years = st.builds(ReportingYear, st.integers(2000, 2040))


@st.composite
def periods(draw: st.DrawFn, cadence: Cadence | None = None, year_start: YearStart | None = None) -> Period:
    """A period on ``cadence`` (any, if not given) of a board whose year starts at ``year_start``."""
    cadence = cadence or draw(st.sampled_from(list(Cadence)))
    year_start = year_start or YearStart()
    year = draw(st.integers(2013, 2024))
    start = date(year, year_start.month, year_start.day)
    step = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.ANNUAL: 12}[cadence]
    months = draw(st.integers(0, 12 // step - 1)) * step
    month = start.month - 1 + months
    return Period(date(start.year + month // 12, month % 12 + 1, 1), cadence)


PATTERNS = ("none", "shift", "trend", "outlier", "near_limit_pair")
"""The special-cause patterns :func:`indicator_series` can inject at the end of a series."""


@st.composite
def indicator_series(
    draw: st.DrawFn,
    *,
    min_size: int = 0,
    max_size: int = 40,
    low: float = 0.0,
    high: float = 100.0,
    pattern: str | None = None,
) -> list[float]:
    """Figures for one indicator, long enough to judge (up to ``max_size``), within ``[low, high]``
    and rounded to one decimal place: common-cause noise around a level, with a special-cause
    ``pattern`` (any of :data:`PATTERNS` if not given) injected at the end, upward or downward: a
    shift of the last seven or more, a trend of the last seven or more, an outlier as the latest
    figure, or two of the last three figures near a process limit. A series too short for its
    pattern gets noise only."""
    size = draw(st.integers(min_size, max_size))
    pattern = pattern or draw(st.sampled_from(PATTERNS))
    level = draw(st.floats(low + (high - low) * 0.3, low + (high - low) * 0.7))
    spread = (high - low) * draw(st.sampled_from([0.01, 0.02, 0.04]))
    noise = draw(st.lists(st.floats(-1, 1), min_size=size, max_size=size))
    values = [level + spread * n for n in noise]
    up = 1 if draw(st.booleans()) else -1
    run = draw(st.integers(7, 10))
    if pattern == "shift" and size >= 12 + run:
        values[-run:] = [level + up * spread * (1.2 + 0.3 * n) for n in noise[-run:]]
    elif pattern == "trend" and size >= 12 + run:
        values[-run:] = [level + up * spread * 0.25 * (i - run / 2) for i in range(run)]
    elif pattern == "outlier" and size >= 12:
        values[-1] = level + up * 8 * spread
    elif pattern == "near_limit_pair" and size >= 12:
        # the noise's mean moving range is about 2/3 of the spread: near a limit is beyond about 1.2
        # spreads from the mean, and the limit about 1.8 spreads out
        values[-3:] = [level + up * 1.5 * spread, level + up * 0.3 * spread, level + up * 1.5 * spread]
    return [round(min(high, max(low, v)), 1) for v in values]


@attrs.frozen
class Step:
    """One command of a history: its description (shown when a test fails) and how to run it."""

    description: str
    run: Callable[[LearningCycle, dict[str, Any]], Any] = attrs.field(repr=False)

    def __repr__(self) -> str:
        return self.description


@attrs.frozen
class History:
    """A valid sequence of commands for one board, and the menu it was drawn against."""

    key: str
    menu: Menu = attrs.field(repr=False)
    steps: tuple[Step, ...]
    last_day: date

    def cycle(self, store: str = "memory:", **options: Any) -> LearningCycle:
        """A new :class:`LearningCycle` with this history's menu, whose today is after its last day."""
        options.setdefault("today", lambda: max(self.last_day, date.today()))
        options.setdefault("user", "hypothesis")
        return LearningCycle(store, menu=self.menu, **options)

    def replay(self, lc: LearningCycle) -> UUID:
        """Run every step against ``lc``; returns the board's id."""
        refs: dict[str, Any] = {}
        for step in self.steps:
            step.run(lc, refs)
        return refs["board"]


def _later(draw: st.DrawFn, day: date, most: int = 120) -> date:
    return day + timedelta(days=draw(st.integers(0, most)))


@st.composite
def histories(
    draw: st.DrawFn,
    menu: Menu | None = None,
    *,
    max_activities: int = 3,
    max_indicators: int = 2,
    max_figures: int = 40,
) -> History:
    """A whole, valid history of one board: activities by the menu's methods (the installed
    plugins' menu if none is given), findings with responses, actions, disseminations and checks,
    and indicators with up to ``max_figures`` quarterly figures (:func:`indicator_series`), targets
    and corrections. Evidence may be backdated: a finding's checks are recorded in any order of
    their dates, and an action may be recorded last with a date before the board's response, as
    when history is backfilled. Histories shrink towards an empty board."""
    if menu is None:
        from ..plugins import get_plugins

        menu = get_plugins().menu()
    key = draw(keys)
    steps: list[Step] = []
    findings: list[str] = []
    last = FIRST_DAY

    def add(description: str, run: Callable[[LearningCycle, dict[str, Any]], Any], on: date) -> None:
        nonlocal last
        last = max(last, on)
        steps.append(Step(description, run))

    add(
        f"create board {key!r} on {FIRST_DAY}",
        lambda lc, r: r.__setitem__(
            "board",
            lc.create_board(key, "Board (fictional)", agencies=AGENCIES, districts=DISTRICTS, on=FIRST_DAY),
        ),
        FIRST_DAY,
    )
    usable = sorted(
        (m for m in menu.methods.values() if m.min_agencies <= len(AGENCIES) and m.kinds), key=lambda m: m.key
    )
    for n in range(draw(st.integers(0, max_activities if usable else 0))):
        method = draw(st.sampled_from(usable))
        kind = draw(st.sampled_from(sorted(method.kinds)))
        involved = draw(st.integers(method.min_agencies, len(AGENCIES)))
        names = [a.key for a in AGENCIES[:involved]]
        voice = draw(voices)
        commissioned = _later(draw, FIRST_DAY, 1500)
        a = f"activity{n}"
        add(
            f"commission {a} ({kind} by {method.key}) on {commissioned}",
            lambda lc, r, a=a, kind=kind, method=method, names=names, voice=voice, on=commissioned: r.__setitem__(
                a,
                lc.commission_activity(
                    r["board"],
                    kind=kind,
                    method=method.key,
                    title=f"Activity {a}",
                    why="Drawn by hypothesis",
                    decided_by="Chair",
                    proportionality="Proportionate",
                    agencies=names,
                    voice_of_child=voice,
                    on=on,
                ),
            ),
            commissioned,
        )
        if not draw(st.booleans()):
            continue
        started = _later(draw, commissioned)
        add(
            f"start {a} on {started}",
            lambda lc, r, a=a, on=started: lc.start_activity(r["board"], r[a], on=on),
            started,
        )
        day = started
        for k in range(draw(st.integers(0, 2))):
            f = f"{a}.finding{k}"
            raised = _later(draw, started, 200)
            day = max(day, raised)
            level = draw(st.sampled_from(list(Level)))
            nature = draw(st.sampled_from(list(Nature)))
            tags = (
                tuple(draw(st.lists(st.sampled_from(sorted(method.finding_tags)), max_size=2, unique=True)))
                if method.finding_tags
                else ()
            )
            fvoice = draw(voices)
            findings.append(f)
            add(
                f"raise {f} ({level.value}, {nature.value}) on {raised}",
                lambda lc, r, a=a, f=f, level=level, nature=nature, tags=tags, v=fvoice, on=raised: r.__setitem__(
                    f,
                    lc.raise_finding(
                        r["board"],
                        r[a],
                        statement=f"Finding {f}",
                        level=level,
                        nature=nature,
                        agencies=["csc"],
                        patterns=tags,
                        voice_of_child=v,
                        on=on,
                    ),
                ),
                raised,
            )
            if not draw(st.booleans()):
                continue
            responded = _later(draw, raised)
            add(
                f"respond to {f} on {responded}",
                lambda lc, r, f=f, on=responded: lc.respond_to_finding(r["board"], r[f], "We will act", on=on),
                responded,
            )
            day = max(day, responded)
            for j in range(draw(st.integers(0, 2))):
                x = f"{f}.action{j}"
                owner = draw(st.sampled_from(names))
                due = _later(draw, responded, 365)
                add(
                    f"raise {x} owned by {owner} due {due}",
                    lambda lc, r, f=f, x=x, owner=owner, due=due, on=responded: r.__setitem__(
                        x,
                        lc.raise_action(r["board"], r[f], owner=owner, description=f"Action {x}", due_on=due, on=on),
                    ),
                    responded,
                )
                if draw(st.booleans()):
                    done = _later(draw, responded, 500)
                    add(
                        f"complete {x} on {done}",
                        lambda lc, r, x=x, on=done: lc.complete_action(r["board"], r[x], "Done", on=on),
                        done,
                    )
                    day = max(day, done)
            checked_from = responded
            if draw(st.booleans()):
                delivered = _later(draw, responded, 200)
                reach = draw(st.integers(0, 500))
                add(
                    f"disseminate {f} on {delivered}",
                    lambda lc, r, f=f, reach=reach, on=delivered: lc.record_dissemination(
                        r["board"],
                        channel=Channel.BRIEFING,
                        title=f"Briefing on {f}",
                        audience="Practitioners",
                        districts=["north"],
                        reach=reach,
                        finding_ids=[r[f]],
                        on=on,
                    ),
                    delivered,
                )
                checked_from = delivered
            backdated = draw(st.booleans())
            for _ in range(draw(st.integers(0, 3))):
                checked = _later(draw, checked_from, 400)
                if not backdated:  # else each check's date is drawn afresh: recorded out of date order
                    checked_from = checked
                result = draw(st.sampled_from(list(CheckResult)))
                add(
                    f"check {f} on {checked}: {result.value}",
                    lambda lc, r, f=f, result=result, on=checked: lc.record_check(
                        r["board"], r[f], kind=CheckKind.RE_AUDIT, result=result, evidence="Audit", on=on
                    ),
                    checked,
                )
                day = max(day, checked)
            if responded > raised and draw(st.booleans()):
                earlier = raised + timedelta(days=draw(st.integers(0, (responded - raised).days - 1)))
                x = f"{f}.backdated-action"
                add(
                    f"raise {x} backdated to {earlier}, before the response",
                    lambda lc, r, f=f, x=x, on=earlier, due=responded: r.__setitem__(
                        x,
                        lc.raise_action(r["board"], r[f], owner="csc", description=f"Action {x}", due_on=due, on=on),
                    ),
                    earlier,
                )
        if draw(st.booleans()):
            completed = _later(draw, day)
            add(
                f"complete {a} on {completed}",
                lambda lc, r, a=a, on=completed: lc.complete_activity(r["board"], r[a], on=on),
                completed,
            )
            if draw(st.booleans()):
                approved = _later(draw, completed)
                decision = draw(publication_decisions)
                if decision.review_on is not None and decision.review_on < approved:  # reviewed after the decision
                    decision = attrs.evolve(decision, review_on=_later(draw, approved, 365))
                add(
                    f"approve {a}'s report on {approved}, decide {decision.status.value}",
                    lambda lc, r, a=a, d=decision, on=approved: (
                        lc.approve_report(r["board"], r[a], on=on),
                        lc.decide_publication(r["board"], r[a], d, on=on),
                    ),
                    approved,
                )
    path_steps(draw, menu, add, FIRST_DAY, [a.key for a in AGENCIES], findings)
    for n in range(draw(st.integers(0, max_indicators))):
        ikey = f"indicator-{n}"
        polarity = draw(st.sampled_from(list(Polarity)))
        kind = draw(st.sampled_from(list(IndicatorKind)))
        tags = tuple(draw(st.lists(st.sampled_from(INDICATOR_TAGS), max_size=2, unique=True)))
        values = draw(indicator_series(max_size=max_figures))
        target = draw(st.none() | st.floats(0, 100).map(lambda v: round(v, 1)))
        linked = tuple(draw(st.lists(st.sampled_from(findings), max_size=2, unique=True))) if findings else ()

        def define(
            lc, r, ikey=ikey, polarity=polarity, kind=kind, tags=tags, values=values, target=target, linked=linked
        ):
            _indicator(lc, r["board"], ikey, kind, polarity, tags, values, target, [r[f] for f in linked])

        add(
            f"define {ikey} ({kind.value}, {polarity.value}, target {target}, tags {tags}, findings {linked}) "
            f"with figures {values}",
            define,
            _quarter(len(values) + 1),
        )
        if values and draw(st.booleans()):
            index = draw(st.integers(0, len(values) - 1))
            shift = draw(st.floats(0.1, 10))
            # a restated percentage (the indicators here are in %) stays from 0 to 100
            new = round(values[index] + shift if values[index] + shift <= 100 else values[index] - shift, 1)
            on = _quarter(len(values) + 2)
            add(
                f"correct {ikey} figure {index} to {new}",
                lambda lc, r, ikey=ikey, index=index, new=new, on=on: lc.correct_measurement(
                    r["board"], ikey, _quarter(index), new, "Restated", on=on
                ),
                on,
            )
    framework_steps(draw, add, FIRST_DAY)  # the board's framework (testing/framework.py)
    returns_steps(draw, add, AGENCIES, FIRST_DAY)
    involvement_steps(draw, add, FIRST_DAY, max_indicators, max_activities)
    return History(key, menu, tuple(steps), last)


def _quarter(n: int) -> date:
    month = FIRST_DAY.month - 1 + 3 * n
    return date(FIRST_DAY.year + month // 12, month % 12 + 1, 1)


def _indicator(lc, board, key, kind, polarity, tags, values, target, finding_ids) -> None:
    lc.define_indicator(
        board,
        key=key,
        title=f"Indicator {key}",
        kind=kind,
        unit="%",
        polarity=polarity,
        cadence=Cadence.QUARTERLY,
        target=target,
        finding_ids=finding_ids,
        priorities=tags,
        on=FIRST_DAY,
    )
    for i, value in enumerate(values):
        lc.record_measurement(board, key, _quarter(i), value, on=_quarter(i + 1))
