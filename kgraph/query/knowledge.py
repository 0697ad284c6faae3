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
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from .. import _coerce, _runtime
from .. import timeline as _timeline
from ..config import DEFAULT_MAX_NODES
from ..errors import ConfigError
from ..export.files import GRAPH_FILES
from ..graph import importance_key
from ..records import ENTITY_TYPES, AliasRow, Entity, Skipped
from ..timeline import check_day
from . import answers, metrics
from .check import checked
from .lookup import NameIndex

if TYPE_CHECKING:  # the writers are imported when a graph is saved: querying needs none of them
    from ..export._fork import Task
    from ..export.js import JsFormat
from .results import (
    LINK_RANKS,
    RANKINGS,
    Community,
    Edge,
    EntityPath,
    EntityRef,
    Evidence,
    GraphInfo,
    Neighbor,
    Ranked,
    Results,
    Timeline,
)

__all__ = ["GRAPH_FILES", "EntityLike", "KnowledgeGraph", "load"]

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
        source: str | os.PathLike[str] | None = None,
    ) -> None:
        self.graph = graph
        self.alias_rows = list(alias_rows)
        self.skipped = list(skipped or ())
        # a build always writes aliases.csv and skipped.csv, so none is left from an older one
        self._from_build = skipped is not None
        self.source = Path(source) if source is not None else None
        self._names: NameIndex | None = None
        self._scores: dict[str, dict[str, float]] = {}
        self._canonical: nx.Graph | None = None
        self._stats_graph: nx.Graph | None = None
        #: Articles the build found in / added to its extraction cache (None: no cache used).
        self.cache_hits: int | None = None
        self.cache_misses: int | None = None
        #: Builds the graph of a time window (set by a build: see `between`).
        self._windows: Callable[[str | None, str | None], KnowledgeGraph] | None = None

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

    def entities(self, type: str | None = None) -> Results[Entity]:
        """Every entity (of one `type`), most important first (`kgraph.graph.importance_key`:
        most articles, then most links, then id).

        >>> from kgraph._demo import demo
        >>> [e.label for e in demo().entities(type="person")]
        ['Zalmay Khalilzad', 'Ashraf Ghani', 'Mevlüt Çavuşoğlu']
        """
        _check_type(type)
        nodes = [n for n, d in self.graph.nodes(data=True) if type is None or d.get("type") == type]
        return Results((self._entity(n) for n in sorted(nodes, key=self._importance)), kind=Entity)

    def edges(
        self, min_weight: int = 1, *, max_q: float | None = None, backbone: bool = False, rank: str = "articles"
    ) -> Results[Edge]:
        """Every link of weight `min_weight` or more (with a q-value of `max_q` or less, in the
        backbone only if `backbone`), as flat rows: most shared articles first, or with
        ``rank="significance"`` most significant first (see `kgraph.stats`).

        >>> from kgraph._demo import demo
        >>> [(e.source_label, e.target_label, e.weight) for e in demo().edges(min_weight=2)]
        [('Doha', 'Taliban', 2), ('Doha', 'Zalmay Khalilzad', 2), ('Taliban', 'Zalmay Khalilzad', 2), ('Kabul', 'Zalmay Khalilzad', 2)]
        >>> e = demo().edges(rank="significance")[0]
        >>> (e.source_label, e.target_label, e.unit, e.sentence_count, e.expected, round(e.p_value, 3))
        ('Doha', 'Taliban', 'sentence', 2, 1.0, 0.167)
        """
        _check_rank(rank)
        g = self._with_stats() if (max_q is not None or backbone or rank == "significance") else self.graph
        rows = []
        for u, v, d in g.edges(data=True):
            if _coerce.as_int(d.get("weight", 1)) < min_weight:
                continue
            stats = answers.link_stats(g, d)
            if max_q is not None and (stats["q_value"] is None or stats["q_value"] > max_q):
                continue
            if backbone and not stats["backbone"]:
                continue
            a, b = sorted((u, v), key=lambda n: (self._label(n), n))
            rows.append(
                (
                    answers.significance_key(d),
                    Edge(
                        source=a,
                        target=b,
                        source_label=self._label(a),
                        target_label=self._label(b),
                        weight=_coerce.as_int(d.get("weight", 1)),
                        sentence_count=_coerce.as_int(d.get("sentence_count", 0)),
                        article_ids=tuple(d.get("article_ids", []) or []),
                        first_seen=_coerce.as_text(d.get("first_seen")),
                        last_seen=_coerce.as_text(d.get("last_seen")),
                        **stats,
                    ),
                )
            )
        if rank == "significance":
            rows.sort(key=lambda r: (r[0], r[1].source_label, r[1].target_label))
        else:
            rows.sort(key=lambda r: (-r[1].weight, -r[1].sentence_count, r[1].source_label, r[1].target_label))
        return Results((e for _, e in rows), kind=Edge)

    def neighbors(
        self,
        name: EntityLike,
        *,
        type: str | None = None,
        min_weight: int = 1,
        limit: int | None = None,
        rank: str = "articles",
    ) -> Results[Neighbor]:
        """The entities linked to `name` (of one `type`): strongest first (most shared articles,
        then most shared sentences), or with ``rank="significance"`` most significant first
        (lowest q-value: the links that chance explains least; see `kgraph.stats`).

        >>> from kgraph._demo import demo
        >>> demo().neighbors("Khalilzad", type="place", min_weight=2)[0].label
        'Doha'
        >>> [(n.label, n.weight, n.expected) for n in demo().neighbors("Taliban", rank="significance")][:2]
        [('Doha', 2, 1.0), ('Zalmay Khalilzad', 2, 1.5)]
        """
        _check_type(type)
        _check_rank(rank)
        node = self._node(name)
        g = self._with_stats() if rank == "significance" else self.graph
        out = []
        for m in g.neighbors(node):
            d = g.edges[node, m]
            w = _coerce.as_int(d.get("weight", 1))
            if w < min_weight or (type is not None and g.nodes[m].get("type") != type):
                continue
            n = Neighbor(
                id=m,
                label=self._label(m),
                type=str(g.nodes[m].get("type", "")),
                weight=w,
                sentence_count=_coerce.as_int(d.get("sentence_count", 0)),
                **answers.link_stats(g, d),
            )
            out.append((answers.significance_key(d), n))
        if rank == "significance":
            out.sort(key=lambda x: (x[0], x[1].label, x[1].id))
        else:
            out.sort(key=lambda x: (-x[1].weight, -x[1].sentence_count, x[1].label, x[1].id))
        rows = Results((n for _, n in out), kind=Neighbor)
        return rows[:limit] if limit is not None else rows

    def _with_stats(self) -> nx.Graph:
        """The graph with its link statistics: itself after a build, else (a graph saved by an
        older kgraph, or made by hand) a copy with them computed at the article level."""
        if self._stats_graph is None:
            if answers.has_link_stats(self.graph):
                self._stats_graph = self.graph
            else:
                from ..stats import add_link_stats  # scipy: only for a graph saved without them

                h: nx.Graph = nx.Graph(self.graph)  # new attribute dicts: the caller's graph is not changed
                self._stats_graph = add_link_stats(h)
        return self._stats_graph

    # -- evidence ---------------------------------------------------------------------------
    def evidence(self, a: EntityLike, b: EntityLike) -> Evidence:
        """The articles that mention both `a` and `b` (id, title, date, url where known), and the
        sentences in them that mention both. Empty if no article mentions both.

        >>> from kgraph._demo import demo
        >>> ev = demo().evidence("Khalilzad", "Kabul")
        >>> ev
        <Evidence Zalmay Khalilzad — Kabul: 2 articles, 1 sentence (0.8 expected; 1 kept)>
        >>> [(art.id, art.title, art.sentences) for art in ev.articles]
        [('a1', 'Envoy meets the Taliban in Doha', ()), ('a3', 'A visit to Kabul', ('In Kabul, Special Representative Khalilzad met President Ashraf Ghani.',))]
        """
        u, v = self._node(a), self._node(b)
        return answers.evidence(self._with_stats(), u, v)

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
            self._canonical = metrics.canonical(self.graph)
        c = self._canonical
        # Each hop costs 1, plus less than 1/n for weak links: fewest hops first, then strongest.
        eps = 1.0 / (c.number_of_nodes() + 1)
        try:
            nodes = nx.dijkstra_path(c, u, v, weight=lambda x, y, d: 1.0 + eps / d["weight"])
        except nx.NetworkXNoPath:
            return None
        hops = tuple(answers.evidence(self._with_stats(), x, y) for x, y in pairwise(nodes))
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
            self.graph, filter_edge=lambda x, y: _coerce.as_int(self.graph.edges[x, y].get("weight", 1)) >= min_weight
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

    def backbone(self) -> KnowledgeGraph:
        """The backbone: the links chance explains least, as a graph that saves like this one.

        Each entity keeps its 3 most significant links among those with q < 0.05 seen in 2 or
        more articles or in a shared sentence (the rule is in `kgraph.stats`); entities left
        without a link are left out. It is what graph.html opens on.

        Four articles are too few for any link to stand out from chance:

        >>> from kgraph._demo import demo
        >>> b = demo().backbone()
        >>> b, b.info().selection
        (<KnowledgeGraph 0 entities, 0 edges, 0 articles>, 'backbone: 0 of 12 links, 0 of 8 entities')
        """
        g = self._with_stats()
        in_backbone = [(u, v) for u, v, d in g.edges(data=True) if _coerce.as_bool(d.get("backbone"))]
        keep = {x for pair in in_backbone for x in pair}
        links = len(in_backbone)
        selection = f"backbone: {links} of {g.number_of_edges()} links, {len(keep)} of {g.number_of_nodes()} entities"
        h = answers.restrict(
            g, keep, min_weight=1, selection=selection, edge_ok=lambda d: _coerce.as_bool(d.get("backbone"))
        )
        rows = [r for r in self.alias_rows if r.entity_id in keep]
        return KnowledgeGraph(h, alias_rows=rows)

    def _restricted(self, keep: set[str], *, min_weight: int, selection: str) -> KnowledgeGraph:
        h = answers.restrict(self.graph, keep, min_weight=min_weight, selection=selection)
        rows = [r for r in self.alias_rows if r.entity_id in keep]
        return KnowledgeGraph(h, alias_rows=rows)

    # -- time -------------------------------------------------------------------------------
    def between(self, start: str | None = None, end: str | None = None) -> KnowledgeGraph:
        """The graph of just the articles dated from `start` to `end` (``YYYY-MM-DD``, both
        included; one of them may be None: open on that side): entities resolved, links counted, their statistics and the
        layout computed over those articles alone, exactly as ``kgraph.build(paths,
        since=start, until=end)`` would (only its ``created`` time differs). Undated articles
        are in no window.

        It re-runs the stages after NER over what the build kept of each dated article, so it
        takes a graph that `kgraph.build` returned; a graph loaded from files does not hold
        that: rebuild the window with ``kgraph build --since START --until END`` instead (the
        extraction cache makes it fast).
        """
        start, end = check_day(start, "start"), check_day(end, "end")
        if start is None and end is None:
            raise ConfigError("a window needs a day to start or end at: give a start, an end or both (YYYY-MM-DD)")
        if start is not None and end is not None and start > end:
            raise ConfigError(f"start {start} is after end {end}: the window holds no day")
        if self._windows is None:
            raise ConfigError(
                "between() needs the articles a build keeps, and this graph was loaded from files: rebuild the "
                "window with 'kgraph build --since START --until END' (or kgraph.build(..., since=, until=))"
            )
        return self._windows(start, end)

    def timeline(self, a: EntityLike, b: EntityLike) -> Timeline:
        """The articles that mention both `a` and `b`, month by month (every month from the
        first to the last, with its articles in date order), and those without a date.

        >>> from kgraph._demo import demo
        >>> t = demo().timeline("Khalilzad", "Kabul")
        >>> [(m.month, [art.title for art in m.articles]) for m in t.months], [art.title for art in t.undated]
        ([('2021-03', ['Envoy meets the Taliban in Doha'])], ['A visit to Kabul'])
        """
        ev = self.evidence(a, b)
        months, undated = _timeline.by_month(ev.articles)
        return Timeline(a=ev.a, b=ev.b, months=tuple(months), undated=tuple(undated))

    def new_links(self, since: str, *, min_weight: int = 1) -> list[Edge]:
        """The links first seen on or after `since` (``YYYY-MM-DD``): newest first, then most
        shared articles. A link of undated articles only has no first date and is not listed.

        >>> from kgraph._demo import demo
        >>> [(e.source_label, e.target_label, e.first_seen) for e in demo().new_links("2021-03-02")]
        [('Ankara', 'Mevlüt Çavuşoğlu', '2021-04-02'), ('Doha', 'United States', '2021-03-08'), ('Taliban', 'United States', '2021-03-08'), ('United States', 'Zalmay Khalilzad', '2021-03-08')]
        """
        since = check_day(since, "since") or ""
        rows = [e for e in self.edges(min_weight) if e.first_seen is not None and e.first_seen >= since]
        rows.sort(key=lambda e: e.first_seen or "", reverse=True)  # stable: ties keep the order of `edges`
        return rows

    # -- rankings ---------------------------------------------------------------------------
    def top(self, n: int = 10, *, by: str = "articles", type: str | None = None) -> Results[Ranked]:
        """The `n` highest-ranked entities (of one `type`) by `by`: articles, degree,
        weighted_degree, pagerank or betweenness (see `kgraph.query.metrics.scores` for each).

        >>> from kgraph._demo import demo
        >>> [(r.label, r.score) for r in demo().top(3, by="degree")]
        [('Zalmay Khalilzad', 5.0), ('Taliban', 4.0), ('Doha', 4.0)]
        """
        if isinstance(n, str):  # kg.top("degree"): the ranking given where the count goes
            hint = f"top(10, by={n!r})" if n in RANKINGS else "top(10, by='degree')"
            raise ConfigError(f"top() takes how many entities first, not {n!r}: e.g. {hint}")
        if not isinstance(n, int) or isinstance(n, bool):
            raise ConfigError(f"top() takes how many entities as a whole number, not {n!r}")
        if by not in RANKINGS:
            raise ConfigError(f"unknown ranking {by!r}: choose one of {', '.join(RANKINGS)}")
        _check_type(type)
        if by not in self._scores:
            self._scores[by] = metrics.scores(self.graph, by)
        s = self._scores[by]
        g = self.graph
        nodes = [x for x, d in g.nodes(data=True) if type is None or d.get("type") == type]
        # Scores equal up to float rounding are ties, broken by articles, then id.
        nodes.sort(key=lambda x: (-round(s.get(x, 0.0), 12), *self._importance(x)))
        return Results(
            (
                Ranked(
                    rank=i, id=x, label=self._label(x), type=str(g.nodes[x].get("type", "")), score=s.get(x, 0.0), by=by
                )
                for i, x in enumerate(nodes[: max(n, 0)], 1)
            ),
            kind=Ranked,
        )

    def communities(self, *, min_size: int = 2, resolution: float = 1.0) -> Results[Community]:
        """Groups of closely linked entities (Louvain on shared-article weights, seeded: the same
        graph always gives the same groups), largest first; groups under `min_size` are left out.

        >>> from kgraph._demo import demo
        >>> demo().communities()
        [<Community 0: 3 entities: Zalmay Khalilzad, Kabul, Ashraf Ghani>, <Community 1: 3 entities: Taliban, Doha, United States>, <Community 2: 2 entities: Mevlüt Çavuşoğlu, Ankara>]
        """
        g = self.graph
        groups = [sorted(c, key=self._importance) for c in metrics.communities(g, resolution=resolution)]
        groups = [c for c in groups if len(c) >= min_size]
        groups.sort(key=lambda c: (-len(c), self._importance(c[0])))
        out: Results[Community] = Results(kind=Community)
        for i, members in enumerate(groups):
            inside = g.subgraph(members)
            weight = sum(_coerce.as_int(d.get("weight", 1)) for _, _, d in inside.edges(data=True))
            out.append(Community(id=i, entities=tuple(self._ref(m) for m in members), internal_weight=weight))
        return out

    def info(self) -> GraphInfo:
        """Counts and provenance: articles, entities by type, links, connected components.

        >>> from kgraph._demo import demo
        >>> demo().info()
        <GraphInfo 4 articles, 8 entities (1 organization, 3 person, 4 place), 12 edges>
        """
        info = answers.info(self.graph, str(self.source) if self.source else None)
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
        return answers.label(self.graph, node)

    def _ref(self, node: str) -> EntityRef:
        return answers.ref(self.graph, node)

    def _importance(self, node: str) -> tuple[float, int, str]:
        return importance_key(self.graph, node)

    def _entity(self, node: str) -> Entity:
        return answers.entity(self.graph, node)

    # -- saving -----------------------------------------------------------------------------
    def save(
        self,
        folder: str | os.PathLike[str] = "outputs",
        *,
        max_nodes: int = DEFAULT_MAX_NODES,
        jobs: int | None = None,
        overwrite: bool = False,
    ) -> dict[str, Path]:
        """Write graph.json, graph.graphml, graph.gexf, graph.html, nodes.csv and edges.csv
        (plus aliases.csv and skipped.csv after a build) to `folder`, as one set: all of them
        are written first, then moved into place together, so an interrupted save leaves the
        previous set untouched (see `kgraph.export._atomic`).

        graph.html draws the `max_nodes` most important entities (`kgraph build
        --max-nodes`); the other files keep every entity.

        A large graph's files are written side by side by up to `jobs` processes (default:
        the cores available; `jobs=1`: the main process alone; see `kgraph.export._fork`).
        The files are the same either way.

        A smaller graph (`ego`, `subgraph`, `backbone`) is not saved over a full build unless
        `overwrite=True` (see `kgraph.export.files.save`)."""
        with _runtime.paused():  # the writers make many short-lived objects and no reference cycles
            return self._save(folder, jobs, max_nodes=max_nodes, overwrite=overwrite)

    def export(self, path: str | os.PathLike[str] | None = None, *, format: JsFormat) -> Path:
        """Write the graph as the JSON a JavaScript library loads: ``"graphology"`` (also
        sigma.js), ``"cytoscape"`` (cytoscape.js) or ``"d3"`` (d3-force); see
        `kgraph.export.js`. `path` defaults to ``graph.<format>.json`` beside the graph this
        one was loaded from (or in ``outputs``). Returns the path written.

        >>> import json, tempfile
        >>> from kgraph._demo import demo
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = demo().export(d + "/g.json", format="d3")
        ...     data = json.loads(p.read_text(encoding="utf-8"))
        >>> len(data["nodes"]), len(data["links"]), data["links"][0]["value"]
        (8, 12, 2)
        """
        from ..export.js import JS_FORMATS, write_js

        if format not in JS_FORMATS:
            raise ConfigError(f"unknown format {format!r}: choose one of {', '.join(JS_FORMATS)}")
        if path is None:
            folder = Path("outputs") if self.source is None else self.source.parent
            path = folder / f"graph.{format}.json"
        return write_js(self.graph, path, format)

    def _graph_files(self, folder: Path, *, max_nodes: int = DEFAULT_MAX_NODES) -> list[Task]:
        """The writers of the graph files (`kgraph.export.files.graph_files`)."""
        from ..export.files import graph_files

        return graph_files(self.graph, folder, max_nodes=max_nodes)

    def _save(
        self, folder: str | os.PathLike[str], jobs: int | None, *, max_nodes: int, overwrite: bool = False
    ) -> dict[str, Path]:
        from ..export import files

        return files.save(
            self.graph,
            folder,
            max_nodes=max_nodes,
            jobs=jobs,
            alias_rows=self.alias_rows if (self.alias_rows or self._from_build) else None,
            skipped=self.skipped if (self.skipped or self._from_build) else None,
            overwrite=overwrite,
        )


def _check_rank(rank: str) -> None:
    if rank not in LINK_RANKS:
        raise ConfigError(f"unknown order {rank!r}: choose one of {', '.join(LINK_RANKS)}")


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
    from ..export import files

    g, p = files.read(path)
    return KnowledgeGraph(checked(g, str(path)), source=p)
