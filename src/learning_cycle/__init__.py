"""learning-cycle: a safeguarding children partnership's learning and improvement cycle as an
immutable log of domain events, and every view of it rebuilt from that log.

Start with :class:`LearningCycle`::

    from learning_cycle import LearningCycle
    with LearningCycle("board.sqlite", menu=menu, user="analyst") as lc:
        board_id = lc.create_board("northshire", "Northshire SCB", agencies=[("police", "Police")])
"""

from __future__ import annotations

from .application import LearningCycle, RecordedNotice
from .domain import (
    ActionState,
    ActionStatus,
    ActivityState,
    ActivityStatus,
    Agency,
    AlreadyExists,
    BoardState,
    Cadence,
    Channel,
    Check,
    CheckKind,
    CheckResult,
    ConcurrencyConflict,
    DisseminationState,
    FindingState,
    IndicatorKind,
    IndicatorState,
    InvalidValue,
    LearningCycleError,
    Level,
    Measurement,
    Menu,
    MethodRule,
    Nature,
    NotFound,
    Period,
    Polarity,
    Priority,
    PublicationDecision,
    PublicationStatus,
    RecordedEvent,
    ReportingYear,
    RuleViolation,
    Stage,
    UnknownAgency,
    UnknownDistrict,
    UnknownMethod,
    VoiceOfChild,
    YearStart,
    event_classes,
)
from .domain.errors import BadInput, Problem, Where
from .domain.menu import DecisionPath, ReviewMethod
from .domain.outcomes import BoardRecords, OutcomeMeasure, OutcomeValue, proportion
from .domain.sources import Column, Figure, IndicatorSource, PullResult
from .domain.timescales import Deadline, DeadlineStatus, Timescale, WorkingCalendar
from .eventlog import EventLog, Head, Store
from .eventlog.files import open_regular
from .hookspecs import hookimpl
from .plugins import open_cycle
from .projections.store import Views

__version__ = "0.1.0"

__all__ = [
    "ActionState",
    "ActionStatus",
    "ActivityState",
    "ActivityStatus",
    "Agency",
    "AlreadyExists",
    "BadInput",
    "BoardRecords",
    "BoardState",
    "Cadence",
    "Channel",
    "Check",
    "CheckKind",
    "CheckResult",
    "Column",
    "ConcurrencyConflict",
    "Deadline",
    "DeadlineStatus",
    "DisseminationState",
    "EventLog",
    "Figure",
    "FindingState",
    "Head",
    "IndicatorKind",
    "IndicatorSource",
    "IndicatorState",
    "InvalidValue",
    "LearningCycle",
    "LearningCycleError",
    "Level",
    "Measurement",
    "Menu",
    "MethodRule",
    "Nature",
    "NotFound",
    "OutcomeMeasure",
    "OutcomeValue",
    "Period",
    "Polarity",
    "Priority",
    "Problem",
    "PublicationDecision",
    "PublicationStatus",
    "PullResult",
    "RecordedEvent",
    "RecordedNotice",
    "ReportingYear",
    "ReviewMethod",
    "DecisionPath",
    "RuleViolation",
    "Stage",
    "Store",
    "Timescale",
    "UnknownAgency",
    "UnknownDistrict",
    "UnknownMethod",
    "Views",
    "VoiceOfChild",
    "Where",
    "WorkingCalendar",
    "YearStart",
    "__version__",
    "event_classes",
    "hookimpl",
    "open_regular",
    "open_cycle",
    "proportion",
]
