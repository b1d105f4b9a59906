"""The ``learning-cycle`` command, on click (:mod:`learning_cycle.cli.app`).

Every verb chooses its store with ``--store PATH_OR_URL`` or ``$LEARNING_CYCLE_STORE``; the default
is ``learning-cycle.sqlite`` in the current folder. Results go to stdout, errors to stderr. A
mistake of the user's is a short diagnostic (what, where, a hint) with exit code 2, never a
traceback; a store that cannot be reached, is locked or cannot be written exits 3.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from . import record as _record  # noqa: F401  (registers the recording verbs)
from . import store_verbs as _store_verbs  # noqa: F401  (registers the store's verbs)
from . import verbs as _verbs  # noqa: F401  (registers the verbs on the group)
from .app import cli
from .common import SafeConsole, UsageError, os_error

__all__ = ["SafeConsole", "UsageError", "cli", "main", "os_error"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments); return the exit code."""
    return cli.main(args=list(argv) if argv is not None else None, prog_name="learning-cycle", standalone_mode=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
