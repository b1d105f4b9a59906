"""Set-up in proportion: what `make demo` installs is what the demo needs, and nothing of the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_TOOLS = {"pytest", "hypothesis", "playwright", "ruff", "import-linter", "time-machine", "jsonschema", "mutmut"}


def test_make_demo_installs_the_package_and_its_plugins_and_no_test_tool(tmp_path):
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    made = subprocess.run(
        ["make", "-C", str(ROOT), f"VENV={venv}", f"PYTHON={sys.base_prefix}/bin/python3", f"{venv}/.installed-stamp"],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr[-2000:]
    listed = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "list", "--format=json"], capture_output=True, text=True, check=True
    )
    installed = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}
    assert "learning-cycle" in installed and "learning-cycle-methods" in installed
    assert installed.isdisjoint(TEST_TOOLS), installed & TEST_TOOLS
    assert "learning-cycle-example-plugin" not in installed
    shown = subprocess.run(
        [venv / "bin" / "python", "-m", "learning_cycle", "--version"], capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0 and shown.stdout.startswith("learning-cycle "), shown.stderr
    assert (venv / "bin" / "learning-cycle").exists()


def test_the_package_says_it_is_typed():
    import learning_cycle

    assert (Path(learning_cycle.__file__).parent / "py.typed").is_file()
