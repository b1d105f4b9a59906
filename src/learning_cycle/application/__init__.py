"""The application: commands in, events saved; one record at a time out.

* :mod:`.cycle`: :class:`LearningCycle`, a small facade over the commands, grouped by record kind
  (:mod:`.boards`, :mod:`.activities`, :mod:`.findings`, :mod:`.actions`, :mod:`.disseminations`,
  :mod:`.indicators`, :mod:`.access`) and the queries of one record by id (:mod:`.queries`), which
  share :mod:`.base`;
* :mod:`.unit_of_work`: how a command is decided and saved atomically, retried when another
  writer saved first;
* :mod:`.arguments`: turning a command's arguments into domain values.

It records through an :class:`~learning_cycle.eventlog.EventLog` and imports neither the read
models, interchange, reports nor the command line (``make lint`` checks).
"""

from ..domain.values import check_date
from ..eventlog.log import RecordedNotice
from .cycle import LearningCycle
from .unit_of_work import MAX_ATTEMPTS, Done, UnitOfWork

__all__ = ["MAX_ATTEMPTS", "Done", "LearningCycle", "RecordedNotice", "UnitOfWork", "check_date"]
