"""Misuse of the command line and the API: each answered in one line, never a traceback,
a hang or a silent surprise."""

from __future__ import annotations

import os
import subprocess
import sys

import networkx as nx
import pytest
from typer.testing import CliRunner

import kgraph
from kgraph.cli import app
from kgraph.dates import DATE_NOTES
from kgraph.export._atomic import OUTPUT_NAMES

from .conftest import ROOT, write_articles

runner = CliRunner()


def kgraph_cmd(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["build", "--jobs", "x"], "Invalid value for '--jobs'"),
        (["neighbors"], "Missing argument"),
        (["bogus"], "No such command 'bogus'"),
        (["info", "--graph"], "requires an argument"),
        (["neighbors", "-n", "-3", "Doha"], "greater than or equal to 0"),
        (["top", "-n", "0"], "greater than or equal to 1"),
    ],
)
def test_usage_errors_are_one_line(args, fragment) -> None:
    run = kgraph_cmd(*args)
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], run.stderr
    assert lines[0].endswith("--help')")


def test_kgraph_alone_prints_the_help() -> None:
    run = kgraph_cmd()
    assert run.returncode == 2 and "Commands" in run.stderr + run.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["build", "", "-o", "x"],
            "error: an input path is empty: name article files or folders (or none, for seeds/)",
        ),
        (["build", "-o", ""], "error: the output folder name is empty: give a folder with -o, e.g. -o outputs"),
        (
            ["info", "--graph", ""],
            "error: the graph path is empty: give an output folder, graph.json or graph.graphml with --graph",
        ),
    ],
)
def test_empty_paths_are_refused(tmp_path, args, expected) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.output.strip() == expected


def test_empty_paths_are_refused_by_the_api(tmp_path) -> None:
    from kgraph._demo import demo

    with pytest.raises(kgraph.InputError, match="an input path is empty"):
        kgraph.build([""])
    with pytest.raises(kgraph.OutputError, match="the output folder name is empty"):
        demo().save("")


def test_a_package_that_is_no_pipeline_is_one_line(tmp_path) -> None:
    src = write_articles(tmp_path / "in", {"a": "Joe Biden spoke."})
    run = kgraph_cmd("build", str(src), "-o", str(tmp_path / "out"), "--model", "spacy", timeout=300)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "error: 'spacy' cannot be loaded as a spaCy pipeline (TypeError: load() missing 1 required positional "
        "argument: 'name'): pass --model with an installed pipeline"
    ]


def _fifo(tmp_path):
    path = tmp_path / "aliases.yaml"
    os.mkfifo(path)
    return path


def _deep_json(tmp_path):
    path = tmp_path / "aliases.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    return path


def _deep_yaml(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("merge:\n  - " + "[" * 50_000 + "]" * 50_000 + "\n")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_fifo, "cannot be read: not a regular file (a folder, FIFO or device)"),
        (lambda tmp_path: "/dev/zero", "cannot be read: not a regular file (a folder, FIFO or device)"),
        (lambda tmp_path: tmp_path, "cannot be read: not a regular file (a folder, FIFO or device)"),
        (_deep_json, "is nested too deeply"),
        (_deep_yaml, "is nested too deeply"),
    ],
    ids=["FIFO", "/dev/zero", "folder", "JSON 100,000 deep", "YAML 50,000 deep"],
)
def test_an_aliases_file_that_is_no_file_or_too_deep_is_one_line(tmp_path, blank_model_dir, make, expected) -> None:
    src = write_articles(tmp_path / "in", {"a": "Joe Biden spoke."})
    aliases = make(tmp_path)
    result = runner.invoke(
        app,
        ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir), "--aliases", str(aliases)],
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: aliases file '{aliases}'") and expected in lines[0]


def test_save_refuses_ids_that_are_not_text(tmp_path) -> None:
    g = nx.Graph()
    g.add_node(1, label="one")
    g.add_node("1", label="text one")
    with pytest.raises(kgraph.OutputError, match=r"entity id 1 is a int: the graph files need text ids"):
        kgraph.KnowledgeGraph(g).save(tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_building_into_the_input_folder_does_not_read_or_list_its_own_outputs(tmp_path, blank_model_dir) -> None:
    folder = write_articles(tmp_path / "news", {"a": "Joe Biden spoke about Kabul.", "b": "NATO left Kabul."})
    for _ in range(2):
        kg = kgraph.build([folder], model=str(blank_model_dir), jobs=1)
        kg.save(folder, jobs=1)
    assert [(s.reason, s.detail) for s in kg.skipped if s.reason not in DATE_NOTES] == [
        ("kgraph output", f"{len(OUTPUT_NAMES)} file(s) written by an earlier kgraph build (graph.json, ...) not read")
    ]
    assert kg.graph.graph["article_count"] == 2
    rows = [r for r in (folder / "skipped.csv").read_text().splitlines() if ",undated," not in r]
    assert len(rows) == 2 and "unsupported type" not in rows[1]


def test_too_many_jobs_start_no_more_workers_than_cores(tmp_path, blank_model_dir, monkeypatch) -> None:
    """--jobs 300 with --batch-size 1 once forked 300 processes: now at most one per core."""
    import kgraph.extract.ner as ner

    started: list[int] = []
    real = ner.extract_parallel

    def spy(articles, run, *, batch_size, processes, expected=None):
        started.append(processes)
        return real(articles, run, batch_size=batch_size, processes=processes, expected=expected)

    monkeypatch.setattr(ner, "extract_parallel", spy)
    src = write_articles(tmp_path / "in", {f"a{i}": "Joe Biden spoke about Kabul." for i in range(12)})
    kgraph.build([src], model=str(blank_model_dir), jobs=300, batch_size=1)
    cores = len(os.sched_getaffinity(0))
    assert started == ([min(cores, 12)] if cores > 1 else [])
