"""Running the installed `learning-cycle` script in a real process, for the tests that need one
(exit codes of a process, signals, a terminal, a closed pipe); the rest use click's CliRunner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXE = shutil.which("learning-cycle", path=str(Path(sys.executable).parent)) or shutil.which("learning-cycle")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The script run with ``args`` in ``cwd`` (no inherited $LEARNING_CYCLE_STORE; 120 columns)."""
    assert EXE, "the console script is installed"
    full_env = {k: v for k, v in os.environ.items() if k != "LEARNING_CYCLE_STORE"}
    full_env.update({"COLUMNS": "120", "LEARNING_CYCLE_USER": "cli test"})
    full_env.update(env or {})
    return subprocess.run([EXE, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120)
