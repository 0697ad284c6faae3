"""Entities -> nx.Graph: co-occurrence counting. Pure: no I/O, nothing printed.

The graph contract (other modules and users rely on it):

- one node per entity, keyed by a stable string id (``person:zalmay-khalilzad``), with
  ``label``, ``type``, ``aliases`` (list), ``article_ids`` (list), ``article_count``,
  ``mention_count``; after a build also ``x`` and ``y`` (floats, the layout of
  `kgraph.layout`, within ±1000);
- an edge between two entities mentioned in the same article, with ``weight`` (articles
  mentioning both), ``sentence_count`` (sentences mentioning both), ``article_ids`` (list),
  ``sentences`` (up to ``max_sentences`` example sentences, list) and ``sentence_article_ids``
  (the article of each example sentence, list);
- graph attributes: ``kgraph_version``, ``spacy_model``, ``created``, ``inputs`` (list),
  ``article_count`` and ``articles`` (id -> {title, date, url, source}).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from .resolve import Resolution

#: Node attributes that hold lists.
NODE_LIST_ATTRS = ("aliases", "article_ids")
#: Edge attributes that hold lists.
EDGE_LIST_ATTRS = ("article_ids", "sentences", "sentence_article_ids")


def build_graph(
    resolution: Resolution,
    *,
    max_sentences: int = 10,
    provenance: Mapping[str, Any] | None = None,
) -> nx.Graph:
    """The co-occurrence graph of a resolution: nodes are entities, edges shared articles."""
    g = nx.Graph()
    g.graph.update(dict(provenance or {}))
    g.graph["article_count"] = len(resolution.articles)
    g.graph["articles"] = {
        a.id: {k: v for k, v in a.model_dump().items() if k != "id" and v not in (None, "")}
        for a in resolution.articles
    }
    ents = resolution.entities
    for e in ents:
        g.add_node(
            e.id,
            label=e.label,
            type=e.type,
            aliases=list(e.aliases),
            article_ids=list(e.article_ids),
            article_count=len(e.article_ids),
            mention_count=e.mention_count,
        )
    pairs: dict[tuple[int, int], list[Any]] = {}
    for meta, members, sentences, texts in zip(
        resolution.articles,
        resolution.article_entities,
        resolution.sentence_entities,
        resolution.sentence_text,
    ):
        for a, b in combinations(members, 2):
            rec = pairs.get((a, b))
            if rec is None:
                rec = pairs[(a, b)] = [0, [], [], []]  # sentence_count, article_ids, sentences, their articles
            rec[1].append(meta.id)
        for s, sent_members in sentences:
            text = texts.get(s)
            for a, b in combinations(sent_members, 2):
                rec = pairs[(a, b)]
                rec[0] += 1
                if text is not None and len(rec[2]) < max_sentences:
                    rec[2].append(text)
                    rec[3].append(meta.id)
    for (a, b), (sentence_count, article_ids, sents, sent_articles) in pairs.items():
        g.add_edge(
            ents[a].id,
            ents[b].id,
            weight=len(article_ids),
            sentence_count=sentence_count,
            article_ids=article_ids,
            sentences=sents,
            sentence_article_ids=sent_articles,
        )
    return g


def summary(g: nx.Graph) -> dict[str, Any]:
    """Counts a user wants after a build: articles, entities by type, edges."""
    by_type: dict[str, int] = {}
    for _, t in g.nodes(data="type"):
        by_type[t] = by_type.get(t, 0) + 1
    return {
        "articles": g.graph.get("article_count", 0),
        "entities": g.number_of_nodes(),
        "by_type": dict(sorted(by_type.items())),
        "edges": g.number_of_edges(),
    }

