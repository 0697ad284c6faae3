"""Run a command in a fresh process and measure its wall time and peak memory.

Peak memory covers the whole process tree (the NER worker processes included). The tree
is sampled from /proc ten times a second while the command runs:

- ``hwm_sum_mb``: the sum over the processes of each one's own peak resident set size
  (``VmHWM``, kept by the kernel, so no peak is missed between samples; the main process's
  from ``wait4``). Forked workers share the model's pages with their parent, and the peaks
  need not coincide, so this is an upper bound: what `ps` users would add up.
- ``peak_rss_mb``: the largest sum of resident set sizes seen at one sample.
- ``peak_pss_mb``: the largest sum of proportional set sizes seen (shared pages split between
  the processes that share them: the memory the run really takes), sampled twice a second.
- ``main_maxrss_mb``: the kernel's exact peak of the main process alone, where everything
  kgraph keeps between articles lives.

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

SAMPLE_SECONDS = 0.1


@dataclass
class Measured:
    result: dict[str, Any]  # the JSON object the command printed on its last stdout line
    wall_s: float
    peak_rss_mb: float
    peak_pss_mb: float
    hwm_sum_mb: float
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


def _status_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process: its resident memory now, and its own peak."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd: list[str], *, env: dict[str, str] | None = None) -> Measured:
    """Run `cmd`, sampling its process tree's memory; its last stdout line must be JSON."""
    peak_rss = [0, 0]  # the largest sum of RSS seen, the largest sum of PSS seen
    hwm: dict[int, int] = {}  # each process's own peak RSS, as last seen
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def sample() -> None:
        # Sampling costs the measured run some CPU: the tree is walked once a second, PSS
        # (the kernel walks page tables for it) read twice a second, /proc/PID/status ten times.
        tick = 0
        pids = [proc.pid]
        while not done.is_set():
            if tick % 10 == 0:
                pids = _tree(proc.pid)
            total = 0
            for p in pids:
                rss, high = _status_kb(p)
                total += rss
                if high:
                    hwm[p] = max(hwm.get(p, 0), high)
            peak_rss[0] = max(peak_rss[0], total)
            if tick % 5 == 0:
                peak_rss[1] = max(peak_rss[1], sum(_pss_kb(p) for p in pids))
            tick += 1
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
        peak_rss_mb=peak_rss[0] / 1024,
        peak_pss_mb=peak_rss[1] / 1024,
        hwm_sum_mb=(sum(v for p, v in hwm.items() if p != proc.pid) + usage.ru_maxrss) / 1024,
        main_maxrss_mb=usage.ru_maxrss / 1024,
    )


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
