"""Pure functions from a graph (see `kgraph.graph` for its attributes) to the records of
`kgraph.query.results`. They read attributes defensively: a graph loaded from GraphML, or one with
extra attributes, gives the same answers as the graph a build returns."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from .._coerce import as_bool, as_float, as_int, as_text
from ..articles import is_table
from ..errors import OutputError
from ..graph import summary
from ..records import ENTITY_TYPES, Entity
from ..timeline import dated_span
from .results import ArticleEvidence, EntityRef, Evidence, GraphInfo

log = logging.getLogger("kgraph")


def label(g: nx.Graph, node: str) -> str:
    return str(g.nodes[node].get("label", node))


def ref(g: nx.Graph, node: str) -> EntityRef:
    return EntityRef(id=node, label=label(g, node), type=str(g.nodes[node].get("type", "")))


def entity(g: nx.Graph, node: str) -> Entity:
    d = g.nodes[node]
    t = d.get("type")
    if t not in ENTITY_TYPES:  # a graph made by hand (a loaded one is checked when read)
        raise OutputError(
            f"entity {node!r} has type {t!r}: a kgraph entity is one of {', '.join(ENTITY_TYPES)} "
            "(set the node's 'type' attribute)"
        )
    return Entity(
        id=node,
        label=label(g, node),
        type=t,
        aliases=tuple(d.get("aliases", []) or []),
        article_ids=tuple(d.get("article_ids", []) or []),
        mention_count=as_int(d.get("mention_count", 0)),
    )


def link_stats(g: nx.Graph, d: dict[str, Any]) -> dict[str, Any]:
    """The `kgraph.stats` attributes of a link's attribute dict `d`, read defensively."""
    unit = g.graph.get("link_stats")
    return {
        "unit": unit if unit in ("article", "sentence") else None,
        **{k: as_float(d.get(k)) for k in ("expected", "lift", "npmi", "p_value", "q_value")},
        "backbone": as_bool(d.get("backbone", False)),
    }


def significance_key(d: dict[str, Any]) -> tuple[float, float, int, int]:
    """Sort key of a link's attributes, most significant first (as `kgraph.stats.significance_order`);
    links without statistics come last."""
    q, p = as_float(d.get("q_value")), as_float(d.get("p_value"))
    return (
        2.0 if q is None else q,
        2.0 if p is None else p,
        -as_int(d.get("weight", 1)),
        -as_int(d.get("sentence_count", 0)),
    )


def has_link_stats(g: nx.Graph) -> bool:
    """True if every link of `g` holds its q-value."""
    return all("q_value" in d for _, _, d in g.edges(data=True))


def articles(g: nx.Graph) -> Mapping[str, dict[str, Any]]:
    """The `articles` graph attribute: article id -> {title, date, url, source, lead}."""
    arts = g.graph.get("articles") or {}
    return arts if is_table(arts) else {}


def evidence(g: nx.Graph, u: str, v: str) -> Evidence:
    """The evidence of the link u — v, its example sentences grouped by article."""
    d = g.get_edge_data(u, v) or {}
    article_ids = list(d.get("article_ids", []) or [])
    sentences = list(d.get("sentences", []) or [])
    sentence_articles = list(d.get("sentence_article_ids", []) or [])
    if len(sentences) != len(sentence_articles):
        log.warning("link %s — %s: %d sentences but %d sentence articles", u, v, len(sentences), len(sentence_articles))
    grouped: dict[str, list[str]] = {i: [] for i in article_ids}
    for s, i in zip(sentences, sentence_articles):
        grouped.setdefault(i, []).append(s)
    meta = articles(g)
    found = []
    for i, sents in grouped.items():
        m = meta.get(i, {})
        found.append(
            ArticleEvidence(
                id=i,
                title=as_text(m.get("title")),
                date=as_text(m.get("date")),
                url=as_text(m.get("url")),
                source=as_text(m.get("source")) or "",
                lead=as_text(m.get("lead")),
                sentences=tuple(sents),
            )
        )
    found.sort(key=lambda art: (art.date is None, art.date or ""))  # date order, undated last (stable)
    return Evidence(
        a=ref(g, u),
        b=ref(g, v),
        weight=as_int(d.get("weight", len(article_ids))) if d else 0,
        sentence_count=as_int(d.get("sentence_count", 0)),
        articles=tuple(found),
        **link_stats(g, d),
    )


def restrict(
    g: nx.Graph,
    keep: set[str],
    *,
    min_weight: int,
    selection: str,
    edge_ok: Callable[[dict[str, Any]], bool] | None = None,
) -> nx.Graph:
    """A deep copy of `g` with only the entities in `keep`, the links among them of weight
    `min_weight` or more (and for which `edge_ok` of their attributes is true), and the
    articles those entities appear in."""
    h: nx.Graph = nx.Graph()
    h.graph.update({k: copy.deepcopy(v) for k, v in g.graph.items() if k != "articles"})
    used: set[str] = set()
    for n, d in g.nodes(data=True):
        if n in keep:
            h.add_node(n, **copy.deepcopy(d))
            used.update(d.get("article_ids", []) or [])
    for u, v, d in g.edges(data=True):
        if u in keep and v in keep and as_int(d.get("weight", 1)) >= min_weight and (edge_ok is None or edge_ok(d)):
            h.add_edge(u, v, **copy.deepcopy(d))
    meta = articles(g)
    h.graph["articles"] = {i: copy.deepcopy(meta[i]) for i in meta if i in used}  # only these read
    h.graph["article_count"] = len(used)
    h.graph["selection"] = selection
    return h


def _inputs(value: Any) -> tuple[str, ...]:
    """The `inputs` graph attribute (a list after any load: the GraphML reader restores lists)."""
    return tuple(str(v) for v in value or ())


def info(g: nx.Graph, source: str | None) -> GraphInfo:
    s = summary(g)
    dated, first, last = dated_span(g)
    comps = [len(c) for c in nx.connected_components(g)]
    meta = g.graph
    return GraphInfo(
        source=source,
        articles=as_int(s["articles"]),
        entities=s["entities"],
        by_type=s["by_type"],
        edges=s["edges"],
        components=len(comps),
        largest_component=max(comps, default=0),
        isolated=sum(1 for n in g if g.degree(n) == 0),
        density=nx.density(g) if len(g) > 1 else 0.0,
        kgraph_version=as_text(meta.get("kgraph_version")),
        spacy_model=as_text(meta.get("spacy_model")),
        created=as_text(meta.get("created")),
        inputs=_inputs(meta.get("inputs")),
        selection=as_text(meta.get("selection")),
        link_stats=as_text(meta.get("link_stats")),
        link_stats_units=as_int(meta.get("link_stats_units")) if meta.get("link_stats") else None,
        backbone_edges=sum(1 for _, _, d in g.edges(data=True) if as_bool(d.get("backbone")))
        if has_link_stats(g)
        else None,
        dated_articles=dated,
        first_date=first,
        last_date=last,
        since=as_text(meta.get("since")),
        until=as_text(meta.get("until")),
    )
