"""The layers are enforced: `make lint` runs import-linter's contracts from pyproject.toml, and they bite."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _lint(config: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert LINT, "import-linter is installed with the test extra"
    args = [LINT, "--no-cache"] + (["--config", str(config)] if config else [])
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_layer_contracts_hold():
    result = _lint()
    assert result.returncode == 0, result.stdout
    assert "7 kept, 0 broken" in result.stdout


def test_a_contract_the_code_breaks_is_reported(tmp_path):
    # the command line imports the application: a contract forbidding it must fail, naming the import
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "learning_cycle"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "The command line imports no application (false: it does)"\n'
        'type = "forbidden"\n'
        'source_modules = ["learning_cycle.cli"]\n'
        'forbidden_modules = ["learning_cycle.application"]\n',
        encoding="utf-8",
    )
    result = _lint(config)
    assert result.returncode == 1
    assert "0 kept, 1 broken" in result.stdout
    assert re.search(
        r"learning_cycle\.cli(\.\w+)? -> learning_cycle\.application", result.stdout
    )  # a module of the package
