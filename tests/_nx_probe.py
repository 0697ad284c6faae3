"""Run by test_networkx_floor.py, in a Python with networkx at kgraph's declared floor:
read a saved output folder every way a user does and print what came back, as JSON.

    python tests/_nx_probe.py OUTPUT_FOLDER
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _table(g: Any) -> dict[str, Any]:
    return {
        "nodes": {str(n): d for n, d in g.nodes(data=True)},
        "edges": {" -- ".join(sorted((str(a), str(b)))): d for a, b, d in g.edges(data=True)},
        "graph": g.graph,
    }


def probe(folder: str) -> dict[str, Any]:
    import networkx as nx

    import kgraph
    from kgraph.export import read_gexf
    from kgraph.query.results import RANKINGS

    kg = kgraph.load(folder)
    top = max(kg.graph.nodes, key=lambda n: (kg.graph.degree(n), n))
    far = min(kg.graph.nodes, key=lambda n: (kg.graph.degree(n), n))
    plain = nx.read_gexf(f"{folder}/graph.gexf")
    path = kg.path(top, far)
    return {
        "networkx": nx.__version__,
        "json": _table(kg.graph),
        "graphml": _table(kgraph.load(f"{folder}/graph.graphml").graph),
        "gexf": _table(read_gexf(f"{folder}/graph.gexf")),
        "networkx_gexf": {"nodes": plain.number_of_nodes(), "edges": plain.number_of_edges()},
        "answers": {
            "info": kg.info().model_dump(mode="json", exclude={"source"}),
            "neighbors": [n.model_dump(mode="json") for n in kg.neighbors(top)],
            "evidence": kg.evidence(top, next(iter(kg.graph.adj[top]))).model_dump(mode="json"),
            "path": path.model_dump(mode="json") if path else None,
            "top": {by: [r.model_dump(mode="json") for r in kg.top(5, by=by)] for by in RANKINGS},
            "communities": sorted(sorted(e.id for e in c.entities) for c in kg.communities(min_size=1)),
        },
    }


if __name__ == "__main__":
    json.dump(probe(sys.argv[1]), sys.stdout, ensure_ascii=True, default=str)
