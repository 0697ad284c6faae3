"""Writing the files of a large graph in forked processes: the same bytes as one process,
errors and interruptions handled as in one process, and no process left behind."""

from __future__ import annotations

import doctest
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

import kgraph
import kgraph.export._fork as fork
from kgraph.errors import OutputError
from kgraph.export._fork import MIN_PARALLEL_SIZE, Task, processes_for, write_all
from kgraph.query import KnowledgeGraph

from .conftest import ROOT
from .test_interrupt import snapshot, wait_until_paused

pytestmark = pytest.mark.skipif(not fork.can_fork(), reason="forked writers exist on Linux only")

GRAPH_FILES = ["edges.csv", "graph.gexf", "graph.graphml", "graph.html", "graph.json", "nodes.csv"]


def big_graph(n: int = 200) -> nx.Graph:
    """One article naming n entities: n nodes, n(n-1)/2 edges, kgraph's attributes, odd names."""
    g = nx.Graph(article_count=1, articles={"a1": {"title": "One <b>long</b> article"}}, inputs=["x.txt"])
    for i in range(n):
        g.add_node(
            f"person:p{i}",
            label=f'Person <{i}> & "Co" \x07',
            type=("person", "place", "organization")[i % 3],
            aliases=[f"P{i}", f"Mr | {i}"],
            article_count=1 + i % 7,
            mention_count=1 + i % 11,
        )
    for i in range(n):
        for j in range(i + 1, n):
            g.add_edge(
                f"person:p{i}",
                f"person:p{j}",
                weight=1 + (i + j) % 5,
                article_ids=["a1"],
                sentences=[f"P{i} met P{j} <script>."] if (i + j) % 9 == 0 else [],
                sentence_count=int((i + j) % 9 == 0),
            )
    return g


@pytest.fixture(scope="module")
def big() -> KnowledgeGraph:
    g = big_graph()
    assert g.number_of_nodes() + g.number_of_edges() >= MIN_PARALLEL_SIZE
    return KnowledgeGraph(g)


def test_parallel_save_writes_the_same_bytes_as_one_process(big, tmp_path, monkeypatch) -> None:
    used = []
    real = fork.write_all

    def spy(tasks, processes):
        used.append(processes)
        return real(tasks, processes)

    monkeypatch.setattr(fork, "write_all", spy)
    one = big.save(tmp_path / "one", jobs=1)
    two = big.save(tmp_path / "two", jobs=2)
    assert used == [1, 2]
    assert sorted(one) == sorted(two) == ["edges", "gexf", "graphml", "html", "json", "nodes"]
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert sorted(snapshot(tmp_path / "two")) == GRAPH_FILES  # no staging folder or temporary file left
    assert kgraph.load(tmp_path / "two").graph.number_of_edges() == big.graph.number_of_edges()


def test_small_graphs_and_one_job_use_one_process() -> None:
    assert processes_for(MIN_PARALLEL_SIZE - 1, 8, 4) == 1
    assert processes_for(MIN_PARALLEL_SIZE, 1, 4) == 1
    assert processes_for(MIN_PARALLEL_SIZE, 2, 4) == 2
    assert processes_for(MIN_PARALLEL_SIZE, 16, 4) == 4  # never more processes than files


def _pid_writer(path: Path):
    def write() -> Path:
        path.write_text(str(os.getpid()))
        return path

    return write


def test_tasks_run_in_the_main_process_and_in_children(tmp_path) -> None:
    tasks = [Task(f"t{i}", 1.0, _pid_writer(tmp_path / f"t{i}")) for i in range(4)]
    written = write_all(tasks, 2)
    assert list(written) == ["t0", "t1", "t2", "t3"]  # in the order given, whoever wrote them
    pids = {p.read_text() for p in written.values()}
    assert len(pids) == 2 and str(os.getpid()) in pids


def test_an_error_in_a_child_is_raised_in_the_main_process(tmp_path) -> None:
    def fail() -> Path:
        raise OutputError("cannot write 'x': No space left on device (choose another folder with -o)")

    tasks = [Task("main", 2.0, _pid_writer(tmp_path / "main")), Task("child", 1.0, fail)]
    with pytest.raises(OutputError, match="No space left on device"):
        write_all(tasks, 2)


def test_a_child_that_dies_is_reported(tmp_path) -> None:
    def die() -> Path:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    tasks = [Task("main", 2.0, _pid_writer(tmp_path / "main")), Task("child", 1.0, die)]
    with pytest.raises(OutputError, match=r"stopped \(killed, perhaps for lack of memory\): run with --jobs 1"):
        write_all(tasks, 2)


def test_an_error_in_the_main_process_stops_the_children(tmp_path) -> None:
    def slow() -> Path:
        time.sleep(60)
        return tmp_path

    def fail() -> Path:
        raise OutputError("disk full")

    started = time.monotonic()
    with pytest.raises(OutputError, match="disk full"):
        write_all([Task("main", 2.0, fail), Task("child", 1.0, slow)], 2)
    assert time.monotonic() - started < 30  # the child was stopped, not waited for


def test_module_examples_run() -> None:
    result = doctest.testmod(fork)
    assert result.attempted > 0 and result.failed == 0


# -- interrupting a parallel save in a real process -------------------------------------------
def _processes_mentioning(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _wait_gone(token: str) -> list[int]:
    for _ in range(1000):  # a safety limit (10 s), not a timing assertion
        alive = _processes_mentioning(token)
        if not alive:
            return []
        time.sleep(0.01)
    return alive


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupting_a_child_write_keeps_the_old_outputs(big, tmp_path, sig) -> None:
    source = tmp_path / "source"
    big.save(source, jobs=1)
    out = tmp_path / "out"
    KnowledgeGraph(nx.Graph([("a", "b")])).save(out)
    old = snapshot(out)
    marker = tmp_path / "paused"
    # the main process writes graph.gexf, graph.html and edges.csv; a child graph.graphml, graph.json and nodes.csv
    assert [[t.name for t in g] for g in fork.share(big._graph_files(tmp_path), 2)] == [
        ["gexf", "html", "edges"],
        ["graphml", "json", "nodes"],
    ]
    code = f"import kgraph; kgraph.load({str(source)!r}).save({str(out)!r}, jobs=2)"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KGRAPH_TEST_PAUSE": "write:graph.graphml",
        "KGRAPH_TEST_PAUSE_FILE": str(marker),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # noqa: PLW1509
    try:
        wait_until_paused(proc, marker)
        assert len(_processes_mentioning(str(out))) == 2  # the main process and the paused child
        proc.send_signal(sig)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert _wait_gone(str(out)) == []  # the child did not outlive the main process
    files = snapshot(out)
    if sig == signal.SIGINT:
        assert files == old  # byte-identical, and the staging folder removed
    else:
        assert {n: files[n] for n in old} == old
        big.save(out)  # the next save cleans up after a killed one
        assert sorted(snapshot(out)) == GRAPH_FILES


def test_ctrl_c_in_the_terminal_during_a_parallel_save(tmp_path) -> None:
    """Ctrl-C reaches every process of the group: the user gets the usual one-line message."""
    import spacy

    # five articles naming 100 entities each: 24,750 links (one article links at most 100 of its entities)
    names = [f"Name{i}" for i in range(500)]
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", name="ner").add_patterns([{"label": "PERSON", "pattern": n} for n in names])
    nlp.to_disk(tmp_path / "model")
    (tmp_path / "in").mkdir()
    for k in range(5):
        text = "Roll call\n\n" + ", ".join(names[100 * k : 100 * (k + 1)]) + ".\n"
        (tmp_path / "in" / f"a{k}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    KnowledgeGraph(nx.Graph([("a", "b")])).save(out)
    old = snapshot(out)
    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KGRAPH_TEST_PAUSE": "write:graph.graphml",
        "KGRAPH_TEST_PAUSE_FILE": str(marker),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kgraph",
            "build",
            str(tmp_path / "in"),
            "-o",
            str(out),
            "--model",
            str(tmp_path / "model"),
            "--jobs",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until_paused(proc, marker)
        assert len(_processes_mentioning(str(out))) == 2
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert stderr.splitlines() == [f"error: interrupted: the previous outputs in '{out}' are kept"]
    assert _wait_gone(str(out)) == []
    assert snapshot(out) == old
