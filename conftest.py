"""Every code block of README.md and docs/*.md runs in the test suite, as a reader would run it (Sybil).

* ``python`` blocks run alone: each in a fresh namespace (no block sees another's names) and a fresh
  temporary working folder, so each must hold its own imports and setup, as a reader copies it.
* ``sh`` blocks run line by line with bash, with the installed ``learning-cycle`` script first on the
  PATH, in a temporary folder holding the demo board's store (``learning-cycle demo``) as
  ``learning-cycle.sqlite`` and a copy of ``docs/examples``; any line failing fails the block.
* ``json`` blocks must parse.
* A block that cannot run here (a PostgreSQL URL, a key file under /etc, the whole suite) is marked in
  its page with ``<!-- skip: next "why" -->``: the reason is in the page, and pytest's ``-ra`` lists it
  (tests/ci_skips.py allows exactly these skips under CI=true).

Other fences (``toml``, plain text) are not code to run; tests/test_docs.py checks the plugin
tutorial's ``pyproject.toml`` against the example plugin's own file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser, SkipParser

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def run_python_alone(example: Example) -> None:
    """Run a Python block as a script of its own (``__main__``), in a fresh namespace."""
    code = compile("\n" * example.line + example.parsed, str(example.path), "exec")
    exec(code, {"__name__": "__main__", "__file__": str(example.path)})


def run_shell(example: Example) -> None:
    """Run a shell block with bash (``set -e``): every command must succeed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNING_CYCLE_STORE")}
    env["PATH"] = os.pathsep.join((str(BIN), env.get("PATH", "")))
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", example.parsed],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{example.path}:{example.line}: the shell block exited {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


def parse_json(example: Example) -> None:
    json.loads(example.parsed)


@pytest.fixture(scope="session")
def _demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo board's store, made once by the installed script."""
    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNING_CYCLE_STORE")}
    subprocess.run([str(BIN / "learning-cycle"), "demo"], cwd=folder, env=env, check=True, capture_output=True)
    return folder / "learning-cycle.sqlite"


@pytest.fixture
def reader_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _demo_store: Path) -> Path:
    """A reader's working folder: empty but for the demo store and a copy of docs/examples."""
    shutil.copy(_demo_store, tmp_path / "learning-cycle.sqlite")
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEARNING_CYCLE_STORE", raising=False)
    return tmp_path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """A skipped block is reported at its place in its page (``docs/security.md:5: why``)."""
    report: pytest.TestReport = yield
    example = getattr(item, "example", None)
    if report.skipped and example is not None and isinstance(report.longrepr, tuple):
        report.longrepr = (str(example.path), example.line, report.longrepr[2])
    return report


DOCS = Sybil(
    parsers=[
        CodeBlockParser("python", run_python_alone),
        CodeBlockParser("sh", run_shell),
        CodeBlockParser("json", parse_json),
        SkipParser(),
    ],
    patterns=["README.md", "docs/*.md"],
    path=str(ROOT),
    fixtures=["reader_folder"],
)
"""What runs the documentation's code blocks (tests/test_docs.py checks it misses none)."""

pytest_collect_file = DOCS.pytest()
