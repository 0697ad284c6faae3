"""NER on a Dask cluster: real `dask scheduler` and `dask worker` processes on loopback.

The builds use the rule-based pipeline saved to disk, which every worker loads by path
(the workers run on this machine, as separate processes, as on real machines).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kgraph
import kgraph.extract.dask
from kgraph.cli import app

from .conftest import ROOT, write_articles

distributed = pytest.importorskip("distributed")  # the "dask" extra, part of the "test" extra

ARTICLES = {
    f"d{i:02d}": f"{text} Report {i}."
    for i, text in enumerate(
        [
            "Zalmay Khalilzad met the Taliban in Doha. He flew to Kabul.",
            "Ashraf Ghani spoke with Joe Biden about NATO and Bagram Airfield.",
            "The Taliban said Khalilzad was in Doha. Ned Price confirmed it in Kabul.",
            "Abdul Ghani Baradar and Zalmay Khalilzad met in Doha. The Gulf states watched.",
            "Joe Biden and Ned Price talked about the Taliban and America.",
        ]
        * 6
    )
}
FILES = ("graph.json", "graph.graphml", "graph.gexf", "graph.html", "aliases.csv")
_CREATED = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def saved(kg: kgraph.KnowledgeGraph, folder: Path) -> dict[str, bytes]:
    kg.save(folder, jobs=1)
    return {n: _CREATED.sub(b"<created>", (folder / n).read_bytes()) for n in FILES}


class Cluster:
    """A `dask scheduler` and `dask worker`s, each its own process, on 127.0.0.1."""

    def __init__(self, log_dir: Path) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        port = self.address.rsplit(":", 1)[1]
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"])

    def _start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 (the process writes to it until stop())
        proc = subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            env={**ENV, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.procs.append(proc)
        return proc

    def add_worker(self, name: str, env: dict[str, str] | None = None) -> None:
        self.workers[name] = self._start(
            name,
            [
                "worker",
                self.address,
                "--name",
                name,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            ],
            env,
        )

    def wait_for(self, n: int) -> None:
        with distributed.Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=120)

    def run(self, fn):  # noqa: ANN001, ANN201
        with distributed.Client(self.address, timeout=60, set_as_default=False) as client:
            return client.run(fn)

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        c.add_worker("w1")
        c.add_worker("w2")
        c.wait_for(2)
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_articles(tmp_path_factory.mktemp("dask-in"), ARTICLES)


@pytest.fixture(scope="module")
def local_files(tmp_path_factory, corpus, blank_model_dir) -> dict[str, bytes]:
    kg = kgraph.build([str(corpus)], model=str(blank_model_dir), jobs=1)
    return saved(kg, tmp_path_factory.mktemp("local"))


def _batches_run() -> int:
    """On a worker: how many batches it ran (each asks `load_nlp` for the loaded model)."""
    from kgraph.extract.ner import _load_nlp

    return _load_nlp.cache_info().hits


def test_a_build_on_the_cluster_equals_a_local_build(tmp_path, cluster, corpus, blank_model_dir, local_files) -> None:
    before = cluster.run(_batches_run)
    kg = kgraph.build([str(corpus)], model=str(blank_model_dir), scheduler=cluster.address, batch_size=2)
    assert saved(kg, tmp_path / "out") == local_files
    after = cluster.run(_batches_run)
    assert len(after) == 2
    assert all(after[w] > before.get(w, 0) for w in after), (before, after)  # both workers took batches


def test_a_shared_cache_keeps_the_workers_results(tmp_path, cluster, corpus, blank_model_dir, local_files) -> None:
    db = tmp_path / "shared.sqlite"
    first = kgraph.build([str(corpus)], model=str(blank_model_dir), scheduler=cluster.address, cache=db)
    assert (first.cache_hits, first.cache_misses) == (0, len(ARTICLES))
    again = kgraph.build([str(corpus)], model=str(blank_model_dir), scheduler=cluster.address, cache=db)
    assert (again.cache_hits, again.cache_misses) == (len(ARTICLES), 0)
    assert saved(again, tmp_path / "out") == local_files


def test_the_cli_builds_on_the_cluster(tmp_path, cluster, corpus, blank_model_dir, local_files) -> None:
    res = CliRunner().invoke(
        app,
        [
            "build",
            str(corpus),
            "-o",
            str(tmp_path / "out"),
            "--model",
            str(blank_model_dir),
            "--scheduler",
            cluster.address,
            "--no-cache",
        ],
    )
    assert res.exit_code == 0, res.output
    assert f"articles used: {len(ARTICLES)}" in res.output
    got = {n: _CREATED.sub(b"<created>", (tmp_path / "out" / n).read_bytes()) for n in FILES}
    assert got == local_files


def test_a_model_missing_on_the_workers_is_one_line(tmp_path, cluster, corpus) -> None:
    res = CliRunner().invoke(
        app,
        [
            "build",
            str(corpus),
            "-o",
            str(tmp_path / "out"),
            "--model",
            str(tmp_path / "no-model"),
            "--scheduler",
            cluster.address,
            "--no-cache",
        ],
    )
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    assert lines[0].startswith(f"error: on a Dask worker of {cluster.address}: spaCy model ")
    assert "is not installed" in lines[0]


def test_an_unreachable_scheduler_is_one_line(tmp_path, corpus, blank_model_dir, monkeypatch) -> None:
    monkeypatch.setattr(kgraph.extract.dask, "CONNECT_SECONDS", 2.0)
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    res = CliRunner().invoke(
        app,
        [
            "build",
            str(corpus),
            "-o",
            str(tmp_path / "out"),
            "--model",
            str(blank_model_dir),
            "--scheduler",
            address,
            "--no-cache",
        ],
    )
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    assert lines[0].startswith(f"error: cannot reach the Dask scheduler at {address} ")
    assert not (tmp_path / "out").exists()


def test_a_bad_scheduler_address_is_one_line(tmp_path, corpus) -> None:
    res = CliRunner().invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "--scheduler", "my laptop"])
    assert res.exit_code == 1
    assert "'my laptop' is not a Dask scheduler: give 'local' or an address such as tcp://HOST:8786" in res.output


def test_a_worker_killed_mid_batch_and_the_build_finishes(tmp_path, corpus, blank_model_dir, local_files) -> None:
    c = Cluster(tmp_path)
    marker = tmp_path / "paused"
    try:
        # w1 stops at its first batch (KGRAPH_TEST_PAUSE) and is killed there; w2 works normally
        c.add_worker("w1", {"KGRAPH_TEST_PAUSE": "dask-batch", "KGRAPH_TEST_PAUSE_FILE": str(marker)})
        c.add_worker("w2")
        c.wait_for(2)
        build = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kgraph",
                "build",
                str(corpus),
                "-o",
                str(tmp_path / "out"),
                "--model",
                str(blank_model_dir),
                "--scheduler",
                c.address,
                "--batch-size",
                "1",
                "--no-cache",
            ],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert build.poll() is None, build.communicate()
            assert time.monotonic() < deadline, "worker w1 never got a batch"
            time.sleep(0.05)
        c.workers["w1"].send_signal(signal.SIGKILL)
        out, err = build.communicate(timeout=300)
        assert build.returncode == 0, err.decode()
        assert c.workers["w1"].wait(timeout=10) == -signal.SIGKILL
        got = {n: _CREATED.sub(b"<created>", (tmp_path / "out" / n).read_bytes()) for n in FILES}
        assert got == local_files
    finally:
        c.stop()
