"""Make tests/data/bench_page.json.gz: the bench corpus's graph as its page and layout see it.

    kgraph build ../shared/bench/news.jsonl -o bench-out
    python scripts/bench_page_fixture.py bench-out          # -> tests/data/bench_page.json.gz

The browser tests cannot run NER over the 968 bench articles, so they read this instead: the
`--nodes` most important entities of the build (default 800, the layout's core: the layout of
these alone places the drawn ones as the full graph's does) with their labels, types and
article counts, and every link among them with its weight. The links among the `--stats`
most important (those the page can draw) keep their statistics as the build computed them
over the whole graph (sentence count, q, p, expected count, backbone). About 60 KB.

Format: ``{"about", "articles", "link_stats", "nodes": [[id, label, type, article_count]],
"edges": [[i, j, weight] or [i, j, weight, sentence_count, q, p, expected, backbone]]}``
with ``i < j`` indices into ``nodes`` (most important first), sorted. `load` in
tests/test_page_readability.py reads it back into a graph.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path, help="the output folder of `kgraph build` on the bench corpus")
    parser.add_argument("-o", "--to", type=Path, default=ROOT / "tests" / "data" / "bench_page.json.gz")
    parser.add_argument("--nodes", type=int, default=800)
    parser.add_argument("--stats", type=int, default=400)
    args = parser.parse_args()

    import kgraph
    from kgraph.layout import importance_order

    g = kgraph.load(args.output)._with_stats()
    rank = importance_order(g)
    top = sorted(g, key=rank.__getitem__)[: args.nodes]
    index = {n: i for i, n in enumerate(top)}
    nodes = [[str(n), str(g.nodes[n]["label"]), str(g.nodes[n]["type"]), int(g.nodes[n]["article_count"])] for n in top]
    edges = []
    for u in top:
        for v, d in g.adj[u].items():
            i, j = index[u], index.get(v, -1)
            if j > i:
                row: list[float] = [i, j, int(d["weight"])]
                if j < args.stats:
                    row += [
                        int(d.get("sentence_count", 0)),
                        float(f"{d['q_value']:.3g}"),
                        float(f"{d['p_value']:.3g}"),
                        round(float(d["expected"]), 2),
                        1 if d.get("backbone") else 0,
                    ]
                edges.append(row)
    edges.sort()
    data = {
        "about": f"the {args.nodes} most important entities of `kgraph build` on shared/bench/news.jsonl "
        "and the links among them; made by scripts/bench_page_fixture.py",
        "articles": int(g.graph["article_count"]),
        "link_stats": g.graph.get("link_stats") or "article",
        "nodes": nodes,
        "edges": edges,
    }
    args.to.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.to.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"wrote {args.to}: {len(nodes)} entities, {len(edges)} links, {args.to.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
