"""The demo's means of telling its story: records named by the story (ids follow from the names), and
the quarters and seeded series of its indicators. Everything recorded with them is fictional."""

from __future__ import annotations

import random
from datetime import date
from uuid import UUID, uuid5

from ..application import LearningCycle
from ..domain import PublicationDecision

NS = UUID("0d6f1a52-7c54-4f0e-9a4e-1f7c0f3b2d10")

AGENCIES = [
    ("csc", "Children's Social Care"),
    ("police", "Northshire Police"),
    ("health", "Clinical Commissioning Group"),
    ("education", "Education Services"),
    ("yss", "Youth Support Service"),
    ("vcs", "Voluntary and Community Sector"),
]
DISTRICTS = ["north-vale", "east-wold", "south-march", "west-fell", "riverside", "city"]


class Story:
    """Records one board's story with deterministic ids."""

    def __init__(self, lc: LearningCycle, key: str) -> None:
        self.lc = lc
        self.key = key
        self._board: UUID | None = None

    @property
    def board(self) -> UUID:
        """The board the story is recorded on (set once it is created)."""
        if self._board is None:
            raise LookupError(f"the story of {self.key} has no board yet")
        return self._board

    @board.setter
    def board(self, board: UUID) -> None:
        self._board = board

    def id(self, name: str) -> UUID:
        return uuid5(NS, f"{self.key}/{name}")

    def activity(self, name: str, *, on: date, started: date | None = None, **fields) -> UUID:
        a = self.lc.commission_activity(self.board, id=self.id(name), on=on, **fields)
        if started is not None:
            self.lc.start_activity(self.board, a, on=started)
        return a

    def finding(self, name: str, activity: UUID, *, on: date, **fields) -> UUID:
        return self.lc.raise_finding(self.board, activity, id=self.id(name), on=on, **fields)

    def action(self, name: str, finding: UUID, *, on: date, due: date, owner: str, description: str,
               done: date | None = None, assured: date | None = None, single_agency: bool = False) -> UUID:  # fmt: skip
        x = self.lc.raise_action(
            self.board, finding, owner=owner, description=description, due_on=due, single_agency=single_agency,
            on=on, id=self.id(name),
        )  # fmt: skip
        if done is not None:
            self.lc.complete_action(self.board, x, f"{description}: done", on=done)
        if assured is not None:
            self.lc.assure_action(self.board, x, "Assurance report to the board", on=assured)
        return x

    def check(self, finding: UUID, on: date, result: str, evidence: str, kind: str = "re_audit", **more) -> None:
        self.lc.record_check(self.board, finding, kind=kind, result=result, evidence=evidence, on=on, **more)

    def spread(self, name: str, on: date, channel: str, title: str, audience: str, reach: int,
               findings: list[UUID], districts: list[str] | None = None) -> UUID:  # fmt: skip
        return self.lc.record_dissemination(
            self.board, channel=channel, title=title, audience=audience, districts=districts or [], reach=reach,
            finding_ids=findings, on=on, id=self.id(name),
        )  # fmt: skip

    def close_review(self, a: UUID, *, completed: date, approved: date | None = None,
                     decision: PublicationDecision | None = None, decided: date | None = None) -> None:  # fmt: skip
        self.lc.complete_activity(self.board, a, on=completed)
        if approved is not None:
            self.lc.approve_report(self.board, a, on=approved)
            if decision is not None:
                self.lc.decide_publication(self.board, a, decision, on=decided or approved)


def quarter_starts(first: date, count: int) -> list[date]:
    return [date(first.year + (first.month - 1 + 3 * i) // 12, (first.month - 1 + 3 * i) % 12 + 1, 1) for i in range(count)]  # fmt: skip


def reported_on(period: date) -> date:
    """Figures for a quarter are reported on the 20th of the month after it ends."""
    month = period.month + 3
    return date(period.year + (month - 1) // 12, (month - 1) % 12 + 1, 20)


def seeded_series(
    rng: random.Random, n: int, start: float, step: float, noise: float, low: float = 0, high: float = 100
):
    return [round(min(high, max(low, start + step * i + rng.uniform(-noise, noise))), 1) for i in range(n)]
