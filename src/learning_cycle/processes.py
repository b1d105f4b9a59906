"""A second process for bulk work, forked only where that is safe.

A rebuild of the views and an import both have work that splits in two. On a machine with two or
more cores, :func:`fork` runs one half in a child process while the caller does the other. It forks
only where that is safe (:func:`can_fork`):

* on Linux (elsewhere, forking a process that has loaded system frameworks is not safe, and the
  default way to start processes is to spawn a fresh interpreter, which costs more than it saves);
* from a process with no other thread: a thread that holds a lock when the process forks leaves
  that lock held in the child for ever (PostgreSQL's connection pool runs threads, so work on a
  PostgreSQL store stays in one process).

The child never uses a connection of its parent's: it opens what it needs again. It leaves by
``os._exit``, so that nothing of the parent's (connections, buffered files) is closed or flushed
on its way out, and Linux kills it if its parent dies first. The child reports on a pipe when its
work is done (or the error it met, which :meth:`Child.join` raises), before it exits.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable

import attrs

from .domain.errors import LearningCycleError


def can_fork() -> bool:
    """Whether :func:`fork` may be used here (see the module's description)."""
    return sys.platform == "linux" and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class ChildFailed(LearningCycleError):
    """The second process of a rebuild or an import failed; ``kind`` and ``message`` are its report."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind, self.message = kind, message
        super().__init__(f"the second process failed: {message.strip() or kind}", field="process")


DONE = "done"


@attrs.define
class Child:
    pid: int
    _pipe: int | None
    _reaped: bool = False

    def join(self) -> None:
        """Wait until the child's work is done; raise :class:`ChildFailed` with its report if it
        failed. The child reports before it exits, and a large process takes a while to exit: so
        this does not wait for that (:meth:`reap` does)."""
        assert self._pipe is not None, "joined once"
        with os.fdopen(self._pipe, "rb") as pipe:
            report = pipe.read().decode("utf-8", "replace")
        self._pipe = None
        if report == DONE:
            return
        self.reap()
        kind, _, message = report.partition("\n")
        raise ChildFailed(kind or "no report", message)

    def reap(self) -> None:
        """Wait for the child to exit (once)."""
        if not self._reaped:
            self._reaped = True
            os.waitpid(self.pid, 0)

    def release(self) -> None:
        """Done with the child: stop it if its work is not done; reap it if it has exited, or
        else at the next :func:`fork` (a process that shared a large memory takes milliseconds to
        exit, and nothing need wait for that)."""
        if self._pipe is not None:  # not joined: its work is not wanted
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.close(self._pipe)
            self._pipe = None
        if not self._reaped:
            self._reaped = True
            _EXITING.append(self.pid)
            _reap_exited()


_EXITING: list[int] = []
"""Children released but perhaps not yet exited."""


def _reap_exited() -> None:
    for pid in list(_EXITING):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # (reaped elsewhere)
            done = pid
        if done:
            _EXITING.remove(pid)


def fork(work: Callable[[], None], describe: Callable[[BaseException], str] | None = None) -> Child:
    """Run ``work`` in a child process; the caller goes on at once. Check :func:`can_fork` first.

    :param describe: the first line of the report for an error (its kind); the default is
        ``"error"``. The report's body is the error's message for a :class:`LearningCycleError`,
        else its traceback.
    """
    _reap_exited()
    prctl = _prctl()  # looked up here, so that the child has no library to load
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return Child(pid, reader)
    code = 0
    try:  # the child
        os.close(reader)
        if prctl is not None:  # Linux kills this process if its parent dies first: a rebuild or an
            prctl(1, signal.SIGKILL)  # import killed midway leaves no process behind (PR_SET_PDEATHSIG)
        work()
        os.write(writer, DONE.encode())
    except BaseException as exc:
        kind = describe(exc) if describe is not None else "error"
        body = str(exc) if isinstance(exc, LearningCycleError) else "".join(traceback.format_exception(exc))
        os.write(writer, f"{kind}\n{body}".encode())
        code = 1
    finally:
        os.close(writer)  # the parent reads the report now, without waiting for this process to exit
        os._exit(code)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - Linux always has prctl
        return None
