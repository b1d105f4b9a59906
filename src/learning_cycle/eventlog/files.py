"""Reading a file as what it claims to be: the one way every input file is opened.

Key files, configurations, logs to import and files of figures are each a regular file (a link to
one is followed). A named pipe, a device (``/dev/zero``), a socket or a folder is refused before
anything is read from it: a pipe cannot hang the process, a device cannot fill its memory. Small
files (keys, configurations) have a size limit too. Refusals are :class:`OSError` naming the file,
so every caller reports them as it reports a file that cannot be read.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

SMALL_FILE = 1 << 20
"""The largest key or configuration file read (1 MiB; a key is 44 bytes, a board's set-up a few KiB)."""

_KINDS = (
    (stat.S_ISDIR, errno.EISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, errno.EINVAL, "is a named pipe, not a regular file"),
    (stat.S_ISCHR, errno.EINVAL, "is a device, not a regular file"),
    (stat.S_ISBLK, errno.EINVAL, "is a device, not a regular file"),
    (stat.S_ISSOCK, errno.EINVAL, "is a socket, not a regular file"),
)


def _check(mode: int, size: int, path: str | os.PathLike[str], limit: int | None) -> None:
    for test, number, words in _KINDS:
        if test(mode):
            raise OSError(number, words, str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "is not a regular file", str(path))
    if limit is not None and size > limit:
        raise OSError(errno.EFBIG, f"is larger than {limit} bytes: not a key or configuration", str(path))


def open_regular(path: str | os.PathLike[str], *, limit: int | None = None) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file (of at most ``limit`` bytes):
    checked by ``os.stat`` before opening, and again on the open file (opened without blocking, so
    a pipe put there in between cannot hang). Anything else is an :class:`OSError` naming the file."""
    found = os.stat(path)
    _check(found.st_mode, found.st_size, path, limit)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        opened = os.fstat(fd)
        _check(opened.st_mode, opened.st_size, path, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_small(path: str | os.PathLike[str], *, limit: int = SMALL_FILE) -> bytes:
    """The bytes of a small regular file (a key, a configuration): see :func:`open_regular`; a file
    that grew past ``limit`` while being read is refused too."""
    with open_regular(path, limit=limit) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"is larger than {limit} bytes: not a key or configuration", str(path))
    return data
