"""One way to write an output file, for every verb that takes ``-o``.

:func:`write_output` is the only function in learning-cycle that writes a file a user named. It

- refuses the store itself, and every file SQLite keeps beside it (``-wal``, ``-shm``,
  ``-journal``; the views live in the store's own file), compared by device and inode, so no
  spelling of the path (``./``, ``..``, a symbolic link, a hard link) gets past it;
- refuses any SQLite database, whatever its name: an output never replaces a database;
- never follows a symbolic link it did not make: a target that is a link is refused (the link may
  have been planted to point at something else), and the file is created under a fresh name
  (``O_EXCL``) in the target's folder;
- writes atomically: into that temporary file, flushed to disk, then renamed over the target, so
  a failed or killed write leaves the target as it was and no half-written file;
- gives output that holds restricted material mode ``0600`` (only the owner reads it), and other
  output the mode a new file gets from the umask.

It writes text (UTF-8, ``\\n`` line ends) handed to it by a ``write`` callback, and returns what the
callback returns.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO, TypeVar

from ..domain.errors import InvalidValue
from .store import SQLITE_HEADER, Store

T = TypeVar("T")

SIDE_FILES = ("", "-wal", "-shm", "-journal")
"""The files of a SQLite store: the database (events and views) and what SQLite keeps beside it."""
RESTRICTED_MODE = 0o600
NEW_FILE_MODE = 0o666
"""Less the umask, as any new file."""


def store_files(store: Store | None) -> list[Path]:
    """The files on this machine that hold ``store`` (none for PostgreSQL or memory)."""
    if store is None or store.path is None:
        return []
    return [Path(f"{store.path}{suffix}") for suffix in SIDE_FILES]


def _identity(path: Path, *, follow: bool = True) -> tuple[int, int] | None:
    try:
        found = path.stat() if follow else path.lstat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def check_output(target: str | os.PathLike[str], protected: Iterable[Path] = (), *, field: str = "output") -> Path:
    """The path ``target`` names, if an output may be written there; else an :class:`InvalidValue`
    naming ``field``, the path and why, with nothing written."""
    path = Path(target)
    shown = str(path)
    if not shown or "\x00" in shown:
        raise InvalidValue(field, shown, "is not a file name")
    if path.is_symlink():
        raise InvalidValue(field, shown, "is a symbolic link: name the file itself (an output never follows a link)")
    if path.exists() and not path.is_file():
        kind = "a folder" if path.is_dir() else "not a regular file"
        raise InvalidValue(field, shown, f"is {kind}: name a file")
    folder = path.parent
    if not folder.is_dir():
        raise InvalidValue(field, shown, f"its folder {str(folder)!r} does not exist")
    mine = _identity(path, follow=False)
    # The folder as it really is (a link to a folder is the user's own): the target there, and each
    # protected file, compared by device and inode; a protected file not yet made (a -wal) by its
    # real path.
    real = folder.resolve() / path.name
    for guarded in protected:
        theirs = _identity(guarded)
        if (mine is not None and mine == theirs) or real == guarded.resolve():
            raise InvalidValue(
                field,
                shown,
                "is the store itself, or a file the store keeps beside it: write the output to another file",
            )
    if mine is not None and _is_sqlite(path):
        raise InvalidValue(field, shown, "is a SQLite database: an output is never written over a database")
    return path


def write_output(
    target: str | os.PathLike[str],
    write: Callable[[TextIO], T],
    *,
    store: Store | None = None,
    restricted: bool = False,
    field: str = "output",
) -> T:
    """Write an output file through ``write(out)``, atomically, never over ``store`` or through a
    link; mode ``0600`` when it holds ``restricted`` material. Returns what ``write`` returns."""
    path = check_output(target, store_files(store), field=field)
    handle, temporary = _create(path, RESTRICTED_MODE if restricted else NEW_FILE_MODE)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        # checked again just before the rename: a link or the store put there meanwhile is refused
        check_output(path, store_files(store), field=field)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result


def _create(path: Path, mode: int) -> tuple[int, Path]:
    """A new file beside ``path`` under a fresh name, made by this call (``O_EXCL``: never an
    existing file or link), with ``mode`` less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
        try:
            return os.open(temporary, flags, mode), temporary
        except FileExistsError:  # pragma: no cover - 48 random bits taken
            continue


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
