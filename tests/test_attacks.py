"""Attacks on an output folder: a crafted journal, links, other users' files, two builds at once.

Recovery after a killed build (see kgraph/export/_atomic.py) must never move a file from
anywhere but a staging folder of its own, and reading a graph must never move anything.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import kgraph
from kgraph.cache import CACHE_NAME
from kgraph.export import _atomic
from kgraph.stamp import STAMP_NAME

from .conftest import ROOT, write_articles
from .test_interrupt import snapshot

DEAD_PID = 999_999  # a process id that is not running (checked in the tests)


def canary(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A private folder of someone's files that no kgraph command may touch."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "id_rsa").write_text("-----BEGIN PRIVATE KEY-----")
    (folder / "graph.json").write_text('{"mine": true}')  # even a name kgraph writes
    (folder / "Documents").mkdir()
    (folder / "Documents" / "letter.txt").write_text("dear")
    return folder, snapshot(folder)


def crafted(out: Path, target: Path) -> Path:
    """An output folder whose journal names a 'staging folder' that is a link to `target`."""
    out.mkdir(exist_ok=True)
    (out / "graph.json").write_text('{"old": true}')
    link = out / f".kgraph-staging-{DEAD_PID}-evil"
    link.symlink_to(target)
    (out / ".kgraph-commit").write_text(link.name + "\n")
    return link


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    return write_articles(
        tmp_path_factory.mktemp("attack_in"),
        {"a": "Joe Biden spoke about Kabul.", "b": "Ned Price said the Taliban were in Doha."},
    )


def _not_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def test_a_crafted_journal_moves_nothing_on_load_info_or_build(tmp_path, articles, blank_model_dir) -> None:
    assert _not_running(DEAD_PID)
    private, before = canary(tmp_path)
    out = tmp_path / "out"
    link = crafted(out, private)
    with pytest.raises(kgraph.OutputError):  # {"old": true} is no graph: but nothing was moved to find that out
        kgraph.load(out)
    assert snapshot(private) == before
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    info = subprocess.run(
        [sys.executable, "-m", "kgraph", "info", "--graph", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert len(info.stderr.splitlines()) == 1 and "Traceback" not in info.stderr
    assert snapshot(private) == before
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "kgraph",
            "build",
            str(articles),
            "-o",
            str(out),
            "--model",
            str(blank_model_dir),
            "-j",
            "1",
            "-q",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    assert snapshot(private) == before  # the key, the folder and even the graph.json stay where they were
    assert not (out / "id_rsa").exists() and not (out / "Documents").exists()
    assert not (out / ".kgraph-commit").exists()
    assert link.is_symlink()  # not ours: left alone, not followed
    assert "Joe Biden" in (out / "graph.json").read_text()


@pytest.mark.parametrize("journal", ["../private", "/etc", ".kgraph-staging-x", "graph.json", "\x00\xff", "a" * 10_000])
def test_a_journal_naming_anything_else_is_dropped(tmp_path, journal) -> None:
    private, before = canary(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kgraph-commit").write_bytes(journal.encode("utf-8", "surrogateescape"))
    _atomic.recover(out)
    assert snapshot(private) == before
    assert sorted(p.name for p in out.iterdir()) == []


def test_a_journal_that_is_a_link_is_not_read(tmp_path) -> None:
    private, before = canary(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    stage = out / f".kgraph-staging-{DEAD_PID}-abc"
    stage.mkdir()
    (out / "journal-elsewhere").write_text(stage.name)
    (out / ".kgraph-commit").symlink_to(out / "journal-elsewhere")
    (stage / "graph.json").write_text("{}")
    _atomic.recover(out)
    assert not (out / "graph.json").exists()  # a journal that is a link is no journal of ours


def test_recovery_moves_only_the_files_a_save_writes(tmp_path) -> None:
    private, before = canary(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    stage = out / f".kgraph-staging-{DEAD_PID}-abc"
    stage.mkdir()
    (stage / "graph.json").write_text('{"new": true}')
    (stage / "graph.html").symlink_to(private / "id_rsa")  # a link inside the staging folder
    (stage / "id_rsa").write_text("planted")  # a name kgraph never writes
    (stage / "sub").mkdir()
    (out / ".kgraph-commit").write_text(stage.name)
    assert _atomic.recover(out) is True
    assert sorted(p.name for p in out.iterdir()) == ["graph.json"]
    assert (out / "graph.json").read_text() == '{"new": true}'
    assert snapshot(private) == before


def test_stale_temps_that_are_links_are_left_alone(tmp_path) -> None:
    private, before = canary(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / f".kgraph-staging-{DEAD_PID}-abc").symlink_to(private)
    (out / f".kgraph-tmp-{DEAD_PID}-abc.json").symlink_to(private / "id_rsa")
    _atomic.remove_stale_temps(out)
    assert snapshot(private) == before


def test_a_second_build_into_a_locked_folder_stops_in_one_line(tmp_path, articles, blank_model_dir) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with _atomic.folder_lock(out, wait=False):
        assert (out / ".kgraph-lock").read_text().strip() == str(os.getpid())
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "kgraph",
                "build",
                str(articles),
                "-o",
                str(out),
                "--model",
                str(blank_model_dir),
                "-j",
                "1",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"error: another kgraph build (process {os.getpid()}) is writing to '{out}': wait for it to finish, "
        "or choose another folder with -o"
    ]
    assert sorted(p.name for p in out.iterdir()) == []  # and the lock file went with the lock


def test_a_save_waits_for_the_lock(tmp_path) -> None:
    from kgraph._demo import demo

    out = tmp_path / "out"
    out.mkdir()
    done = threading.Event()

    def save() -> None:
        demo().save(out, jobs=1)
        done.set()

    with _atomic.folder_lock(out, wait=False):
        t = threading.Thread(target=save)
        t.start()
        assert not done.wait(0.5)  # held here: the other thread waits
        assert not (out / "graph.json").exists()
    t.join(60)
    assert done.is_set() and (out / "graph.json").is_file()


def test_concurrent_builds_into_one_folder_end_as_one_complete_set(tmp_path, blank_model_dir) -> None:
    """Pairs of builds of different inputs into one folder, started a random moment apart: each
    either finishes or stops in one line, and the folder always holds one build's set."""
    inputs = {
        tag: write_articles(tmp_path / f"in_{tag}", {f"{tag}{i}": text for i in range(3)})
        for tag, text in (("x", "Joe Biden spoke about Kabul."), ("y", "Ned Price said the Taliban were in Doha."))
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(18)
    out = tmp_path / "out"
    for _ in range(4):
        procs = []
        for tag in ("x", "y"):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "kgraph",
                        "build",
                        str(inputs[tag]),
                        "-o",
                        str(out),
                        "--model",
                        str(blank_model_dir),
                        "-j",
                        "1",
                        "-q",
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            time.sleep(rng.uniform(0, 0.3))
        for proc in procs:
            _, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0 or (
                proc.returncode == 1 and len(stderr.splitlines()) == 1 and "another kgraph build" in stderr
            ), stderr
        # the builds' shared extraction cache, and the stamp of the last build (kgraph.stamp)
        names = sorted(p.name for p in out.iterdir() if p.name not in (CACHE_NAME, STAMP_NAME))
        assert names == sorted(_atomic.OUTPUT_NAMES)
        names_in = {
            name: {tag for tag, who in (("x", "Kabul"), ("y", "Doha")) if who in (out / name).read_text()}
            for name in ("graph.json", "graph.graphml", "graph.gexf", "graph.html")
        }
        assert len(names_in["graph.json"]) == 1 and all(v == names_in["graph.json"] for v in names_in.values())


def test_a_folder_in_place_of_the_journal_is_one_clear_error(tmp_path) -> None:
    from kgraph._demo import demo

    out = tmp_path / "out"
    (out / ".kgraph-commit").mkdir(parents=True)
    (out / ".kgraph-commit" / "x").write_text("x")
    with pytest.raises(kgraph.OutputError, match=r"cannot write '.*\.kgraph-commit': Is a directory"):
        demo().save(out, jobs=1)
    assert sorted(p.name for p in out.iterdir()) == [".kgraph-commit"]  # nothing half-written, nothing removed
    assert (out / ".kgraph-commit" / "x").read_text() == "x"


def test_recovery_knows_every_file_a_save_writes() -> None:
    """A killed commit is finished by the next save only for names recovery may move: every
    graph file a save writes must be among them (nodes.csv and edges.csv were once missing)."""
    from kgraph.query import GRAPH_FILES

    assert set(GRAPH_FILES) | {"aliases.csv", "skipped.csv"} == set(_atomic.OUTPUT_NAMES)


def test_the_python_3_10_tree_removal_follows_no_link(tmp_path) -> None:
    """`_remove_tree_fd` (rmtree has no dir_fd before 3.11) removes a staging folder's tree
    and the links in it, never what a link points to."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    stage = tmp_path / "parent" / ".kgraph-staging-1-abc"
    (stage / "deep" / "deeper").mkdir(parents=True)
    (stage / "deep" / "deeper" / "f.txt").write_text("x")
    (stage / "graph.json").write_text("{}")
    (stage / "dirlink").symlink_to(outside, target_is_directory=True)
    (stage / "deep" / "filelink").symlink_to(outside / "keep.txt")
    fd = os.open(tmp_path / "parent", os.O_RDONLY)
    try:
        _atomic._remove_tree_fd(fd, stage.name)
    finally:
        os.close(fd)
    assert not stage.exists() and os.listdir(tmp_path / "parent") == []
    assert (outside / "keep.txt").read_text() == "keep"
