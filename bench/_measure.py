"""Run a command in a fresh process and measure its wall time and peak memory.

Peak memory covers the whole process tree (spaCy's NER workers included). The tree is
sampled from /proc every few milliseconds while the command runs:

- ``peak_rss_mb``: the largest sum of resident set sizes over the tree. Forked workers share
  the model's pages with their parent, so this counts shared pages once per process: an upper
  bound, and the figure `ps`/`top` users add up.
- ``peak_pss_mb``: the largest sum of proportional set sizes (shared pages split between the
  processes that share them): the memory the run really takes from the machine.
- ``main_maxrss_mb``: the kernel's exact high-water mark of the main process alone (from
  ``wait4``), where everything kgraph keeps between articles lives.

Linux only (it reads /proc).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.02


@dataclass
class Measured:
    result: dict[str, Any]  # the JSON object the command printed on its last stdout line
    wall_s: float
    peak_rss_mb: float
    peak_pss_mb: float
    main_maxrss_mb: float


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(pid: int) -> list[int]:
    children = _children_of()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _rss_pss_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def run(cmd: list[str], *, env: dict[str, str] | None = None) -> Measured:
    """Run `cmd`, sampling its process tree's memory; its last stdout line must be JSON."""
    peak = [0, 0]
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def sample() -> None:
        tree_every = 0
        pids = [proc.pid]
        while not done.is_set():
            if tree_every == 0:  # walking /proc costs more than reading a few files
                pids = _tree(proc.pid)
            tree_every = (tree_every + 1) % 5
            rss = pss = 0
            for p in pids:
                r, s = _rss_pss_kb(p)
                rss += r
                pss += s
            peak[0] = max(peak[0], rss)
            peak[1] = max(peak[1], pss)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for t in readers:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    for t in readers:
        t.join()
    stdout, stderr = "".join(out_chunks), "".join(err_chunks)
    if proc.returncode != 0:
        sys.stderr.write(stderr)
        raise SystemExit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)}")
    lines = [line for line in stdout.splitlines() if line.strip()]
    return Measured(
        result=json.loads(lines[-1]),
        wall_s=wall,
        peak_rss_mb=peak[0] / 1024,
        peak_pss_mb=peak[1] / 1024,
        main_maxrss_mb=usage.ru_maxrss / 1024,
    )


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
