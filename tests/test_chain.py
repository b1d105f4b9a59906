"""Tamper evidence: the chain is written with each event, and verify finds every kind of tampering.

Each attack is made as someone with write access to the database would make it, on a real SQLite
file and on a real PostgreSQL server, and ``verify`` must find it with the position it starts at.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest

from learning_cycle import InvalidValue, LearningCycleError
from learning_cycle.eventlog import Head, link, signing_key
from learning_cycle.eventlog.chain import Break, ChainReport, Row, record_text, secret, walk
from learning_cycle.projections.store import Views

from .cli_helpers import run
from .conftest import SmallBoard, boards, open_cycle, small_board


class Database:
    """Direct access to a store's tables, as an attacker with the database's password has it."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.postgres = store.startswith("postgresql://")
        self.events = "learningcycle_events" if self.postgres else "stored_events"
        self.position = "notification_id" if self.postgres else "rowid"

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        if self.postgres:
            import psycopg

            from learning_cycle.eventlog.store import postgres_dsn, store_env

            settings = store_env(self.store)
            with psycopg.connect(postgres_dsn(settings), autocommit=True) as conn:
                conn.execute(f"SET search_path TO {settings['POSTGRES_SCHEMA']}")
                yield conn.cursor()
        else:
            with sqlite3.connect(self.store) as db:
                yield db.cursor()
            db.close()

    def sql(self, statement: str, args: tuple = ()) -> list[tuple]:
        with self.cursor() as cur:
            cur.execute(statement.replace("?", "%s") if self.postgres else statement, args)
            return list(cur.fetchall()) if cur.description else []

    def event(self, position: int) -> tuple[str, int, str, bytes]:
        ((record, version, topic, state),) = self.sql(
            f"SELECT originator_id, originator_version, topic, state FROM {self.events} WHERE {self.position} = ?",
            (position,),
        )
        return record_text(record), version, topic, bytes(state)

    def set_state(self, position: int, state: bytes) -> None:
        self.sql(f"UPDATE {self.events} SET state = ? WHERE {self.position} = ?", (state, position))

    def last(self) -> int:
        return self.sql(f"SELECT MAX({self.position}) FROM {self.events}")[0][0]


def _history(store: str) -> SmallBoard:
    lc = open_cycle(store)
    b = small_board(lc)
    lc.respond_to_finding(b.board_id, b.finding_id, "Agreed", on=date(2014, 10, 1))
    action = lc.raise_action(
        b.board_id, b.finding_id, owner="csc", description="Protocol", due_on=date(2015, 1, 31), on=date(2014, 10, 1)
    )
    lc.complete_action(b.board_id, action, "Signed off", on=date(2015, 1, 20))
    return b


def _altered(state: bytes) -> bytes:
    """The event as someone rewriting it would leave it: still an event of its kind, one detail changed."""
    changed = state.replace(b'"recorded_by":"test analyst"', b'"recorded_by":"somebody else"')
    assert changed != state
    return changed


def _problems(store: str, **options: Any) -> list[str]:
    with open_cycle(store) as lc, Views.of(lc) as views:
        return [str(d) for d in views.verify(**options).differences]


@pytest.fixture
def chained(store: str) -> Iterator[tuple[str, Database]]:
    b = _history(store)
    with Views.of(b.lc) as views:
        assert views.verify().ok
    b.lc.close()
    yield store, Database(store)


def test_every_event_is_chained_as_it_is_recorded(store):
    b = _history(store)
    try:
        chain = list(b.lc.log.recorder.chain())
        assert [p for p, _, _ in chain] == list(range(1, b.lc.position() + 1))
        assert not any(late for _, _, late in chain)
        # each link covers the one before and the event as stored
        previous = ""
        for row, (position, made, _) in zip(b.lc.log.recorder.events(), chain, strict=True):
            assert row.position == position
            previous = link(None, previous, position, row.record, row.version, row.topic, row.state)
            assert made == previous
        assert b.lc.log.recorder.chain_head() == Head(b.lc.position(), previous)
    finally:
        b.lc.close()


def test_a_changed_byte_is_found_at_its_position(chained):
    store, db = chained
    record, version, topic, state = db.event(5)
    db.set_state(5, _altered(state))
    assert _problems(store)[0] == (
        f"the chain: event at position 5 (record {record} version {version}, {topic}) "
        "was changed in the database since it was chained"
    )


def test_a_deleted_row_is_found(chained):
    store, db = chained
    db.sql(f"DELETE FROM {db.events} WHERE {db.position} = ?", (4,))
    problems = _problems(store)
    assert problems[0] == "the chain: event at position 4 was chained when recorded but is missing from the log"


def test_two_swapped_rows_are_found_at_the_first(chained):
    store, db = chained
    third, fourth = db.event(3)[3], db.event(4)[3]
    db.set_state(3, fourth)
    db.set_state(4, third)
    problems = _problems(store)
    assert problems[0].startswith("the chain: event at position 3 (record ")
    assert problems[0].endswith("was changed in the database since it was chained")


def test_a_forged_row_appended_is_never_chained_and_a_later_command_does_not_chain_it(chained):
    store, db = chained
    last = db.last()
    record, version, topic, state = db.event(last)
    db.sql(
        f"INSERT INTO {db.events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
        (record.replace("-", "") if not db.postgres else record, version + 1, topic, state),
    )
    with open_cycle(store) as lc:  # a legitimate command afterwards
        (board,) = boards(lc)
        lc.add_district(board.board_id, "east", on=date(2015, 2, 1))
    problems = _problems(store)
    assert problems[0] == f"the chain: event at position {last + 1} is in the log but was never chained: added since"


def test_with_a_signing_key_a_forged_row_with_a_forged_link_is_found(store, monkeypatch):
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", "minutes of the board, 2026")
    _history(store).lc.close()
    assert _problems(store) == []
    db = Database(store)
    last = db.last()
    record, version, topic, state = db.event(last)
    ((head_link,),) = db.sql("SELECT link FROM lc_chain WHERE position = ?", (last,))
    db.sql(
        f"INSERT INTO {db.events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
        (record.replace("-", "") if not db.postgres else record, version + 1, topic, state),
    )
    forged = link(None, head_link, last + 1, record, version + 1, topic, state)  # all the attacker can make
    db.sql("INSERT INTO lc_chain (position, link, late) VALUES (?, ?, 0)", (last + 1, forged))
    problems = _problems(store)
    assert problems[0].startswith(f"the chain: event at position {last + 1} (record {record}")
    # without the key, the store is not opened at all (it records that it is signed), and says why
    monkeypatch.delenv("LEARNING_CYCLE_SIGNING_KEY")
    with pytest.raises(LearningCycleError, match="is opened with no signing key"):
        _problems(store)


def test_an_edited_view_row_and_a_tracking_row_moved_back_are_found(chained):
    store, db = chained
    db.sql("UPDATE lc_view_records SET version = version + 1 WHERE kind = 'Finding'")
    assert any("Finding" in p and "version" in p for p in _problems(store))
    db.sql("UPDATE lc_view_records SET version = version - 1 WHERE kind = 'Finding'")
    assert _problems(store) == []
    tracking = "lc_views_tracking" if db.postgres else "tracking"  # the engine's tracking table
    db.sql(f"UPDATE {tracking} SET notification_id = 2 WHERE application_name = 'learning-cycle'")
    assert _problems(store)[0].startswith("the views' tracking position is 2, behind the rows they hold")


def test_an_edit_before_any_catch_up_and_an_edit_followed_by_a_rebuild_are_found(store):
    b = _history(store)  # no views opened: nothing has folded the log
    b.lc.close()
    db = Database(store)
    db.set_state(2, _altered(db.event(2)[3]))
    assert _problems(store)[0].startswith("the chain: event at position 2 (record ")
    with open_cycle(store) as lc, Views.of(lc) as views:
        views.rebuild()  # a rebuild checks nothing into the chain
    assert _problems(store)[0].startswith("the chain: event at position 2 (record ")


def test_history_rewritten_with_every_later_link_made_again_is_found_by_an_earlier_digest(chained):
    store, db = chained
    with open_cycle(store) as lc:
        digest = lc.log.recorder.chain_head()  # kept outside the store, e.g. in the board's minutes
    # an attacker without a signing key edits an old event and makes every link from it again
    db.set_state(3, _altered(db.event(3)[3]))
    previous = ""
    for position in range(1, db.last() + 1):
        record, version, topic, state = db.event(position)
        previous = link(None, previous, position, record, version, topic, state)
        db.sql("UPDATE lc_chain SET link = ? WHERE position = ?", (previous, position))
    assert _problems(store) == []  # the chain alone cannot tell...
    (problem,) = _problems(store, digest=digest)  # ...the digest can
    assert problem == (
        f"the digest: the log up to position {digest.position} is not the one {digest} was taken of "
        f"(it reads {digest.position}:{previous})"
    )


def test_a_store_made_before_the_chain_is_not_chained_when_opened_and_verify_says_it_is_unchained(tmp_path):
    store = str(tmp_path / "old.sqlite")
    _history(store).lc.close()
    with sqlite3.connect(store) as db:
        db.execute("DROP TABLE lc_chain")  # as an earlier version left it
        db.execute("DELETE FROM lc_store WHERE name = 'signing'")
    db.close()
    with open_cycle(store) as lc, Views.of(lc) as views:
        assert list(lc.log.recorder.chain()) == []  # opening chains nothing
        result = views.verify()
        assert not result.ok and result.differences[0].where.startswith("the chain: the store is unchained")
    shown = run("verify", "--store", store, cwd=tmp_path, env={"COLUMNS": "300"})
    assert shown.returncode == 1
    assert "learning-cycle chain" in shown.stderr


def test_verify_on_the_command_line_names_the_position_prints_the_head_and_checks_a_digest(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    fine = run("verify", "--json", cwd=tmp_path)
    assert fine.returncode == 0, fine.stderr
    head = json.loads(fine.stdout)["head"]
    assert Head.parse(head).position == json.loads(fine.stdout)["position"]
    proved = run("verify", "--digest", head, cwd=tmp_path, env={"COLUMNS": "300"})
    assert proved.returncode == 0
    assert (
        f"ok: the log up to position {Head.parse(head).position} is the one digest {head} was taken of" in proved.stdout
    )
    assert f"head: {head}" in proved.stdout
    bad = run("verify", "--digest", "12:zz", cwd=tmp_path)
    assert bad.returncode == 2 and "--digest: must read POSITION:HEX" in bad.stderr
    Database(str(tmp_path / "learning-cycle.sqlite")).set_state(7, b"{}")  # not even an event any more
    broken = run("verify", cwd=tmp_path, env={"COLUMNS": "300"})
    assert broken.returncode == 1
    assert "the chain: event at position 7 (record " in broken.stderr
    assert "log: maintained 'every event decodes'" in broken.stderr
    assert "Traceback" not in broken.stderr


# -- the walk, the head and the keys, by themselves ---------------------------------------------

ROWS = [Row(p, f"00000000-0000-4000-8000-00000000000{p}", 1, "learning_cycle/Board.Created", b"{}") for p in (1, 2, 3)]


def _chained(rows, key=None, late=()):
    previous, made = "", []
    for row in rows:
        previous = link(key, previous, row.position, row.record, row.version, row.topic, row.state)
        made.append((row.position, previous, row.position in late))
    return made


def test_the_walk_of_a_whole_chain_reports_its_head_where_late_links_end_and_the_link_at_a_mark():
    chain = _chained(ROWS, late=(1, 2))
    report = walk(None, ROWS, chain, mark=Head(2, "0" * 64))
    assert report == ChainReport(Head(3, chain[-1][1]), None, 2, chain[1][1])
    assert walk(None, [], []) == ChainReport(None, None, 0, None)
    assert walk(None, ROWS, chain, mark=Head(9, "0" * 64)).at_mark is None  # no such position


def test_the_walk_names_the_first_break_and_reports_what_it_proved_up_to_it():
    chain = _chained(ROWS)
    changed = [ROWS[0], ROWS[1]._replace(state=b'{"x":1}'), ROWS[2]]
    assert walk(None, changed, chain) == ChainReport(
        Head(1, chain[0][1]),
        Break(2, f"({'record ' + ROWS[1].record} version 1, learning_cycle/Board.Created) was changed in the database since it was chained"),
        0,
        None,
    )  # fmt: skip
    assert walk(None, ROWS[:2], chain).broken == Break(3, "was chained when recorded but is missing from the log")
    assert walk(None, [ROWS[0], ROWS[2]], chain).broken == Break(
        2, "was chained when recorded but is missing from the log"
    )
    assert walk(None, ROWS, chain[:2]).broken == Break(3, "is in the log but was never chained: added since")
    assert walk(None, ROWS, [chain[0], chain[2]]).broken == Break(2, "is in the log but was never chained: added since")
    assert str(Break(2, "is gone")) == "event at position 2 is gone"


def test_a_keyed_chain_does_not_verify_without_its_key_nor_with_another():
    chain = _chained(ROWS, key=b"k1")
    assert walk(b"k1", ROWS, chain).broken is None
    assert walk(None, ROWS, chain).broken.position == 1
    assert walk(b"k2", ROWS, chain).broken.position == 1
    assert chain != _chained(ROWS)


@pytest.mark.parametrize(
    ("text", "message"),
    [("12", "must read POSITION:HEX"), ("x:" + "a" * 64, "must read POSITION:HEX"), ("1:" + "a" * 63, "(64 hex digits)"), (12, "must read")],
)  # fmt: skip
def test_a_head_reads_position_colon_64_hex_digits(text, message):
    with pytest.raises(InvalidValue) as refused:
        Head.parse(text, "--digest")
    assert (refused.value.field, refused.value.value) == ("--digest", text)
    assert str(refused.value).startswith("--digest: must read POSITION:HEX, as verify prints it (64 hex digits)")
    assert message in str(refused.value)


def test_a_head_is_parsed_from_what_it_prints_in_either_case():
    head = Head(288, "ab" * 32)
    assert Head.parse(str(head)) == head
    assert Head.parse(f"  288:{'AB' * 32} ") == head
    with pytest.raises(InvalidValue) as refused:
        Head.parse("bad")
    assert refused.value.field == "digest"


def test_a_secret_comes_from_the_environment_or_a_file_never_both(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(" from the file \n", encoding="utf-8")
    assert secret({"K": " direct "}, "K", "K_FILE") == "direct"
    assert secret({"K_FILE": str(key_file)}, "K", "K_FILE") == "from the file"
    assert secret({}, "K", "K_FILE") == ""
    cases = [
        ({"K": "a", "K_FILE": str(key_file)}, str(key_file), "K_FILE: set either K or K_FILE, not both"),
        # the reason in words, as the operating system gives it, not the exception's own text
        (
            {"K_FILE": str(tmp_path / "missing")},
            str(tmp_path / "missing"),
            "K_FILE: cannot be read (No such file or directory) (got ",
        ),
        ({"K_FILE": str(tmp_path)}, str(tmp_path), "K_FILE: cannot be read (is a folder, not a file) (got "),
    ]
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    cases.append(({"K_FILE": str(tmp_path / "empty")}, str(tmp_path / "empty"), "K_FILE: is empty"))
    for env, value, message in cases:
        with pytest.raises(InvalidValue) as refused:
            secret(env, "K", "K_FILE")
        assert (refused.value.field, refused.value.value) == ("K_FILE", value)
        assert str(refused.value).startswith(message)
    (tmp_path / "latin").write_bytes(b"caf\xe9")
    with pytest.raises(InvalidValue, match="K_FILE: cannot be read"):
        secret({"K_FILE": str(tmp_path / "latin")}, "K", "K_FILE")
    assert secret({"K_FILE": str(tmp_path / "latin")}, "K", "K_FILE", encoding="latin-1") == "café"
    assert signing_key({"LEARNING_CYCLE_SIGNING_KEY": "minutes"}) == b"minutes"
    assert signing_key({}) is None


def test_a_link_is_the_documented_hash_of_the_link_before_and_the_event_as_stored():
    import hashlib
    import hmac

    message = b"prev|5|rec|2|learning_cycle/Board.Created|" + b'{"a":1}'
    assert (
        link(None, "prev", 5, "rec", 2, "learning_cycle/Board.Created", b'{"a":1}')
        == hashlib.sha256(message).hexdigest()
    )
    assert link(b"key", "prev", 5, "rec", 2, "learning_cycle/Board.Created", b'{"a":1}') == (
        hmac.new(b"key", message, hashlib.sha256).hexdigest()
    )
