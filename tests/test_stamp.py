"""Up-to-date builds (`kgraph.stamp`): an unchanged corpus keeps its files and builds nothing;
any change to an input, an option that changes the files, the aliases or an output builds again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kgraph.pipeline
from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.stamp import STAMP_NAME

from .conftest import write_articles

runner = CliRunner()

ARTICLES = {
    "one": "Zalmay Khalilzad met the Taliban in Doha.\n\nHe flew to Kabul.",
    "two": "The Taliban said Khalilzad was in Doha.",
}
UP_TO_DATE = "up to date: no input, option or kgraph file changed"


@pytest.fixture()
def corpus(tmp_path: Path, blank_model_dir: Path):
    src = write_articles(tmp_path / "in", ARTICLES)
    out = tmp_path / "out"

    def build(*extra: str) -> str:
        res = runner.invoke(app, ["build", str(src), "-o", str(out), "--model", str(blank_model_dir), *extra])
        assert res.exit_code == 0, res.output
        return res.output

    return src, out, build


def _states(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}


def test_an_unchanged_corpus_keeps_its_files_and_builds_nothing(corpus, monkeypatch) -> None:
    src, out, build = corpus
    assert UP_TO_DATE not in build()
    assert (out / STAMP_NAME).is_file()
    before = _states(out)

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("an up-to-date build ran the pipeline")

    monkeypatch.setattr(kgraph.pipeline, "build", no_build)
    output = build()
    assert UP_TO_DATE in output and "articles used" not in output
    assert _states(out) == before
    # options that change how fast a build runs, not what it writes, keep it up to date
    assert UP_TO_DATE in build("-j", "1", "--batch-size", "7", "--no-cache")
    assert build("-q") == ""


@pytest.mark.parametrize("change", ["edit", "touch", "add", "delete", "unsupported file"])
def test_a_changed_input_builds_again(corpus, change: str) -> None:
    src, out, build = corpus
    build()
    one = src / "one.txt"
    if change == "edit":
        one.write_text("Zalmay Khalilzad met NATO in Kabul.", encoding="utf-8")
    elif change == "touch":
        st = one.stat()
        os.utime(one, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    elif change == "add":
        (src / "three.txt").write_text("NATO met in Kabul.", encoding="utf-8")
    elif change == "delete":
        one.unlink()
    else:
        (src / "photo.png").write_bytes(b"\x89PNG\r\n")
    output = build()
    assert UP_TO_DATE not in output and "articles used" in output
    assert UP_TO_DATE in build()


def test_options_aliases_outputs_and_force_build_again(corpus, tmp_path: Path) -> None:
    src, out, build = corpus
    build()
    assert UP_TO_DATE not in build("--max-sentences", "3")  # another option: another graph
    assert UP_TO_DATE in build("--max-sentences", "3")
    assert UP_TO_DATE not in build()  # and back
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("groups:\n  - {name: Doha, type: place, variants: [Ad Dawhah]}\n", encoding="utf-8")
    assert UP_TO_DATE not in build("--aliases", str(aliases))
    aliases.write_text("groups:\n  - {name: Kabul, type: place, variants: [Kabol]}\n", encoding="utf-8")
    assert UP_TO_DATE not in build("--aliases", str(aliases))  # same path, other content
    assert UP_TO_DATE in build("--aliases", str(aliases))
    with open(out / "graph.json", "a", encoding="utf-8") as f:  # an output edited by hand
        f.write("\n")
    assert UP_TO_DATE not in build("--aliases", str(aliases))
    (out / "graph.gexf").unlink()  # an output removed
    assert UP_TO_DATE not in build("--aliases", str(aliases))
    assert (out / "graph.gexf").is_file()
    assert UP_TO_DATE not in build("--aliases", str(aliases), "--force")


def test_a_failed_build_leaves_no_stamp(corpus, monkeypatch) -> None:
    src, out, build = corpus
    build()

    def failing(*args: object, **kwargs: object) -> None:
        raise InputError("no usable article")

    (src / "two.txt").write_text("The Taliban left Doha.", encoding="utf-8")
    monkeypatch.setattr(kgraph.pipeline, "build", failing)
    res = runner.invoke(app, ["build", str(src), "-o", str(out), "--model", "unused"])
    assert res.exit_code != 0
    assert not (out / STAMP_NAME).exists()  # the old files stay, but are not claimed up to date
    monkeypatch.undo()
    (src / "two.txt").write_text("The Taliban said Khalilzad was in Doha.", encoding="utf-8")
    assert UP_TO_DATE not in build()


def test_a_damaged_stamp_builds_again(corpus) -> None:
    src, out, build = corpus
    build()
    for junk in ("", "{", "[]", '{"format": 1, "digest": "x", "files": {}}'):
        (out / STAMP_NAME).write_text(junk, encoding="utf-8")
        assert UP_TO_DATE not in build()
        assert UP_TO_DATE in build()


def test_a_stamp_that_is_a_fifo_or_a_link_is_never_waited_on_or_followed(corpus, tmp_path: Path) -> None:
    src, out, build = corpus
    build()
    (out / STAMP_NAME).unlink()
    os.mkfifo(out / STAMP_NAME)
    assert UP_TO_DATE not in build()  # would block forever if the FIFO were opened for reading
    assert (out / STAMP_NAME).is_file()
    target = tmp_path / "elsewhere.json"
    target.write_text((out / STAMP_NAME).read_text(encoding="utf-8"), encoding="utf-8")
    (out / STAMP_NAME).unlink()
    (out / STAMP_NAME).symlink_to(target)
    assert UP_TO_DATE not in build()
    assert not (out / STAMP_NAME).is_symlink()
