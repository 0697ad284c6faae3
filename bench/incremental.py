"""Rebuild times with the extraction cache, whole processes side by side.

    python bench/incremental.py ../shared/bench/news.jsonl [--copies 1] [--repeats 1] [--jobs N]
        [--skip-no-cache]

The corpus (JSON lines with "id" and "text") is replicated `--copies` times, each copy's text
made distinct (a line "edition K" is added), so every article is a new cache entry. Each run
is a fresh `python` process, timed from its start to its exit (imports, model load, reading,
NER, resolution, graph, layout and the files: what a user waits for), one after the other in
each repeat:

1. cold, no cache:   `kgraph.build(..., cache=None)` + `save`: the build as it was.
2. cold, cache:      the same with an empty cache file, which it fills.
3. unchanged:        the same corpus again over that cache.
4. +1% new:          the corpus and 1% new articles (distinct texts), over a copy of the
                     cache of step 2.
5. -1% deleted:      the corpus without its last 1%, over a copy of the cache of step 2.
6. unchanged, kgraph build: the command a user runs (`kgraph build CORPUS -o OUT --cache ...`),
                     run once to write its files and their stamp (not timed), then timed:
                     nothing changed, so it keeps the files (`kgraph.stamp`).

Ratios are wall times of the same repeat. Each run also reports where its time went (its own
clocks around the stages), so the floor that is left after NER can be read per stage.
Peak memory is the whole process tree's (see `_measure.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _measure

STEPS = ("cold, no cache", "cold, cache", "unchanged", "unchanged, kgraph build", "+1% new", "-1% deleted")


# -- the measured child process ---------------------------------------------------------------
def child(corpus: Path, cache: str, jobs: int, out: Path) -> dict[str, object]:
    started = time.perf_counter()
    import kgraph
    import kgraph.cache
    import kgraph.pipeline

    imported = time.perf_counter()
    clocks: dict[str, float] = {}
    cpu: dict[str, float] = {}  # this process's CPU time (its threads too), which load does not inflate

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            t, c = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                clocks[label] = clocks.get(label, 0.0) + time.perf_counter() - t
                cpu[label] = cpu.get(label, 0.0) + time.process_time() - c

        setattr(owner, name, wrapper)

    timed(kgraph.pipeline, "load_nlp", "model load")
    timed(kgraph.pipeline.Resolver, "resolve_article", "per-article resolution")
    timed(kgraph.pipeline.Resolver, "add_resolved", "folding articles into the corpus")
    timed(kgraph.pipeline.Resolver, "finish", "corpus resolution")
    timed(kgraph.pipeline, "build_graph", "graph")
    timed(kgraph.pipeline, "add_layout", "layout")
    timed(kgraph.cache.ExtractionCache, "lookup", "cache lookups")
    timed(kgraph.cache.ExtractionCache, "decode", "cache reads (extractions)")
    timed(kgraph.cache.ExtractionCache, "decode_resolved", "cache reads (resolutions)")
    timed(kgraph.cache.ExtractionCache, "flush", "cache writes")
    c0 = time.process_time()
    kg = kgraph.build([corpus], jobs=jobs, cache=cache or None)
    built, c1 = time.perf_counter(), time.process_time()
    kg.save(out, jobs=jobs)
    saved, c2 = time.perf_counter(), time.process_time()
    inner = sum(v for k, v in clocks.items() if k != "model load")
    stages = {
        "imports": imported - started,
        **{k: round(v, 3) for k, v in clocks.items()},
        "reading, NER and the rest of the article loop": built - imported - inner,
        "writing the files": saved - built,
    }
    return {
        "articles": kg.graph.graph["article_count"],
        "entities": kg.graph.number_of_nodes(),
        "edges": kg.graph.number_of_edges(),
        "hits": kg.cache_hits,
        "misses": kg.cache_misses,
        "stages": stages,
        "cpu": {
            "imports": c0,
            **{k: round(v, 3) for k, v in cpu.items()},
            "rest of the build (main process)": c1 - c0 - sum(v for k, v in cpu.items()),
            "writing the files (main process)": c2 - c1,
        },
    }


def child_cli(corpus: Path, cache: str, jobs: int, out: Path) -> dict[str, object]:
    from kgraph.cli import app

    args = ["build", str(corpus), "-o", str(out), "-j", str(jobs), "-q"]
    app(args + (["--cache", cache] if cache else ["--no-cache"]), standalone_mode=False)
    return {"hits": "-", "misses": "-", "stages": {}, "cpu": {}}


# -- the driver -------------------------------------------------------------------------------
def _rows(src: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_corpus(rows: list[dict[str, str]], copies: int, dst: Path, *, extra: int = 0, drop: int = 0) -> Path:
    """The corpus ×copies (copy k's texts end with "edition k"), `extra` new articles after it
    (distinct texts), or without its last `drop` articles."""
    out = []
    for k in range(copies):
        for r in rows:
            text = r["text"] if k == 0 else f"{r['text']}\n\nedition {k}"
            out.append({"id": f"{r['id']}~{k}" if k else str(r["id"]), "text": text})
    for i in range(extra):
        r = rows[i % len(rows)]
        out.append({"id": f"new-{i}", "text": f"{r['text']}\n\nupdate {i}"})
    if drop:
        out = out[:-drop]
    with open(dst, "w", encoding="utf-8") as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return dst


def run(corpus: Path, cache: Path | None, jobs: int, out: Path, *, cli: bool = False) -> _measure.Measured:
    cmd = [
        sys.executable,
        __file__,
        "--child-cli" if cli else "--child",
        str(corpus),
        "--cache",
        str(cache or ""),
        "--jobs",
        str(jobs),
        "--out",
        str(out),
    ]
    return _measure.run(cmd, env=dict(os.environ))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="JSON lines file of articles (id, text)")
    p.add_argument("--copies", type=int, default=1)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--skip-no-cache", action="store_true", help="leave out step 1 (the cold build without a cache)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--child-cli", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--cache", default="", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child or args.child_cli:
        print(json.dumps((child_cli if args.child_cli else child)(args.corpus, args.cache, args.jobs, args.out)))
        return
    rows = _rows(args.corpus)
    n = len(rows) * args.copies
    one_percent = max(1, round(n / 100))
    results: dict[str, list[_measure.Measured]] = {s: [] for s in STEPS}
    with tempfile.TemporaryDirectory(prefix="kgraph-incremental-") as tmp:
        folder = Path(tmp)
        base = write_corpus(rows, args.copies, folder / "base.jsonl")
        grown = write_corpus(rows, args.copies, folder / "grown.jsonl", extra=one_percent)
        shrunk = write_corpus(rows, args.copies, folder / "shrunk.jsonl", drop=one_percent)
        print(f"corpus: {args.corpus} x{args.copies} = {n} articles; 1% = {one_percent}; jobs {args.jobs}", flush=True)
        for rep in range(args.repeats):
            cache = folder / f"cache-{rep}.sqlite"
            plan = [
                ("cold, no cache", base, None),
                ("cold, cache", base, cache),
                ("unchanged", base, cache),
                ("unchanged, kgraph build", base, cache),
                ("+1% new", grown, folder / "grown.sqlite"),
                ("-1% deleted", shrunk, folder / "shrunk.sqlite"),
            ]
            for step, corpus, db in plan:
                if step == "cold, no cache" and args.skip_no_cache:
                    continue
                if step in ("+1% new", "-1% deleted"):
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                    shutil.copy(cache, db)
                cli = step == "unchanged, kgraph build"
                if cli:  # the user's command writes its files and their stamp once; the next run is timed
                    run(corpus, db, args.jobs, folder / "out-cli", cli=True)
                m = run(corpus, db, args.jobs, folder / ("out-cli" if cli else "out"), cli=cli)
                results[step].append(m)
                r = m.result
                print(
                    f"  {step:15s} {m.wall_s:7.2f} s  hits {r['hits']!s:>6} misses {r['misses']!s:>6}  "
                    f"peak {m.hwm_sum_mb:6.0f} MB (pss {m.peak_pss_mb:4.0f}, main {m.main_maxrss_mb:4.0f})",
                    flush=True,
                )
            report(results, cache)


def report(results: dict[str, list[_measure.Measured]], cache: Path) -> None:
    print("\n| run | wall s (median) | vs cold with cache | hits / misses | peak memory | peak PSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    cold = results["cold, cache"]
    for step in STEPS:
        ms = results[step]
        if not ms:
            continue
        walls = [m.wall_s for m in ms]
        ratios = [c.wall_s / m.wall_s for c, m in zip(cold, ms)]
        r = ms[-1].result
        print(
            f"| {step} | {_measure.median(walls):.2f} | {_measure.median(ratios):.1f}× | {r['hits']} / {r['misses']} | "
            f"{_measure.median([m.hwm_sum_mb for m in ms]):,.0f} MB | {_measure.median([m.peak_pss_mb for m in ms]):,.0f} MB |"
        )
    print("\nwhere the time went (wall seconds, then the main process's CPU seconds; last repeat):")
    for step in (s for s in STEPS if results[s]):
        for what in ("stages", "cpu"):
            stages = results[step][-1].result[what]
            if not stages:
                continue
            print(f"  {step} ({what}): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    print(f"\ncache file: {cache.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
