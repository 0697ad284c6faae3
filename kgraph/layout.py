"""Node positions: a deterministic force-directed layout, stored as node attributes ``x``, ``y``.

Gephi (graph.graphml, graph.gexf) and the HTML page open with these positions, so every view
of one graph shows the same picture. The same graph always gets the same positions: nodes are
taken in sorted order and every random start comes from a fixed seed.

How it works, and why it stays affordable on a 100,000-article corpus:

- each connected component is laid out on its own, then the components are packed around
  the largest one, biggest first, on rings that never overlap (isolated entities form the
  outer rings instead of piling up in one spot);
- in a component, the ``core_size`` most important nodes (most articles, then most links)
  are placed by ForceAtlas2-style forces (exact, vectorised with numpy; hubs push each other
  apart, heavier edges pull harder, on a log scale);
- in a component of at least ``GROUPED_MIN`` nodes, the core is first split into communities
  (Louvain, seeded; `communities`), and in the forces a link inside a community pulls
  ``COMMUNITY_PULL`` times harder, a link between two communities as many times less: the
  entities of one community sit together, and linked communities side by side;
- every other node is then placed breadth-first from that core, on a small sunflower spiral
  around its strongest already-placed neighbour: one pass over the edges, no pile-up;
- a component's disc has an area proportional to its node count, and the whole drawing is
  scaled to fit ``[-SCALE, SCALE]``.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c")])
>>> g.add_node("alone")
>>> pos = layout(g)
>>> sorted(pos) == ["a", "alone", "b", "c"] and pos == layout(g)
True
>>> max(abs(v) for xy in pos.values() for v in xy) <= SCALE
True
"""

from __future__ import annotations

import math
import sys
from collections.abc import Hashable, Iterable, Iterator, Mapping
from functools import lru_cache, partial
from itertools import chain, repeat
from operator import itemgetter, methodcaller
from typing import Any

import networkx as nx
import numpy as np

from . import _runtime
from .graph import importance_order  # kgraph's one order of importance: the layout places nodes in it

#: Positions are scaled into [-SCALE, SCALE] on both axes.
SCALE = 1000.0
#: Nodes per component laid out by exact forces; the rest go beside their strongest neighbour.
CORE_SIZE = 800
#: Force iterations for a component's core.
ITERATIONS = 150
#: Pull of every core node towards the centre, in proportion to its degree.
_GRAVITY = 1.0
#: The first step cap, as a share of the layout's radius; it falls linearly to zero.
_START_TEMPERATURE = 0.1
#: Force iterations for a component of n nodes: at most ITERATIONS, and
#: _SMALL_STEPS + _SMALL_STEPS_PER_NODE * n, so thousands of small components stay cheap.
_SMALL_STEPS, _SMALL_STEPS_PER_NODE = 40, 4
#: Components of one size are laid out together, up to this many node pairs per batch.
_BATCH_CELLS = 1_000_000
#: Components of at least this many nodes are laid out with their communities pulled together.
GROUPED_MIN = 40
#: In those, a link inside a community pulls this many times harder, a link between two
#: communities this many times less.
COMMUNITY_PULL = 1.5
#: The angle between successive points of a sunflower spiral.
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

Pos = dict[Hashable, tuple[float, float]]


def layout(g: nx.Graph, *, seed: int = 7, core_size: int = CORE_SIZE, iterations: int = ITERATIONS) -> Pos:
    """Positions ``{node: (x, y)}`` for every node of `g`, within ``[-SCALE, SCALE]``.

    Deterministic: the same graph, seed and options give the same positions.
    `g` is not changed.
    """
    if g.number_of_nodes() == 0:
        return {}
    components = _components(g)
    with _runtime.one_blas_thread():  # small matrix products: a second thread only spins (kgraph._runtime)
        locals_ = _component_layouts(g, components, seed=seed, core_size=core_size, iterations=iterations)
    pieces = [(nodes, local, math.sqrt(len(nodes))) for nodes, local in zip(components, locals_)]
    centres = _pack([r for _, _, r in pieces])
    xy = np.empty((g.number_of_nodes(), 2))
    order: list[Hashable] = []
    for (nodes, local, radius), centre in zip(pieces, centres):
        xy[len(order) : len(order) + len(nodes)] = centre + local * radius
        order.extend(nodes)
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    extent = float(np.abs(xy).max())
    if extent > 0:
        xy *= SCALE / extent
    return {n: (round(x, 2), round(y, 2)) for n, (x, y) in zip(order, xy.tolist())}


def communities(
    g: nx.Graph, *, seed: int = 7, core_size: int = CORE_SIZE, nodes: Iterable[Hashable] | None = None
) -> dict[Hashable, int]:
    """The community of each node (of `nodes`, default all) as `layout` groups them: the
    groups it draws together, numbered from 0 in the order it places them.

    In a connected part of `GROUPED_MIN` nodes or more: Louvain's communities of its core
    (its `core_size` most important nodes), and for every other node the community of the
    neighbour it is placed beside. A smaller part, or one Louvain keeps whole, is one
    community. Louvain on the core alone costs a tenth of Louvain on a large graph, and its
    communities are the ones the picture shows (`KnowledgeGraph.communities` runs it on
    everything).

    >>> import networkx as nx
    >>> two = nx.Graph([("a", "b"), ("c", "d")])
    >>> communities(two)
    {'a': 0, 'b': 0, 'c': 1, 'd': 1}
    """
    wanted = set(g.nodes if nodes is None else nodes)
    out: dict[Hashable, int] = {}
    count = 0
    for i, members in enumerate(_components(g)):
        size = min(len(members), max(3, core_size))
        groups = _communities(g, members[:size], seed=seed + i)[0] if size >= GROUPED_MIN else []
        if len(groups) < 2:
            out.update((n, count) for n in members if n in wanted)
            count += 1
            continue
        label = np.empty(len(members), dtype=np.intp)
        for k, m in enumerate(groups):
            label[m] = count + k
        count += len(groups)
        if any(n in wanted for n in members[size:]):
            for j, anchor in _anchors(g, members, size):
                label[j] = label[anchor]
        else:
            members = members[:size]
        out.update((n, int(label[j])) for j, n in enumerate(members) if n in wanted)
    return out


def add_layout(g: nx.Graph, **options: Any) -> nx.Graph:
    """Store `layout(g)` in `g` as node attributes ``x`` and ``y`` (floats); returns `g`."""
    for n, (x, y) in layout(g, **options).items():
        g.nodes[n]["x"] = x
        g.nodes[n]["y"] = y
    return g


class LayoutUnderway:
    """`layout(g)` under way while the caller goes on with `g`: in a child process forked now
    (`fork`; the graph is inherited, not copied), else computed when `add_to` asks. The
    child sees `g` as it is now: the caller may add attributes, not nodes or links, before
    `add_to(g)` stores the positions as `add_layout` does.

    A build starts it once the links and their weights are known, and adds the links'
    statistics, dates and sentences meanwhile (`kgraph.pipeline`): a tenth of a second on
    the news benchmark's graph, on a core otherwise idle. A child that dies without an answer
    (killed for lack of memory, say) is made up for by laying the graph out here.
    """

    def __init__(self, g: nx.Graph, *, fork: bool) -> None:
        self._nodes = g.number_of_nodes()
        self._child: _runtime.Forked[tuple[np.ndarray, list[_Found]]] | None = None
        if fork:
            self._child = _runtime.Forked(partial(_positions_found, g), name="kgraph-layout", failed=_ChildStopped)

    def add_to(self, g: nx.Graph) -> nx.Graph:
        if g.number_of_nodes() != self._nodes:
            self.close()
            raise ValueError("the graph's nodes changed while it was laid out")
        xy: np.ndarray | None = None
        if self._child is not None:
            try:
                xy, found = self._child.result()
            except _ChildStopped:
                pass  # laid out here instead
            else:
                _sent_back.clear()
                _sent_back.update(found)
        if xy is None:
            xy = _positions(g)
        for d, (x, y) in zip(g.nodes.values(), xy.tolist()):
            d["x"] = x
            d["y"] = y
        return g

    def close(self) -> None:
        """Stop the child if it still runs (the build failed meanwhile)."""
        if self._child is not None:
            self._child.close()


class _ChildStopped(RuntimeError):
    pass


def _positions(g: nx.Graph) -> np.ndarray:
    """`layout(g)` as an array of (x, y) in the order of `g`'s nodes: 16 bytes a node to
    send back from a child process."""
    pos = layout(g)
    return np.array([pos[n] for n in g], dtype=np.float64).reshape(-1, 2)


def _positions_found(g: nx.Graph) -> tuple[np.ndarray, list[_Found]]:
    """In a layout child: `_positions(g)`, and the communities Louvain found meanwhile, for
    the page to find again in the main process (`_sent_back`) rather than run Louvain twice."""
    global _found_here
    _found_here = []
    try:
        return _positions(g), _found_here
    finally:
        _found_here = None


def has_layout(g: nx.Graph) -> bool:
    """True if every node of `g` has numeric ``x`` and ``y`` attributes."""
    return all(
        isinstance(d.get("x"), (int, float)) and isinstance(d.get("y"), (int, float)) for _, d in g.nodes(data=True)
    )


def _components(g: nx.Graph) -> list[list[Hashable]]:
    """The connected components, largest first, each in importance order."""
    rank = importance_order(g)
    return sorted(
        (sorted(c, key=rank.__getitem__) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), rank[c[0]]),
    )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _strength(weight: Any) -> float:
    """How hard an edge pulls: 1 for one shared article, growing with the log of the weight.

    Finite whatever the weight: an infinite one (a hand-made graph) would pull its two ends
    with an infinite force, and inf * 0 made every position of the component NaN."""
    w = _number(weight) if weight is not None else 1.0
    return 1.0 + math.log(min(max(1.0, w), sys.float_info.max))


def _component_layouts(
    g: nx.Graph, components: list[list[Hashable]], *, seed: int, core_size: int, iterations: int
) -> list[np.ndarray]:
    """Positions of each component's nodes (most important first), centred, within the unit disc.

    Components of one size share their force runs (one numpy batch), so thousands of small
    components cost little; a component larger than `core_size` gets its own run for its core.
    A component of `GROUPED_MIN` nodes or more with several communities gets its own run,
    with its communities pulled together (`_grouped`).
    """
    core_size = max(3, core_size)
    out: list[np.ndarray | None] = [None] * len(components)
    by_size: dict[int, list[int]] = {}
    for i, nodes in enumerate(components):
        n = len(nodes)
        if n == 1:
            out[i] = np.zeros((1, 2))
        elif n == 2:
            out[i] = np.array([[-1.0, 0.0], [1.0, 0.0]])
        else:
            size = min(n, core_size)
            pos = _grouped(g, nodes[:size], seed=seed + i, iterations=iterations) if size >= GROUPED_MIN else None
            if pos is None:
                by_size.setdefault(size, []).append(i)
            else:
                out[i] = _finish(g, nodes, pos)
    for size, members in sorted(by_size.items()):
        per_batch = max(1, _BATCH_CELLS // (size * size))
        for start in range(0, len(members), per_batch):
            batch = members[start : start + per_batch]
            cores = [components[i][:size] for i in batch]
            steps = min(iterations, _SMALL_STEPS + _SMALL_STEPS_PER_NODE * size)  # small parts settle sooner
            positions = _forces(*_edges(g, cores), size=size, seed=seed + batch[0], iterations=steps)
            for i, pos in zip(batch, positions):
                out[i] = _finish(g, components[i], pos)
    return [p if p is not None else np.zeros((1, 2)) for p in out]


def _finish(g: nx.Graph, nodes: list[Hashable], core_pos: np.ndarray) -> np.ndarray:
    """The positions of all `nodes` from those of their core: the rest placed around it, then
    centred and scaled into the unit disc."""
    pos: np.ndarray = _place_periphery(g, nodes, core_pos) if len(nodes) > len(core_pos) else core_pos
    pos = pos - pos.mean(axis=0)
    reach = float(np.sqrt((pos**2).sum(axis=1)).max())
    return pos / reach if reach > 0 else pos


def _weight(value: Any) -> float:
    """An edge's weight for community detection: shared articles, 1 when missing or not positive."""
    w = _number(value) if value is not None else 1.0
    return w if w > 0 else 1.0


def _communities(g: nx.Graph, core: list[Hashable], *, seed: int) -> tuple[list[list[int]], list[tuple[int, int, Any]]]:
    """Louvain's communities of `core` (weights: shared articles, seeded), as lists of indices
    into `core`, largest first, each in importance order; and the links among the core as
    (i, j, weight) with i < j, sorted."""
    src, dst, attrs = _links(g, core, {v: i for i, v in enumerate(core)})
    ahead = np.flatnonzero(src < dst)
    ahead = ahead[np.lexsort((dst[ahead], src[ahead]))]  # the same communities whatever the insertion order
    rows = list(zip(src[ahead].tolist(), dst[ahead].tolist(), _weights(attrs, ahead)))
    found = _louvain(len(core), tuple((i, j, _weight(w)) for i, j, w in rows), seed)
    return [list(c) for c in found], rows


#: Louvain's input (size, links, seed) and the communities it gives.
_Found = tuple[tuple[int, tuple[tuple[int, int, float], ...], int], tuple[tuple[int, ...], ...]]
#: The communities a layout child found (`LayoutUnderway`), until the page asks for them.
_sent_back: dict[Any, tuple[tuple[int, ...], ...]] = {}
#: In a layout child, the communities found there, to send back with the positions.
_found_here: list[_Found] | None = None


@lru_cache(maxsize=4)
def _louvain(size: int, links: tuple[tuple[int, int, float], ...], seed: int) -> tuple[tuple[int, ...], ...]:
    """Louvain's communities of the graph of `size` nodes and weighted `links`, largest first.
    Kept for the same input: the page (`communities`) asks again for the ones the layout found,
    here or in a layout child."""
    given = _sent_back.pop((size, links, seed), None)
    if given is not None:
        return given
    h: nx.Graph = nx.Graph()
    h.add_nodes_from(range(size))
    h.add_weighted_edges_from(links)
    found = nx.community.louvain_communities(h, weight="weight", seed=seed)
    out = tuple(tuple(c) for c in sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0])))
    if _found_here is not None:
        _found_here.append(((size, links, seed), out))
    return out


def _grouped(g: nx.Graph, core: list[Hashable], *, seed: int, iterations: int) -> np.ndarray | None:
    """Positions of `core` (a component's most important nodes, in importance order) by the
    forces, with the links inside a community pulling `COMMUNITY_PULL` times harder and the
    links between communities as many times less; None when Louvain finds one community."""
    groups, rows = _communities(g, core, seed=seed)
    if len(groups) < 2:
        return None
    member = np.empty(len(core), dtype=np.intp)
    for c, m in enumerate(groups):
        member[m] = c
    src = np.array([i for i, _, _ in rows], dtype=np.intp)
    dst = np.array([j for _, j, _ in rows], dtype=np.intp)
    strength = np.array([_strength(w) for _, _, w in rows], dtype=float)
    inside = member[src] == member[dst]
    strength = np.where(inside, strength * COMMUNITY_PULL, strength / COMMUNITY_PULL)
    pos: np.ndarray = _forces(1, src, dst, strength, size=len(core), seed=seed, iterations=iterations)[0]
    return pos


def _edges(g: nx.Graph, cores: list[list[Hashable]]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """(number of cores, src, dst, strength) of the edges inside each core, numbered across the
    batch (core k's nodes are k*size ... k*size+size-1), in a fixed order."""
    src: list[int] = []
    dst: list[int] = []
    strength: list[float] = []
    for k, core in enumerate(cores):
        base = k * len(core)
        index = {v: base + i for i, v in enumerate(core)}
        for i, u in enumerate(core):
            for v, d in g.adj[u].items():
                j = index.get(v)
                if j is not None and j > base + i:
                    src.append(base + i)
                    dst.append(j)
                    strength.append(_strength(d.get("weight")))
    order = np.lexsort((dst, src))  # the same sums in the same order, whatever the insertion order
    return (
        len(cores),
        np.array(src, dtype=np.intp)[order],
        np.array(dst, dtype=np.intp)[order],
        np.array(strength, dtype=float)[order],
    )


def _forces(
    count: int, src: np.ndarray, dst: np.ndarray, strength: np.ndarray, *, size: int, seed: int, iterations: int
) -> np.ndarray:
    """ForceAtlas2-style forces (Jacomy et al. 2014) on `count` graphs of `size` nodes at once,
    run with a cooling step cap; returns positions shaped (count, size, 2).

    Nodes repel in proportion to the product of their degrees (+1) over their distance, so hubs
    spread apart instead of piling up in the middle; edges pull linearly with their strength;
    a gravity proportional to degree keeps unlinked parts in view. Each step is capped by a
    temperature that falls linearly to zero, so the result is reached in `iterations` steps.
    Dense and exact: O(size²) per graph and iteration, meant for up to a few thousand nodes.
    """
    total = count * size
    rng = np.random.default_rng(seed)
    pos = (rng.random((count, size, 2)) - 0.5) * math.sqrt(size)
    mass = (1.0 + np.bincount(src, minlength=total) + np.bincount(dst, minlength=total)).reshape(count, size)
    # The repulsion on i is m_i * sum_j m_j (p_i - p_j) / d_ij²
    #                   = m_i * (p_i * sum_j w_ij - sum_j w_ij p_j)   with w_ij = m_j / d_ij²,
    # so each step is two matrix products over (size x size) buffers made once:
    #   d² = [x, y, |p|², 1] @ [-2x, -2y, 1, |p|²]ᵀ,   then w @ [x, y, 1] gives both sums.
    # the (size x size) work is done in single precision: half the memory traffic, and the
    # sums of a few thousand terms stay accurate to about 1e-6 (positions stay double)
    w = np.empty((count, size, size), dtype=np.float32)
    left = np.ones((count, size, 4), dtype=np.float32)
    right = np.ones((count, size, 4), dtype=np.float32)
    carry = np.ones((count, size, 3), dtype=np.float32)
    sums = np.empty((count, size, 3), dtype=np.float32)
    diagonal = w.reshape(count, size * size)[:, :: size + 1]
    mass_row = mass[:, None, :].astype(np.float32)
    for step in range(iterations):
        sq = (pos * pos).sum(axis=2)
        left[:, :, :2] = pos
        left[:, :, 2] = sq
        np.multiply(pos, -2.0, out=right[:, :, :2])
        right[:, :, 3] = sq
        np.matmul(left, right.transpose(0, 2, 1), out=w)
        np.maximum(w, 1e-4, out=w)
        np.divide(mass_row, w, out=w)
        diagonal[:] = 0.0  # no force of a node on itself
        carry[:, :, :2] = pos
        np.matmul(w, carry, out=sums)
        disp = (pos * sums[:, :, 2:] - sums[:, :, :2]) * mass[:, :, None]
        if len(src):
            flat = pos.reshape(total, 2)
            pull = (flat[src] - flat[dst]) * strength[:, None]  # attraction w·d along the edge
            for axis in (0, 1):
                moved = np.bincount(dst, pull[:, axis], minlength=total) - np.bincount(
                    src, pull[:, axis], minlength=total
                )
                disp[:, :, axis] += moved.reshape(count, size)
        radius = np.sqrt(sq)
        np.maximum(radius, 1e-9, out=radius)
        disp -= (_GRAVITY * mass / radius)[:, :, None] * pos
        length = np.sqrt((disp * disp).sum(axis=2))
        np.maximum(length, 1e-9, out=length)
        scale = np.sqrt(sq.mean(axis=1))[:, None]
        cap = _START_TEMPERATURE * (1.0 - step / iterations) * scale
        pos += disp * (np.minimum(length, cap) / length)[:, :, None]
    return pos


def _anchors(g: nx.Graph, nodes: list[Hashable], n_core: int) -> Iterator[tuple[int, int]]:
    """(node, anchor) for each of `nodes` after the first `n_core` (indices into `nodes`, in
    importance order), in the order they are placed: breadth-first from the core, each beside
    its strongest already-placed neighbour (ties: the more important one).

    With numpy, over all the links at once: each node's layer (its distance from the core),
    then for each node the best of its neighbours one layer nearer (the ones placed before
    it), then the nodes layer by layer, in importance order within a layer."""
    n = len(nodes)
    src, dst, attrs = _links(g, nodes, {v: i for i, v in enumerate(nodes)})
    layer = np.full(n, -1, dtype=np.intp)
    layer[:n_core] = 0
    frontier = np.zeros(n, dtype=bool)
    frontier[:n_core] = True
    depth = 0
    while True:
        reached = dst[frontier[src]]
        reached = reached[layer[reached] < 0]
        if not reached.size:
            break
        depth += 1
        layer[reached] = depth
        frontier[:] = False
        frontier[reached] = True
    back = np.flatnonzero((layer[src] > 0) & (layer[dst] == layer[src] - 1))
    src, dst = src[back], dst[back]
    raw = _weights(attrs, back, missing=1)
    if set(map(type, raw)) <= {int, float}:  # (bool is a type of its own: not a number here)
        weight = np.array(raw, dtype=np.float64)
    else:
        weight = np.array(list(map(_number, raw)), dtype=np.float64)
    # a NaN weight sorts last: the weakest
    best = np.lexsort((dst, -weight, src))  # by node; its strongest neighbour, then the most important
    firsts = best[np.r_[True, src[best][1:] != src[best][:-1]]] if best.size else best
    anchor = np.full(n, -1, dtype=np.intp)
    anchor[src[firsts]] = dst[firsts]
    rest = np.flatnonzero(layer > 0)
    rest = rest[np.argsort(layer[rest], kind="stable")]  # layer by layer, importance order within one
    return zip(rest.tolist(), anchor[rest].tolist())


def _links(
    g: nx.Graph, nodes: list[Hashable], index: Mapping[Hashable, int]
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """The links of `nodes` to the nodes `index` numbers, both ways, as (src, dst) indices in
    the order of `nodes` and of each one's neighbours, and their attribute dicts: one pass
    over the adjacency, in C loops."""
    adjacency = dict(g.adjacency())  # a Graph's own dicts of neighbours (a view's are mappings)
    nbrs = [adjacency[v] for v in nodes]
    size = np.fromiter(map(len, nbrs), dtype=np.intp, count=len(nbrs))
    src = np.repeat(np.arange(len(nbrs), dtype=np.intp), size)
    dst = np.fromiter(map(index.get, chain.from_iterable(nbrs), repeat(-1)), dtype=np.intp, count=src.size)
    attrs = list(chain.from_iterable(map(methodcaller("values"), nbrs)))
    inside = dst >= 0
    if not inside.all():
        kept = np.flatnonzero(inside)
        src, dst, attrs = src[kept], dst[kept], list(map(attrs.__getitem__, kept.tolist()))
    return src, dst, attrs


def _weights(attrs: list[Any], at: np.ndarray, missing: Any = None) -> list[Any]:
    """The ``weight`` of the links `at` (positions in `attrs`), `missing` where a link has none."""
    chosen = list(map(attrs.__getitem__, at.tolist()))
    try:
        return list(map(itemgetter("weight"), chosen))
    except (KeyError, TypeError):  # a link without a weight (a hand-made graph)
        return [d.get("weight", missing) for d in chosen]


def _place_periphery(g: nx.Graph, nodes: list[Hashable], core_pos: np.ndarray) -> np.ndarray:
    """Place the nodes after the core breadth-first, each on a spiral around its strongest placed neighbour."""
    n_core = len(core_pos)
    xs = core_pos[:, 0].tolist() + [0.0] * (len(nodes) - n_core)  # Python floats: set one at a time
    ys = core_pos[:, 1].tolist() + [0.0] * (len(nodes) - n_core)
    children = [0] * len(nodes)
    spacing = _typical_gap(core_pos) / 3.0  # between points of one spiral
    cx, cy = core_pos.mean(axis=0).tolist()
    for j, best in _anchors(g, nodes, n_core):
        c = children[best]
        children[best] += 1
        ox, oy = xs[best] - cx, ys[best] - cy
        base = math.atan2(oy, ox) if ox or oy else 0.0
        r = spacing * math.sqrt(c + 1.0)
        angle = base + c * _GOLDEN_ANGLE
        xs[j] = xs[best] + r * math.cos(angle)
        ys[j] = ys[best] + r * math.sin(angle)
    return np.column_stack((xs, ys))


def _typical_gap(pos: np.ndarray) -> float:
    """The median distance from a node to its nearest neighbour (1.0 if all coincide)."""
    dist2 = ((pos[:, None, :] - pos[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(dist2, np.inf)
    gap = float(np.sqrt(np.median(dist2.min(axis=1))))
    return gap if gap > 0 else 1.0


def _pack(radii: list[float]) -> np.ndarray:
    """Centres for discs of the given radii (largest first): the first in the middle, the
    rest on rings around it, each ring as wide as its largest disc; no two discs overlap."""
    centres = np.zeros((len(radii), 2))
    gap = 1.0
    outer = radii[0] if radii else 0.0
    i = 1
    while i < len(radii):
        ring_width = radii[i]
        ring = outer + gap + ring_width
        members: list[tuple[int, float]] = []
        used = 0.0
        while i < len(radii):
            width = 2 * math.asin(min(1.0, (radii[i] + gap / 2) / ring))  # angle the disc needs
            if members and used + width > 2 * math.pi:
                break
            members.append((i, width))
            used += width
            i += 1
        spare = (2 * math.pi - used) / len(members)
        angle = 0.0
        for m, width in members:
            mid = angle + (width + spare) / 2
            centres[m] = (ring * math.cos(mid), ring * math.sin(mid))
            angle += width + spare
        outer = ring + ring_width
    return centres
