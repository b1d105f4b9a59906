"""The verbs of the ``learning-cycle`` command that look after a store: rebuild and verify its
views, chain an old store, make a key, migrate a log to another store."""

from __future__ import annotations

import attrs
import click

from ..eventlog import Head
from ..eventlog.files import read_small
from ..eventlog.log import EventLog
from ..eventlog.serialization import converter
from ..eventlog.store import Store, cipher_settings
from ..interchange import migrate
from ..projections.store import Views
from .app import STORE, Args, Streams, verb
from .common import UsageError, open_cycle_for, open_log, print_envelope, progress_bar, read_differences


@verb(STORE, "store")
def rebuild(args: Args, io: Streams) -> int:
    """Fold the views again from the whole log (in place of the old).

    \b
    Example:
      learning-cycle rebuild
    """
    with open_log(args, must_exist=True) as log, Views(log) as views, progress_bar(io.err, "rebuilding") as progress:
        position = views.rebuild(progress=progress)
        io.out.print(f"rebuilt the views from the log: {position} events", highlight=False)
    return 0


@click.option("--digest", metavar="POSITION:HEX", help="a head printed earlier (by verify, or in a stock-take): prove the log up to it is unchanged")  # fmt: skip
@verb(STORE, "store", "json", "include_restricted")
def verify(args: Args, io: Streams) -> int:
    """Rebuild the views from the log and compare; exit code 1 if they differ. With
    --include-restricted the values of fields that differ are shown (they may be restricted
    material), and the read is recorded in the access log of each board concerned.

    \b
    Example:
      learning-cycle verify --digest 1234:9f86d081884c7d65
    """
    with open_log(args, must_exist=True) as log, Views(log) as views, progress_bar(io.err, "rebuilding") as progress:
        digest = None if args.digest is None else Head.parse(args.digest, "--digest")
        result = views.verify(progress=progress, digest=digest)
        include = args.include_restricted and read_differences(args, result)
        if not include:  # a field's values may be restricted material: named, not shown
            result = attrs.evolve(result, differences=tuple(d.withheld() for d in result.differences))
        out, err = io.out, io.err
        if args.json:
            print_envelope(out, args, converter.unstructure(result))
        elif result.ok:
            out.print(
                f"ok: the chain holds and the views equal a rebuild from the log ({result.events} events, "
                f"{result.records} records, up to position {result.position})",
                highlight=False,
            )
            if result.anchored and digest is not None:
                out.print(f"ok: the log up to position {digest.position} is the one digest {result.anchored} was taken of", highlight=False)  # fmt: skip
            if result.chained_late_until:
                out.print(f"note: {result.chained_late}; edits made to them before then cannot be detected", highlight=False)  # fmt: skip
        else:
            err.print(f"verify found {len(result.differences)} problem(s):")
            for difference in result.differences[:50]:
                err.print(f"  {difference.shown() if include else difference}", highlight=False, markup=False)
            if not include and any(d.recorded for d in result.differences):
                err.print("hint: verify --include-restricted shows the values (the read is logged)", highlight=False)
        if not args.json and result.head:
            out.print(f"head: {result.head}", highlight=False)
        return 0 if result.ok else 1


@verb(STORE, "store")
def chain(args: Args, io: Streams) -> int:
    """Chain a store an earlier version made without a chain, once: link every event (marked late)
    and record when and by whom ($LEARNING_CYCLE_USER); refused for a store with any link.

    \b
    Example:
      learning-cycle chain --store old.sqlite
    """
    with open_cycle_for(args, must_exist=True) as lc:
        linked = lc.chain_log()
    io.out.print(
        f"chained the store: events 1 to {linked} linked late, and the chaining recorded by {lc.user}; "
        "run `learning-cycle verify`",
        highlight=False,
    )
    return 0


@verb(STORE)
def keygen(args: Args, io: Streams) -> int:
    """Print a new random key for encryption at rest (keep it secret).

    \b
    Example:
      learning-cycle keygen > cipher.key
    """
    from eventsourcing.cryptography import AESCipher

    io.out.print(AESCipher.create_key(32), highlight=False)
    io.notes.print("set it as LEARNING_CYCLE_CIPHER_KEY, or put it in a file named by LEARNING_CYCLE_CIPHER_KEY_FILE")
    return 0


@click.option("--from", "source", metavar="STORE", required=True, help="the store to copy from")
@click.option("--to", "target", metavar="STORE", required=True, help="the store to copy to")
@click.option("--to-key-file", metavar="FILE", help="encrypt the copy with the key in this file instead (key rotation; the source keeps its key)")  # fmt: skip
@verb(STORE)
def migrate_(args: Args, io: Streams) -> int:
    """Copy a board's whole log to another store, and check the copy is exact.

    \b
    Example:
      learning-cycle migrate --from northshire.sqlite --to postgresql://lc@db/lc
    """
    source = Store.parse(args.source)
    if not source.exists():
        raise UsageError(f"no store at {source.setting!r}", "name the SQLite file to copy from")
    target = Store.parse(args.target)
    rekey = None
    if args.to_key_file is not None:
        try:
            key = read_small(args.to_key_file).decode("ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(
                f"--to-key-file: {args.to_key_file}: cannot be read ({getattr(exc, 'strerror', None) or exc})",
                "name a file holding a key made by `learning-cycle keygen`",
            ) from None
        rekey = cipher_settings(key, "--to-key-file")
    with EventLog(source) as src, EventLog(target, env=rekey) as dst, progress_bar(io.err, "migrating") as progress:
        result = migrate(src, dst, progress=progress)
    io.out.print(
        f"copied {result.recorded} events ({result.already} already there); "
        f"the two logs export to the same {result.size} bytes",
        highlight=False,
    )
    return 0
