"""Generated fictional boards for the benchmarks: the same shapes of learning as the demo's story,
from a seeded generator. Every name in them is invented."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..application import LearningCycle
from .story import AGENCIES, DISTRICTS, Story, quarter_starts, reported_on, seeded_series


def generated_board(lc: LearningCycle, key: str, name: str, years: int, rng: random.Random, density: int = 1) -> None:
    """A generated fictional board: the same shapes of learning, from a seeded generator
    (``density`` times as many activities a year, for benchmarks of large boards)."""
    s = Story(lc, key)
    first = date(2008 + rng.randrange(6), 4, 1)
    b = s.board = lc.create_board(key, name, agencies=AGENCIES, districts=DISTRICTS, on=first)
    quarters = quarter_starts(first, 4 * years)
    indicators = {}
    for n, kind in enumerate(("how_much", "how_well", "better_off")):
        ikey = f"indicator-{n}"
        lc.define_indicator(b, key=ikey, title=f"Indicator {n} (fictional)", kind=kind, unit="%",
                            polarity=rng.choice(["higher_is_better", "lower_is_better", "neutral"]),
                            cadence="quarterly", on=first)  # fmt: skip
        indicators[ikey] = seeded_series(rng, len(quarters), rng.uniform(40, 70), rng.uniform(-0.8, 0.8), 3)
    for y in range(years):
        start = date(first.year + y, 4, 1)
        for n in range(rng.randint(2, 4) * density):
            method, kind = rng.choice([("deep-dive", "deep_dive"), ("scie-learning-together", "case_review"),
                                       ("light-touch-review", "light_touch_review"), ("themed-review", "themed_review")])  # fmt: skip
            commissioned = start + timedelta(days=rng.randrange(0, 120))
            a = s.activity(f"{y}-{n}", kind=kind, method=method, title=f"Review {y}-{n} (fictional)", why="Generated",
                           decided_by="Chair", proportionality="Generated", agencies=["csc", "police", "health"],
                           on=commissioned, started=commissioned + timedelta(days=14))  # fmt: skip
            for m in range(rng.randint(1, 3)):
                raised = commissioned + timedelta(days=60 + 10 * m)
                f = s.finding(f"{y}-{n}-{m}", a, statement=f"Generated finding {y}-{n}-{m}",
                              level=rng.choice(["strategic", "operational", "organisational", "individual"]),
                              agencies=["csc"], on=raised)  # fmt: skip
                if rng.random() < 0.8:
                    acted = raised + timedelta(days=30)
                    lc.respond_to_finding(b, f, "Generated response", on=acted)
                    done = acted + timedelta(days=rng.randrange(30, 200)) if rng.random() < 0.7 else None
                    s.action(f"{y}-{n}-{m}-x", f, on=acted, due=acted + timedelta(days=120), owner=rng.choice(["csc", "police", "health"]),
                             description="Generated action", done=done)  # fmt: skip
                    if rng.random() < 0.6:
                        s.spread(f"{y}-{n}-{m}-d", acted + timedelta(days=40), "briefing", "Generated briefing",
                                 "Practitioners", rng.randrange(10, 300), [f])  # fmt: skip
                        for c in range(rng.randint(0, 2)):
                            s.check(f, acted + timedelta(days=200 + 365 * c), rng.choice(["improved", "no_change", "worse"]),
                                    "Generated check")  # fmt: skip
            s.close_review(a, completed=commissioned + timedelta(days=150))
        for key_, values in indicators.items():
            for period, value in zip(quarters[4 * y : 4 * y + 4], values[4 * y : 4 * y + 4], strict=True):
                lc.record_measurement(b, key_, period, value, on=reported_on(period))
