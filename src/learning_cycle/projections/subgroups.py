"""The views as one of the board's sub-groups reads them (framework §5 b: sub-groups report on
learning needs and findings): every view (status, picture, stock-take) is made from the board's
records narrowed to the sub-group's activities and findings (:func:`.programme.of_subgroup`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import attrs

from ..domain.outcomes import BoardRecords
from ..domain.values import ReportingYear
from .programme import of_subgroup
from .stocktake import StockTake
from .store import Cycle, Views


class SubgroupViews(Views):
    """:class:`~.store.Views` of one sub-group; make them with :meth:`of_subgroup`."""

    subgroup: str | None = None
    owned_on: date | None = None
    """The day whose owners count (a stock-take's year end, while it is made); ``None``: the day
    the records are read as of."""

    @classmethod
    def of_subgroup(cls, cycle: Cycle, subgroup: str, *, path: str | None = None) -> SubgroupViews:
        views = cls.of(cycle, path=path)
        assert isinstance(views, SubgroupViews)
        views.subgroup = subgroup
        return views

    def records(
        self, board_id: UUID, *, as_of: date | None = None, as_known_at: datetime | None = None, **options: Any
    ) -> BoardRecords:
        """The board's records narrowed to the sub-group's (an error naming ``subgroup`` if the
        board has no such sub-group)."""
        made = super().records(board_id, as_of=as_of, as_known_at=as_known_at, **options)
        if self.owned_on is None or as_of is not None:
            return of_subgroup(made, self.subgroup)
        owners = super().records(board_id, as_of=min(self.owned_on, made.as_of), as_known_at=as_known_at, **options)
        return of_subgroup(made, self.subgroup, owners=owners)

    def stock_take(self, board_id: UUID, year: ReportingYear | str, **options: Any) -> StockTake:
        """The stock-take of ``year`` read for the sub-group (the activities and findings it owned at
        the year's end, or on the day the records reach), saying so in its programme section."""
        start = super().records(board_id).board.year_start  # caught up first, as the stock-take is
        parsed = ReportingYear.parse(year, start) if isinstance(year, str) else ReportingYear(year.first, start)
        self.owned_on = parsed.ends_on
        try:
            made = super().stock_take(board_id, parsed, **options)
        finally:
            self.owned_on = None
        return attrs.evolve(made, programme=attrs.evolve(made.programme, subgroup=self.subgroup))
