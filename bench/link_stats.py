"""The cost of the link statistics (kgraph.stats) on a graph of about 1.1 million links.

    python bench/link_stats.py [--articles 45000] [--entities 100000] [--scipy-sample 20000]

A synthetic corpus shaped like the news corpus (10.5 entities an article, long-tailed
popularity; see bench/graph_scale.py) is turned into the rows `kgraph.graph.build_graph` makes
before it adds them to networkx: (entity, entity, attributes) with ``weight`` and
``sentence_count``. Then, in this one process, side by side:

- the statistics step of `build_graph`, all that the statistics add to a build (each entity's
  units, p-values, q-values, expected, lift, npmi, backbone, stored in every edge's attributes);
- for scale, adding the same rows to a networkx graph, which every build does anyway;
- the p-values alone with kgraph's tail sum, and with ``scipy.stats.hypergeom.sf``, on the same
  random sample of ``--scipy-sample`` links (scipy on all of them takes minutes), and the
  largest difference between the two.

Prints one JSON object (wall and CPU seconds, and the machine's load average: on a shared
machine the CPU seconds are the steadier figure).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def synthetic_rows(articles: int, entities: int, seed: int = 1) -> tuple[list[tuple[int, int, dict]], list[int]]:
    """The edge rows of a synthetic corpus, and each entity's article count."""
    from kgraph.graph import _pairs

    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, entities + 1) ** 1.05
    popularity /= popularity.sum()
    sizes = np.minimum(1 + rng.poisson(9.5, size=articles), 60)
    drawn = rng.choice(entities, size=int(sizes.sum()), p=popularity)
    groups: list[tuple[int, ...]] = []
    start = 0
    for size in sizes.tolist():
        groups.append(tuple(sorted(set(drawn[start : start + size].tolist()))))
        start += size
    codes, _ = _pairs(groups, entities)
    edge_codes, weight = np.unique(codes, return_counts=True)
    per_entity = np.bincount(np.fromiter((m for grp in groups for m in grp), dtype=np.int64), minlength=entities)
    # about a third of the links also share a sentence
    sentences = np.where(rng.random(edge_codes.size) < 0.35, rng.integers(1, 3, edge_codes.size), 0)
    rows = [
        (a, b, {"weight": w, "sentence_count": s})
        for a, b, w, s in zip(
            (edge_codes // entities).tolist(), (edge_codes % entities).tolist(), weight.tolist(), sentences.tolist()
        )
    ]
    return rows, per_entity.tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=45_000)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--scipy-sample", type=int, default=20_000)
    args = parser.parse_args()

    from operator import itemgetter

    from scipy.stats import hypergeom

    from kgraph import _runtime
    from kgraph.stats import annotate, hypergeom_sf, units

    t = time.perf_counter()
    rows, per_entity = synthetic_rows(args.articles, args.entities)
    made = time.perf_counter() - t

    with _runtime.paused():  # as in a build
        t, cpu = time.perf_counter(), time.process_time()
        # the statistics step of build_graph, as it is written there
        level, n_units, counts = units(args.articles, per_entity)
        source = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=len(rows))
        target = np.fromiter(map(itemgetter(1), rows), dtype=np.int64, count=len(rows))
        annotate(source, target, list(map(itemgetter(2), rows)), level, n_units, counts)
        stats_s, stats_cpu = time.perf_counter() - t, time.process_time() - cpu

        t, cpu = time.perf_counter(), time.process_time()
        g = nx.Graph()
        g.add_edges_from(rows)
        networkx_s, networkx_cpu = time.perf_counter() - t, time.process_time() - cpu

    rng = np.random.default_rng(0)
    pick = rng.choice(len(rows), size=min(args.scipy_sample, len(rows)), replace=False)
    k = np.array([rows[i][2]["weight"] for i in pick])
    ka = np.array([per_entity[rows[i][0]] for i in pick])
    kb = np.array([per_entity[rows[i][1]] for i in pick])
    n = args.articles
    t = time.perf_counter()
    ours = hypergeom_sf(k, ka, kb, n)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    theirs = hypergeom.sf(k - 1, n, ka, kb)
    scipy_s = time.perf_counter() - t
    backbone = sum(1 for *_, b in g.edges(data="backbone") if b)
    linked = {x for u, v, b in g.edges(data="backbone") if b for x in (u, v)}
    linked_share = len(linked) / max(sum(1 for c in per_entity if c), 1)
    print(
        json.dumps(
            {
                "articles": n,
                "entities": sum(1 for c in per_entity if c),
                "edges": g.number_of_edges(),
                "make_rows_s": round(made, 2),
                "statistics_s": round(stats_s, 2),
                "statistics_cpu_s": round(stats_cpu, 2),
                "networkx_add_edges_s": round(networkx_s, 2),
                "networkx_add_edges_cpu_s": round(networkx_cpu, 2),
                "load_average": round(os.getloadavg()[0], 2),
                "sample": int(pick.size),
                "tail_sum_sample_s": round(ours_s, 4),
                "scipy_hypergeom_sf_sample_s": round(scipy_s, 2),
                "scipy_over_tail_sum": round(scipy_s / ours_s, 1),
                "max_abs_difference": float(np.max(np.abs(ours - theirs))),
                "backbone_share": round(backbone / max(g.number_of_edges(), 1), 3),
                "entities_linked_share": round(linked_share, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
