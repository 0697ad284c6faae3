"""Many short articles: how the main process's peak memory grows with the article count.

A JSONL corpus of one-sentence articles naming two of 100 people and one of 10 cities (so
the graph stops growing early, and what still grows is what kgraph keeps per article) is
built at each size twice, into a fresh folder each time: first cold, filling an extraction
cache, then again from the cache (no NER: what the main process keeps per article, not the
workers, decides the peak). Each run is a fresh process. Besides the peak, each run reports
what the process still holds with the finished graph in hand (`kept_mb`): a graph keeps every
article's metadata and the articles of each entity and link, so that part grows with the
article count by design; the peak above it is what the build needs on the way.

    python bench/many_articles.py --sizes 20000 80000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import run  # noqa: E402

FIRST = ["Anna", "Boris", "Carlos", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jamal"]
LAST = ["Smith", "Petrov", "Garcia", "Cohen", "Yilmaz", "Haddad", "Okafor", "Tanaka", "Silva", "Khan"]
CITIES = ["Paris", "Berlin", "Madrid", "Cairo", "Lagos", "Tokyo", "Lima", "Delhi", "Oslo", "Quito"]

CHILD = r"""
import json, os, sys, kgraph
kg = kgraph.build([sys.argv[1]], cache=sys.argv[2], jobs=2)
kg.save(sys.argv[3])
with open("/proc/self/statm") as f:  # what the process holds with the finished graph still in hand
    kept = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
print(json.dumps({"entities": kg.graph.number_of_nodes(), "edges": kg.graph.number_of_edges(),
                  "cache_hits": kg.cache_hits, "kept_mb": round(kept)}))
"""


def write_corpus(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = (f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2))
            text = f"{a} met {b} in {rng.choice(CITIES)} on Monday, officials said."
            row = {"id": f"a{i}", "title": f"Story {i}", "url": f"https://example.org/{i}", "text": text}
            fh.write(json.dumps(row) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 80_000])
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for n in args.sizes:
            src, cache = Path(d) / f"short-{n}.jsonl", Path(d) / f"cache-{n}.sqlite"
            write_corpus(src, n)
            for phase in ("cold", "from cache"):
                out = Path(d) / f"out-{n}-{phase.replace(' ', '-')}"
                m = run([sys.executable, "-c", CHILD, str(src), str(cache), str(out)], env=env)
                rows.append(
                    {
                        "articles": n,
                        "run": phase,
                        "wall_s": round(m.wall_s, 1),
                        "main_peak_mb": round(m.main_maxrss_mb),
                        "peak_pss_mb": round(m.peak_pss_mb),
                        **m.result,
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    for phase in ("cold", "from cache"):
        got = [r for r in rows if r["run"] == phase]
        if len(got) >= 2:
            a, b = got[0], got[-1]
            per = (b["main_peak_mb"] - a["main_peak_mb"]) * 2**20 / (b["articles"] - a["articles"])
            kept = (b["kept_mb"] - a["kept_mb"]) * 2**20 / (b["articles"] - a["articles"])
            print(
                f"{phase}: the main process's peak grows by {per / 1024:.2f} kB an article; "
                f"what it holds with the finished graph in hand, by {kept / 1024:.2f} kB"
            )


if __name__ == "__main__":
    main()
