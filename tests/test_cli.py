"""The command line, run with a rule-based pipeline saved to disk (`--model PATH`)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

import kgraph
from kgraph.cli import app
from kgraph.pipeline import PHASES

from .conftest import write_articles

runner = CliRunner()

ARTICLES = {
    "one": "Zalmay Khalilzad met the Taliban in Doha.\n\nHe flew to Kabul.",
    "two": "The Taliban said Khalilzad was in Doha.",
}


def test_build_writes_outputs_and_prints_a_summary(tmp_path, blank_model_dir) -> None:
    src = write_articles(tmp_path / "in", ARTICLES)
    res = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir)])
    assert res.exit_code == 0, res.output
    assert "articles used: 2" in res.output
    assert "entities: 4 (1 organization, 1 person, 2 place)" in res.output
    for name in ("graph.html", "graph.graphml", "graph.json"):
        assert (tmp_path / "out" / name).is_file()
        assert f"out/{name}" in res.output
    data = json.loads((tmp_path / "out" / "graph.json").read_text())
    weights = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}
    assert weights[("organization:taliban", "place:doha")] == 2
    # the closing summary: what the page shows, how long it took, what to do next
    assert "tested by sentence (" in res.output and "too few articles" in res.output
    assert re.search(r"^page: \d+ of 4 entities, \d+ links \((significant links|shared articles)\)$", res.output, re.M)
    assert re.search(r"^took \d+(\.\d)? s$", res.output, re.M)
    assert f"next: open {tmp_path / 'out' / 'graph.html'} in a browser, or ask: kgraph neighbors " in res.output


def test_build_names_its_phases_after_ner(blank_model_dir, tmp_path) -> None:
    src = write_articles(tmp_path / "in", ARTICLES)
    seen: list[str] = []
    kgraph.build([src], model=str(blank_model_dir), jobs=1, phase=seen.append)
    assert seen == list(PHASES) == ["resolving entities", "counting links and their statistics", "laying out the graph"]


def test_types_option(tmp_path, blank_model_dir) -> None:
    src = write_articles(tmp_path / "in", ARTICLES)
    res = runner.invoke(
        app, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir), "--types", "place"]
    )
    assert res.exit_code == 0, res.output
    assert "entities: 2 (2 place)" in res.output


def test_missing_input_is_one_line_and_nonzero(tmp_path) -> None:
    res = runner.invoke(app, ["build", str(tmp_path / "missing"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert "no such file or folder" in res.output
    assert "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_unknown_model_is_one_line(tmp_path) -> None:
    src = write_articles(tmp_path / "in", ARTICLES)
    res = runner.invoke(app, ["build", str(src), "--model", "no_such_model_xyz", "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "not installed" in res.output and "Traceback" not in res.output


def test_bad_types_value(tmp_path, blank_model_dir) -> None:
    src = write_articles(tmp_path / "in", ARTICLES)
    res = runner.invoke(app, ["build", str(src), "--types", "animal", "--model", str(blank_model_dir)])
    assert res.exit_code == 1
    assert "types" in res.output and "person" in res.output


def test_help_lists_every_option() -> None:
    res = runner.invoke(app, ["build", "--help"])
    assert res.exit_code == 0
    for opt in ("--output", "--model", "--types", "--aliases", "--jobs", "--batch-size", "--max-nodes", "--quiet"):
        assert opt in res.output


def test_quiet_prints_nothing_on_success(tmp_path, blank_model_dir) -> None:
    src = write_articles(tmp_path / "in", {**ARTICLES, **{f"more{i}": "Khalilzad left Doha." for i in range(8)}})
    (src / "empty.txt").write_text("")  # skipped: a warning without --quiet
    loud = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "a"), "--model", str(blank_model_dir)])
    assert loud.exit_code == 0 and "articles used: 10" in loud.output and "skipped: 1 empty" in loud.output
    res = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "b"), "--model", str(blank_model_dir), "-q"])
    assert res.exit_code == 0
    assert res.output == ""
    assert (tmp_path / "b" / "graph.json").is_file()


def test_quiet_still_prints_errors(tmp_path) -> None:
    res = runner.invoke(app, ["build", str(tmp_path / "missing"), "--quiet"])
    assert res.exit_code == 1
    assert "no such file or folder" in res.output
