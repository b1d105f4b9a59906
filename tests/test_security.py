"""Encryption at rest: no plaintext in the file, a wrong key is a clear error, keys can be rotated."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date
from pathlib import Path

import pytest

from learning_cycle import LearningCycleError, open_cycle
from learning_cycle.projections.store import Views

from .cli_helpers import run
from .conftest import TODAY, boards, records

KEY_A = "f7Q3xfu2SPjcSAqNyrDl4k4MiXI+Wq7Y/pOg8wQUzfY="
KEY_B = "e3k0rCz0kzJ1m8m1WnX0i6y6b2Zl7B7r8QfJ0n2n3Hs="
SECRET = "Mother of Child Q told the health visitor about the bruising"


def _record(store: str) -> None:
    with open_cycle(store, user="t", today=lambda: TODAY) as lc:
        b = lc.create_board(
            "secure", "Secure Board (fictional)", agencies=[("csc", "CSC"), ("police", "P")], on=date(2016, 4, 1)
        )
        a = lc.commission_activity(
            b, kind="serious_case_review", method="scie-learning-together", title="SCR (fictional)", why="Harm",
            decided_by="Chair", proportionality="Complex", agencies=["csc", "police"], on=date(2016, 5, 2),
        )  # fmt: skip
        lc.start_activity(b, a, on=date(2016, 5, 9))
        lc.raise_finding(b, a, statement=SECRET, level="operational", on=date(2016, 9, 1))
        with Views.of(lc) as views:  # the views hold it too (as recorded; shown only on a logged read)
            assert views.records(b, restricted=lc.read_restricted(b, "test")).findings[0].statement == SECRET


@pytest.mark.parametrize("compress", ["", "zlib"])
def test_stored_bytes_hold_no_plaintext_of_a_statement(tmp_path, monkeypatch, compress):
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    monkeypatch.setenv("LEARNING_CYCLE_COMPRESS", compress)
    store = tmp_path / "secure.sqlite"
    _record(str(store))
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("secure.sqlite*"))
    assert SECRET.encode() not in raw and b"bruising" not in raw  # events and views alike
    with sqlite3.connect(store) as db:
        states = [bytes(r[0]) for r in db.execute("SELECT state FROM stored_events")]
        views = [bytes(r[0]) for r in db.execute("SELECT state FROM lc_view_records")]
    assert all(b"bruising" not in s for s in states + views)
    with open_cycle(str(store)) as lc:  # the right key reads it back
        (board,) = boards(lc)
        access = lc.read_restricted(board.board_id, "test")  # a review with no decision to publish yet
        assert records(lc, board.board_id, restricted=access).findings[0].statement == SECRET


def test_the_same_store_without_a_cipher_is_plain_to_read(tmp_path):
    store = tmp_path / "plain.sqlite"
    _record(str(store))
    raw = store.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("plain.sqlite-*"))
    assert b"bruising" in raw  # so the test above could fail


def test_a_wrong_or_missing_key_is_a_clear_error_not_garbage(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    store = str(tmp_path / "secure.sqlite")
    _record(store)
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_B)
    with pytest.raises(
        LearningCycleError, match=r"made with the key with fingerprint aes:\w{16}, and is opened with the key"
    ):
        open_cycle(store)
    monkeypatch.delenv("LEARNING_CYCLE_CIPHER_KEY")
    with pytest.raises(LearningCycleError, match=r"and is opened with no key: nothing was read or written"):
        open_cycle(store)
    wrong = run("status", "--store", store, cwd=tmp_path, env={"LEARNING_CYCLE_CIPHER_KEY": KEY_B})
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "set LEARNING_CYCLE_CIPHER_KEY (or _KEY_FILE) to its key" in wrong.stderr
    # a store made by an earlier version records no fingerprint: its first event must read
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM lc_store")
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_B)
    with pytest.raises(
        LearningCycleError, match=r"cannot read the stored event .* the cipher key is not the store's key"
    ):
        open_cycle(store)
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    with open_cycle(store) as lc:  # the right key: the fingerprint is recorded now
        assert len(boards(lc)) == 1
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT value FROM lc_store WHERE name = 'cipher'").fetchone()[0].startswith("aes:")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("LEARNING_CYCLE_CIPHER_KEY", "not-a-key", "must be a base64 AES key of 16, 24 or 32 bytes"),
    ("LEARNING_CYCLE_CIPHER_KEY_FILE", "/nowhere/key", "cannot be read"),
    ("LEARNING_CYCLE_COMPRESS", "lz4", "must be zlib"),
])  # fmt: skip
def test_bad_settings_are_named(tmp_path, name, value, message):
    out = run("demo", "--store", str(tmp_path / "x.sqlite"), cwd=tmp_path, env={name: value})
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
    assert "not-a-key" not in out.stderr  # the key itself is never shown


def test_the_key_can_come_from_a_file(tmp_path, monkeypatch):
    key_file = tmp_path / "key"
    key_file.write_text(KEY_A + "\n")
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY_FILE", str(key_file))
    _record(str(tmp_path / "secure.sqlite"))
    monkeypatch.delenv("LEARNING_CYCLE_CIPHER_KEY_FILE")
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    with open_cycle(str(tmp_path / "secure.sqlite")) as lc:
        assert len(boards(lc)) == 1


def test_rotating_the_key_with_migrate_leaves_no_plaintext_and_a_log_that_verifies(tmp_path, monkeypatch):
    """``migrate --to-key-file``: the copy is written with the new key, store to store (docs/security.md)."""
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    old = str(tmp_path / "old.sqlite")
    _record(old)
    (tmp_path / "new.key").write_text(KEY_B + "\n", encoding="ascii")
    new = str(tmp_path / "new.sqlite")
    before = set(Path(tempfile.gettempdir()).iterdir())
    moved = run("migrate", "--from", old, "--to", new, "--to-key-file", "new.key", cwd=tmp_path,
                env={"LEARNING_CYCLE_CIPHER_KEY": KEY_A})  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    made = {p.name for p in set(Path(tempfile.gettempdir()).iterdir()) - before if p.name.startswith("lc-")}
    assert made == set()  # no temporary file of ours, plaintext or not
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.key", "new.sqlite", "old.sqlite"]
    checked = run("verify", "--store", new, cwd=tmp_path, env={"LEARNING_CYCLE_CIPHER_KEY": KEY_B})
    assert checked.returncode == 0 and checked.stdout.startswith("ok: the chain holds"), checked.stderr
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_B)
    with open_cycle(new) as lc:
        (board,) = boards(lc)
        access = lc.read_restricted(board.board_id, "test")  # a review with no decision to publish yet
        assert records(lc, board.board_id, restricted=access).findings[0].statement == SECRET
    monkeypatch.setenv("LEARNING_CYCLE_CIPHER_KEY", KEY_A)
    with pytest.raises(LearningCycleError, match="fingerprint"):
        open_cycle(new)
    assert b"bruising" not in (tmp_path / "new.sqlite").read_bytes()


def test_an_edit_made_directly_in_the_database_is_found_by_verify(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    assert run("verify", cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "learning-cycle.sqlite") as db:
        rowid, state = db.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = 'learning_cycle/Finding.Raised' ORDER BY rowid LIMIT 1 OFFSET 2"
        ).fetchone()
        edited = bytes(state).replace(b'"statement":"', b'"statement":"Edited: ')
        assert edited != bytes(state)
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (edited, rowid))
    broken = run("verify", cwd=tmp_path)
    assert broken.returncode == 1, broken.stdout
    assert f"event at position {rowid} (record" in broken.stderr
    assert "changed in the database since" in broken.stderr
