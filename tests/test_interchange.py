"""The JSONL interchange: lossless round trips, idempotent and atomic import, every bad line named."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_cycle import BadInput, LearningCycle
from learning_cycle.interchange import export_log, import_log
from learning_cycle.projections.store import Views
from learning_cycle.testing.strategies import histories

from .cli_helpers import run
from .conftest import MENU, TODAY, boards, open_cycle
from .everything import record_every_event_type

SOME = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def export(lc: LearningCycle, path: Path) -> str:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        export_log(lc.log, f)
    return path.read_text(encoding="utf-8")


@pytest.fixture
def everything(tmp_path) -> Path:
    """An export of a log holding every event type."""
    with open_cycle(tmp_path / "source.sqlite") as lc:
        record_every_event_type(lc)
        export(lc, tmp_path / "everything.jsonl")
    return tmp_path / "everything.jsonl"


def test_export_import_export_is_byte_identical_and_every_view_is_equal(everything, tmp_path, store):
    with open_cycle(store) as copy:
        result = import_log(copy.log, everything)
        assert (result.recorded, result.already) == (result.lines, 0)
        assert export(copy, tmp_path / "again.jsonl") == everything.read_text(encoding="utf-8")
        with open_cycle(tmp_path / "source.sqlite") as source, Views.of(source) as a, Views.of(copy) as b:
            (board,) = [x.board_id for x in boards(source)]
            assert a.records(board) == b.records(board)
            assert a.status(board) == b.status(board)
            assert a.picture(board, "2015/16") == b.picture(board, "2015/16")
            assert b.verify().ok


@SOME
@given(histories(MENU))
def test_any_history_round_trips_losslessly(tmp_path_factory, history):
    folder = tmp_path_factory.mktemp("round")
    lc = history.cycle(str(folder / "a.sqlite"))
    history.replay(lc)
    first = export(lc, folder / "a.jsonl")
    copy = history.cycle(str(folder / "b.sqlite"))
    import_log(copy.log, folder / "a.jsonl")
    assert export(copy, folder / "b.jsonl") == first
    lc.close()
    copy.close()


def test_importing_twice_records_nothing_the_second_time(everything, store):
    with open_cycle(store) as copy:
        import_log(copy.log, everything)
        position = copy.position()
        again = import_log(copy.log, everything)
        assert (again.recorded, again.already) == (0, again.lines)
        assert copy.position() == position


def test_a_store_holding_part_of_the_file_gets_the_rest(everything, tmp_path, store):
    lines = everything.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "part.jsonl").write_text("".join(lines[:20]), encoding="utf-8")
    with open_cycle(store) as copy:
        assert import_log(copy.log, tmp_path / "part.jsonl").recorded == 20
        rest = import_log(copy.log, everything)
        assert (rest.recorded, rest.already) == (len(lines) - 20, 20)
        assert export(copy, tmp_path / "again.jsonl") == everything.read_text(encoding="utf-8")


def test_a_failure_part_way_through_writing_leaves_the_store_unchanged(everything, tmp_path, monkeypatch):
    with open_cycle(tmp_path / "copy.sqlite") as copy:
        recorder = copy.log.recorder
        real = type(recorder).insert_many  # the bulk insert the import writes with
        calls = []

        def failing(self, cursor, events):
            calls.append(len(events))
            if len(calls) == 3:
                raise OSError("disk full (simulated)")
            return real(self, cursor, events)

        monkeypatch.setattr(type(recorder), "insert_many", failing)
        with pytest.raises(OSError, match="simulated"):
            import_log(copy.log, everything, batch=10)
        assert calls[:2] == [10, 10] and copy.position() == 0
        monkeypatch.setattr(type(recorder), "insert_many", real)
        result = import_log(copy.log, everything, batch=10)
        assert result.recorded == result.lines == copy.position()
        assert export(copy, tmp_path / "again.jsonl") == everything.read_text(encoding="utf-8")


def _corrupt(everything: Path, tmp_path: Path, number: int, change) -> Path:
    lines = everything.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = change(lines[number - 1])
    path = tmp_path / "corrupt.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _edit(**changes):
    def change(text: str) -> str:
        line = json.loads(text)
        for key, value in changes.items():
            target = line
            *parents, last = key.split(".")
            for parent in parents:
                target = target[parent]
            if value is DELETE:
                del target[last]
            else:
                target[last] = value
        return json.dumps(line, ensure_ascii=False)

    return change


DELETE = object()
LINE = 12  # an event in the middle of the file: Finding.Raised of the every-event log


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t[:-5], "corrupt.jsonl:12:"),
        (_edit(topic="learning_cycle/Finding.Invented"), "topic: is not the topic of a learning-cycle event"),
        (_edit(class_version=7), "class_version: is not a version of learning_cycle/Finding.Raised (1 to 2)"),
        (_edit(**{"payload.statement": DELETE}), "corrupt.jsonl:12: payload.statement: is missing (expected text)"),
        (_edit(**{"payload.colour": "red"}), "payload.colour: is not a field of learning_cycle/Finding.Raised version 2 (got 'red')"),
        (_edit(**{"payload.level": 3}), "payload.level: expected one of 'strategic', 'operational', 'organisational', 'individual', got 3"),
        (_edit(**{"payload.statement": 7}), "payload.statement: expected text, got int 7"),
        (_edit(**{"payload.agencies": ["csc", 2]}), "payload.agencies: item 1: expected text, got int 2"),
        (_edit(**{"payload.agencies": "csc"}), "payload.agencies"),
        (_edit(effective_on="1066-10-14"), "effective_on: is before 1900-01-01 (got '1066-10-14')"),
        (_edit(effective_on="2099-01-01"), "effective_on: is after the day it was recorded"),
        (_edit(**{"payload.activity_id": "00000000-0000-4000-8000-000000000000"}), "payload.activity_id: refers to a record that is neither in the store nor earlier in the file"),
        (_edit(originator_version=2), "originator_version: version gap: the next version of"),
        (_edit(recorded_at="yesterday"), "recorded_at: must be an ISO 8601 date-time with a time zone (got 'yesterday')"),
        (_edit(payload=[1, 2]), "payload: must be a JSON object"),
        (lambda t: "[1, 2, 3]", "corrupt.jsonl:12:1: line: must be a JSON object (one event) (got [1, 2, 3])"),
    ],
)  # fmt: skip
def test_a_corrupt_line_in_the_middle_is_named_and_nothing_is_written(everything, tmp_path, change, message):
    path = _corrupt(everything, tmp_path, LINE, change)
    assert json.loads(everything.read_text().splitlines()[LINE - 1])["topic"] == "learning_cycle/Finding.Raised"
    with open_cycle(tmp_path / "target.sqlite") as target:
        with pytest.raises(BadInput) as caught:
            import_log(target.log, path)
        assert message in str(caught.value), str(caught.value)
        assert any(p.where.line == LINE for p in caught.value.problems)
        assert target.position() == 0


def test_a_duplicate_line_is_named_with_the_first(everything, tmp_path):
    lines = everything.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "dup.jsonl"
    path.write_text("\n".join([*lines[:14], lines[11], *lines[14:]]) + "\n", encoding="utf-8")
    with open_cycle(tmp_path / "t.sqlite") as target, pytest.raises(BadInput) as caught:
        import_log(target.log, path)
    assert "dup.jsonl:15:" in str(caught.value) and "duplicate: version 1 of" in str(caught.value)
    assert "is already earlier in the file (its version 3 is at line 14)" in str(caught.value)


def test_every_problem_is_reported_in_one_run(everything, tmp_path):
    lines = everything.read_text(encoding="utf-8").splitlines()
    for n in (3, 9, 20):
        lines[n - 1] = lines[n - 1].replace('"recorded_by":"', '"recorded_by":0,"x":"')
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_cycle(tmp_path / "t.sqlite") as target, pytest.raises(BadInput) as caught:
        import_log(target.log, path)
    assert sorted({p.where.line for p in caught.value.problems}) == [3, 9, 20]


def test_a_line_recorded_differently_in_the_store_is_a_conflict(everything, tmp_path):
    with open_cycle(tmp_path / "t.sqlite") as target:
        import_log(target.log, everything)
        changed = _corrupt(everything, tmp_path, LINE, _edit(**{"payload.statement": "Something else"}))
        with pytest.raises(BadInput, match="is already in the store, recorded differently"):
            import_log(target.log, changed)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.jsonl:1: file: has no events (0 bytes)"),
        (b"\n\n", "empty.jsonl:1: file: has no events"),
        ('{"topic": "caf\u00e9"}\n'.encode("latin-1"), "empty.jsonl:1:15: encoding: is not UTF-8 text"),
        (b"{" + b" " * (1 << 20) + b"}\n{}\n", "empty.jsonl:1:1: line: is longer than 1048576 bytes"),
    ],
)
def test_empty_files_other_encodings_and_huge_lines(tmp_path, content, message):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with open_cycle(tmp_path / "t.sqlite") as target, pytest.raises(BadInput) as caught:
        import_log(target.log, path)
    assert str(caught.value).startswith(message), str(caught.value)


@SOME
@given(st.integers(0, 40), st.integers(0, 2000), st.binary(max_size=8))
def test_any_damage_to_a_line_is_reported_or_harmless_never_a_crash(everything, tmp_path_factory, line, at, junk):
    lines = everything.read_bytes().split(b"\n")
    line %= len(lines) - 1
    text = lines[line]
    lines[line] = text[: at % (len(text) + 1)] + junk + text[at % (len(text) + 1) :]
    path = tmp_path_factory.mktemp("fuzz") / "fuzzed.jsonl"
    path.write_bytes(b"\n".join(lines))
    with LearningCycle("memory:", menu=MENU, today=lambda: TODAY) as target:
        try:
            import_log(target.log, path)
        except BadInput as exc:
            assert exc.problems and target.position() == 0
        else:
            assert target.position() > 0


def test_cli_round_trip_and_a_corrupt_line(tmp_path):
    assert run("demo", cwd=tmp_path).returncode == 0
    assert run("export", "-o", "a.jsonl", cwd=tmp_path).returncode == 0
    assert run("import", "a.jsonl", "--store", "b.sqlite", cwd=tmp_path).returncode == 0
    assert run("export", "-o", "b.jsonl", "--store", "b.sqlite", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    lines = (tmp_path / "a.jsonl").read_text().splitlines()
    middle = len(lines) // 2
    lines[middle - 1] = lines[middle - 1].replace('"effective_on":"', '"effective_on":"not ')
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    bad = run("import", "bad.jsonl", "--store", "c.sqlite", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert f"bad.jsonl:{middle}:" in bad.stderr and "effective_on" in bad.stderr
    assert "nothing was recorded" in bad.stderr
    again = run("import", "a.jsonl", "--store", "b.sqlite", cwd=tmp_path)
    assert again.stdout.startswith(f"0 events recorded, {len(lines)} already in the store")


def test_an_import_written_in_small_batches_as_it_is_checked_is_byte_for_byte(everything, tmp_path):
    with open_cycle(tmp_path / "copy.sqlite") as copy:
        result = import_log(copy.log, everything, batch=7)
        assert result.recorded == result.lines == copy.position()
        assert export(copy, tmp_path / "again.jsonl") == everything.read_text(encoding="utf-8")


NATURAL = {  # the records whose id a command makes from what they are (one per board and key, year, ...)
    "learning_cycle/Board.Created": "board",
    "learning_cycle/Indicator.Defined": "indicator",
    "learning_cycle/Framework.Adopted": "framework",
    "learning_cycle/Return.Submitted": "return",
    "learning_cycle/ReturnsAnalysis.Analysed": "analysis of returns",
    "learning_cycle/PeerReview.Reported": "peer review",
    "learning_cycle/Programme.Planned": "programme",
}


@pytest.mark.parametrize("topic", [*NATURAL, "learning_cycle/Finding.Raised", "learning_cycle/Action.Raised"])
def test_a_record_whose_id_follows_from_what_it_is_is_refused_under_another_id(everything, tmp_path, topic):
    """A record a command names by its natural key (a board's key; a return's board, audit,
    organisation and year; ...) keeps that id through export and import: a file giving it another
    id, consistently on every line, is refused naming the id it must have, and nothing is written.
    Other records' ids are any UUID: the same file with one of theirs changed imports."""
    lines = everything.read_text(encoding="utf-8").splitlines()
    first = next(json.loads(t) for t in lines if json.loads(t)["topic"] == topic)
    own, forged = first["originator_id"], "00000000-0000-4000-8000-00000000abcd"
    path = tmp_path / "forged.jsonl"
    path.write_text("\n".join(lines).replace(own, forged) + "\n", encoding="utf-8")
    with open_cycle(tmp_path / "target.sqlite") as target:
        if topic not in NATURAL:
            import_log(target.log, path)
            assert target.version_of(forged) == target.version_of(uuid.UUID(forged)) >= 1  # (an id as text too)
            return
        with pytest.raises(BadInput) as refused:
            import_log(target.log, path)
        assert target.position() == 0
    problem = next(p for p in refused.value.problems if p.field == "originator_id" and p.value == forged)
    assert problem.reason.startswith(f"is not the id of the {NATURAL[topic]} with ")
    assert problem.reason.endswith(f", which is {own}")
