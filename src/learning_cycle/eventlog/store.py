"""Choosing where the log lives: a store setting becomes eventsourcing environment settings.

A store is named by one string:

* ``memory:`` (or ``:memory:``): in memory, gone when the process ends (tests, trials);
* a file path, or ``sqlite:///path``: the embedded default, a SQLite file;
* ``postgresql://user:password@host:port/dbname``: a PostgreSQL server (see docs/embedding.md).

Anything about storage that eventsourcing reads from the environment (cipher, compressor,
pool sizes) may still be set there; the store setting decides the persistence module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlparse

import attrs

from ..domain.errors import InvalidValue
from .chain import secret

DEFAULT_STORE = "learning-cycle.sqlite"
#: Options of a postgresql:// URL (``?schema=board_a&pool_size=10``), and the eventsourcing
#: setting each sets. The same settings may be given as environment variables.
POSTGRES_OPTIONS = {
    "schema": "POSTGRES_SCHEMA",
    "pool_size": "POSTGRES_POOL_SIZE",
    "max_overflow": "POSTGRES_MAX_OVERFLOW",
    "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
    "lock_timeout": "POSTGRES_LOCK_TIMEOUT",
    "idle_in_transaction_session_timeout": "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT",
    "conn_max_age": "POSTGRES_CONN_MAX_AGE",
}
#: Sane defaults: a small pool that can burst, a bounded wait for a connection and for locks, and
#: no transaction left idle holding locks.
POSTGRES_DEFAULTS = {
    "POSTGRES_POOL_SIZE": "5",
    "POSTGRES_MAX_OVERFLOW": "10",
    "POSTGRES_CONNECT_TIMEOUT": "10",
    "POSTGRES_LOCK_TIMEOUT": "10",
    "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
    "POSTGRES_PRE_PING": "y",
    "POSTGRES_CONN_MAX_AGE": "600",
}
STORE_ENV = "LEARNING_CYCLE_STORE"


Kind = Literal["sqlite", "postgresql", "memory"]


@attrs.frozen
class Store:
    """Where a log lives, parsed once from its setting: nothing else looks at the setting's text.

    :ivar kind: ``"sqlite"``, ``"postgresql"`` or ``"memory"``.
    :ivar setting: the setting as given (a path, ``memory:``, a URL).
    :ivar settings: eventsourcing's persistence settings for it (without encryption, which
        :func:`security_env` reads from the environment).
    :ivar path: the SQLite file (``None`` for the other kinds).
    """

    kind: Kind
    setting: str
    settings: dict[str, str] = attrs.field(eq=False, repr=False)
    path: Path | None = None

    @classmethod
    def parse(cls, store: str | os.PathLike[str] | Store | None = None) -> Store:
        """The store named by ``store`` (default ``$LEARNING_CYCLE_STORE``, else the default file);
        :class:`InvalidValue` naming the setting if it names none."""
        if isinstance(store, Store):
            return store
        setting = resolve_store(store)
        settings = _persistence_env(setting)
        module = settings["PERSISTENCE_MODULE"]
        if module == "eventsourcing.postgres":
            return cls("postgresql", setting, settings)
        if module == "eventsourcing.sqlite":
            return cls("sqlite", setting, settings, Path(settings["SQLITE_DBNAME"]))
        return cls("memory", setting, settings)

    @property
    def label(self) -> str:
        """The setting as it may be shown: a URL without its password."""
        return store_label(self.setting)

    def exists(self) -> bool:
        """Whether there is a store here already (a memory or PostgreSQL store always is)."""
        return self.path is None or self.path.exists()

    def postgres_dsn(self) -> str:
        """A libpq connection string (a PostgreSQL store only)."""
        return postgres_dsn(self.settings)


def resolve_store(store: str | os.PathLike[str] | None) -> str:
    """The store setting: the argument, else ``$LEARNING_CYCLE_STORE``, else the default file."""
    if store is None:
        store = os.environ.get(STORE_ENV) or DEFAULT_STORE
    return os.fspath(store)


def store_label(store: str) -> str:
    """The store as it may be shown: a URL without its password."""
    if "://" not in store:
        return store
    url = urlparse(store)
    if url.password:
        netloc = url.netloc.replace(f":{url.password}@", ":***@")
        return url._replace(netloc=netloc).geturl()
    return store


CIPHER_KEY_ENV = "LEARNING_CYCLE_CIPHER_KEY"
CIPHER_KEY_FILE_ENV = "LEARNING_CYCLE_CIPHER_KEY_FILE"
COMPRESS_ENV = "LEARNING_CYCLE_COMPRESS"


def security_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Encryption at rest and compression, from the environment (never the command line).

    * ``LEARNING_CYCLE_CIPHER_KEY``: an AES key (base64, as ``learning-cycle keygen`` prints), or
    * ``LEARNING_CYCLE_CIPHER_KEY_FILE``: a file holding one (readable by the service alone);
    * ``LEARNING_CYCLE_COMPRESS=zlib``: compress events before encrypting them.
    """
    env = os.environ if environ is None else environ
    settings: dict[str, str] = {}
    key = secret(env, CIPHER_KEY_ENV, CIPHER_KEY_FILE_ENV, encoding="ascii")
    if key:
        settings.update(cipher_settings(key))
    compress = env.get(COMPRESS_ENV, "").strip().lower()
    if compress in ("zlib", "1", "yes", "true"):
        settings["COMPRESSOR_TOPIC"] = "eventsourcing.compressor:ZlibCompressor"
    elif compress not in ("", "0", "no", "false"):
        raise InvalidValue(COMPRESS_ENV, compress, "must be zlib (or empty for none)")
    return settings


def cipher_settings(key: str, where: str = "cipher key") -> dict[str, str]:
    """eventsourcing's settings for AES encryption with ``key`` (base64, as ``learning-cycle keygen``
    prints); :class:`InvalidValue` (never showing the key) if it is not one."""
    import base64
    import binascii

    try:
        raw = base64.b64decode(key.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) not in (16, 24, 32):
        raise InvalidValue(
            where, "(hidden)", "must be a base64 AES key of 16, 24 or 32 bytes: make one with `learning-cycle keygen`"
        )
    return {"CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": key.strip()}


def store_env(store: str) -> dict[str, str]:
    """eventsourcing settings for the store named by ``store`` (with encryption and compression
    as the environment asks)."""
    return {**_persistence_env(store), **security_env()}


def _persistence_env(store: str) -> dict[str, str]:
    if not isinstance(store, str) or not store.strip():
        raise InvalidValue("store", store, "name a SQLite file, 'memory:' or a postgresql:// URL")
    if store in ("memory:", ":memory:"):
        return {"PERSISTENCE_MODULE": "learning_cycle.eventlog.memory:Factory"}
    if store.startswith(("postgresql://", "postgres://")):
        url = urlparse(store)
        if not url.path.strip("/"):
            raise InvalidValue("store", store, "a PostgreSQL URL must name the database, e.g. postgresql://host/dbname")
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        unknown = sorted(set(query) - set(POSTGRES_OPTIONS))
        if unknown:
            raise InvalidValue("store", store, f"unknown option {unknown[0]!r} (known: {', '.join(POSTGRES_OPTIONS)})")
        settings = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "learning_cycle.eventlog.postgres:PostgresRecorder",
            "POSTGRES_DBNAME": unquote(url.path.lstrip("/")),
            "POSTGRES_HOST": unquote(url.hostname or "localhost"),
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or os.environ.get("PGUSER", "postgres")),
            "POSTGRES_PASSWORD": unquote(url.password or os.environ.get("PGPASSWORD", "")),
            **POSTGRES_DEFAULTS,
        }
        for option, setting in POSTGRES_OPTIONS.items():
            if setting in os.environ:
                settings[setting] = os.environ[setting]
            if option in query:
                settings[setting] = query[option]
        return settings
    if "://" in store and not store.startswith("sqlite://"):
        scheme = store.split("://", 1)[0]
        raise InvalidValue("store", store, f"unknown kind of store {scheme!r}: use a SQLite file path or postgresql://")
    path = store[len("sqlite:///") :] if store.startswith("sqlite:///") else store
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise InvalidValue("store", store, f"the folder {str(parent)!r} does not exist")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "APPLICATION_RECORDER_TOPIC": "learning_cycle.eventlog.recorders:SQLiteRecorder",
        "SQLITE_DBNAME": str(Path(path).expanduser()),
        "SQLITE_LOCK_TIMEOUT": os.environ.get("SQLITE_LOCK_TIMEOUT", "10"),
    }


def postgres_dsn(settings: dict[str, str]) -> str:
    """A libpq connection string from eventsourcing's PostgreSQL settings."""
    parts = {
        "dbname": settings["POSTGRES_DBNAME"],
        "host": settings["POSTGRES_HOST"],
        "port": settings["POSTGRES_PORT"],
        "user": settings["POSTGRES_USER"],
        "password": settings["POSTGRES_PASSWORD"],
        "connect_timeout": settings.get("POSTGRES_CONNECT_TIMEOUT", "10"),
    }
    return " ".join(f"{k}='{v}'" for k, v in parts.items() if v)


SQLITE_HEADER = b"SQLite format 3\x00"
OURS = ("stored_events", "tracking")
"""Tables of a learning-cycle SQLite store besides those named ``lc_...`` (and SQLite's own): the
events, and eventsourcing's ``tracking`` table, which holds the views' position."""


READ_ONLY = (
    "cannot be written ({why}): a SQLite store keeps its views up to date in the file and a "
    "write-ahead log beside it, so even reading it writes; nothing was read or written. Copy the "
    "store to a folder you can write (with any -wal file beside it) and read the copy"
)
"""Why a read-only SQLite store is refused, for every verb alike."""


def storage_failure(reason: str) -> str:
    """A failure of the disk under a store, in words: what SQLite says, and what it likely means."""
    reason = " ".join(reason.split())
    if "readonly" in reason:
        return READ_ONLY.format(why=reason)
    if "disk I/O error" in reason or "disk is full" in reason or "File too large" in reason:
        return f"{reason}: the disk may be full, or a limit on file size reached; free some space and try again"
    return reason


def read_only(label: str, why: str) -> InvalidValue:
    """The error for a SQLite store that cannot be written."""
    return InvalidValue("store", label, READ_ONLY.format(why=why))


def check_sqlite_file(path: Path, label: str) -> None:
    """A SQLite store's file, if it exists, must be one of ours: refused (and left exactly as it
    was) if it is not a SQLite database, or is one with tables of something else; refused with
    the reason if it, or the folder its write-ahead log goes in, cannot be written."""
    import sqlite3

    try:
        if not path.exists() or path.stat().st_size == 0:
            if path.parent.exists() and not os.access(path.parent, os.W_OK):
                raise read_only(label, "its folder is read-only for this user")
            return
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError:
        return  # eventsourcing says why it cannot be opened
    if not os.access(path, os.W_OK):
        raise read_only(label, "the file is read-only for this user")
    if not os.access(path.parent, os.W_OK):
        raise read_only(label, "its folder is read-only for this user")
    if header != SQLITE_HEADER:
        raise InvalidValue("store", label, "is a file that is not a SQLite database: name another file")
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        foreign = sorted(t for t in tables if t not in OURS and not t.startswith(("lc_", "sqlite_")))
        first = db.execute("SELECT topic FROM stored_events LIMIT 1").fetchone() if "stored_events" in tables else None
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):  # e.g. a read-only file system, which access() does not see
            raise read_only(label, "the file system is read-only") from None
        raise InvalidValue("store", label, f"cannot be read as a SQLite database ({exc})") from None
    finally:
        db.close()
    if foreign or (first is not None and not str(first[0]).startswith("learning_cycle/")):
        what = f"tables of its own ({', '.join(foreign[:5])})" if foreign else f"events of another kind ({first[0]})"
        raise InvalidValue(
            "store", label, f"is a SQLite database of something else, with {what}: it was left as it was"
        )


def prepare_store(settings: dict[str, str]) -> None:
    """Create what the store needs before eventsourcing opens it (a PostgreSQL schema)."""
    schema = settings.get("POSTGRES_SCHEMA")
    if settings.get("PERSISTENCE_MODULE") != "eventsourcing.postgres" or not schema:
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(postgres_dsn(settings), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
