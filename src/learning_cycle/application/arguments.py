"""Turning a command's arguments into domain values, with an error naming the field."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from ..domain import Agency, Priority, ReportingYear, YearStart
from ..domain.errors import InvalidValue


def as_uuid(field: str, value: Any) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidValue(field, value, "must be an id (a UUID)") from None


E = TypeVar("E", bound=Enum)


def choice(field: str, value: Any, enum: type[E]) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(str(e.value) for e in enum)
        raise InvalidValue(field, value, f"must be one of {choices}") from None


def as_agency(value: Agency | tuple[str, str]) -> Agency:
    if isinstance(value, Agency):
        return value
    try:
        key, name = value
    except (TypeError, ValueError):
        raise InvalidValue("agencies", value, "an agency is a key and a name") from None
    return Agency(key, name)


def as_priority(value: Priority | tuple[str, str]) -> Priority:
    if isinstance(value, Priority):
        return value
    try:
        key, title = value
    except (TypeError, ValueError):
        raise InvalidValue("priorities", value, "a priority is a key and a title") from None
    return Priority(key, title)


def as_year(value: str | ReportingYear, start: YearStart) -> ReportingYear:
    if isinstance(value, ReportingYear):
        return ReportingYear(value.first, start)
    return ReportingYear.parse(value, start)
