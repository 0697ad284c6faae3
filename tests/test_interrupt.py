"""Interrupting `kgraph build` at any moment leaves the previous outputs intact, or the
complete new set, and never a mix or a partial file.

Each test runs `python -m kgraph build` in a real process over an output folder that
holds a previous build, stops it at an exact moment (the KGRAPH_TEST_PAUSE hook, see
kgraph/_failpoint.py), sends it a signal there, and compares the folder byte for byte.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kgraph

from .conftest import ROOT, write_articles

OUTPUTS = (
    "aliases.csv",
    "edges.csv",
    "graph.gexf",
    "graph.graphml",
    "graph.html",
    "graph.json",
    "nodes.csv",
    "skipped.csv",
)
OLD = {"old1": "Zalmay Khalilzad met the Taliban in Doha.", "old2": "NATO left Kabul."}
NEW = {
    "a": "Joe Biden spoke about Kabul.",
    "b": "Ned Price said the Taliban were in Doha.",
    "c": "Ashraf Ghani and Zalmay Khalilzad met in Kabul.",
}
_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of `folder` (hidden ones too) with its bytes, but the extraction cache that
    `kgraph build` keeps there (its own interruption tests are in test_cache.py)."""
    return {
        p.name: p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.iterdir())
        if not p.name.startswith(".kgraph-cache.sqlite")
    }


def normalised(files: dict[str, bytes]) -> dict[str, bytes]:
    """Two builds of the same input differ only in their creation time."""
    return {name: _TIMESTAMP.sub(b"<created>", data) for name, data in files.items()}


@pytest.fixture(scope="module")
def sets(tmp_path_factory, blank_model_dir):
    """Inputs, the outputs of an old build, and the reference outputs of the new build."""
    base = tmp_path_factory.mktemp("interrupt")
    old_in = write_articles(base / "old_in", OLD)
    new_in = write_articles(base / "new_in", NEW)
    (new_in / "skip-me.pdf").write_bytes(b"%PDF")
    kgraph.build([str(old_in)], model=str(blank_model_dir), jobs=1).save(base / "old_out")
    kgraph.build([str(new_in)], model=str(blank_model_dir), jobs=1).save(base / "new_out")
    old, new = snapshot(base / "old_out"), snapshot(base / "new_out")
    assert sorted(old) == sorted(new) == list(OUTPUTS)
    assert all(normalised(old)[n] != normalised(new)[n] for n in OUTPUTS)  # every file tells the two apart
    return {"new_in": new_in, "old": old, "new": normalised(new), "model": blank_model_dir}


def start_build(sets, out: Path, pause: str, tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KGRAPH_TEST_PAUSE": pause,
        "KGRAPH_TEST_PAUSE_FILE": str(marker),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kgraph",
            "build",
            str(sets["new_in"]),
            "-o",
            str(out),
            "--model",
            str(sets["model"]),
            "-j",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell that runs tests in the background may have made the child ignore Ctrl-C
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 (tests start no threads)
    )
    return proc, marker


def wait_until_paused(proc: subprocess.Popen[str], marker: Path) -> None:
    for _ in range(6000):  # a safety limit only (60 s), not a timing assertion
        if marker.exists():
            return
        if proc.poll() is not None:
            pytest.fail(f"the build ended before it paused: {proc.communicate()}")
        time.sleep(0.01)
    proc.kill()
    pytest.fail("the build never reached the pause point")


def interrupt(sets, tmp_path: Path, pause: str, sig: signal.Signals) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in sets["old"].items():
        (out / name).write_bytes(data)
    proc, marker = start_build(sets, out, pause, tmp_path)
    try:
        wait_until_paused(proc, marker)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # a hung build must not outlive the test
            proc.kill()
            proc.wait()
    return proc.returncode, stderr, out


BEFORE_COMMIT = ["read:b.txt", "write:graph.graphml", "write:skipped.csv"]
CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("pause", BEFORE_COMMIT)
def test_interrupt_before_commit_keeps_the_old_outputs(sets, tmp_path, pause, sig) -> None:
    code, stderr, out = interrupt(sets, tmp_path, pause, sig)
    assert code == CODES[sig]
    assert stderr.splitlines() == [f"error: interrupted: the previous outputs in '{out}' are kept"]
    assert snapshot(out) == sets["old"]  # byte-identical, and no temporary file or folder left


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_during_commit_finishes_it(sets, tmp_path, sig) -> None:
    # two of the five files are already renamed into place: stopping now would leave a mix
    code, stderr, out = interrupt(sets, tmp_path, "commit:graph.html", sig)
    assert code == CODES[sig]
    assert stderr.splitlines() == [f"error: interrupted just after the new outputs were written to '{out}'"]
    assert normalised(snapshot(out)) == sets["new"]


@pytest.mark.parametrize("pause", ["read:b.txt", "write:graph.graphml"])
def test_kill_before_commit_keeps_the_old_outputs_and_the_next_build_cleans_up(sets, tmp_path, pause) -> None:
    code, _, out = interrupt(sets, tmp_path, pause, signal.SIGKILL)
    assert code == -signal.SIGKILL
    files = snapshot(out)
    assert {n: files[n] for n in OUTPUTS} == sets["old"]
    if pause.startswith("write:"):
        leftovers = sorted(n for n in files if n.startswith(".kgraph-"))
        assert len(leftovers) == 2 and leftovers[0] == ".kgraph-lock" and leftovers[1].startswith(".kgraph-staging-")
    kgraph.build([str(sets["new_in"])], model=str(sets["model"]), jobs=1).save(out)
    assert normalised(snapshot(out)) == sets["new"]  # the new set, and the leftovers are gone


def test_kill_during_commit_is_finished_by_the_next_save_and_not_by_a_load(sets, tmp_path) -> None:
    code, _, out = interrupt(sets, tmp_path, "commit:graph.html", signal.SIGKILL)
    assert code == -signal.SIGKILL
    files = snapshot(out)
    assert ".kgraph-commit" in files  # killed between two renames: a mix until it is finished
    assert files["graph.json"] == sets["old"]["graph.json"]
    assert normalised({"g": files["graph.graphml"]})["g"] == sets["new"]["graph.graphml"]
    kg = kgraph.load(out)  # reading moves nothing
    assert snapshot(out) == files
    assert set(kg.graph.graph["articles"]) == set(OLD)  # graph.json, still the old one
    cli = subprocess.run(
        [sys.executable, "-m", "kgraph", "info", "--graph", str(out)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0 and snapshot(out) == files
    kgraph.load(out).save(tmp_path / "elsewhere")  # saving another folder leaves this one alone
    assert snapshot(out) == files
    kgraph.build([str(sets["new_in"])], model=str(sets["model"]), jobs=1).save(out)
    assert normalised(snapshot(out)) == sets["new"]


def test_stale_temps_of_a_killed_build_are_removed_by_the_next_save(sets, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    pid = int(dead.stdout)  # a process that has ended
    (out / f".kgraph-tmp-{pid}-abc.json").write_text("{partial")
    (out / f".kgraph-staging-{pid}-xyz").mkdir()
    (out / f".kgraph-staging-{pid}-xyz" / "graph.json").write_text("{partial")
    alive = out / f".kgraph-staging-{os.getppid()}-live"  # another build still running: left alone
    alive.mkdir()
    kgraph.build([str(sets["new_in"])], model=str(sets["model"]), jobs=1).save(out)
    files = snapshot(out)
    assert sorted(files) == sorted([*OUTPUTS, "notes.txt", alive.name])


def test_ctrl_c_to_a_build_with_worker_processes(sets, tmp_path) -> None:
    """A terminal's Ctrl-C reaches the build and its NER workers at once: one line, exit 130,
    no worker left behind, no hang (spaCy alone would wait for a worker stuck on a full pipe)."""
    # long articles: one processed Doc is more than a pipe holds, so a worker blocks on sending it
    text = "lorem ipsum dolor sit amet " * 600 + NEW["b"]
    src = write_articles(tmp_path / "many", {f"a{i:03d}": text for i in range(200)})
    out = tmp_path / "out"
    out.mkdir()
    for name, data in sets["old"].items():
        (out / name).write_bytes(data)
    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KGRAPH_TEST_PAUSE": "read:a190.txt",
        "KGRAPH_TEST_PAUSE_FILE": str(marker),
    }

    def own_group() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setsid()

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kgraph",
            "build",
            str(src),
            "-o",
            str(out),
            "--model",
            str(sets["model"]),
            "-j",
            "2",
            "--batch-size",
            "4",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=own_group,  # noqa: PLW1509
    )
    try:
        wait_until_paused(proc, marker)
        time.sleep(0.5)  # let the workers fill their pipes while the reading is paused
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130
    assert stderr.splitlines() == [f"error: interrupted: the previous outputs in '{out}' are kept"]
    assert snapshot(out) == sets["old"]
    for _ in range(500):  # the workers are gone with it (a safety limit, not a timing assertion)
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        pytest.fail("worker processes outlived the build")


def test_a_failed_write_keeps_the_old_outputs(sets, tmp_path, monkeypatch) -> None:
    """A disk that fills up half-way through a save: one clear error, the old set intact."""
    import errno

    import kgraph.export._atomic as atomic_module

    out = tmp_path / "out"
    out.mkdir()
    for name, data in sets["old"].items():
        (out / name).write_bytes(data)
    kg = kgraph.build([str(sets["new_in"])], model=str(sets["model"]), jobs=1)
    real_fsync = atomic_module._fsync

    def disk_full(path: Path) -> None:  # where a full disk shows up: flushing the written file
        if path.suffix == ".graphml":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(path)

    monkeypatch.setattr(atomic_module, "_fsync", disk_full)
    with pytest.raises(
        kgraph.OutputError, match=r"cannot write '.*/out/graph.graphml': No space left on device \(choose"
    ):
        kg.save(out)
    assert snapshot(out) == sets["old"]


def test_a_broken_journal_does_not_block_the_next_save(sets, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kgraph-commit").write_text("../../etc\n")  # not a staging folder: ignored and removed
    kgraph.build([str(sets["new_in"])], model=str(sets["model"]), jobs=1).save(out)
    assert normalised(snapshot(out)) == sets["new"]


def _start_ner_build(sets, tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    """A build with two NER workers, paused in the main process while the workers have work."""
    text = "lorem ipsum dolor sit amet " * 600 + NEW["b"]
    src = write_articles(tmp_path / "many", {f"a{i:03d}": text for i in range(200)})
    out = tmp_path / "out"
    out.mkdir()
    for name, data in sets["old"].items():
        (out / name).write_bytes(data)
    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KGRAPH_TEST_PAUSE": "read:a190.txt",
        "KGRAPH_TEST_PAUSE_FILE": str(marker),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kgraph",
            "build",
            str(src),
            "-o",
            str(out),
            "--model",
            str(sets["model"]),
            "-j",
            "2",
            "--batch-size",
            "4",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_until_paused(proc, marker)
    return proc, out


def _group_gone(pgid: int) -> bool:
    for _ in range(500):  # a safety limit, not a timing assertion
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False


def test_sigkill_of_the_main_process_leaves_no_worker(sets, tmp_path) -> None:
    """Workers die with their parent (they would hold the build's pipes open, and a caller
    reading its output would wait forever)."""
    proc, out = _start_ner_build(sets, tmp_path)
    try:
        os.kill(proc.pid, signal.SIGKILL)  # the main process only: the workers get no signal
        proc.wait(timeout=60)
        stdout, stderr = proc.communicate(timeout=60)  # returns: no worker holds the pipes
        assert _group_gone(proc.pid), "NER workers outlived the main process"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert {n: (out / n).read_bytes() for n in OUTPUTS} == sets["old"]


def test_sighup_is_handled_like_sigterm(sets, tmp_path) -> None:
    proc, out = _start_ner_build(sets, tmp_path)
    try:
        os.killpg(proc.pid, signal.SIGHUP)  # the terminal closed: the whole group gets it
        _, stderr = proc.communicate(timeout=60)
        assert _group_gone(proc.pid), "NER workers outlived the build"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 129
    assert stderr.splitlines() == [f"error: interrupted: the previous outputs in '{out}' are kept"]
    assert snapshot(out) == sets["old"]
