"""Writing the output files of a large graph side by side, in forked processes.

The writers (JSON, GraphML, GEXF, HTML) are independent, pure Python and about equally
slow on a large graph, so with more than one core they run at once: the files are shared
out by their estimated cost (largest first, each to the least loaded process), the main
process writes its share, and each other share is written by a child forked from it, which
inherits the graph in memory (nothing is copied or pickled up front) and reports back the
paths it wrote or the exception it met. The files land in the staging folder of
`kgraph.export._atomic.output_folder`, so the set is still committed as one.

A child leaves Ctrl-C to the main process, which stops every child before it lets the error
go (the staging folder is then removed); it ends at once on SIGTERM, and dies with a main
process that is killed outright (`kgraph._runtime.as_child`). Where `fork` is not available
(not Linux), everything is written in the main process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _runtime
from ..errors import OutputError

#: Graphs with fewer nodes + edges than this are written by one process: forking costs more.
MIN_PARALLEL_SIZE = 20_000
_JOIN_SECONDS = 5.0


@dataclass(frozen=True)
class Task:
    """One output file: `write()` writes it and returns its path; `cost` is a relative estimate."""

    name: str
    cost: float
    write: Callable[[], Path]


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def processes_for(size: int, jobs: int | None, tasks: int) -> int:
    """How many processes write `tasks` files of a graph of `size` nodes + edges.

    `jobs` None means the cores this process may use.

    >>> processes_for(1_000, None, 4), processes_for(10**6, 1, 4), processes_for(10**6, 8, 4)
    (1, 1, 4)
    """
    if size < MIN_PARALLEL_SIZE or not can_fork():
        return 1
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs, tasks))


def share(tasks: Sequence[Task], processes: int) -> list[list[Task]]:
    """The tasks in `processes` groups of about equal cost (largest first, to the lightest group).

    >>> [[t.name for t in g] for g in share([Task("a", 3, Path), Task("b", 2, Path), Task("c", 2, Path)], 2)]
    [['a'], ['b', 'c']]
    """
    groups: list[list[Task]] = [[] for _ in range(max(1, processes))]
    loads = [0.0] * len(groups)
    for t in sorted(tasks, key=lambda t: -t.cost):
        i = loads.index(min(loads))
        groups[i].append(t)
        loads[i] += t.cost
    return [g for g in groups if g]


def write_all(tasks: Sequence[Task], processes: int) -> dict[str, Path]:
    """Run every task, in up to `processes` processes; {task name: path written}.

    An exception in any process is raised here (the other processes are stopped first).
    """
    groups = share(tasks, processes) if processes > 1 else [list(tasks)]
    if len(groups) == 1:
        return {t.name: t.write() for t in groups[0]}
    ctx = mp.get_context("fork")
    children: list[tuple[Any, Any]] = []
    try:
        for group in groups[1:]:
            receive, send = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child, args=(group, send, os.getpid()), daemon=True, name="kgraph-writer")
            child.start()
            _runtime.started(child)
            send.close()
            children.append((child, receive))
        written = {t.name: t.write() for t in groups[0]}
        for child, receive in children:
            written.update(_result(child, receive))
        return {t.name: written[t.name] for t in tasks}
    finally:
        for child, receive in children:
            if child.is_alive():
                child.kill()
            child.join(_JOIN_SECONDS)
            _runtime.ended(child)
            receive.close()


def _result(child: Any, receive: Any) -> dict[str, Path]:
    try:
        status, payload = receive.recv()
    except (EOFError, OSError):
        child.join(_JOIN_SECONDS)
        code = child.exitcode
        if code is not None and -code in _runtime.INTERRUPT_SIGNALS:  # a signal to the whole process group
            raise _runtime.Interrupted(-code) from None
        why = "killed, perhaps for lack of memory" if code is not None and code < 0 else f"exit code {code}"
        raise OutputError(f"a process writing the outputs stopped ({why}): run with --jobs 1") from None
    if status == "error":
        raise payload
    written: dict[str, Path] = payload  # what the child's `_run` sent: its files by kind
    return written


def _child(tasks: list[Task], send: Any, parent: int) -> None:
    """In a forked child: write `tasks`, send back ("ok", {name: path}) or ("error", exception)."""
    _runtime.as_child(parent)
    try:
        message: tuple[str, object] = ("ok", {t.name: t.write() for t in tasks})
    except BaseException as e:  # noqa: BLE001  (everything goes back to the main process)
        message = ("error", e)
    try:
        send.send(message)
    except Exception:  # noqa: BLE001  (an exception that cannot be pickled: send its text)
        error = message[1]
        send.send(("error", OutputError(f"{type(error).__name__}: {error}")))
    send.close()


__all__ = ["MIN_PARALLEL_SIZE", "Task", "can_fork", "processes_for", "share", "write_all"]
