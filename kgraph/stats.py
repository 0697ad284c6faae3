"""Link statistics: how much more often two entities appear together than chance would have it.

A raw count of shared articles favours hubs: two entities that are each in half the corpus
share many articles by chance alone. For each link a — b, with ``N`` units of evidence (the
articles of the corpus), ``k_a`` and ``k_b`` the units mentioning each entity and ``k_ab``
those mentioning both (the link's ``weight``), this module computes:

- ``expected``: ``k_a * k_b / N``, the shared units expected if the two were independent;
- ``lift``: ``k_ab / expected``;
- ``npmi``: normalised pointwise mutual information, ``log(p_ab / (p_a p_b)) / -log(p_ab)``,
  in [-1, 1] (1: always together);
- ``p_value``: the exact one-sided Fisher test, i.e. the hypergeometric upper tail
  ``P(X >= k_ab)`` for ``X ~ Hypergeometric(N, k_a, k_b)``;
- ``q_value``: Benjamini–Hochberg adjusted p-values over all the links of the graph (the pairs
  never seen together have p = 1 and are not counted as tests);
- ``backbone``: the links the page opens on (`backbone_mask`). A link is a candidate when it is
  significant (q < ``ALPHA``) and seen in 2 or more articles or in a shared sentence (one
  shared article and no shared sentence is too thin to show first); it is in the backbone
  when it is one of the ``BEST_PER_ENTITY`` most significant candidates of either of its two
  entities. Hubs thus keep their story lines and lose their chance links, and every entity
  with a candidate keeps a link. At the sentence level (below) the candidates are those with
  p < ``ALPHA``: so few units leave no link significant after the false-discovery correction
  (on the 5 seed articles, 1 of 1,010), and the page would open empty. On the 968-article
  benchmark corpus the backbone keeps 11 % of the links and 84 % of the entities keep one
  (weight >= 3: 1.5 % of the links, 5 % of the entities).

Small corpora: below ``SENTENCE_LEVEL_BELOW`` articles an article-level test has no power (with
5 articles no link can reach p < 0.05), so the unit becomes the sentence: ``N`` is the number of
sentences that name two or more entities, ``k_a`` those naming the entity and ``k_ab`` the link's
``sentence_count``. The graph attributes ``link_stats`` ("article" or "sentence") and
``link_stats_units`` (``N``) say which was used; `KnowledgeGraph.info` reports it.

Everything is vectorised with numpy: the tail is summed term by term from the observed count
with the ratio of successive hypergeometric terms, one array step for all links at once.

>>> hypergeom_sf([2], [2], [2], 4).round(4).tolist()    # both of 2 draws hit the 2 marked: 1/6
[0.1667]
>>> bh_qvalues([0.01, 0.04, 0.03]).round(3).tolist()
[0.03, 0.04, 0.04]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

import networkx as nx
import numpy as np

from ._coerce import as_count, as_int

#: Links with a q-value below this are significant.
ALPHA = 0.05
#: The backbone holds each entity's this many most significant candidate links.
BEST_PER_ENTITY = 3
#: Corpora of fewer articles are tested at the sentence level.
SENTENCE_LEVEL_BELOW = 20
#: The edge attributes this module adds.
EDGE_STATS = ("expected", "lift", "npmi", "p_value", "q_value", "backbone")
#: A tail sum stops when its next term is below this share of the sum.
_TAIL_EPS = 1e-17


#: Below this, `log_gamma` asks `math.lgamma`; from it up, Stirling's series is exact to
#: double precision (its next term is under 1e-17 there).
_STIRLING_FROM = 20.0
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_lgamma = np.frompyfunc(math.lgamma, 1, 1)


def log_gamma(x: np.ndarray) -> np.ndarray:
    """``log(Γ(x))`` element-wise for ``x > 0``, within a few units in the last place of
    ``scipy.special.gammaln`` (a test checks it): scipy.special alone took longer to import
    than the statistics of a thousand articles take to compute.

    >>> [round(float(v), 9) for v in log_gamma(np.array([1.0, 5.0, 30.0]))]
    [0.0, 3.17805383, 71.257038967]
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty(x.shape)
    small = x < _STIRLING_FROM
    if small.any():
        out[small] = _lgamma(x[small]).astype(np.float64)
    z = x[~small]
    r = 1.0 / z
    r2 = r * r
    series = r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 / 1188))))
    out[~small] = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series
    return out


def _log_comb(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    return log_gamma(n + 1.0) - log_gamma(k + 1.0) - log_gamma(n - k + 1.0)


#: Up to this total, log-factorials are read from a table rather than computed per link.
_TABLE_MAX = 10_000_000


def _log_comb_table(table: np.ndarray, n: np.ndarray, k: np.ndarray) -> np.ndarray:
    i, j = n.astype(np.int64), k.astype(np.int64)
    return table[i] - table[j] - table[i - j]


def hypergeom_sf(
    k: Sequence[float] | np.ndarray,
    marked: Sequence[float] | np.ndarray,
    draws: Sequence[float] | np.ndarray,
    total: float | Sequence[float] | np.ndarray,
) -> np.ndarray:
    """``P(X >= k)`` for ``X ~ Hypergeometric(total, marked, draws)``, element-wise.

    The same values as ``scipy.stats.hypergeom.sf(k - 1, total, marked, draws)`` (to about
    1e-12 relative), a hundred times faster on a million links: above the mode the upper tail
    is summed from ``k`` up, below it ``1 -`` the lower tail summed from ``k - 1`` down; both
    sums run from their largest term and stop once the terms no longer count.
    """
    k_, K, n = (np.asarray(a, dtype=np.float64) for a in (k, marked, draws))
    N = np.broadcast_to(np.asarray(total, dtype=np.float64), k_.shape)
    k_, K, n = np.broadcast_arrays(k_, K, n)
    if np.any((K < 0) | (n < 0) | (K > N) | (n > N)):
        raise ValueError("hypergeom_sf: each count must be between 0 and the total")
    lo = np.maximum(0.0, n + K - N)
    hi = np.minimum(K, n)
    out = np.zeros(k_.shape)
    out[k_ <= lo] = 1.0
    inside = (k_ > lo) & (k_ <= hi)
    mode = np.floor((n + 1.0) * (K + 1.0) / (N + 2.0))
    upper = np.flatnonzero(inside & (k_ > mode))
    lower = np.flatnonzero(inside & (k_ <= mode))
    top = float(N.max()) if N.size else 0.0
    if top <= _TABLE_MAX and np.all(np.floor(N) == N) and np.all(np.floor(K) == K) and np.all(n == np.floor(n)):
        table = log_gamma(np.arange(int(top) + 1, dtype=np.float64) + 1.0)  # log(i!)
        lc = lambda a, b: _log_comb_table(table, a, b)  # noqa: E731
    else:
        lc = _log_comb

    def log_pmf(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return lc(K[idx], x) + lc(N[idx] - K[idx], n[idx] - x) - lc(N[idx], n[idx])

    if upper.size:
        x = k_[upper]
        out[upper] = np.exp(log_pmf(x, upper)) * _tail(x, K[upper], n[upper], N[upper], hi[upper], up=True)
    if lower.size:
        x = k_[lower] - 1.0
        below = np.exp(log_pmf(x, lower)) * _tail(x, K[lower], n[lower], N[lower], lo[lower], up=False)
        out[lower] = 1.0 - below
    return np.clip(out, 0.0, 1.0)


def _tail(x: np.ndarray, K: np.ndarray, n: np.ndarray, N: np.ndarray, end: np.ndarray, *, up: bool) -> np.ndarray:
    """``sum_j pmf(x ± j) / pmf(x)`` from ``x`` to `end` (up or down), for all links at once."""
    total = np.ones(x.shape)
    term = np.ones(x.shape)
    cur = x.copy()
    active = np.flatnonzero(cur != end)
    while active.size:
        c = cur[active]
        Ka, na, Na = K[active], n[active], N[active]
        if up:
            ratio = (Ka - c) * (na - c) / ((c + 1.0) * (Na - Ka - na + c + 1.0))
            cur[active] = c + 1.0
        else:
            ratio = c * (Na - Ka - na + c) / ((Ka - c + 1.0) * (na - c + 1.0))
            cur[active] = c - 1.0
        t = term[active] * ratio
        term[active] = t
        s = total[active] + t
        total[active] = s
        keep = (cur[active] != end[active]) & (t > _TAIL_EPS * s)
        active = active[keep]
    return total


def bh_qvalues(p: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (the step-up q-values), in the order given."""
    p_ = np.asarray(p, dtype=np.float64)
    m = p_.size
    if m == 0:
        return p_.copy()
    order = np.argsort(p_, kind="stable")
    scaled = p_[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def link_stats(k_ab: np.ndarray, k_a: np.ndarray, k_b: np.ndarray, units: int) -> dict[str, np.ndarray]:
    """``expected``, ``lift``, ``npmi``, ``p_value`` and ``q_value`` of every link (arrays).

    >>> s = link_stats(np.array([3, 1]), np.array([3, 5]), np.array([3, 5]), 10)
    >>> s["expected"].tolist(), s["lift"].round(2).tolist()
    ([0.9, 2.5], [3.33, 0.4])
    """
    k_ab, k_a, k_b = (np.asarray(a, dtype=np.float64) for a in (k_ab, k_a, k_b))
    N = float(max(units, 1))
    expected = k_a * k_b / N
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(expected > 0, k_ab / expected, 0.0)
        p_ab = k_ab / N
        pmi = np.log(np.where(k_ab > 0, k_ab * N, 1.0) / np.where(expected > 0, k_a * k_b, 1.0))
        denom = -np.log(np.where(p_ab > 0, p_ab, 1.0))
        npmi = np.where(k_ab <= 0, -1.0, np.where(denom > 0, pmi / np.where(denom > 0, denom, 1.0), 1.0))
    npmi = np.clip(npmi, -1.0, 1.0)
    # a count beyond what the totals allow (a hand-made graph) is clipped to the largest possible
    hi = np.minimum(np.minimum(k_a, k_b), N)
    p = hypergeom_sf(np.minimum(k_ab, hi), np.minimum(k_a, N), np.minimum(k_b, N), N)
    return {"expected": expected, "lift": lift, "npmi": npmi, "p_value": p, "q_value": bh_qvalues(p)}


def backbone_mask(
    source: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray,
    sentence_count: np.ndarray,
    q: np.ndarray,
    p: np.ndarray,
    *,
    alpha: float = ALPHA,
    best: int = BEST_PER_ENTITY,
    node_rank: np.ndarray | None = None,
) -> np.ndarray:
    """Which links are in the backbone (see the module docstring): `q` is compared with `alpha`.

    `source` and `target` are node numbers; the "best" links of an entity are its candidate
    links in the order of `significance_order`, ties broken by `node_rank` (each node's place
    in the order of the entity ids), so the same graph gives the same backbone whatever the
    order of its nodes.

    >>> backbone_mask(np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3]), np.array([2, 5, 1, 2]), np.array([0, 0, 1, 0]),
    ...               np.array([0.01, 0.01, 0.02, 0.2]), np.array([0.01, 0.001, 0.02, 0.2]), best=1).tolist()
    [True, True, False, False]
    """
    candidate = (q < alpha) & ((weight >= 2) | (sentence_count >= 1))
    keep = np.zeros(q.size, dtype=bool)
    if best > 0 and q.size:
        ranks = (
            node_rank
            if node_rank is not None
            else np.arange(max(int(source.max(initial=0)), int(target.max(initial=0))) + 1)
        )
        lo = np.minimum(ranks[source], ranks[target])
        hi = np.maximum(ranks[source], ranks[target])
        order = np.lexsort((hi, lo, -sentence_count, -weight, p, q))  # significance_order, then ids
        order = order[candidate[order]]
        rank_of = np.empty(q.size, dtype=np.int64)
        rank_of[order] = np.arange(order.size)
        # every (entity, link) pair, grouped by entity, each group best link first
        link = np.concatenate((order, order))
        ends = np.concatenate((source[order], target[order]))
        idx = np.lexsort((rank_of[link], ends))
        link, e = link[idx], ends[idx]
        start = np.flatnonzero(np.r_[True, e[1:] != e[:-1]])
        pos = np.arange(e.size) - np.repeat(start, np.diff(np.r_[start, e.size]))
        keep[link[pos < best]] = True
    return keep


def significance_order(q: np.ndarray, p: np.ndarray, weight: np.ndarray, sentence_count: np.ndarray) -> np.ndarray:
    """Links, most significant first: lowest q, then lowest p, then most articles, then most sentences."""
    return np.lexsort((-sentence_count, -weight, p, q))


def units(
    article_count: int, entity_articles: Sequence[float], sentence_groups: Iterable[Iterable[int]] | None = None
) -> tuple[str, int, np.ndarray]:
    """The unit of the tests ("article" or "sentence"), their number and each entity's count.

    `entity_articles` are the entities' article counts, in entity (node) order; `sentence_groups`
    the entity numbers named by each sentence that names two or more, used when the corpus has
    fewer than `SENTENCE_LEVEL_BELOW` articles.
    """
    if sentence_groups is not None and article_count < SENTENCE_LEVEL_BELOW:
        counts = np.zeros(len(entity_articles), dtype=np.float64)
        total = 0
        for members in sentence_groups:
            total += 1
            counts[list(set(members))] += 1
        if total:
            return "sentence", total, counts
    return "article", article_count, np.asarray(entity_articles, dtype=np.float64).reshape(-1)


def annotate(
    source: np.ndarray,
    target: np.ndarray,
    attrs: Sequence[dict[str, Any]],
    level: str,
    n_units: int,
    counts: np.ndarray,
    ids: Sequence[str] | None = None,
) -> None:
    """Add the statistics (`EDGE_STATS`) to the attribute dicts `attrs` of links `source` — `target`
    (entity numbers into `counts` and `ids`, as `units` returns them). Float values are finite,
    so every format stores them. What a build adds to its edges, and all it adds."""
    if not len(attrs):
        return
    weight = _column(attrs, "weight", 1)
    sents = _column(attrs, "sentence_count", 0)
    k_ab = sents if level == "sentence" else weight
    s = link_stats(k_ab, counts[source], counts[target], n_units)
    significance = s["p_value"] if level == "sentence" else s["q_value"]  # see the module docstring
    node_rank = None
    if ids is not None:
        node_rank = np.empty(len(ids), dtype=np.int64)
        node_rank[np.argsort(np.asarray(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    s["backbone"] = backbone_mask(source, target, weight, sents, significance, s["p_value"], node_rank=node_rank)
    s["expected"] = np.round(s["expected"], 4)
    s["lift"] = np.round(s["lift"], 4)
    s["npmi"] = np.round(s["npmi"], 4)
    columns = [s[name].tolist() for name in EDGE_STATS]
    for d, expected, lift, npmi, p, q, backbone in zip(attrs, *columns):  # the order of EDGE_STATS
        d["expected"] = expected
        d["lift"] = lift
        d["npmi"] = npmi
        d["p_value"] = p
        d["q_value"] = q
        d["backbone"] = backbone


def add_link_stats(g: nx.Graph, sentence_groups: Iterable[Iterable[int]] | None = None) -> nx.Graph:
    """Store the statistics of every link of `g` as edge attributes, and the unit used as graph
    attributes (``link_stats``, ``link_stats_units``); returns `g`.

    For a graph made by hand or by another tool; `build` computes them as it makes the edges.
    `sentence_groups`: see `units` (entity numbers in node order).
    """
    nodes = list(g.nodes)
    per_node = [as_count(d.get("article_count", 0)) for _, d in g.nodes(data=True)]
    level, n_units, counts = units(as_int(g.graph.get("article_count", 0)), per_node, sentence_groups)
    g.graph["link_stats"] = level
    g.graph["link_stats_units"] = n_units
    m = g.number_of_edges()
    node_no = {n: i for i, n in enumerate(nodes)}
    edges = list(g.edges(data=True))
    src = np.fromiter(map(node_no.__getitem__, map(itemgetter(0), edges)), dtype=np.int64, count=m)
    dst = np.fromiter(map(node_no.__getitem__, map(itemgetter(1), edges)), dtype=np.int64, count=m)
    annotate(src, dst, list(map(itemgetter(2), edges)), level, n_units, counts, ids=[str(n) for n in nodes])
    return g


def _column(dicts: Sequence[dict[str, Any]], key: str, default: int) -> np.ndarray:
    """The numeric attribute `key` of every dict; what is not a positive number counts as 0."""
    try:
        try:
            values: Iterable[Any] = list(map(itemgetter(key), dicts))  # a C loop: a build's links all have it
        except KeyError:
            values = (d.get(key, default) for d in dicts)
        col = np.fromiter(values, dtype=np.float64, count=len(dicts))
    except (TypeError, ValueError):  # a hand-made or loaded graph with text in it
        col = np.fromiter((as_count(d.get(key, default)) for d in dicts), dtype=np.float64, count=len(dicts))
    return np.where(np.isfinite(col) & (col > 0), col, 0.0)
