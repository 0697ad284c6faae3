"""graph.html: one self-contained page to explore the graph offline.

The vis-network script (shipped inside the pyvis package) is inlined; no address outside
the file is ever loaded. Graph data travels as JSON in a non-executable script element,
with '<', '>' and '&' escaped, and the page only ever puts it into the DOM as text.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ._atomic import write_text

TYPE_COLORS = {"person": "#e15759", "place": "#4e79a7", "organization": "#59a14f"}


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network library, read from the installed pyvis package."""
    lib = resources.files("pyvis").joinpath("lib")
    versions = sorted(p.name for p in lib.iterdir() if p.name.startswith("vis-"))
    return lib.joinpath(versions[-1], "vis-network.min.js").read_text(encoding="utf-8")


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def select_nodes(g: nx.Graph, max_nodes: int) -> list[str]:
    """The `max_nodes` most important entities: most articles first, then most links."""
    ranked = sorted(g.nodes, key=lambda n: (-g.nodes[n].get("article_count", 0), -g.degree(n), n))
    return ranked[:max_nodes]


def page_data(g: nx.Graph, *, max_nodes: int = 300) -> dict[str, Any]:
    """What the page draws: the selected nodes and the edges among them."""
    keep = select_nodes(g, max_nodes)
    kept = set(keep)
    articles = g.graph.get("articles", {})
    nodes = []
    for n in keep:
        d = g.nodes[n]
        nodes.append(
            {
                "id": n,
                "label": d.get("label", n),
                "type": d.get("type", ""),
                "articles": d.get("article_count", 0),
                "aliases": list(d.get("aliases", []))[:8],
            }
        )
    edges = []
    for a, b, d in g.edges(data=True):
        if a in kept and b in kept:
            edges.append(
                {
                    "from": a,
                    "to": b,
                    "weight": d.get("weight", 1),
                    "articles": [articles.get(i, {}).get("title") or i for i in d.get("article_ids", [])][:10],
                    "sentence": (d.get("sentences") or [""])[0],
                }
            )
    return {"nodes": nodes, "edges": edges, "total": g.number_of_nodes(), "colors": TYPE_COLORS}


def render_html(g: nx.Graph, *, max_nodes: int = 300) -> str:
    """The page as a string."""
    template = resources.files("kgraph").joinpath("data/graph.html").read_text(encoding="utf-8")
    return template.replace("/*VIS_NETWORK*/", vis_network_js().replace("</script", "<\\/script")).replace(
        "__GRAPH_DATA__", _script_json(page_data(g, max_nodes=max_nodes))
    )


def write_html(g: nx.Graph, path: str | os.PathLike[str], *, max_nodes: int = 300) -> Path:
    """Write the page for `g` to `path`, atomically."""
    write_text(path, render_html(g, max_nodes=max_nodes))
    return Path(path)
