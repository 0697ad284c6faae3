"""Rankings and communities, computed the same way for the same graph every time.

Every computation runs on a canonical copy of the graph (nodes and edges sorted, weights
only), so a graph gives the same answer whether it was just built, loaded from graph.json
or from graph.graphml, in any Python process.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

#: Betweenness is exact up to this many entities; above it, it is estimated from
#: `BETWEENNESS_SAMPLES` source entities drawn with `SEED` (networkx's `k` sampling).
BETWEENNESS_EXACT_MAX_NODES = 1000
BETWEENNESS_SAMPLES = 100
#: The seed of every randomised algorithm (betweenness sampling, Louvain).
SEED = 0


def _weight(d: dict[str, Any]) -> float:
    try:
        w = float(d.get("weight", 1))
    except (TypeError, ValueError):
        return 1.0
    return w if w > 0 else 1.0


def canonical(g: nx.Graph) -> nx.Graph:
    """`g`'s nodes and edges in sorted order, with `weight` and `distance` (1 / weight) only."""
    c: nx.Graph = nx.Graph()
    c.add_nodes_from(sorted(g.nodes))
    edges = sorted((u, v) if u <= v else (v, u) for u, v in g.edges)
    for u, v in edges:
        w = _weight(g.edges[u, v])
        c.add_edge(u, v, weight=w, distance=1.0 / w)
    return c


def scores(g: nx.Graph, by: str) -> dict[str, float]:
    """Each entity's score for the ranking `by` (see `results.RANKINGS`).

    - articles: the articles that mention the entity;
    - degree: the entities linked to it;
    - weighted_degree: the sum of its links' weights (shared articles);
    - pagerank: PageRank with links weighted by shared articles;
    - betweenness: the share of shortest paths through it, a link of weight w counting as a
      distance of 1/w (strong links are short); sampled above `BETWEENNESS_EXACT_MAX_NODES`.
    """
    if by == "articles":
        return {n: float(d.get("article_count", len(d.get("article_ids", []) or []))) for n, d in g.nodes(data=True)}
    if by == "degree":
        return {n: float(k) for n, k in g.degree()}
    if by == "weighted_degree":
        return {n: float(sum(_weight(d) for _, _, d in g.edges(n, data=True))) for n in g}
    c = canonical(g)
    if by == "pagerank":
        return nx.pagerank(c, weight="weight") if len(c) else {}
    if by == "betweenness":
        k = BETWEENNESS_SAMPLES if len(c) > BETWEENNESS_EXACT_MAX_NODES else None
        return nx.betweenness_centrality(c, k=k, weight="distance", seed=SEED)
    raise ValueError(by)


def communities(g: nx.Graph, *, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities of `g` (weights: shared articles), seeded, on the canonical copy."""
    c = canonical(g)
    if c.number_of_edges() == 0:
        return [{n} for n in c]
    return [set(s) for s in nx.community.louvain_communities(c, weight="weight", resolution=resolution, seed=SEED)]
