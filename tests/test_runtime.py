"""kgraph._runtime: one policy for signals and the child processes kgraph starts.

The garbage collector's blocks are tested by their doctests and in test_graph/test_pipeline;
here: `Interrupted`, the registry of children (an interrupt kills kgraph's children and no
one else's), what a child does first (`as_child`), signals held during a commit, and a
library user's Ctrl-C during a commit.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from kgraph import _runtime

from .conftest import ROOT

_FORK = mp.get_context("fork")


def _sleep() -> None:
    time.sleep(60)


def _child_then_sleep(parent: int) -> None:
    _runtime.as_child(parent)
    time.sleep(60)


def _gone(process: mp.process.BaseProcess) -> int | None:
    process.join(timeout=10)
    return process.exitcode


def test_interrupted_is_a_keyboard_interrupt_with_its_exit_code() -> None:
    assert issubclass(_runtime.Interrupted, KeyboardInterrupt)
    codes = {sig: _runtime.Interrupted(sig).exit_code for sig in _runtime.INTERRUPT_SIGNALS}
    assert codes == {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
    assert set(codes.values()) == _runtime.INTERRUPT_EXIT_CODES
    plain = _runtime.Interrupted.of(KeyboardInterrupt(), outputs_written=True)
    assert (plain.signum, plain.outputs_written) == (signal.SIGINT, True)
    term = _runtime.Interrupted(signal.SIGTERM)
    assert _runtime.Interrupted.of(term) is term and not term.outputs_written
    assert _runtime.Interrupted.of(term, outputs_written=True).outputs_written


def test_an_interrupt_kills_kgraphs_children_and_no_one_elses() -> None:
    mine = _FORK.Process(target=_sleep, daemon=True)
    hosts = _FORK.Process(target=_sleep, daemon=True)  # started by the application, not by kgraph
    mine.start()
    hosts.start()
    _runtime.started(mine)
    before = {sig: signal.getsignal(sig) for sig in _runtime.INTERRUPT_SIGNALS}
    try:
        with pytest.raises(_runtime.Interrupted) as caught, _runtime.interrupts():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises before this ends
        assert caught.value.signum == signal.SIGTERM and caught.value.exit_code == 143
        assert _gone(mine) == -signal.SIGKILL
        assert hosts.is_alive()
        assert {sig: signal.getsignal(sig) for sig in _runtime.INTERRUPT_SIGNALS} == before  # handlers put back
    finally:
        _runtime.ended(mine)
        hosts.kill()
        hosts.join()
    assert _runtime.children() == []


def test_a_child_leaves_ctrl_c_to_the_main_process_and_ends_on_sigterm() -> None:
    child = _FORK.Process(target=_child_then_sleep, args=(os.getpid(),), daemon=True)
    child.start()
    try:
        time.sleep(0.5)  # let it set its handlers
        os.kill(child.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends the whole group
        time.sleep(0.3)
        assert child.is_alive()
        os.kill(child.pid, signal.SIGTERM)
        assert _gone(child) == -signal.SIGTERM
    finally:
        if child.is_alive():
            child.kill()


def test_children_a_library_starts_for_kgraph_are_adopted() -> None:
    hosts = _FORK.Process(target=_sleep, daemon=True)
    hosts.start()
    try:
        with _runtime.adopt_children():
            theirs = _FORK.Process(target=_sleep, daemon=True)
            theirs.start()
        assert _runtime.children() == [theirs]
        _runtime.kill_children(wait=True)
        assert theirs.exitcode == -signal.SIGKILL and hosts.is_alive()
        assert _runtime.children() == []
    finally:
        hosts.kill()
        hosts.join()


def test_signals_held_during_a_block_are_raised_after_it() -> None:
    with pytest.raises(KeyboardInterrupt), _runtime.signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(100):
            if _runtime.held_count():
                break
            time.sleep(0.01)
        assert _runtime.held_count() == 1  # held, not raised inside the block
    assert _runtime.held_count() == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_in_a_python_session_during_the_commit_says_the_outputs_are_written(tmp_path: Path) -> None:
    """A library user's Ctrl-C that comes while the files are being renamed into place: the
    renames finish, and the KeyboardInterrupt is an Interrupted saying so."""
    import kgraph

    out = tmp_path / "out"
    kgraph.KnowledgeGraph(nx.Graph([("place:a", "place:b")])).save(out)
    marker = tmp_path / "paused"
    code = (
        "import kgraph, networkx as nx\n"
        "from kgraph import _runtime\n"
        "try:\n"
        f"    kgraph.KnowledgeGraph(nx.Graph([('place:c', 'place:d')])).save({str(out)!r})\n"
        "except KeyboardInterrupt as e:\n"
        "    print(type(e).__name__, isinstance(e, _runtime.Interrupted) and e.outputs_written)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KGRAPH_TEST_PAUSE": "commit:graph.html",
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
        for _ in range(6000):  # a safety limit (60 s), not a timing assertion
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert stdout.split() == ["Interrupted", "True"], stderr
    assert "place:c" in (out / "graph.json").read_text(encoding="utf-8")


def test_one_blas_thread_runs_the_block_on_one_thread_and_puts_the_count_back() -> None:
    import numpy as np

    libs = _runtime._openblas()
    if sys.platform.startswith("linux") and "openblas" in str(np.show_config(mode="dicts")).lower():
        assert libs, "numpy's OpenBLAS was not found among the loaded libraries"
    before = [get() for _, get in libs]
    with _runtime.one_blas_thread():
        assert [get() for _, get in libs] == [1] * len(libs)
    assert [get() for _, get in libs] == before
    with pytest.raises(ValueError), _runtime.one_blas_thread():
        raise ValueError
    assert [get() for _, get in libs] == before


def test_the_layout_is_the_same_on_one_blas_thread_as_on_several() -> None:
    import numpy as np

    from kgraph.layout import _forces

    rng = np.random.default_rng(3)
    src, dst = rng.integers(0, 300, 4000), rng.integers(0, 300, 4000)
    keep = src < dst
    src, dst = src[keep], dst[keep]
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    strength = rng.random(len(src)) + 1

    def run() -> np.ndarray:
        return _forces(1, src, dst, strength, size=300, seed=5, iterations=30)

    with _runtime.one_blas_thread():
        one = run()
    assert np.array_equal(one, run())
