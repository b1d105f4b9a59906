"""The paper's glossary, and Making Data Count's words and icons for variation and assurance."""

from __future__ import annotations

GLOSSARY = (
    ("Run chart", "the figures of an indicator in time order, one point for each period."),
    (
        "Mean",
        "the average of the figures charted: the dashed line.",
    ),
    (
        "Process limits",
        "the range within which the figures are expected to vary by chance alone, worked out from "
        "the figures themselves (the mean plus or minus 2.66 times the average change from one period "
        "to the next): the dotted lines. They are not targets.",
    ),
    (
        "Common-cause variation",
        "the ordinary ups and downs of a stable process. A figure higher or lower than the last is "
        "not by itself a sign of change.",
    ),
    (
        "Special cause",
        "a pattern unlikely to happen by chance: a point beyond a process limit, a run of points on "
        "one side of the mean, or a run each higher or each lower than the last. Shown as orange points.",
    ),
    (
        "Direction of travel",
        "whether a special cause shows the indicator improving or deteriorating, judged with the "
        "Making Data Count method (NHS England and NHS Improvement, 2019).",
    ),
    (
        "Assurance",
        "whether the process, as it runs now, can be relied on to meet its target: consistently, "
        "hit and miss, or consistently not.",
    ),
    (
        "Verdict",
        "what the evidence says of a finding after three years: sustained, improving, no evidence yet, stalled or deteriorating.",
    ),
    (
        "Restricted review",
        "a review whose report is withheld, delayed or not yet decided: its findings are counted and numbered but their words are not shown.",
    ),
)

VARIATION = {
    ("improving",): ("special cause, improving", "improving"),
    ("deteriorating",): ("special cause, concerning", "concerning"),
    ("changed",): ("special cause, neither better nor worse", "neither"),
    ("no_significant_change",): ("common-cause variation", "common"),
    ("not_enough_data",): ("not enough data", "none"),
}


def variation(direction: str) -> tuple[str, str]:
    """Making Data Count's variation icon for a direction of travel: (words, icon)."""
    return VARIATION.get((direction,), ("not enough data", "none"))


ASSURANCE = {
    "consistently_passes": ("consistently meets the target", "pass"),
    "consistently_fails": ("consistently misses the target", "fail"),
    "hit_and_miss": ("hit and miss against the target", "hitmiss"),
}
