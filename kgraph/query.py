"""KnowledgeGraph: the graph with the questions users ask of it, and saving/loading.

Every example below runs on a tiny graph of four hand-made articles (`kgraph._demo`):

>>> from kgraph._demo import demo
>>> kg = demo()
>>> kg.find("khalilzad").label
'Zalmay Khalilzad'
>>> [(n.label, n.weight) for n in kg.neighbors("Khalilzad")]
[('Doha', 2), ('Taliban', 2), ('Kabul', 2), ('Ashraf Ghani', 1), ('United States', 1)]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

import networkx as nx

from . import _answers, _gc, _metrics
from ._lookup import NameIndex
from .errors import ConfigError, OutputError
from .export._atomic import output_folder, recover
from .export._fork import Task, processes_for, write_all
from .export.csv import write_csv
from .export.gexf import write_gexf
from .export.graphml import read_graphml, write_graphml
from .export.html import write_html
from .export.json import read_json, write_json
from .records import ENTITY_TYPES, AliasRow, Entity, Skipped
from .results import (
    RANKINGS,
    Community,
    Edge,
    EntityPath,
    EntityRef,
    Evidence,
    GraphInfo,
    Neighbor,
    Ranked,
)

GRAPH_FILES = ("graph.json", "graph.graphml", "graph.gexf", "graph.html")

#: What the query methods accept as an entity: a name, an id, or an `Entity` from `find`.
EntityLike = str | Entity


class KnowledgeGraph:
    """A knowledge graph of entities linked by the articles that mention them together.

    `graph` is the underlying `networkx.Graph` (its attributes are described in `kgraph.graph`).
    Treat it as read-only: lookups and rankings are cached, so after changing it make a new
    `KnowledgeGraph(graph)`. Wherever a method takes an entity, it takes what `find` takes (a
    name, an alias or an id) or an `Entity`.

    >>> from kgraph._demo import demo
    >>> kg = demo()
    >>> kg
    <KnowledgeGraph 8 entities, 12 edges, 4 articles>
    >>> kg.graph.nodes["place:doha"]["article_count"]
    2
    """

    def __init__(
        self,
        graph: nx.Graph,
        *,
        alias_rows: Sequence[AliasRow] = (),
        skipped: Sequence[Skipped] | None = None,
        max_nodes: int = 300,
        source: str | os.PathLike[str] | None = None,
    ) -> None:
        self.graph = graph
        self.alias_rows = list(alias_rows)
        self.skipped = list(skipped or ())
        # a build always writes aliases.csv and skipped.csv, so none is left from an older one
        self._from_build = skipped is not None
        self.max_nodes = max_nodes
        self.source = Path(source) if source is not None else None
        self._names: NameIndex | None = None
        self._scores: dict[str, dict[str, float]] = {}
        self._canonical: nx.Graph | None = None
        #: Articles the build found in / added to its extraction cache (None: no cache used).
        self.cache_hits: int | None = None
        self.cache_misses: int | None = None

    def __repr__(self) -> str:
        g = self.graph
        return (
            f"<KnowledgeGraph {g.number_of_nodes()} entities, {g.number_of_edges()} edges, "
            f"{g.graph.get('article_count', 0)} articles>"
        )

    # -- entities ---------------------------------------------------------------------------
    def find(self, name: EntityLike, *, type: str | None = None) -> Entity:
        """The entity `name` refers to, by label, alias or id.

        Case, accents, punctuation, a possessive and titles in front of a name do not count, a
        lone surname finds the one person who has it, and a close misspelling finds the name.
        Raises `UnknownEntity` (with the closest names) or `AmbiguousEntity` (with the
        candidates); `type` narrows the search to one entity type.

        >>> from kgraph._demo import demo
        >>> kg = demo()
        >>> kg.find("KHALILZAD").id
        'person:zalmay-khalilzad'
        >>> kg.find("Zalmay Khalilzad’s").id == kg.find("Special Representative Khalilzad").id
        True
        >>> kg.find("mevlut cavusoglu").label, kg.find("Cavusoglu").label, kg.find("Talibn").label
        ('Mevlüt Çavuşoğlu', 'Mevlüt Çavuşoğlu', 'Taliban')
        >>> kg.find("us").label
        'United States'
        >>> kg.find("Kabul City")
        Traceback (most recent call last):
        kgraph.errors.UnknownEntity: no entity named 'Kabul City'; closest: Kabul (place:kabul)
        """
        return self._entity(self._node(name, type=type))

    def entities(self, type: str | None = None) -> list[Entity]:
        """Every entity (of one `type`), most articles first.

        >>> from kgraph._demo import demo
        >>> [e.label for e in demo().entities(type="person")]
        ['Zalmay Khalilzad', 'Ashraf Ghani', 'Mevlüt Çavuşoğlu']
        """
        _check_type(type)
        nodes = [n for n, t in self.graph.nodes(data="type") if type is None or t == type]
        return [self._entity(n) for n in sorted(nodes, key=self._by_articles)]

    def edges(self, min_weight: int = 1) -> list[Edge]:
        """Every link of weight `min_weight` or more, strongest first, as flat rows.

        >>> from kgraph._demo import demo
        >>> [(e.source_label, e.target_label, e.weight) for e in demo().edges(min_weight=2)]
        [('Doha', 'Taliban', 2), ('Doha', 'Zalmay Khalilzad', 2), ('Taliban', 'Zalmay Khalilzad', 2), ('Kabul', 'Zalmay Khalilzad', 2)]
        """
        g = self.graph
        rows = []
        for u, v, d in g.edges(data=True):
            if _answers.as_int(d.get("weight", 1)) < min_weight:
                continue
            a, b = sorted((u, v), key=lambda n: (self._label(n), n))
            rows.append(
                Edge(
                    source=a,
                    target=b,
                    source_label=self._label(a),
                    target_label=self._label(b),
                    weight=_answers.as_int(d.get("weight", 1)),
                    sentence_count=_answers.as_int(d.get("sentence_count", 0)),
                    article_ids=tuple(d.get("article_ids", []) or []),
                )
            )
        rows.sort(key=lambda e: (-e.weight, -e.sentence_count, e.source_label, e.target_label))
        return rows

    def neighbors(
        self, name: EntityLike, *, type: str | None = None, min_weight: int = 1, limit: int | None = None
    ) -> list[Neighbor]:
        """The entities linked to `name` (of one `type`), strongest first: most shared articles,
        then most shared sentences.

        >>> from kgraph._demo import demo
        >>> demo().neighbors("Khalilzad", type="place", min_weight=2)
        [Neighbor(id='place:doha', label='Doha', type='place', weight=2, sentence_count=2), Neighbor(id='place:kabul', label='Kabul', type='place', weight=2, sentence_count=1)]
        """
        _check_type(type)
        node = self._node(name)
        g = self.graph
        out = []
        for m in g.neighbors(node):
            d = g.edges[node, m]
            w = _answers.as_int(d.get("weight", 1))
            if w < min_weight or (type is not None and g.nodes[m].get("type") != type):
                continue
            out.append(
                Neighbor(
                    id=m,
                    label=self._label(m),
                    type=str(g.nodes[m].get("type", "")),
                    weight=w,
                    sentence_count=_answers.as_int(d.get("sentence_count", 0)),
                )
            )
        out.sort(key=lambda x: (-x.weight, -x.sentence_count, x.label, x.id))
        return out[:limit] if limit is not None else out

    # -- evidence ---------------------------------------------------------------------------
    def evidence(self, a: EntityLike, b: EntityLike) -> Evidence:
        """The articles that mention both `a` and `b` (id, title, date, url where known), and the
        sentences in them that mention both. Empty if no article mentions both.

        >>> from kgraph._demo import demo
        >>> ev = demo().evidence("Khalilzad", "Kabul")
        >>> ev
        <Evidence Zalmay Khalilzad — Kabul: 2 articles, 1 sentence (1 kept)>
        >>> [(art.id, art.title, art.sentences) for art in ev.articles]
        [('a1', 'Envoy meets the Taliban in Doha', ()), ('a3', 'A visit to Kabul', ('In Kabul, Special Representative Khalilzad met President Ashraf Ghani.',))]
        """
        u, v = self._node(a), self._node(b)
        return _answers.evidence(self.graph, u, v)

    def path(self, a: EntityLike, b: EntityLike) -> EntityPath | None:
        """A shortest chain of links from `a` to `b` (fewest hops; among those, the strongest
        links), with the evidence for each hop; None if no chain joins them.

        >>> from kgraph._demo import demo
        >>> kg = demo()
        >>> p = kg.path("Ashraf Ghani", "Doha")
        >>> p
        <EntityPath Ashraf Ghani → Zalmay Khalilzad → Doha (2 hops)>
        >>> [hop.weight for hop in p.hops]
        [1, 2]
        >>> kg.path("Ashraf Ghani", "Ankara") is None
        True
        """
        u, v = self._node(a), self._node(b)
        if self._canonical is None:  # sorted, so ties break the same way however the graph was made
            self._canonical = _metrics.canonical(self.graph)
        c = self._canonical
        # Each hop costs 1, plus less than 1/n for weak links: fewest hops first, then strongest.
        eps = 1.0 / (c.number_of_nodes() + 1)
        try:
            nodes = nx.dijkstra_path(c, u, v, weight=lambda x, y, d: 1.0 + eps / d["weight"])
        except nx.NetworkXNoPath:
            return None
        hops = tuple(_answers.evidence(self.graph, x, y) for x, y in pairwise(nodes))
        return EntityPath(entities=tuple(self._ref(n) for n in nodes), hops=hops)

    # -- smaller graphs ---------------------------------------------------------------------
    def ego(self, name: EntityLike, radius: int = 1, *, min_weight: int = 1) -> KnowledgeGraph:
        """The entities within `radius` links of `name` (counting only links of weight
        `min_weight` or more) and the links among them, as a graph that saves like this one.

        >>> from kgraph._demo import demo
        >>> small = demo().ego("Ashraf Ghani")
        >>> sorted(small.graph.nodes), sorted(small.graph.graph["articles"])
        (['person:ashraf-ghani', 'person:zalmay-khalilzad', 'place:kabul'], ['a1', 'a2', 'a3'])
        """
        node = self._node(name)
        if radius < 0:
            raise ConfigError(f"radius must be 0 or more, not {radius}")
        strong = nx.subgraph_view(
            self.graph, filter_edge=lambda x, y: _answers.as_int(self.graph.edges[x, y].get("weight", 1)) >= min_weight
        )
        keep = set(nx.single_source_shortest_path_length(strong, node, cutoff=radius))
        label = self._label(node)
        return self._restricted(keep, min_weight=min_weight, selection=f"ego of {label} ({node}), radius {radius}")

    def subgraph(self, names: Iterable[EntityLike]) -> KnowledgeGraph:
        """The given entities and the links among them, as a graph that saves like this one.

        >>> from kgraph._demo import demo
        >>> demo().subgraph(["Taliban", "Doha", "Ankara"])
        <KnowledgeGraph 3 entities, 1 edges, 3 articles>
        """
        keep = {self._node(n) for n in names}
        return self._restricted(keep, min_weight=1, selection="subgraph of " + ", ".join(sorted(keep)))

    def _restricted(self, keep: set[str], *, min_weight: int, selection: str) -> KnowledgeGraph:
        h = _answers.restrict(self.graph, keep, min_weight=min_weight, selection=selection)
        rows = [r for r in self.alias_rows if r.entity_id in keep]
        return KnowledgeGraph(h, alias_rows=rows, max_nodes=self.max_nodes)

    # -- rankings ---------------------------------------------------------------------------
    def top(self, n: int = 10, *, by: str = "articles", type: str | None = None) -> list[Ranked]:
        """The `n` highest-ranked entities (of one `type`) by `by`: articles, degree,
        weighted_degree, pagerank or betweenness (see `kgraph._metrics.scores` for each).

        >>> from kgraph._demo import demo
        >>> [(r.label, r.score) for r in demo().top(3, by="degree")]
        [('Zalmay Khalilzad', 5.0), ('Taliban', 4.0), ('Doha', 4.0)]
        """
        if by not in RANKINGS:
            raise ConfigError(f"unknown ranking {by!r}: choose one of {', '.join(RANKINGS)}")
        _check_type(type)
        if by not in self._scores:
            self._scores[by] = _metrics.scores(self.graph, by)
        s = self._scores[by]
        g = self.graph
        nodes = [x for x, t in g.nodes(data="type") if type is None or t == type]
        # Scores equal up to float rounding are ties, broken by articles, then id.
        nodes.sort(key=lambda x: (-round(s.get(x, 0.0), 12), *self._by_articles(x)))
        return [
            Ranked(rank=i, id=x, label=self._label(x), type=str(g.nodes[x].get("type", "")), score=s.get(x, 0.0), by=by)
            for i, x in enumerate(nodes[: max(n, 0)], 1)
        ]

    def communities(self, *, min_size: int = 2, resolution: float = 1.0) -> list[Community]:
        """Groups of closely linked entities (Louvain on shared-article weights, seeded: the same
        graph always gives the same groups), largest first; groups under `min_size` are left out.

        >>> from kgraph._demo import demo
        >>> demo().communities()
        [<Community 0: 3 entities: Zalmay Khalilzad, Kabul, Ashraf Ghani>, <Community 1: 3 entities: Taliban, Doha, United States>, <Community 2: 2 entities: Mevlüt Çavuşoğlu, Ankara>]
        """
        g = self.graph
        groups = [sorted(c, key=self._by_articles) for c in _metrics.communities(g, resolution=resolution)]
        groups = [c for c in groups if len(c) >= min_size]
        groups.sort(key=lambda c: (-len(c), self._by_articles(c[0])))
        out = []
        for i, members in enumerate(groups):
            inside = g.subgraph(members)
            weight = sum(_answers.as_int(d.get("weight", 1)) for _, _, d in inside.edges(data=True))
            out.append(Community(id=i, entities=tuple(self._ref(m) for m in members), internal_weight=weight))
        return out

    def info(self) -> GraphInfo:
        """Counts and provenance: articles, entities by type, links, connected components.

        >>> from kgraph._demo import demo
        >>> demo().info()
        <GraphInfo 4 articles, 8 entities (1 organization, 3 person, 4 place), 12 edges>
        """
        info = _answers.info(self.graph, str(self.source) if self.source else None)
        if self.cache_hits is None:
            return info
        return info.model_copy(update={"cache_hits": self.cache_hits, "cache_misses": self.cache_misses})

    # -- helpers ----------------------------------------------------------------------------
    def _node(self, name: EntityLike, *, type: str | None = None) -> str:
        _check_type(type)
        if isinstance(name, Entity):
            name = name.id
        if self._names is None:
            self._names = NameIndex(self.graph)
        return self._names.lookup(str(name), type=type)

    def _label(self, node: str) -> str:
        return _answers.label(self.graph, node)

    def _ref(self, node: str) -> EntityRef:
        return _answers.ref(self.graph, node)

    def _by_articles(self, node: str) -> tuple[int, str]:
        return _answers.by_articles(self.graph, node)

    def _entity(self, node: str) -> Entity:
        return _answers.entity(self.graph, node)

    # -- saving -----------------------------------------------------------------------------
    def save(self, folder: str | os.PathLike[str] = "outputs", *, jobs: int | None = None) -> dict[str, Path]:
        """Write graph.json, graph.graphml, graph.gexf and graph.html (plus aliases.csv and
        skipped.csv after a build) to `folder`, as one set: all of them are written first,
        then moved into place together, so an interrupted save leaves the previous set
        untouched (see `kgraph.export._atomic`).

        A large graph's files are written side by side by up to `jobs` processes (default:
        the cores available; `jobs=1`: the main process alone; see `kgraph.export._fork`).
        The files are the same either way."""
        with _gc.paused():  # the writers make many short-lived objects and no reference cycles
            return self._save(folder, jobs)

    def _graph_files(self, folder: Path) -> list[Task]:
        """The writers of the four graph files, with their relative costs (measured on the
        968-article benchmark graph: GraphML and GEXF 0.55 s, JSON 0.40 s, HTML 0.13 s)."""
        g = self.graph
        return [
            Task("json", 0.75, lambda: write_json(g, folder / "graph.json")),
            Task("graphml", 1.0, lambda: write_graphml(g, folder / "graph.graphml")),
            Task("gexf", 1.0, lambda: write_gexf(g, folder / "graph.gexf")),
            Task("html", 0.25, lambda: write_html(g, folder / "graph.html", max_nodes=self.max_nodes)),
        ]

    def _save(self, folder: str | os.PathLike[str], jobs: int | None) -> dict[str, Path]:
        out = Path(folder)
        g = self.graph
        with output_folder(out) as stage:
            tasks = self._graph_files(stage)
            written = write_all(tasks, processes_for(g.number_of_nodes() + g.number_of_edges(), jobs, len(tasks)))
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


def _check_type(type: str | None) -> None:
    if type is not None and type not in ENTITY_TYPES:
        raise ConfigError(f"unknown entity type {type!r}: choose one of {', '.join(ENTITY_TYPES)}")


def load(path: str | os.PathLike[str] = "outputs") -> KnowledgeGraph:
    """Load a saved graph: an output folder (its graph.json, else its graph.graphml), a
    graph.json or a graph.graphml file.

    >>> import tempfile
    >>> from kgraph._demo import demo
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = demo().save(d)
    ...     load(d).evidence("Taliban", "Doha").weight, load(d + "/graph.graphml").evidence("Taliban", "Doha").weight
    (2, 2)
    """
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
    if not p.exists():
        raise OutputError(
            f"no graph at '{path}': run 'kgraph build' first, or give an output folder, graph.json or graph.graphml"
        )
    if not p.is_file():
        raise OutputError(f"'{path}' is not a file: give an output folder, graph.json or graph.graphml")
    if p.suffix.lower() == ".graphml":
        return KnowledgeGraph(read_graphml(p), source=p)
    return KnowledgeGraph(read_json(p), source=p)
