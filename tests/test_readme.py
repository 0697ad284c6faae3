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
