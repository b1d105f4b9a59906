"""Attacks on the making of the chain: it is made once, deliberately, and a signed store stays signed.

Made as someone who can write the store's file (or its PostgreSQL schema) would make them, on a
real SQLite file and on a real PostgreSQL server: empty the chain and wait for the next open;
write into a signed store without its key, or with another; chain a store twice. And the one
legitimate way to chain a store an earlier version made: ``learning-cycle chain``, recorded.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_cycle import LearningCycleError
from learning_cycle.domain.board import Board
from learning_cycle.eventlog import EventLog, signing_key
from learning_cycle.eventlog.chain import Row, link, walk
from learning_cycle.projections.store import Views

from .cli_helpers import run
from .conftest import boards, open_cycle
from .test_chain import Database, _altered, _history

KEY = "minutes of the board, 2026"
OTHER = "somebody else's key"
UNCHAINED = "the chain: the store is unchained"


def signing_fingerprint(key: bytes | None) -> str:
    """The fingerprint docs/security.md promises: ``hmac:`` and 16 hex of a SHA-256 over the key, domain separated."""
    return "none" if key is None else "hmac:" + hashlib.sha256(b"learning-cycle signing key\x00" + key).hexdigest()[:16]


def _count(db: Database, table: str) -> int:
    return db.sql(f"SELECT COUNT(*) FROM {table}")[0][0]


def _signing(db: Database) -> str | None:
    found = db.sql("SELECT value FROM lc_store WHERE name = 'signing'")
    return found[0][0] if found else None


def _verify(store: str) -> list[str]:
    with open_cycle(store) as lc, Views.of(lc) as views:
        return [str(d) for d in views.verify().differences]


def _unchain(store: str) -> Database:
    """The store as a version of learning-cycle before the chain would have left it: its events, no
    links, and no record of its signing (the settings table of that version held the cipher alone)."""
    db = Database(store)
    db.sql("DELETE FROM lc_chain")
    db.sql("DELETE FROM lc_store WHERE name = 'signing'")
    return db


def _earlier_version(store: str) -> Database:
    _history(store).lc.close()
    return _unchain(store)


# -- no open ever chains events ----------------------------------------------------------------


@pytest.mark.parametrize("key", [None, KEY])
def test_a_chain_emptied_is_not_made_again_by_the_next_open_and_recording_into_it_is_refused(store, monkeypatch, key):
    if key is not None:
        monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", key)
    _history(store).lc.close()
    db = Database(store)
    db.set_state(2, _altered(db.event(2)[3]))  # history edited by someone without the key...
    db.sql("DELETE FROM lc_chain")  # ...who then empties the chain and waits for the next open
    events = _count(db, db.events)
    with EventLog(store):
        pass
    assert _count(db, "lc_chain") == 0  # opening made nothing
    with open_cycle(store) as lc:
        (board,) = boards(lc)
        with pytest.raises(LearningCycleError, match=r"the log holds events 1 to \d+ and no chain: nothing was"):
            lc.add_district(board.board_id, "east", on=date(2015, 2, 1))
    assert (_count(db, db.events), _count(db, "lc_chain")) == (events, 0)
    problems = _verify(store)
    assert problems[0].startswith(f"{UNCHAINED}: its {events} events have no links")
    assert "learning-cycle chain" in problems[0]


def test_verify_of_an_emptied_chain_exits_1_on_the_command_line_with_and_without_a_key(tmp_path):
    for key in (None, KEY):
        env = {} if key is None else {"LEARNING_CYCLE_SIGNING_KEY": key}
        folder = tmp_path / ("keyed" if key else "plain")
        folder.mkdir()
        assert run("demo", cwd=folder, env=env).returncode == 0
        Database(str(folder / "learning-cycle.sqlite")).sql("DELETE FROM lc_chain")
        shown = run("verify", cwd=folder, env={"COLUMNS": "300", **env})
        assert shown.returncode == 1, shown.stdout
        assert UNCHAINED in shown.stderr and "`learning-cycle chain`" in shown.stderr
        assert "Traceback" not in shown.stderr


def test_a_log_whose_first_links_were_removed_is_reported_unchained_before_the_chain_begins(store):
    _history(store).lc.close()
    db = Database(store)
    db.sql("DELETE FROM lc_chain WHERE position <= 3")
    assert (
        _verify(store)[0]
        == "the chain: event at position 1 is in the log before the chain begins (at position 4): unchained"
    )


def test_links_made_late_by_hand_with_no_recorded_chaining_are_a_problem(tmp_path):
    store = str(tmp_path / "old.sqlite")
    db = _earlier_version(store)
    previous = ""  # every link made again, marked late, as the version before this one did at open
    for position in range(1, db.last() + 1):
        record, version, topic, state = db.event(position)
        previous = link(None, previous, position, record, version, topic, state)
        db.sql("INSERT INTO lc_chain (position, link, late) VALUES (?, ?, 1)", (position, previous))
    (problem,) = _verify(store)
    assert problem == (
        f"the chain: events 1 to {db.last()} were linked late, and no chaining by `learning-cycle chain` is "
        "recorded after them"
    )


# -- chaining an earlier version's store is an explicit verb, recorded --------------------------


def test_chain_links_an_earlier_versions_store_once_and_records_when_and_by_whom(tmp_path):
    store = str(tmp_path / "old.sqlite")
    b = _history(store)  # two boards in one store: the chaining is recorded on each
    b.lc.create_board("south-board", "South Board", agencies=[("csc", "Social Care")], on=date(2014, 4, 1))
    b.lc.close()
    db = _unchain(store)
    events = db.last()
    chained = run("chain", "--store", store, cwd=tmp_path, env={"LEARNING_CYCLE_USER": "Chair of the board"})
    assert chained.returncode == 0, chained.stderr
    assert f"events 1 to {events} linked late" in chained.stdout
    assert [late for (late,) in db.sql("SELECT late FROM lc_chain ORDER BY position")] == [1] * events + [0, 0]
    assert _signing(db) == "none"
    with open_cycle(store) as lc:
        recorded = [n.event for n in lc.log.read(events)]
        assert {e.originator_id for e in recorded} == {board.board_id for board in boards(lc)}
    assert [type(e) for e in recorded] == [Board.LogChained, Board.LogChained]
    assert {(e.chained_until, e.recorded_by) for e in recorded} == {(events, "Chair of the board")}
    on = recorded[0].timestamp.astimezone(UTC).date().isoformat()  # the day it was recorded, as the log holds it
    shown = run("verify", "--store", store, cwd=tmp_path, env={"COLUMNS": "300"})
    assert shown.returncode == 0, shown.stderr
    assert (
        f"note: events 1 to {events} were chained late, on {on} by Chair of the board (learning-cycle chain); "
        "edits made to them before then cannot be detected"
    ) in shown.stdout
    # once: a second run is refused, and writes nothing
    before = Path(store).read_bytes()
    again = run("chain", "--store", store, cwd=tmp_path)
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert "error: store: the store is chained already: nothing was chained" in again.stderr
    assert Path(store).read_bytes() == before
    # from now on, events are chained as they are recorded
    with open_cycle(store) as lc:
        lc.add_district(boards(lc)[0].board_id, "east", on=date(2015, 2, 1))
    assert _verify(store) == []


def test_chain_under_a_signing_key_is_verified_and_its_record_survives_export_and_import(store, tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    db = _earlier_version(store)
    events = db.last()
    with open_cycle(store) as lc:
        assert lc.chain_log() == events
    assert _signing(db) == signing_fingerprint(KEY.encode())
    with open_cycle(store) as lc, Views.of(lc) as views:
        result = views.verify()
        assert result.ok and result.chained_late_until == events
        assert result.chained_late.startswith(f"events 1 to {events} were chained late, on ")
        assert result.chained_late.endswith(" by test analyst (learning-cycle chain)")
    exported = tmp_path / "log.jsonl"
    code = run("export", "-o", str(exported), "--store", store, cwd=tmp_path, env={"LEARNING_CYCLE_SIGNING_KEY": KEY})
    assert code.returncode == 0, code.stderr
    topics = [json.loads(line)["topic"] for line in exported.read_text(encoding="utf-8").splitlines()]
    assert topics.count(Board.LogChained.TOPIC) == 1
    fresh = str(tmp_path / "fresh.sqlite")
    loaded = run("import", str(exported), "--store", fresh, cwd=tmp_path, env={"LEARNING_CYCLE_SIGNING_KEY": KEY})
    assert loaded.returncode == 0, loaded.stderr
    with open_cycle(fresh) as lc, Views.of(lc) as views:  # chained as imported: nothing late
        result = views.verify()
        assert result.ok and result.chained_late_until == 0


def test_chain_is_refused_on_a_store_made_chained_whose_chain_is_gone_and_on_an_empty_one(store):
    _history(store).lc.close()
    db = Database(store)
    db.sql("DELETE FROM lc_chain")  # the store records its signing: this version made it, chained
    with open_cycle(store) as lc, pytest.raises(LearningCycleError, match="its chain is gone: it was tampered with"):
        lc.chain_log()
    assert _count(db, "lc_chain") == 0
    with open_cycle("memory:") as lc, pytest.raises(LearningCycleError, match="the store holds no events"):
        lc.chain_log()


# -- a signed store records that it is signed ---------------------------------------------------


def test_the_signing_fingerprint_is_a_domain_separated_hash_of_the_key_never_the_key():
    from learning_cycle.eventlog.chain import signing_fingerprint as made

    expected = hashlib.sha256(b"learning-cycle signing key\x00" + KEY.encode()).hexdigest()[:16]
    assert made(KEY.encode()) == f"hmac:{expected}"
    assert made(None) == "none"
    assert expected not in hashlib.sha256(KEY.encode()).hexdigest()
    assert made(signing_key({"LEARNING_CYCLE_SIGNING_KEY": OTHER})) != made(KEY.encode())


def test_every_kind_of_store_records_its_signing_when_made(store, monkeypatch):
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    with EventLog(store) as log, EventLog("memory:") as memory:
        assert log.recorder.store_setting("signing") == signing_fingerprint(KEY.encode())
        assert memory.recorder.store_setting("signing") == signing_fingerprint(KEY.encode())
    monkeypatch.delenv("LEARNING_CYCLE_SIGNING_KEY")
    with EventLog("memory:") as memory:
        assert memory.recorder.store_setting("signing") == "none"


@pytest.mark.parametrize(("wrong_key", "message"), [
    (None, "is opened with no signing key (links unkeyed): nothing was read or written"),
    (OTHER, f"is opened with the signing key with fingerprint {signing_fingerprint(OTHER.encode())}: nothing"),
])  # fmt: skip
def test_a_signed_store_refuses_a_process_without_its_key_before_it_writes(store, monkeypatch, wrong_key, message):
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    _history(store).lc.close()
    db = Database(store)
    before = (db.sql(f"SELECT COUNT(*) FROM {db.events}"), db.sql("SELECT * FROM lc_chain ORDER BY position"))
    if wrong_key is None:
        monkeypatch.delenv("LEARNING_CYCLE_SIGNING_KEY")
    else:
        monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", wrong_key)
    with pytest.raises(LearningCycleError) as refused:
        open_cycle(store)
    assert f"was made with the signing key with fingerprint {signing_fingerprint(KEY.encode())}" in str(refused.value)
    assert message in str(refused.value)
    assert "set LEARNING_CYCLE_SIGNING_KEY (or LEARNING_CYCLE_SIGNING_KEY_FILE) to its key" in str(refused.value)
    assert (db.sql(f"SELECT COUNT(*) FROM {db.events}"), db.sql("SELECT * FROM lc_chain ORDER BY position")) == before


@pytest.mark.parametrize("wrong_key", [None, OTHER])
def test_pull_into_a_signed_store_without_its_key_is_refused_and_the_file_is_unchanged(tmp_path, wrong_key):
    assert run("demo", cwd=tmp_path, env={"LEARNING_CYCLE_SIGNING_KEY": KEY}).returncode == 0
    store = tmp_path / "learning-cycle.sqlite"
    figures = tmp_path / "figures.csv"
    figures.write_text("indicator,period_start,value\ncp-plans,2014-10-01,999\n", encoding="utf-8")
    before = store.read_bytes()
    env = {} if wrong_key is None else {"LEARNING_CYCLE_SIGNING_KEY": wrong_key}
    for verb in (["pull", str(figures)], ["chain"], ["rebuild"], ["verify"]):
        refused = run(*verb, cwd=tmp_path, env={"COLUMNS": "300", **env})
        assert refused.returncode == 2, (verb, refused.stdout)
        assert "Traceback" not in refused.stderr
        assert f"was made with the signing key with fingerprint {signing_fingerprint(KEY.encode())}" in refused.stderr
        assert "nothing was read or written" in refused.stderr
        assert store.read_bytes() == before, verb
    pulled = run("pull", str(figures), cwd=tmp_path, env={"LEARNING_CYCLE_SIGNING_KEY": KEY})
    assert pulled.returncode == 0, pulled.stderr
    assert run("verify", cwd=tmp_path, env={"LEARNING_CYCLE_SIGNING_KEY": KEY}).returncode == 0


def test_a_store_chained_before_it_recorded_its_signing_records_it_on_the_first_open_its_first_link_verifies(
    store, monkeypatch
):
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    _history(store).lc.close()
    db = Database(store)
    db.sql("DELETE FROM lc_store WHERE name = 'signing'")  # as the version before this one left it
    for wrong in (None, OTHER):
        if wrong is None:
            monkeypatch.delenv("LEARNING_CYCLE_SIGNING_KEY")
        else:
            monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", wrong)
        with pytest.raises(LearningCycleError, match="that its first link does not verify with: it is opened with"):
            open_cycle(store)
        assert _signing(db) is None
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    with open_cycle(store) as lc, Views.of(lc) as views:
        assert views.verify().ok
    assert _signing(db) == signing_fingerprint(KEY.encode())


def test_an_attacker_who_drops_the_signing_and_the_chain_and_chains_without_the_key_is_caught_by_the_key(
    store, monkeypatch
):
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    _history(store).lc.close()
    monkeypatch.delenv("LEARNING_CYCLE_SIGNING_KEY")
    db = Database(store)
    db.set_state(2, _altered(db.event(2)[3]))
    db.sql("DELETE FROM lc_chain")
    db.sql("DELETE FROM lc_store WHERE name = 'signing'")
    with open_cycle(store) as lc:
        lc.chain_log()  # the attacker, without the key
        with Views.of(lc) as views:
            assert views.verify().ok  # without the key, and without a digest, it holds: docs/security.md
    monkeypatch.setenv("LEARNING_CYCLE_SIGNING_KEY", KEY)
    with pytest.raises(LearningCycleError, match=r"was made with no signing key .* is opened with the signing key"):
        open_cycle(store)  # the board, with its key, is told


# -- the walk, by itself ------------------------------------------------------------------------


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=12), st.data())
def test_a_walk_reports_a_log_unchained_exactly_when_it_has_events_and_no_link(states, data):
    rows = [Row(p, str(UUID(int=p)), 1, "learning_cycle/Board.Created", s) for p, s in enumerate(states, 1)]
    previous, chain = "", []
    for row in rows:
        previous = link(None, previous, row.position, row.record, row.version, row.topic, row.state)
        chain.append((row.position, previous, False))
    kept = data.draw(st.integers(0, len(chain)))  # the chain cut to its first links (none: emptied)
    report = walk(None, rows, chain[:kept])
    assert report.unchained == (kept == 0)
    assert (report.broken is None) == (kept == len(chain))
    if kept < len(chain):
        assert report.broken.position == kept + 1
