"""The pure domain of learning-cycle: value types, aggregates, events, rules and errors. No I/O."""

from typing import Any

from .action import Action, ActionState, Progress
from .activity import Activity
from .activity_state import ActivityState
from .base import CycleAggregate, RecordedEvent
from .board import Board, BoardState, StockTake, board_id_for
from .dissemination import Dissemination, DisseminationState, Feedback
from .errors import (
    AlreadyExists,
    ConcurrencyConflict,
    InvalidValue,
    LearningCycleError,
    NotFound,
    RuleViolation,
    UnknownAgency,
    UnknownDistrict,
    UnknownMethod,
)
from .finding import Check, Finding, FindingState
from .framework import Framework, FrameworkState, Principle, ReviewOutcome, framework_id_for
from .indicator import Indicator, IndicatorState, indicator_id_for
from .kinds import KINDS, RecordKind, kind_of_topic
from .menu import DecisionPath, Menu, MethodRule
from .programme import Programme, ProgrammeState, programme_id_for
from .values import (
    ActionStatus,
    ActivityStatus,
    Agency,
    Cadence,
    Channel,
    CheckKind,
    CheckResult,
    IndicatorKind,
    Level,
    Measurement,
    Nature,
    Period,
    Polarity,
    Priority,
    PublicationDecision,
    PublicationStatus,
    ReportingYear,
    Stage,
    VoiceOfChild,
    YearStart,
)

AGGREGATES: tuple[type[CycleAggregate[Any]], ...] = tuple(k.aggregate for k in KINDS)


def event_classes() -> tuple[type[RecordedEvent], ...]:
    """Every event class, in a stable order: the public contract of the log."""
    found = []
    for aggregate in AGGREGATES:
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, RecordedEvent)
                and value.__name__ == name
                and "TOPIC" in vars(value)
            ):
                found.append(value)
    return tuple(found)


__all__ = [
    "AGGREGATES",
    "KINDS",
    "RecordKind",
    "kind_of_topic",
    "Action",
    "ActionState",
    "ActionStatus",
    "Activity",
    "ActivityState",
    "ActivityStatus",
    "Agency",
    "AlreadyExists",
    "Board",
    "BoardState",
    "Cadence",
    "Channel",
    "Check",
    "CheckKind",
    "CheckResult",
    "ConcurrencyConflict",
    "CycleAggregate",
    "Dissemination",
    "DisseminationState",
    "Feedback",
    "Finding",
    "FindingState",
    "Indicator",
    "IndicatorKind",
    "IndicatorState",
    "InvalidValue",
    "LearningCycleError",
    "Level",
    "Measurement",
    "Menu",
    "MethodRule",
    "DecisionPath",
    "Programme",
    "ProgrammeState",
    "programme_id_for",
    "Nature",
    "NotFound",
    "Period",
    "Polarity",
    "Priority",
    "Progress",
    "PublicationDecision",
    "PublicationStatus",
    "RecordedEvent",
    "ReportingYear",
    "RuleViolation",
    "Stage",
    "StockTake",
    "UnknownAgency",
    "UnknownDistrict",
    "UnknownMethod",
    "VoiceOfChild",
    "YearStart",
    "board_id_for",
    "event_classes",
    "indicator_id_for",
    "Framework",
    "FrameworkState",
    "Principle",
    "ReviewOutcome",
    "framework_id_for",
]
