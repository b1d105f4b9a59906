"""Attacks on the outputs: hostile text that reached the store past the value rules (written by
another program), and hostile text the value rules must refuse at every way in.

Every output escapes at the edge, whatever the value's origin (docs/security.md, "Output
escaping"): no raw control character or bidirectional control reaches a terminal, a Markdown, HTML
or JSON output; console markup and emoji codes stay text; Markdown and HTML syntax stays text; JSON
parses and holds the text exactly.
"""

from __future__ import annotations

import json
import re
import sqlite3
import typing
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.table import Table
from rich.text import Text

from learning_cycle import LearningCycle
from learning_cycle.cli import SafeConsole, main
from learning_cycle.demo import load_demo
from learning_cycle.domain import LearningCycleError, event_classes, rules
from learning_cycle.eventlog.serialization import payload_fields
from learning_cycle.plugins import open_cycle
from learning_cycle.reports.paper import SECTIONS, slug
from learning_cycle.reports.safe import STAND_IN, html_text, json_text, markdown_text, terminal_text

RAW = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{rules.BIDI_CONTROLS}]")
"""What no output may carry raw (tab and newline aside)."""
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]  # fmt: skip

HOSTILE = (
    " \x1b[31mRED\x1b[0m\x1b]0;title\x07\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ C1:\x9b2J del:\x7f"
    " bidi:\u202eevil\u202c\u2066iso\u2069\u200f nul:\x00 cr:\rover"
    " [bold red]MARKUP[/bold red] [link=http://evil.example]click[/link] :cross_mark: :thumbs_up:"
    " | extra | cell | ![img](http://evil.example/x.png) <img src=x onerror=alert(1)> <script>alert(1)</script>"
    " &lt;b&gt; **bold** _em_ `code` ~~gone~~ $x^2$ [^1] [a](javascript:alert(1)) <http://evil.example>"
    "\n# heading\n- item\n1. first\n> quote\n---\n|a|b|\n    code"
)
"""Appended to every free-text field of a real store, past the rules."""


# -- a store written past the rules --------------------------------------------------------------


def _text_paths(owner: type, kind: typing.Any, path: str) -> list[str]:
    """The free-text paths (rules ``short``, ``long``, ``note``) of a field of type ``kind``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if args and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _text_paths(owner, inner, path)
    if origin is tuple:
        return _text_paths(owner, args[0], f"{path}[]")
    if attrs.has(kind):
        hints = typing.get_type_hints(kind)
        return [p for a in attrs.fields(kind) for p in _text_paths(owner, hints[a.name], f"{path}.{a.name}")]
    return [path] if rules.rule_at(owner, path) in ("short", "long", "note") else []


TEXT_PATHS = {
    cls.TOPIC: [p for name, kind in payload_fields(cls) for p in _text_paths(cls, kind, name) if "." not in p]
    for cls in event_classes()
}
"""The free-text fields of each event, but those inside a value type (an agency's name, a
publication decision's reason), which checks its text when it is read: a store holding control
characters there cannot be read at all, and says so."""


def _append(value: typing.Any, path: list[str]) -> typing.Any:
    """``value`` with HOSTILE appended to the text at ``path`` (``[]`` for every item of a list)."""
    if value is None:
        return None
    if not path:
        return value + HOSTILE if isinstance(value, str) else value
    head, rest = path[0], path[1:]
    if head.endswith("[]"):
        key = head[:-2]
        return {**value, key: [_append(item, rest) if rest else item + HOSTILE for item in value[key]]}
    return {**value, head: _append(value.get(head), rest)}


def write_past_the_rules(store: Path) -> int:
    """Append HOSTILE to every free-text field (and recorder's name) of every stored event, as a
    program that does not check the rules could have written them. Returns how many were changed."""
    changed = 0
    with sqlite3.connect(store) as db:
        for rowid, topic, state in db.execute("SELECT rowid, topic, state FROM stored_events").fetchall():
            data = json.loads(bytes(state))
            data["recorded_by"] += HOSTILE
            for path in TEXT_PATHS[topic]:
                parts = re.split(r"\.|(?<=\[\])", path)
                data = _append(data, [p for p in parts if p])
            db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (json.dumps(data).encode(), rowid))
            changed += 1
    return changed


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("hostile") / "s.sqlite"
    with open_cycle(str(store), user="officer") as lc:
        board_id, _ = load_demo(lc)
        lc.read_restricted(board_id, "findings")
    assert write_past_the_rules(store) > 100
    assert main(["rebuild", "--store", str(store)]) == 0  # the views are folded from the hostile log
    return store


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "3000")  # a recorded text is not wrapped across lines of a table


def _run(store: Path, capsys, *argv: str, code: int = 0) -> tuple[str, str]:
    got = main([*argv, "--store", str(store)])
    out, err = capsys.readouterr()
    assert got == code, (argv, got, err[-2000:])
    return out, err


def _assert_inert(text: str, where: str) -> None:
    """No raw control or bidirectional character; no emoji made of a code."""
    raw = RAW.search(text)
    assert raw is None, f"{where}: raw U+{ord(raw.group()):04X} at {raw.start()}: {text[max(0, raw.start() - 60) : raw.start() + 20]!r}"  # fmt: skip
    assert "\u274c" not in text and "\U0001f44d" not in text, f"{where}: an emoji code became an emoji"


def _strings(data: typing.Any) -> typing.Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


TERMINAL = [
    ["boards"], ["status", "--include-restricted"], ["status", "--as-of", "2015-05-20"],
    ["picture", "--include-restricted", "--year", "2015/16"], ["findings", "--include-restricted"],
    ["activities", "--include-restricted"], ["outcomes", "--include-restricted"], ["access-log"],
]  # fmt: skip


@pytest.mark.parametrize("argv", TERMINAL, ids=" ".join)
def test_terminal_outputs_of_a_store_written_past_the_rules_are_inert(hostile_store, capsys, argv):
    out, err = _run(hostile_store, capsys, *argv)
    _assert_inert(out, " ".join(argv))
    _assert_inert(err, " ".join(argv))
    if argv[0] != "outcomes":  # outcome notes are the measures' own words
        assert "[bold red]MARKUP[/bold red]" in out  # console markup is shown as text
        assert STAND_IN in out  # each control shows where it was


@pytest.mark.parametrize("argv", [[*a, "--json"] for a in TERMINAL] + [["verify", "--json"]], ids=" ".join)
def test_json_outputs_parse_and_hold_the_text_exactly_with_controls_escaped(hostile_store, capsys, argv):
    out, err = _run(hostile_store, capsys, *argv, code=1 if argv[0] == "verify" else 0)
    _assert_inert(out, " ".join(argv))
    _assert_inert(err, " ".join(argv))
    data = json.loads(out)
    if argv[0] not in ("verify", "outcomes"):
        assert any(HOSTILE in s for s in _strings(data)), "the text is held exactly"


def test_verify_of_a_store_written_past_the_rules_reports_it_inertly(hostile_store, capsys):
    out, err = _run(hostile_store, capsys, "verify", code=1)
    _assert_inert(out, "verify")
    _assert_inert(err, "verify")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "main", "section",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "figure", "svg", "desc", "line", "text", "polyline",
    "circle", "rect", "figcaption", "details", "summary", "ul", "li", "div", "strong",
    "nav", "a", "ol", "dl", "dt", "dd", "pre", "code", "span", "path",
}  # fmt: skip


def _check_html(text: str, where: str) -> None:
    _assert_inert(text, where)
    parsed = _Tags()
    parsed.feed(text)
    assert parsed.tags <= TEMPLATE_TAGS, f"{where}: tags from recorded text: {parsed.tags - TEMPLATE_TAGS}"
    assert not {a for a in parsed.attributes if a.startswith("on")}, where
    contents = {f'<a href="#{slug(s)}">' for s in SECTIONS}  # the one kind of link: the contents, to the headings
    assert set(re.findall(r"<a\b[^>]*>", text)) <= contents, where
    shown = "".join(parsed.text)
    assert "<img src=x onerror=alert(1)>" in shown and "<script>alert(1)</script>" in shown  # as text


def _check_markdown(text: str, where: str) -> None:
    _assert_inert(text, where)
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(text)
    children = [c for t in tokens for c in t.children or ()]
    kinds = {t.type for t in tokens} | {c.type for c in children}
    assert not kinds & {"html_block", "html_inline", "image", "s_open", "code_block"}, (where, kinds)
    # the one kind of link: the paper's contents, to its own headings
    contents = {f"#{slug(s)}" for s in SECTIONS}
    assert all(c.attrs.get("href") in contents for c in children if c.type == "link_open"), where
    # every table row has as many cells as its header: no recorded "|" makes a cell
    cells, rows = 0, []
    for t in tokens:
        if t.type == "tr_open":
            cells = 0
        elif t.type in ("th_open", "td_open"):
            cells += 1
        elif t.type == "tr_close":
            rows.append(cells)
        elif t.type == "table_close":
            assert len(set(rows)) == 1, f"{where}: rows of {set(rows)} cells"
            rows = []


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_stock_take_of_a_store_written_past_the_rules_is_inert_on_stdout_and_in_a_file(
    hostile_store, capsys, tmp_path, fmt
):
    args = ["stocktake", "--include-restricted", "--year", "2015/16", "--format", fmt]
    out, err = _run(hostile_store, capsys, *args)
    file = tmp_path / f"report.{fmt}"
    _, err_o = _run(hostile_store, capsys, *args, "-o", str(file))
    written = file.read_text(encoding="utf-8")
    for text, where in ((out, "stdout"), (written, "-o")):
        _assert_inert(err + err_o, "stocktake")
        if fmt == "md":
            _check_markdown(text, f"stocktake md {where}")
            assert "MARKUP" in text and "\\| extra \\| cell \\|" in text and "&lt;script&gt;" in text
        elif fmt == "html":
            _check_html(text, f"stocktake html {where}")
        else:
            _assert_inert(text, f"stocktake json {where}")
            assert any(HOSTILE in s for s in _strings(json.loads(text)))


def test_an_indicator_unit_is_escaped_in_the_markdown_stock_take(tmp_path, capsys):
    """The attack that was found: a unit written raw (HTML, a remote image, an extra table cell)."""
    store = tmp_path / "s.sqlite"
    with open_cycle(str(store), user="officer", today=lambda: date(2016, 6, 1)) as lc:
        b = lc.create_board("u", "Board (fictional)", agencies=[("csc", "C")], on=date(2014, 4, 1))
        lc.define_indicator(b, key="visits", title="Visits on time", kind="how_well", polarity="higher_is_better",
                            cadence="quarterly", on=date(2014, 4, 1),
                            unit="| x | <img src=http://evil.example/i.png> ![i](http://evil.example/j.png)")  # fmt: skip
        lc.record_measurement(b, "visits", date(2014, 4, 1), 5, on=date(2014, 5, 1))
        lc.record_measurement(b, "visits", date(2014, 7, 1), 7, on=date(2014, 8, 1))
    out, _ = _run(store, capsys, "stocktake", "--year", "2014/15")
    _check_markdown(out, "unit")
    assert "<img" not in out and "![i]" not in out


# -- the escaping itself, for any text ------------------------------------------------------------

SYNTAX = list("[]:|<>&*_`#!()-1.$~\\ \n\t\r\x1b\x9b\x7f")
"""Single characters that make markup, escapes or structure somewhere."""
hostile_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from([*BIDI, *SYNTAX]),
        st.sampled_from([":cross_mark:", "[bold]", "[/]", "[link=http://x]", "<script>", "![a](http://x)", "\x1b[2J"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_json_text_parses_back_exactly_with_no_raw_control(text):
    dumped = json_text({"text": text, text: [text]})
    assert RAW.search(dumped) is None and "\u2028" not in dumped and "\u2029" not in dumped
    assert json.loads(dumped) == {"text": text, text: [text]}


def _shown(text: str) -> str:
    """What an output shows of ``text``: each raw character replaced by the stand-in."""
    return RAW.sub(STAND_IN, text)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_html_text_is_text_to_a_parser(text):
    parsed = _Tags()
    parsed.feed(f'<p>{html_text(text)}</p><p title="{html_text(text)}">x</p>')
    parsed.close()
    assert parsed.tags == {"p"} and parsed.attributes <= {"title"}
    assert "".join(parsed.text) == _shown(text).replace("\r", STAND_IN) + "x"


@settings(max_examples=300, deadline=None)
@given(hostile_text, hostile_text)
def test_markdown_text_is_literal_text_in_a_paragraph_a_list_and_a_table(text, other):
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    one, two = markdown_text(text), markdown_text(other)
    assert "\n" not in one and RAW.search(one) is None
    expected = [" ".join(_shown(t).split()) for t in (text, other)]
    for doc, cells in ((f"{one} {two}", 1), (f"- {one}", 1), (f"| a | b |\n|---|---|\n| {one} | {two} |", 2)):
        tokens = md.parse(doc)
        types = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
        assert not types & {"html_block", "html_inline", "image", "link_open", "em_open", "strong_open",
                            "s_open", "code_inline", "code_block", "heading_open", "ordered_list_open",
                            "blockquote_open", "hr", "fence"}, (doc, types)  # fmt: skip
        texts = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "text"]
        if cells == 2:
            assert sum(t.type == "td_open" for t in tokens) == 2, doc
            shown = [t.content for t in tokens if t.type == "inline"][2:]
            assert [md.renderInline(s) for s in shown] == [md.renderInline(one), md.renderInline(two)]
            assert "".join(texts[2:]).replace(" ", "") == "".join(expected).replace(" ", ""), doc
        elif doc.startswith("- "):
            assert sum(t.type == "bullet_list_open" for t in tokens) == 1, doc
            assert "".join(texts).replace(" ", "") == expected[0].replace(" ", "")
        else:
            assert "".join(texts).replace(" ", "") == (expected[0] + expected[1]).replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(hostile_text)
def test_a_console_shows_any_text_as_text(text):
    """Whatever renders it (a string, a Text, a table cell, a table title), on a colour terminal."""
    console = SafeConsole(record=True, width=120, force_terminal=True, color_system="truecolor")
    table = Table(title=text)
    table.add_column(text)
    table.add_row(text, Text(text))
    console.print(text)
    console.print(Text(text, style="bold"))
    console.print(table)
    console.print_json(data={"t": text})
    shown = console.export_text(styles=True, clear=False)
    # the only escape sequences are the console's own colours (SGR), never the text's
    assert RAW.search(re.sub(r"\x1b\[[0-9;]*m", "", shown)) is None
    plain = console.export_text(styles=False)
    assert "\u274c" not in plain or "\u274c" in text
    if "[bold]" in text:
        assert "[bold]" in plain


def test_terminal_text_neutralises_every_control_and_bidirectional_character():
    every = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)])) + "".join(BIDI)
    assert terminal_text(every) == "".join(STAND_IN if c not in "\t\n" else c for c in every)
    assert terminal_text("plain: text, [x] :cross_mark:") == "plain: text, [x] :cross_mark:"


# -- the value rules: no bidirectional control, and the recorder's name -------------------------


@pytest.mark.parametrize("char", BIDI)
def test_the_value_rules_refuse_bidirectional_controls_at_every_way_in(tmp_path, char):
    with pytest.raises(LearningCycleError, match=f"holds a bidirectional control \\(U\\+{ord(char):04X} at character 6\\)"):  # fmt: skip
        rules.check_text("title", f"Alert{char}txt")
    store = tmp_path / "s.sqlite"
    with (
        open_cycle(str(store), user="officer", today=lambda: date(2016, 6, 1)) as lc,
        pytest.raises(LearningCycleError, match="name: holds a bidirectional control"),
    ):
        lc.create_board("b", f"Board{char} (fictional)", agencies=[("csc", "C")], on=date(2014, 4, 1))
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM stored_events").fetchone() == (0,)  # nothing written


def test_a_name_title_or_label_is_one_line():
    with pytest.raises(LearningCycleError, match=r"holds a line break \(at character 4\)"):
        rules.check_value("name", "short", "Two\nlines", None, normalise=True)
    assert rules.check_value("statement", "long", "Two\nlines", None, normalise=True) == "Two\nlines"


@pytest.mark.parametrize(
    "name, words",
    [
        ("mallory\n2016-01-01T00:00:00 alice", "holds a line break (at character 8)"),
        ("eve\u202e", "holds a bidirectional control (U+202E at character 4)"),
        ("x" * 301, "is longer than 300 characters"),
        ("bell\x07", "holds a control character (U+0007 at character 5)"),
    ],
)
def test_the_recorders_name_is_checked_like_any_name(tmp_path, monkeypatch, name, words):
    store = tmp_path / "s.sqlite"
    with pytest.raises(LearningCycleError, match=r"^user: " + re.escape(words)):
        LearningCycle(str(store), user=name)
    monkeypatch.setenv("LEARNING_CYCLE_USER", name)
    with pytest.raises(LearningCycleError, match=r"^LEARNING_CYCLE_USER \(the recorder's name, from the environment\): " + re.escape(words)):  # fmt: skip
        LearningCycle(str(store))
    assert not store.exists()  # refused before anything is written


def test_the_recorders_name_from_the_environment_is_refused_on_the_command_line(tmp_path, capsys, monkeypatch):
    store = tmp_path / "s.sqlite"
    assert main(["demo", "--store", str(store)]) == 0
    capsys.readouterr()
    before = store.read_bytes()
    monkeypatch.setenv("LEARNING_CYCLE_USER", "mallory\n2016-01-01T00:00:00 alice")
    assert main(["findings", "--include-restricted", "--store", str(store)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: LEARNING_CYCLE_USER (the recorder's name, from the environment): holds a line break")
    assert (
        "hint: set LEARNING_CYCLE_USER to a plain name: one line, no control characters" in err
        and "Traceback" not in err
    )
    assert store.read_bytes() == before  # no read recorded, nothing written
    monkeypatch.setenv("LEARNING_CYCLE_USER", "qa officer")
    assert main(["access-log", "--json", "--store", str(store)]) == 0
    assert json.loads(capsys.readouterr().out)["reads"] == []


def test_the_export_of_a_store_written_past_the_rules_escapes_its_controls(hostile_store, capsys):
    out, err = _run(hostile_store, capsys, "export", "-o", "-")
    _assert_inert(out, "export")
    _assert_inert(err, "export")
    lines = [json.loads(line) for line in out.splitlines()]
    assert any(HOSTILE in s for line in lines for s in _strings(line))  # exact


def test_a_bidirectional_control_is_refused_by_init_and_import_with_nothing_written(tmp_path, capsys):
    config = json.loads((Path(__file__).resolve().parents[1] / "docs" / "examples" / "board-config.json").read_text())
    config["name"] = "Board \u202e(fictional)"
    path = tmp_path / "board.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    store = tmp_path / "s.sqlite"
    assert main(["init", str(path), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"board\.json:\d+:\d+: name: holds a bidirectional control \(U\+202E", err), err
    good = tmp_path / "good.sqlite"
    with open_cycle(str(good), user="officer", today=lambda: date(2016, 6, 1)) as lc:
        lc.create_board("b", "Board (fictional)", agencies=[("csc", "C")], on=date(2014, 4, 1))
    lines = tmp_path / "log.jsonl"
    assert main(["export", "-o", str(lines), "--store", str(good)]) == 0
    lines.write_text(lines.read_text(encoding="utf-8").replace("Board (fictional)", "Board \u2067(fictional)"))
    capsys.readouterr()
    target = tmp_path / "t.sqlite"
    assert main(["import", str(lines), "--store", str(target)]) == 2
    err = capsys.readouterr().err
    assert "holds a bidirectional control (U+2067" in err and "Traceback" not in err
    assert not target.exists() or sqlite3.connect(target).execute("SELECT count(*) FROM stored_events").fetchone() == (
        0,
    )
