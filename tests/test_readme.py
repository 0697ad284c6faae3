"""The README cannot drift from the tool: its commands and option table match the CLI."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from kgraph.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks() -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```$", README, flags=re.DOTALL | re.MULTILINE)


def test_readme_starts_with_the_install_and_test_commands() -> None:
    first, second = bash_blocks()[:2]
    assert first.strip() == "pip install . && kgraph build"
    assert second.strip().endswith(
        'pip install -e ".[test]" && npm ci --prefix tests/js && ruff check kgraph tests bench scripts'
        " && ruff format --check kgraph tests bench scripts && mypy kgraph && python -m pytest"
    )
    assert (ROOT / "tests" / "js" / "package-lock.json").is_file()  # what npm ci installs
    assert README.index(first) < README.index("## What it does")


def test_every_build_option_is_in_the_readme_table() -> None:
    res = CliRunner().invoke(app, ["build", "--help"], terminal_width=200)
    assert res.exit_code == 0
    options = set(re.findall(r"(--[a-z][a-z-]+)", res.output)) - {"--help"}
    table = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    missing = sorted(o for o in options if f"`{o}" not in table and f", `{o}" not in table)
    assert not missing, f"options missing from the README table: {missing}"


def test_every_command_is_in_the_readme() -> None:
    res = CliRunner().invoke(app, ["--help"], terminal_width=200)
    commands = re.findall(r"^│ (\w+)\s", res.output, flags=re.MULTILINE)
    assert {"build", "find", "neighbors", "evidence", "path", "top", "info"} <= set(commands)
    for command in commands:
        assert f"kgraph {command}" in README or f"`{command}`" in README, command


def test_the_code_is_where_the_readme_says() -> None:
    """Every path of kgraph the README names exists, and its table of where the code is names
    every module and package of kgraph/, and every module of kgraph/extract/ and kgraph/query/."""
    package = ROOT / "kgraph"
    named = set(re.findall(r"`(kgraph/[\w/.]*\w/?)`", README))
    assert named and all((ROOT / path).exists() for path in named), sorted(p for p in named if not (ROOT / p).exists())
    table = README.split("**Where the code is.**", 1)[1].split("\n\n", 2)[1]
    cells = set(re.findall(r"`([\w.]+/?)`", table))
    for name in cells:
        if name.endswith((".py", "/")):
            assert list(package.rglob(name.rstrip("/"))), f"the README names {name}, which kgraph/ does not hold"
    top = {p.name + "/" if p.is_dir() else p.name for p in package.iterdir() if p.name != "__pycache__"}
    top -= {"__init__.py", "py.typed"}
    stages = {p.name for sub in ("extract", "query") for p in (package / sub).glob("*.py")} - {"__init__.py"}
    assert top | stages <= cells, sorted((top | stages) - cells)
