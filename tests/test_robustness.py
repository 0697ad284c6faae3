"""Building from a folder of messy files, and every user error as one line.

The messy folder is generated here: wrong encodings, binary and empty files, other
file types, hidden files, links that loop or point nowhere, a FIFO, odd file names
and a JSONL file with broken lines. The good articles must all be used, every bad
input must be in the summary and in skipped.csv, and nothing may crash.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

import kgraph
from kgraph.cli import app
from kgraph.dates import DATE_NOTES

from .conftest import ROOT

runner = CliRunner()

GOOD_JSONL = [
    {"id": "j1", "text": "Zalmay Khalilzad met the Taliban in Doha.", "title": '=HYPERLINK("http://x")'},
    {"id": "j1", "text": "Ashraf Ghani spoke in Kabul."},
]

#: file (or file:line) -> reason for every input that is not used, or used with a note.
EXPECTED = {
    "bin.txt": "binary",
    "empty.txt": "empty",
    "blank.md": "empty",
    "report.pdf": "corrupt",  # a PDF header and no PDF after it
    "page.html": "no main text",  # one name is no article
    "feed.jsonl:2": "invalid JSON",
    "feed.jsonl:3": "no text",
    "feed.jsonl:4": "invalid JSON",
    "feed.jsonl:5": "duplicate id",
    "feed.jsonl:6": "encoding fallback",
    "legacy.txt": "encoding fallback",
    "pipe.txt": "not a file",
    "dangling.txt": "broken link",
    "loop": "repeated folder",
    "in": "hidden",
}
#: ids of the articles that must be used.
ARTICLES = {"good", "bom8", "utf16", "legacy", "caf\ufffd", "sub/nested", "j1", "j1~2", "feed:6"}


def make_messy(folder: Path) -> Path:
    """A folder with 9 usable articles among every kind of bad input."""
    folder.mkdir()

    def w(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)

    w("good.txt", b"Zalmay Khalilzad met the Taliban in Doha.\n\nHe flew to Kabul.")
    w("bom8.txt", codecs.BOM_UTF8 + b"NATO and the Taliban met in Doha.")
    w("utf16.txt", "Ned Price spoke about Kabul and NATO.".encode("utf-16"))
    w("legacy.txt", "Café talks: Joe Biden and the Taliban in Doha.".encode("cp1252"))
    w("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR Abdul Ghani Baradar")
    w("empty.txt", b"")
    w("blank.md", b"  \n\t \n")
    w("report.pdf", b"%PDF-1.4 Abdul Ghani Baradar")
    w("page.html", b"<p>Abdul Ghani Baradar</p>")
    w(".DS_Store", b"\x00\x00\x00\x01Bud1")
    (folder / ".git").mkdir()
    w(".git/HEAD", b"ref: refs/heads/main")
    lines = [
        json.dumps(GOOD_JSONL[0]).encode(),
        b'{"id": "broken", "text": "Abdul Ghani Baradar in Doha.",',
        b'{"id": "nt", "title": "no text"}',
        b"[" * 20_000,
        json.dumps(GOOD_JSONL[1]).encode(),
        '{"text": "Caf\xe9 au lait in Kabul."}'.encode("cp1252"),
    ]
    w("feed.jsonl", b"\n".join(lines) + b"\n")
    (folder / "sub").mkdir()
    w("sub/nested.md", b"# Nested\n\nThe Taliban in Kabul.")
    (folder / "sub" / "loop").symlink_to("..")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"Doha and Kabul.")
    return folder


def key(s: kgraph.Skipped) -> str:
    return Path(s.source).name + (f":{s.line}" if s.line else "")


def test_build_from_a_messy_folder(tmp_path, blank_model_dir, caplog) -> None:
    src = make_messy(tmp_path / "in")
    with caplog.at_level(logging.WARNING, logger="kgraph"):
        kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    assert set(kg.graph.graph["articles"]) == ARTICLES
    inputs = [s for s in kg.skipped if s.reason not in DATE_NOTES]  # the articles' own notes: tests/test_dates.py
    assert {key(s): s.reason for s in inputs} == EXPECTED
    assert len(inputs) == len(EXPECTED)
    # the graph is built from the good files only: Baradar is only in unusable inputs
    labels = {d["label"] for _, d in kg.graph.nodes(data=True)}
    assert {"Zalmay Khalilzad", "Taliban", "Doha", "Kabul", "NATO", "Ned Price", "Joe Biden", "Ashraf Ghani"} <= labels
    assert not any("Baradar" in label for label in labels)
    assert kg.graph.edges["organization:taliban", "place:doha"]["weight"] == 4
    # one summary warning, not one per input
    warnings = [r for r in caplog.records if r.name == "kgraph" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].getMessage().startswith("inputs: 12 skipped (")
    assert "3 noted (2 encoding fallback, 1 duplicate id)" in warnings[0].getMessage()


def test_messy_outputs_are_complete_and_safe(tmp_path, blank_model_dir) -> None:
    src = make_messy(tmp_path / "in")
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    written = kg.save(tmp_path / "out")
    with open(written["skipped"], encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["reason"] not in DATE_NOTES]
    assert len(rows) == len(EXPECTED)  # one row per skipped file or JSONL line (and one per undated article)
    by_key = {Path(r["source"]).name + (f":{r['line']}" if r["line"] else ""): r for r in rows}
    assert {k: r["reason"] for k, r in by_key.items()} == EXPECTED
    assert by_key["feed.jsonl:4"]["detail"] == "nested too deeply"
    etree.parse(str(written["graphml"]))
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert data["graph"]["articles"]["j1"]["title"] == GOOD_JSONL[0]["title"]
    assert kgraph.load(tmp_path / "out").graph.number_of_nodes() == kg.graph.number_of_nodes()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [
            "graph.json",
            "graph.graphml",
            "graph.gexf",
            "graph.html",
            "nodes.csv",
            "edges.csv",
            "aliases.csv",
            "skipped.csv",
        ]
    )


def test_cli_prints_the_summary_of_a_messy_folder(tmp_path, blank_model_dir) -> None:
    src = make_messy(tmp_path / "in")
    out = tmp_path / "out"
    res = runner.invoke(app, ["build", str(src), "-o", str(out), "--model", str(blank_model_dir), "-j", "1"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == f"articles used: {len(ARTICLES)}"
    skipped_line = next(line for line in lines if line.startswith("skipped: "))
    for part in (
        "2 empty",
        "1 no main text",
        "1 corrupt",
        "2 invalid JSON",
        "1 binary",
        "1 no text",
        "1 not a file",
        "1 broken link",
        "1 repeated folder",
        "1 hidden",
    ):
        assert part in skipped_line
    assert skipped_line.endswith(f"(full list: {out / 'skipped.csv'})")
    assert "noted: 2 encoding fallback, 1 duplicate id (used all the same)" in lines


def test_a_build_without_skips_replaces_an_old_skip_list(tmp_path, blank_model_dir) -> None:
    out = tmp_path / "out"
    kgraph.build([make_messy(tmp_path / "in")], model=str(blank_model_dir), jobs=1).save(out)
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.txt").write_text("date 2021-07-11\nThe Taliban in Doha.")  # dated: no note either
    kgraph.build([tmp_path / "clean"], model=str(blank_model_dir), jobs=1).save(out)
    assert (out / "skipped.csv").read_text(encoding="utf-8").splitlines() == ["source,line,reason,detail"]


# -- user errors: one line, no traceback, non-zero exit --------------------------------------


def one_line_error(res, code: int = 1) -> str:
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    assert lines[0].startswith("error: ")
    return lines[0]


def test_no_usable_article_is_one_line(tmp_path, blank_model_dir) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(b"\x00\x01\x02")
    (src / "b.txt").write_bytes(b"")
    (src / "c.pdf").write_bytes(b"%PDF")
    res = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir)])
    line = one_line_error(res)
    assert "no usable article" in line and "3 skipped (" in line
    for part in ("1 binary", "1 empty", "1 corrupt"):
        assert part in line
    assert not (tmp_path / "out").exists()


def test_empty_folder_is_one_line(tmp_path, blank_model_dir) -> None:
    (tmp_path / "in").mkdir()
    res = runner.invoke(
        app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir)]
    )
    assert "no article files (.txt, .md, .jsonl, .html" in one_line_error(res)


def test_missing_input_path_with_markup_like_name(tmp_path, blank_model_dir) -> None:
    missing = tmp_path / "[/bold] [red]x"
    res = runner.invoke(app, ["build", str(missing), "-o", str(tmp_path / "o"), "--model", str(blank_model_dir)])
    line = one_line_error(res)
    assert "no such file or folder" in line and "[/bold] [red]x" in line


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.yaml", "groups:\n  - name: US\n    type: place\n    variants: [USA\n", "line 5 column 1"),
        ("a.yaml", "groups:\n  - name: US\n    type: planet\n", "at groups.0.type"),
        ("a.yaml", "groups:\n  - name: US\n    type: place\n    variants: [1, {a: b}]\n", "at groups.0.variants"),
        ("a.yaml", "- just\n- a list\n", "at top level"),
        ("a.json", '{"groups": [\n  {"name": "US",, }\n]}', "line 2 column 17"),
        ("a.yaml", b"\xff\xfe\x00binary", "cannot be read"),
    ],
)
def test_invalid_aliases_file_is_one_line_with_location(tmp_path, blank_model_dir, name, content, expected) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The Taliban in Doha.")
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    res = runner.invoke(
        app, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir), "--aliases", str(path)]
    )
    line = one_line_error(res)
    assert "aliases file" in line and expected in line


def test_missing_aliases_file(tmp_path, blank_model_dir) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The Taliban in Doha.")
    res = runner.invoke(
        app,
        [
            "build",
            str(src),
            "--model",
            str(blank_model_dir),
            "--aliases",
            str(tmp_path / "nope.yaml"),
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert "aliases file not found" in one_line_error(res)


@pytest.mark.parametrize(
    ("make_output", "expected"),
    [
        (lambda t: t / "file.txt", "is a file, not a folder"),
        (lambda t: t / "file.txt" / "sub" / "out", "is a file"),
        # sysfs is read-only even for root: a real folder kgraph cannot write to
        (lambda t: Path("/sys"), "cannot write to '/sys'"),
        (lambda t: Path("/sys/kgraph-out"), "cannot write to '/sys'"),
    ],
)
def test_output_folder_that_cannot_be_written_fails_before_the_build(tmp_path, make_output, expected) -> None:
    (tmp_path / "file.txt").write_text("a file")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The Taliban in Doha.")
    output = make_output(tmp_path)
    if str(output).startswith("/sys") and not os.path.isdir("/sys"):
        pytest.skip("needs Linux sysfs")
    # an unknown model too: the output check must come first, before any slow work
    res = runner.invoke(app, ["build", str(src), "-o", str(output), "--model", "no_such_model_xyz"])
    line = one_line_error(res)
    assert expected in line and "-o" in line
    assert (tmp_path / "file.txt").read_text() == "a file"


def test_unknown_model_is_one_line(tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The Taliban in Doha.")
    res = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "--model", "no_such_model_xyz"])
    line = one_line_error(res)
    assert "spaCy model 'no_such_model_xyz' is not installed" in line and "--model" in line


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "60"}
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_errors_in_a_real_process_are_one_line_on_stderr(tmp_path, blank_model_dir) -> None:
    """Through `python -m kgraph`: stderr holds one line however narrow the terminal, stdout nothing."""
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "bad.yaml").write_text("groups: [\n")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The Taliban in Doha.")
    long_missing = "a-very-long-folder-name-that-does-not-exist-" * 3
    cases = [
        (["build", long_missing], "no such file or folder"),
        (["build", str(src), "-o", "out", "--model", str(blank_model_dir), "--aliases", "bad.yaml"], "line 2"),
        (["build", "blob.bin", "-o", "out", "--model", str(blank_model_dir)], "no usable article"),
    ]
    for args, expected in cases:
        res = run_cli(*args, cwd=tmp_path)
        assert res.returncode == 1, (args, res.stderr)
        assert res.stdout == "", args
        assert "Traceback" not in res.stderr
        assert len(res.stderr.splitlines()) == 1, res.stderr
        assert expected in res.stderr


def test_summary_in_a_real_process_is_printed_once(tmp_path, blank_model_dir) -> None:
    make_messy(tmp_path / "in")
    res = run_cli("build", "in", "-o", "out", "--model", str(blank_model_dir), "-j", "1", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == f"articles used: {len(ARTICLES)}"
    assert "skipped: " in res.stdout
    # the library's own summary warning is not printed twice by the CLI
    assert "inputs:" not in res.stderr and "Traceback" not in res.stderr
