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
from urllib.parse import unquote, urlparse

from .domain.errors import InvalidValue

DEFAULT_STORE = "learning-cycle.sqlite"
STORE_ENV = "LEARNING_CYCLE_STORE"


def resolve_store(store: str | os.PathLike[str] | None) -> str:
    """The store setting: the argument, else ``$LEARNING_CYCLE_STORE``, else the default file."""
    if store is None:
        store = os.environ.get(STORE_ENV) or DEFAULT_STORE
    return os.fspath(store)


def store_env(store: str) -> dict[str, str]:
    """eventsourcing settings for the store named by ``store``."""
    if not isinstance(store, str) or not store.strip():
        raise InvalidValue("store", store, "name a SQLite file, 'memory:' or a postgresql:// URL")
    if store in ("memory:", ":memory:"):
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if store.startswith(("postgresql://", "postgres://")):
        url = urlparse(store)
        if not url.path.strip("/"):
            raise InvalidValue("store", store, "a PostgreSQL URL must name the database, e.g. postgresql://host/dbname")
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(url.path.lstrip("/")),
            "POSTGRES_HOST": unquote(url.hostname or "localhost"),
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or os.environ.get("PGUSER", "postgres")),
            "POSTGRES_PASSWORD": unquote(url.password or os.environ.get("PGPASSWORD", "")),
        }
    if "://" in store and not store.startswith("sqlite://"):
        scheme = store.split("://", 1)[0]
        raise InvalidValue("store", store, f"unknown kind of store {scheme!r}: use a SQLite file path or postgresql://")
    path = store[len("sqlite:///") :] if store.startswith("sqlite:///") else store
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise InvalidValue("store", store, f"the folder {str(parent)!r} does not exist")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(Path(path).expanduser()),
        "SQLITE_LOCK_TIMEOUT": os.environ.get("SQLITE_LOCK_TIMEOUT", "10"),
    }
