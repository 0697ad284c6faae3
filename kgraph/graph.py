"""Entities -> nx.Graph: co-occurrence counting. Pure: no I/O, nothing printed.

The graph contract (other modules and users rely on it):

- one node per entity, keyed by a stable string id (``person:zalmay-khalilzad``), with
  ``label``, ``type``, ``aliases`` (list), ``article_ids`` (list), ``article_count``,
  ``mention_count``; after a build also ``x`` and ``y`` (floats, the layout of
  `kgraph.layout`, within ±1000);
- an edge between two entities mentioned in the same article, with ``weight`` (articles
  mentioning both), ``sentence_count`` (sentences mentioning both), ``article_ids`` (list),
  ``sentences`` (up to ``max_sentences`` example sentences, list) and ``sentence_article_ids``
  (the article of each example sentence, list), and the link statistics of `kgraph.stats`:
  ``expected``, ``lift``, ``npmi``, ``p_value``, ``q_value`` (floats) and ``backbone`` (bool);
- when articles are dated, the dates of `kgraph.timeline.add_dates`: ``first_seen`` and
  ``last_seen`` on entities and links, ``dates`` (list, one per article id) on links;
- graph attributes: ``kgraph_version``, ``spacy_model``, ``created``, ``inputs`` (list),
  ``article_count``, ``articles`` (id -> {title, date, url, source, lead}: a
  `kgraph.articles.ArticleTable` in a build, a dict in a graph read from files), ``link_stats`` (the unit
  of the link statistics: "article", or "sentence" for a corpus too small to test articles)
  and ``link_stats_units`` (how many such units).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping
from itertools import chain, combinations
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import networkx as nx

from . import _runtime
from .articles import ArticleTable
from .config import DEFAULT_MAX_SENTENCES
from .timeline import add_dates

if TYPE_CHECKING:  # numpy, the statistics (scipy) and the resolver are imported by the build alone:
    import numpy as np  # loading a graph and querying it only read the constants and `summary`

    from .resolve import Resolution

#: Node attributes that hold lists.
NODE_LIST_ATTRS = ("aliases", "article_ids")
#: Edge attributes that hold lists.
EDGE_LIST_ATTRS = ("article_ids", "sentences", "sentence_article_ids")


#: Pairs of entities are counted in numpy arrays, rather than one Python step per pair, when
#: the articles hold at least this many pairs (summed over articles)...
ARRAY_MIN_PAIRS = 200_000
#: ... and a pair is seen this many times on average. Both ways give the same graph; the
#: Python dict is faster when most pairs are seen once, as the arrays' gain is per pair
#: and their cost (one list of article ids sliced per edge) per edge.
ARRAY_MIN_REPEAT = 2.5
_CHUNK = 1 << 16
#: Pairs `_pairs` makes in one step: its temporary arrays (a dozen, 8 bytes a pair) stay a
#: few MB, where a million three-name articles made them hundreds of MB at once.
_PAIRS_AT_ONCE = 1 << 17

EdgeRow = tuple[int, int, dict[str, Any]]


def build_graph(
    resolution: Resolution,
    *,
    max_sentences: int = DEFAULT_MAX_SENTENCES,
    provenance: Mapping[str, Any] | None = None,
    linked: Callable[[nx.Graph], None] | None = None,
) -> nx.Graph:
    """The co-occurrence graph of a resolution: nodes are entities, edges shared articles.

    Edges are added in the order their pair is first seen (article by article), and each
    edge's evidence is its first `max_sentences` sentences in corpus order.

    `linked(g)` is called as soon as `g` has its entities and links with their weights,
    before the links' statistics and dates are added: all the layout needs (the build
    starts it there, in a child process, `kgraph.layout.LayoutUnderway`).
    """
    with _runtime.paused():
        return _build_graph(resolution, max_sentences, provenance, linked)


def _build_graph(
    resolution: Resolution,
    max_sentences: int,
    provenance: Mapping[str, Any] | None,
    linked: Callable[[nx.Graph], None] | None = None,
) -> nx.Graph:
    import numpy as np

    from . import stats

    g: nx.Graph = nx.Graph()
    g.graph.update(dict(provenance or {}))
    g.graph["article_count"] = len(resolution.article_ids)
    # the resolution's own entries, not copies: a million articles' metadata is kept once
    g.graph["articles"] = ArticleTable(zip(resolution.article_ids, resolution.article_info))
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
    pair_count = sum(len(m) * (len(m) - 1) // 2 for m in resolution.article_entities)
    count = _edges_arrays if pair_count >= ARRAY_MIN_PAIRS else _edges_python
    rows = list(count(resolution, max_sentences))
    ids = [e.id for e in ents]
    g.add_edges_from((ids[a], ids[b], attrs) for a, b, attrs in rows)
    if linked is not None:
        linked(g)
    sentence_groups = (members for sentences in resolution.sentence_entities for _, members in sentences)
    level, units, counts = stats.units(len(resolution.article_ids), [len(e.article_ids) for e in ents], sentence_groups)
    g.graph["link_stats"] = level
    g.graph["link_stats_units"] = units
    source = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=len(rows))
    target = np.fromiter(map(itemgetter(1), rows), dtype=np.int64, count=len(rows))
    adjacency = dict(g.adjacency())  # the graph's own dicts (add_edges_from copied the rows'), not views of them
    edge_attrs = [adjacency[ids[a]][ids[b]] for a, b, _ in rows]
    del rows
    stats.annotate(source, target, edge_attrs, level, units, counts, ids=ids)
    return add_dates(g)


def _edges_python(resolution: Resolution, max_sentences: int) -> Iterator[EdgeRow]:
    """Edges counted pair by pair: the reference, and the faster way for small graphs."""
    pairs: dict[tuple[int, int], list[Any]] = {}
    for article_id, members, sentences, texts in zip(
        resolution.article_ids,
        resolution.article_entities,
        resolution.sentence_entities,
        resolution.sentence_text,
    ):
        for a, b in combinations(members, 2):
            rec = pairs.get((a, b))
            if rec is None:
                rec = pairs[(a, b)] = [0, [], [], []]  # sentence_count, article_ids, sentences, their articles
            rec[1].append(article_id)
        for s, sent_members in sentences:
            text = texts.get(s)
            for a, b in combinations(sent_members, 2):
                rec = pairs[(a, b)]
                rec[0] += 1
                if text is not None and len(rec[2]) < max_sentences:
                    rec[2].append(text)
                    rec[3].append(article_id)
    for (a, b), (sentence_count, article_ids, sents, sent_articles) in pairs.items():
        yield a, b, _edge_attrs(article_ids, sentence_count, sents, sent_articles)


def _edge_attrs(
    article_ids: list[str], sentence_count: int, sents: list[str], sent_articles: list[str]
) -> dict[str, Any]:
    return {
        "weight": len(article_ids),
        "sentence_count": sentence_count,
        "article_ids": article_ids,
        "sentences": sents,
        "sentence_article_ids": sent_articles,
    }


def _pairs(groups: list[tuple[int, ...]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair within each group, as codes ``a * n + b`` (a < b), and the index of the
    group it comes from; in the order of `itertools.combinations`, group after group."""
    import numpy as np

    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    counts = sizes * (sizes - 1) // 2
    total = int(counts.sum())
    codes = np.empty(total, dtype=np.int64)
    owner = np.empty(total, dtype=np.int64)
    if total == 0:
        return codes, owner
    flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=int(sizes.sum()))
    starts = np.cumsum(sizes) - sizes
    offsets = np.cumsum(counts) - counts
    for m in np.unique(sizes[sizes >= 2]).tolist():  # the groups of one size together...
        of_size = np.flatnonzero(sizes == m)
        i, j = np.triu_indices(m, 1)
        step = max(1, _PAIRS_AT_ONCE // i.size)
        for lo in range(0, of_size.size, step):  # ... a bounded number of pairs at a time
            rows = of_size[lo : lo + step]
            members = flat[starts[rows, None] + np.arange(m)]
            a, b = members[:, i], members[:, j]
            at = offsets[rows, None] + np.arange(i.size)
            codes[at] = np.minimum(a, b) * n + np.maximum(a, b)
            owner[at] = rows[:, None]
    return codes, owner


def _edges_arrays(resolution: Resolution, max_sentences: int) -> Iterator[EdgeRow]:
    """The edges of `_edges_python`, counted with numpy: one sort for the article pairs and
    one for the sentence pairs, then one Python step per edge and per evidence sentence."""
    import numpy as np

    n = max(len(resolution.entities), 1)
    corpus_ids = resolution.article_ids
    texts = resolution.sentence_text
    article_ids = np.array(corpus_ids, dtype=object)
    codes, owner = _pairs(list(resolution.article_entities), n)
    if codes.size == 0:
        return
    order = np.argsort(codes, kind="stable")  # stable: a pair's articles stay in corpus order
    codes_sorted = codes[order]
    first = np.flatnonzero(np.r_[True, codes_sorted[1:] != codes_sorted[:-1]])
    edge_codes = codes_sorted[first]
    if codes.size < ARRAY_MIN_REPEAT * edge_codes.size:
        del codes, owner, order, codes_sorted
        yield from _edges_python(resolution, max_sentences)
        return
    ids = article_ids[owner[order]].tolist()  # each pair's articles, pair after pair
    seq = np.argsort(order[first])  # edges in the order their pair is first seen
    stop = np.r_[first[1:], codes.size]
    del codes, owner, order, codes_sorted, article_ids

    # sentences: every (article, sentence) with 2+ entities, in corpus order; where each one
    # is (article, sentence index) in two arrays, not a tuple a sentence
    groups: list[tuple[int, ...]] = []
    in_article, at_sentence = array("q"), array("q")
    for k, sentences in enumerate(resolution.sentence_entities):
        for s, members in sentences:
            groups.append(members)
            in_article.append(k)
            at_sentence.append(s)
    s_codes, s_owner = _pairs(groups, n)
    del groups
    sentence_count = np.zeros(edge_codes.size, dtype=np.int64)
    evidence: dict[int, list[int]] = {}  # edge -> its evidence sentences (rows of the two arrays)
    if s_codes.size:
        edge_of = np.searchsorted(edge_codes, s_codes)
        sentence_count = np.bincount(edge_of, minlength=edge_codes.size)
        has_text = np.fromiter(
            (s in texts[k] for k, s in zip(in_article, at_sentence)), dtype=bool, count=len(in_article)
        )
        keep = np.flatnonzero(has_text[s_owner])
        if keep.size and max_sentences > 0:
            s_order = keep[np.argsort(edge_of[keep], kind="stable")]  # corpus order within an edge
            e_sorted = edge_of[s_order]
            run_start = np.flatnonzero(np.r_[True, e_sorted[1:] != e_sorted[:-1]])
            rank = np.arange(e_sorted.size) - np.repeat(run_start, np.diff(np.r_[run_start, e_sorted.size]))
            chosen = s_order[rank < max_sentences]
            for e, row in zip(edge_of[chosen].tolist(), s_owner[chosen].tolist()):
                evidence.setdefault(e, []).append(row)
    for start in range(0, seq.size, _CHUNK):  # Python ints for a chunk of edges at a time
        part = seq[start : start + _CHUNK]
        for e, a, b, lo, hi, count in zip(
            part.tolist(),
            (edge_codes[part] // n).tolist(),
            (edge_codes[part] % n).tolist(),
            first[part].tolist(),
            stop[part].tolist(),
            sentence_count[part].tolist(),
        ):
            rows = evidence.get(e)
            yield (
                a,
                b,
                {
                    "weight": hi - lo,
                    "sentence_count": count,
                    "article_ids": ids[lo:hi],
                    "sentences": [texts[in_article[r]][at_sentence[r]] for r in rows] if rows else [],
                    "sentence_article_ids": [corpus_ids[in_article[r]] for r in rows] if rows else [],
                },
            )


def importance_key(g: nx.Graph, node: Any) -> tuple[float, int, str]:
    """Sort key of kgraph's one order of importance: most articles first, then most links,
    then by id. Everything that ranks entities without a measure of its own uses it: the
    layout places them in this order (`kgraph.layout`), graph.html draws the first
    ``max_nodes`` and gives their labels room in it, and the answers list entities in it
    (`KnowledgeGraph.entities`, the members of a community, the candidates of an ambiguous
    name, and ties of `top`).

    >>> g = nx.Graph([("place:b", "place:c")])
    >>> g.add_node("place:a", article_count=3)
    >>> g.add_node("place:b", article_count=1)
    >>> g.add_node("place:c", article_count=1)
    >>> sorted(g, key=lambda n: importance_key(g, n))  # a: most articles; b and c tie: by id
    ['place:a', 'place:b', 'place:c']
    >>> g.add_edge("place:c", "place:d")
    >>> sorted(["place:b", "place:c"], key=lambda n: importance_key(g, n))  # as many articles: more links first
    ['place:c', 'place:b']
    """
    return _importance(node, g.nodes[node], g.degree(node))


def _importance(node: Any, attrs: Mapping[str, Any], degree: int) -> tuple[float, int, str]:
    count = attrs.get("article_count")
    articles = float(count) if isinstance(count, (int, float)) and not isinstance(count, bool) else 0.0
    return (-articles, -degree, str(node))


def importance_order(g: nx.Graph) -> dict[Any, int]:
    """The rank of each node of `g` in kgraph's order of importance (`importance_key`), from 0."""
    degree = g.degree
    keys = {n: _importance(n, d, degree[n]) for n, d in g.nodes(data=True)}
    ranked = sorted(keys, key=keys.__getitem__)
    return {n: i for i, n in enumerate(ranked)}


def summary(g: nx.Graph) -> dict[str, Any]:
    """Counts a user wants after a build: articles, entities by type, edges."""
    by_type: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        t = str(d.get("type") or "untyped")  # a graph made by hand may lack one: still sortable
        by_type[t] = by_type.get(t, 0) + 1
    return {
        "articles": g.graph.get("article_count", 0),
        "entities": g.number_of_nodes(),
        "by_type": dict(sorted(by_type.items())),
        "edges": g.number_of_edges(),
    }
