"""Time the layout and the Gephi exports (GraphML, GEXF) on a synthetic co-occurrence graph.

    python bench/gephi_export.py --articles 100000 --entities 30000 [--networkx]

Then the time of `KnowledgeGraph.save` (all four graph files: in parallel by default, then
with jobs=1).

The graph follows kgraph's graph contract (see kgraph/graph.py): entities drawn with a
Zipf-like popularity, several per article, one example sentence per edge. Prints one line
per step: seconds and the growth of the process's peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgraph.export.gexf import write_gexf
from kgraph.export.graphml import write_graphml
from kgraph.layout import add_layout
from kgraph.query import KnowledgeGraph

TYPES = ("person", "place", "organization")


def synthetic_graph(articles: int, entities: int, per_article: float = 6.0, seed: int = 1) -> nx.Graph:
    """A graph shaped like kgraph's output for `articles` news articles."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, entities + 1) ** 0.9
    popularity /= popularity.sum()
    members: dict[int, list[str]] = {}
    pairs: dict[tuple[int, int], list[str]] = {}
    for a in range(articles):
        k = min(entities, 2 + rng.poisson(per_article - 2))
        chosen = sorted(set(rng.choice(entities, size=k, p=popularity).tolist()))
        aid = f"art{a:06d}"
        for e in chosen:
            members.setdefault(e, []).append(aid)
        for pair in combinations(chosen, 2):
            pairs.setdefault(pair, []).append(aid)
    g = nx.Graph(article_count=articles, articles={f"art{a:06d}": {"title": f"Article {a}"} for a in range(articles)})
    for e, arts in members.items():
        g.add_node(
            f"{TYPES[e % 3]}:entity-{e}",
            label=f"Entity {e}",
            type=TYPES[e % 3],
            aliases=[f"Entity {e}", f"E{e}"],
            article_ids=arts,
            article_count=len(arts),
            mention_count=2 * len(arts),
        )
    for (a, b), arts in pairs.items():
        g.add_edge(
            f"{TYPES[a % 3]}:entity-{a}",
            f"{TYPES[b % 3]}:entity-{b}",
            weight=len(arts),
            sentence_count=len(arts),
            article_ids=arts,
            sentences=[f"Entity {a} met Entity {b} in the article {arts[0]}, said a statement."],
            sentence_article_ids=arts[:1],
        )
    return g


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _step(name: str, fn) -> object:
    before, t = _peak_mb(), time.perf_counter()
    result = fn()
    print(f"{name:<10} {time.perf_counter() - t:7.1f} s   peak RSS +{_peak_mb() - before:6.0f} MB", flush=True)
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--entities", type=int, default=30_000)
    p.add_argument("--per-article", type=float, default=6.0)
    p.add_argument("--networkx", action="store_true", help="also time nx.write_graphml on a flattened copy")
    args = p.parse_args()
    g = _step("graph", lambda: synthetic_graph(args.articles, args.entities, args.per_article))
    print(f"           {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")
    _step("layout", lambda: add_layout(g))
    with tempfile.TemporaryDirectory() as d:
        for name, write in (("graphml", write_graphml), ("gexf", write_gexf)):
            path = Path(d) / f"graph.{name}"
            _step(name, lambda write=write, path=path: write(g, path))
            print(f"           {path.stat().st_size / 1e6:,.0f} MB on disk")
        # every file kgraph writes (graph.json, .graphml, .gexf, .html), side by side as
        # `kgraph build` does, then in one process
        kg = KnowledgeGraph(g)
        _step("save", lambda: kg.save(Path(d) / "all"))
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"           the writer child's peak RSS {children:,.0f} MB (its pages shared with this process until written)"
        )
        _step("save -j1", lambda: kg.save(Path(d) / "all", jobs=1))
        if args.networkx:
            _step("nx graphml", lambda: nx.write_graphml(_flat_copy(g), Path(d) / "nx.graphml"))


def _flat_copy(g: nx.Graph) -> nx.Graph:
    """What networkx's writer needs: a copy with every list joined into one string."""

    def flat(d: dict) -> dict:
        return {k: " | ".join(v) if isinstance(v, list) else v for k, v in d.items()}

    h = nx.Graph()
    h.add_nodes_from((n, flat(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((a, b, flat(d)) for a, b, d in g.edges(data=True))
    return h


if __name__ == "__main__":
    main()
