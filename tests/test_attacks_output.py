"""Attacks on output files, by class: every verb that takes ``-o``, in every format, aimed at the
store (however spelt), at a file the store keeps beside it, through links, at another database,
at a special file; and the mode of what it writes. One typo must never lose a board's history."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning_cycle.cli import main
from learning_cycle.domain import LearningCycleError
from learning_cycle.eventlog.outputs import write_output
from learning_cycle.eventlog.store import Store

from .cli_helpers import run
from .conftest import copy_store

OUTPUT_VERBS = [
    *[["stocktake", "--year", "2014/15", "--format", fmt] for fmt in ("md", "html", "json")],
    ["export"],
    ["export", "--redacted"],
    *[["briefing", "A-8", "--format", fmt] for fmt in ("md", "html")],
]
"""Every verb that writes a file named with ``-o`` (a test below holds this list to the CLI's help)."""


@pytest.fixture
def store(demo_store, tmp_path) -> Path:
    """A copy of the demo store of this test's own, in a folder of its own."""
    return copy_store(demo_store, tmp_path / "board" / "board.sqlite")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(store: Path, *argv: str, capsys) -> tuple[int, str, str]:
    code = main([*argv, "--store", str(store)])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_verb_that_writes_a_file_is_attacked_here(capsys):
    """The list above is every verb whose help offers ``-o``: a new one is attacked too."""
    assert main(["--help"]) == 0
    listing = capsys.readouterr().out
    verbs = sorted(set(re.findall(r"^ {2}([a-z][a-z-]+) {2,}\S", listing, flags=re.MULTILINE)))
    assert "stocktake" in verbs and "status" in verbs
    writers = set()
    for verb in verbs:
        assert main([verb, "--help"]) == 0
        if re.search(r"(^|\s)-o\b", capsys.readouterr().out):
            writers.add(verb)
    assert writers == {argv[0] for argv in OUTPUT_VERBS}


def _aims(store: Path) -> dict[str, Path]:
    """Every way of naming the store, or a file SQLite keeps beside it, as an output."""
    folder = store.parent
    link = folder.parent / "innocent.md"
    link.symlink_to(store)
    hard = folder.parent / "report.md"
    os.link(store, hard)
    relinked = folder.parent / "elsewhere"
    relinked.symlink_to(folder, target_is_directory=True)
    return {
        "the store": store,
        "the store spelt another way": folder / ".." / folder.name / "." / store.name,
        "a symbolic link to the store": link,
        "a hard link to the store": hard,
        "the store through a linked folder": relinked / store.name,
        "the store's write-ahead log": Path(f"{store}-wal"),
        "the store's shared memory": Path(f"{store}-shm"),
        "the store's journal": Path(f"{store}-journal"),
    }


@pytest.mark.parametrize("argv", OUTPUT_VERBS, ids=" ".join)
def test_no_output_verb_writes_over_the_store_however_it_is_named(store, capsys, argv):
    before = digest(store)
    for aim, target in _aims(store).items():
        code, _, err = cli(store, *argv, "-o", str(target), capsys=capsys)
        assert code == 2, (aim, err)
        assert "error: output:" in err and ("store" in err or "symbolic link" in err), (aim, err)
        assert "Traceback" not in err
        assert digest(store) == before, aim
        assert not target.exists() or target.is_symlink() or digest(target) == before, aim
    # the store still opens and shows its board
    code, out, _ = cli(store, "findings", capsys=capsys)
    assert code == 0 and "Northshire" in out


@pytest.mark.parametrize("argv", OUTPUT_VERBS, ids=" ".join)
def test_an_output_never_follows_a_planted_link(store, tmp_path, capsys, argv):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n", encoding="utf-8")
    planted = tmp_path / "report.out"
    planted.symlink_to(victim)
    dangling = tmp_path / "dangling.out"
    dangling.symlink_to(tmp_path / "made-by-following")
    for target in (planted, dangling):
        code, _, err = cli(store, *argv, "-o", str(target), capsys=capsys)
        assert code == 2 and "symbolic link" in err, err
        assert target.is_symlink()
    assert victim.read_text(encoding="utf-8") == "someone else's file\n"
    assert not (tmp_path / "made-by-following").exists()


@pytest.mark.parametrize("argv", OUTPUT_VERBS, ids=" ".join)
def test_an_output_never_replaces_another_database_or_a_special_file(store, tmp_path, capsys, argv):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    before = digest(other)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, words in ((other, "SQLite database"), (tmp_path, "folder"), (fifo, "not a regular file")):
        code, _, err = cli(store, *argv, "-o", str(target), capsys=capsys)
        assert code == 2 and words in err, (target, err)
    assert digest(other) == before
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_the_installed_command_refuses_the_store_as_its_output_with_no_traceback(store):
    """What only a real process shows: the exit code and the whole of stderr."""
    before = digest(store)
    done = run("stocktake", "--year", "2014/15", "-o", str(store), "--store", str(store), cwd=store.parent)
    assert done.returncode == 2
    assert done.stderr.startswith("error: output:") and "Traceback" not in done.stderr
    assert digest(store) == before


def test_restricted_output_is_readable_by_its_owner_alone(store, tmp_path, capsys):
    mask = os.umask(0o022)
    try:
        plain, restricted, log = tmp_path / "plain.md", tmp_path / "restricted.md", tmp_path / "log.jsonl"
        plain.write_text("old\n", encoding="utf-8")
        os.chmod(plain, 0o600)  # an existing file's mode is not what decides the new one's
        assert cli(store, "stocktake", "--year", "2014/15", "-o", str(plain), capsys=capsys)[0] == 0
        assert stat.S_IMODE(plain.stat().st_mode) == 0o644
        restricted.write_text("old\n", encoding="utf-8")
        os.chmod(restricted, 0o644)
        argv = ("stocktake", "--year", "2014/15", "--include-restricted", "-o", str(restricted))
        assert cli(store, *argv, capsys=capsys)[0] == 0
        assert stat.S_IMODE(restricted.stat().st_mode) == 0o600
        assert "RESTRICTED" in restricted.read_text(encoding="utf-8").upper()
        assert cli(store, "export", "-o", str(log), capsys=capsys)[0] == 0
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    finally:
        os.umask(mask)
    assert not list(tmp_path.glob(".*.part")), "no temporary file is left"


@settings(max_examples=30, deadline=None)
@given(chunks=st.lists(st.text(max_size=40), max_size=5), fail_after=st.integers(min_value=0, max_value=5))
def test_a_write_that_fails_leaves_the_target_as_it_was_and_no_temporary_file(tmp_path_factory, chunks, fail_after):
    folder = tmp_path_factory.mktemp("out")
    target = folder / "report.md"
    target.write_text("the report as it was\n", encoding="utf-8")

    def write(out):
        for n, chunk in enumerate(chunks):
            if n == fail_after:
                raise OSError(28, "No space left on device")
            out.write(chunk)
        return len(chunks)

    if fail_after < len(chunks):
        with pytest.raises(OSError):
            write_output(target, write)
        assert target.read_text(encoding="utf-8") == "the report as it was\n"
    else:
        assert write_output(target, write) == len(chunks)
        assert target.read_bytes().decode("utf-8") == "".join(chunks)  # as written, line ends and all
    assert [p.name for p in folder.iterdir()] == ["report.md"]


def test_the_store_is_refused_as_an_output_through_the_api_too(store):
    with pytest.raises(LearningCycleError, match="the store"):
        write_output(store, lambda out: out.write("x"), store=Store.parse(str(store)))
