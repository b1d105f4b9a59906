"""The documentation's code runs: no block escapes conftest.py's Sybil run, and the plugin tutorial is
the example plugin's own files, which the suite installs and tests."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from importlib.metadata import distribution
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"python", "sh", "json"}
"""The fences conftest.py runs (or parses); every other fenced block is data or a diagram."""
NOT_CODE = {"", "toml", "text"}
EXAMPLE = ROOT / "docs" / "examples" / "learning-cycle-example-plugin"


def fences(page: Path) -> list[tuple[int, str]]:
    lines = page.read_text(encoding="utf-8").splitlines()
    found, inside = [], False
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            if not inside:
                found.append((number, line[3:].strip()))
            inside = not inside
    return found


def docs_runner():
    """conftest.py's Sybil, the one that runs the pages' blocks in the suite."""
    spec = importlib.util.spec_from_file_location("docs_conftest", ROOT / "conftest.py")
    assert spec is not None and spec.loader is not None, "conftest.py runs the documentation's code blocks"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DOCS


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_block_of_the_page_is_run_by_the_suite_or_skipped_with_its_reason(page):
    """Each ``python``, ``sh`` and ``json`` block is an example conftest.py runs; any other fence is
    plainly not code (a block of shell under another name, ``bash`` or ``console``, would escape)."""
    runner = docs_runner()
    examples = list(runner.parse(page))
    run = {example.line for example in examples if example.parsed and not isinstance(example.parsed, tuple)}
    for line, language in fences(page):
        assert language in RUN | NOT_CODE, (
            f"{page.name}:{line}: a ```{language} block is neither run by conftest.py nor plainly not code; "
            f'use one of {sorted(RUN)} (or mark it <!-- skip: next "why" -->)'
        )
        assert (language in RUN) == (line in run), f"{page.name}:{line}: the ```{language} block is not run"
    for match in re.finditer(r"<!-- skip: (\w+)(.*?)-->", page.read_text(encoding="utf-8")):
        action, reason = match.groups()
        assert action == "next", f"{page.name}: skip a block at a time ({match.group(0)})"
        assert re.fullmatch(r'\s*"[^"]{10,}"\s*', reason), f"{page.name}: a skip without its reason: {match.group(0)}"


def test_the_plugin_tutorial_declares_the_example_plugin_with_its_whole_pyproject():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"<!-- from: \S+/pyproject.toml -->\n```toml\n(.*?)```", docs, flags=re.S)
    assert shown == (EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"), "docs/plugins.md shows all of it"
    project = tomllib.loads(shown)["project"]
    installed = distribution(project["name"])  # `make test` installs it from that file
    assert installed.version == project["version"]
    (entry,) = [e for e in installed.entry_points if e.group == "learning_cycle"]
    assert (entry.name, entry.value) == next(iter(project["entry-points"]["learning_cycle"].items()))


def test_each_module_of_the_example_plugin_is_shown_whole_in_the_tutorial():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    quoted = dict(re.findall(r"<!-- from: (\S+\.py) -->\n```python\n(.*?)```", docs, flags=re.S))
    for name in ("methods.py", "sources.py", "measures.py"):
        path = f"docs/examples/learning-cycle-example-plugin/learning_cycle_example/{name}"
        assert quoted.get(path) == (ROOT / path).read_text(encoding="utf-8"), f"docs/plugins.md shows {path} whole"


def test_the_api_reference_covers_every_public_name():
    import learning_cycle

    pages = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "reference").glob("*.md"))
    shown = set(re.findall(r"^::: learning_cycle\.(\w+)$", pages, flags=re.M))
    assert set(learning_cycle.__all__) - {"__version__"} <= shown, "docs/reference/ shows every exported name"
    assert {"testing", "testing.strategies", "hookspecs"} <= set(
        re.findall(r"^::: learning_cycle\.([\w.]+)$", pages, flags=re.M)
    )


PAGE = """# A page

<!-- skip: next "needs a server of the reader's own" -->
```python
raise SystemExit("never run")
```

```python
print("runs")
```
"""

RUN_PAGE = """
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

pytest_collect_file = Sybil(parsers=[PythonCodeBlockParser(), SkipParser()], patterns=["*.md"]).pytest()
"""

SKIPPING_TEST = """
import pytest

pytest_plugins = ["pytester"]

def test_quietly_skipped():
    pytest.skip("no server here")
"""


def test_under_ci_a_block_its_page_skips_with_a_reason_is_allowed_and_other_skips_still_fail(pytester, monkeypatch):
    pytester.makefile(".md", page=PAGE)
    pytester.makeconftest(RUN_PAGE)
    pytester.makepyfile(test_other=SKIPPING_TEST)
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest("-p", "tests.ci_skips", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2, skipped=1, failed=1)  # the directive, the block that runs; the skip; the test
    assert "needs a server of the reader's own" in result.stdout.str()
    assert "FAILED test_other.py::test_quietly_skipped" in result.stdout.str()
