"""KnowledgeGraph: the graph with the questions users ask of it, and saving/loading."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from .errors import AmbiguousEntity, OutputError, UnknownEntity
from .export._atomic import output_folder, recover
from .export.csv import write_csv
from .export.graphml import read_graphml, write_graphml
from .export.html import write_html
from .export.json import read_json, write_json
from .normalize import match_key
from .records import AliasRow, Skipped

GRAPH_FILES = ("graph.json", "graph.graphml", "graph.html")


class KnowledgeGraph:
    """A knowledge graph of entities linked by the articles that mention them together.

    `graph` is the underlying `networkx.Graph` (see `kgraph.graph` for its attributes).
    """

    def __init__(
        self,
        graph: nx.Graph,
        *,
        alias_rows: Sequence[AliasRow] = (),
        skipped: Sequence[Skipped] | None = None,
        max_nodes: int = 300,
    ) -> None:
        self.graph = graph
        self.alias_rows = list(alias_rows)
        self.skipped = list(skipped or ())
        # a build always writes aliases.csv and skipped.csv, so none is left from an older one
        self._from_build = skipped is not None
        self.max_nodes = max_nodes
        self._index: dict[str, set[str]] | None = None

    def __repr__(self) -> str:
        g = self.graph
        return (
            f"<KnowledgeGraph {g.number_of_nodes()} entities, {g.number_of_edges()} edges, "
            f"{g.graph.get('article_count', 0)} articles>"
        )

    # -- lookup ---------------------------------------------------------------------------
    def _names(self) -> dict[str, set[str]]:
        if self._index is None:
            index: dict[str, set[str]] = {}
            for n, d in self.graph.nodes(data=True):
                for name in [d.get("label", n), *d.get("aliases", [])]:
                    index.setdefault(match_key(str(name)), set()).add(n)
            self._index = index
        return self._index

    def find(self, name: str) -> str:
        """The id of the entity `name` refers to (by label or alias, any case or accents)."""
        if name in self.graph:
            return name
        hits = self._names().get(match_key(name), set())
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            labels = sorted(f"{self.graph.nodes[h]['label']} ({h})" for h in hits)
            raise AmbiguousEntity(f"'{name}' matches {len(hits)} entities: {', '.join(labels)}", sorted(hits))
        raise UnknownEntity(f"no entity named '{name}'", [])

    def neighbors(self, name: str) -> list[tuple[str, int]]:
        """Entities linked to `name`, strongest first: (id, weight)."""
        node = self.find(name)
        out = [(m, int(self.graph.edges[node, m].get("weight", 1))) for m in self.graph.neighbors(node)]
        return sorted(out, key=lambda x: (-x[1], x[0]))

    # -- saving -----------------------------------------------------------------------------
    def save(self, folder: str | os.PathLike[str] = "outputs") -> dict[str, Path]:
        """Write graph.json, graph.graphml and graph.html (plus aliases.csv and skipped.csv
        after a build) to `folder`, as one set: all of them are written first, then moved
        into place together, so an interrupted save leaves the previous set untouched
        (see `kgraph.export._atomic`)."""
        out = Path(folder)
        with output_folder(out) as stage:
            written = {
                "json": write_json(self.graph, stage / "graph.json"),
                "graphml": write_graphml(self.graph, stage / "graph.graphml"),
                "html": write_html(self.graph, stage / "graph.html", max_nodes=self.max_nodes),
            }
            if self.alias_rows or self._from_build:
                written["aliases"] = write_csv(
                    stage / "aliases.csv",
                    ["surface", "entity_id", "entity_label", "rule", "article_ids"],
                    [(r.surface, r.entity_id, r.entity_label, r.rule, " | ".join(r.article_ids)) for r in self.alias_rows],
                )
            if self.skipped or self._from_build:
                written["skipped"] = write_csv(
                    stage / "skipped.csv",
                    ["source", "line", "reason", "detail"],
                    [(s.source, "" if s.line is None else s.line, s.reason, s.detail) for s in self.skipped],
                )
        return {kind: out / path.name for kind, path in written.items()}


def load(path: str | os.PathLike[str] = "outputs") -> KnowledgeGraph:
    """Load a saved graph: an output folder, a graph.json or a graph.graphml file."""
    p = Path(path)
    if p.is_dir():
        try:
            recover(p)  # finish the commit of a build that was killed while saving
        except OSError:
            pass
        for name in ("graph.json", "graph.graphml"):
            if (p / name).is_file():
                p = p / name
                break
        else:
            raise OutputError(f"no graph.json or graph.graphml in '{path}': run 'kgraph build' first")
    if not p.is_file():
        raise OutputError(f"no such graph file: '{path}' (give an output folder, graph.json or graph.graphml)")
    if p.suffix.lower() == ".graphml":
        return KnowledgeGraph(read_graphml(p))
    return KnowledgeGraph(read_json(p))
