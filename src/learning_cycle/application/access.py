"""Restricted access and the chain: reads of restricted material, and chaining an earlier store."""

from __future__ import annotations

from uuid import UUID

from ..domain import Board
from ..domain.access import RestrictedAccess
from .base import Commands


class AccessCommands(Commands):
    """Commands that record who read restricted material, and chain an unchained store."""

    def read_restricted(self, board_id: UUID, query: str) -> RestrictedAccess:
        """Record a read of the board's restricted material (who, when, ``query``: the verb or
        view query), then return the :class:`RestrictedAccess` a view query takes to show it.
        Nothing restricted is shown without one; the board's access log lists every such read."""
        done = self._update(
            Board, board_id, board_id, "board_id", lambda b: b.read_restricted(query, self._on(None), self.user)
        )
        (read,) = done.recorded  # its own event, whoever records next
        return RestrictedAccess(board_id, query, self.user, read.event.timestamp)

    def chain_log(self) -> int:
        """Chain a store an earlier version made without a chain (``learning-cycle chain``): link
        every event, marked late, and record on every board of the store, as ordinary chained
        events, when and by whom (:attr:`user`) it was done, all in one transaction. Returns how many
        events were linked late. Refused, nothing written, for a store with any link, one made
        chained whose chain is gone, or an empty one (see :meth:`.EventLog.chain_late`)."""
        last, on = self.log.position(), self._on(None)
        boards = [self._board(n.event.originator_id) for n in self.log.read(topics=[Board.Created.TOPIC])]
        for board in boards:
            board.log_chained(last, on, self.user)
        return self.log.chain_late([self.log.encode(e) for b in boards for e in b.collect_events()])
