"""README.md: its example runs again and again in one folder, and set-up is two commands.

Every code block of README.md and docs/ runs in the suite through conftest.py (Sybil); these are the
README's promises beyond running once.
"""

from __future__ import annotations

import re
from pathlib import Path

from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def blocks(language: str) -> list[str]:
    document = Sybil(parsers=[CodeBlockParser(language)]).parse(README)
    return [example.parsed for example in document]


def test_readme_embedding_example_runs_twice_in_the_same_folder(tmp_path, monkeypatch, capsys):
    (example,) = blocks("python")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # a reader runs it again: no AlreadyExists
        exec(compile(example, str(README), "exec"), {"__name__": "__main__"})
    out = capsys.readouterr().out.splitlines()
    assert out.count("act") == 2
    assert sum(line.startswith("1 learning_cycle/Board.Created 2014-04-01") for line in out) == 2
    assert out[-1].startswith("Example Safeguarding Children Board (fictional) ")
    assert list(tmp_path.iterdir()) == [], "the example keeps its store out of the reader's folder"


def test_readme_quick_start_has_exactly_two_commands():
    quick = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quick, flags=re.S)[0].strip().splitlines()
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]
