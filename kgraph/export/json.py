"""graph.json: the whole graph as networkx node-link JSON, every attribute at full fidelity."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import OutputError
from ._atomic import atomic_path


def to_json_data(g: nx.Graph) -> dict[str, Any]:
    """The node-link dict of `g`, nodes and edges sorted so the file diffs cleanly."""
    data = nx.node_link_data(g, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    for e in data["edges"]:
        if e["source"] > e["target"]:
            e["source"], e["target"] = e["target"], e["source"]
    data["edges"].sort(key=lambda e: (e["source"], e["target"]))
    return data


def write_json(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write `g` to `path` as node-link JSON, atomically."""
    with atomic_path(path) as tmp:
        # a lone surrogate (no UTF can encode one) is written as its \udXXX JSON escape
        with open(tmp, "w", encoding="utf-8", errors="backslashreplace") as fh:
            json.dump(to_json_data(g), fh, ensure_ascii=False, indent=1)
    return Path(path)


def read_json(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by `write_json`."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return nx.node_link_graph(data, edges="edges")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None
