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

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .. import _runtime
from ..errors import OutputError

#: Graphs with fewer nodes + edges than this are written by one process: forking costs more.
MIN_PARALLEL_SIZE = 20_000


@dataclass(frozen=True)
class Task:
    """One output file: `write()` writes it and returns its path; `cost` is a relative estimate."""

    name: str
    cost: float
    write: Callable[[], Path]


can_fork = _runtime.can_fork


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
    children: list[_runtime.Forked[dict[str, Path]]] = []
    try:
        for group in groups[1:]:
            children.append(_runtime.Forked(partial(_write, group), name="kgraph-writer", failed=_stopped))
        written = _write(groups[0])
        for child in children:
            written.update(child.result())
        return {t.name: written[t.name] for t in tasks}
    finally:
        for child in children:
            child.close()


def _write(tasks: Sequence[Task]) -> dict[str, Path]:
    return {t.name: t.write() for t in tasks}


def _stopped(why: str) -> OutputError:
    return OutputError(f"a process writing the outputs stopped ({why}): run with --jobs 1")


__all__ = ["MIN_PARALLEL_SIZE", "Task", "can_fork", "processes_for", "share", "write_all"]
