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
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

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
    rank = importance_order(g)
    components = sorted(
        (sorted(c, key=rank.__getitem__) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), rank[c[0]]),
    )
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


def add_layout(g: nx.Graph, **options: Any) -> nx.Graph:
    """Store `layout(g)` in `g` as node attributes ``x`` and ``y`` (floats); returns `g`."""
    for n, (x, y) in layout(g, **options).items():
        g.nodes[n]["x"] = x
        g.nodes[n]["y"] = y
    return g


def has_layout(g: nx.Graph) -> bool:
    """True if every node of `g` has numeric ``x`` and ``y`` attributes."""
    return all(
        isinstance(d.get("x"), (int, float)) and isinstance(d.get("y"), (int, float)) for _, d in g.nodes(data=True)
    )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _strength(weight: Any) -> float:
    """How hard an edge pulls: 1 for one shared article, growing with the log of the weight."""
    return 1.0 + math.log(max(1.0, _number(weight) if weight is not None else 1.0))


def _component_layouts(
    g: nx.Graph, components: list[list[Hashable]], *, seed: int, core_size: int, iterations: int
) -> list[np.ndarray]:
    """Positions of each component's nodes (most important first), centred, within the unit disc.

    Components of one size share their force runs (one numpy batch), so thousands of small
    components cost little; a component larger than `core_size` gets its own run for its core.
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
            by_size.setdefault(min(n, core_size), []).append(i)
    for size, members in sorted(by_size.items()):
        per_batch = max(1, _BATCH_CELLS // (size * size))
        for start in range(0, len(members), per_batch):
            batch = members[start : start + per_batch]
            cores = [components[i][:size] for i in batch]
            steps = min(iterations, _SMALL_STEPS + _SMALL_STEPS_PER_NODE * size)  # small parts settle sooner
            positions = _forces(*_edges(g, cores), size=size, seed=seed + batch[0], iterations=steps)
            for i, pos in zip(batch, positions):
                if len(components[i]) > size:
                    pos = _place_periphery(g, components[i], pos)
                pos = pos - pos.mean(axis=0)
                reach = float(np.sqrt((pos**2).sum(axis=1)).max())
                out[i] = pos / reach if reach > 0 else pos
    return [p if p is not None else np.zeros((1, 2)) for p in out]


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


def _place_periphery(g: nx.Graph, nodes: list[Hashable], core_pos: np.ndarray) -> np.ndarray:
    """Place the nodes after the core breadth-first, each on a spiral around its strongest placed neighbour."""
    n_core = len(core_pos)
    index = {v: i for i, v in enumerate(nodes)}
    pos = np.zeros((len(nodes), 2))
    pos[:n_core] = core_pos
    placed = np.zeros(len(nodes), dtype=bool)
    placed[:n_core] = True
    children = np.zeros(len(nodes), dtype=np.int64)
    spacing = _typical_gap(core_pos) / 3.0  # between points of one spiral
    centre = core_pos.mean(axis=0)
    frontier = list(range(n_core))
    seen = placed.copy()
    while frontier:
        layer: set[int] = set()
        for i in frontier:
            for v in g.adj[nodes[i]]:
                j = index[v]
                if not seen[j]:
                    seen[j] = True
                    layer.add(j)
        ordered = sorted(layer)  # index order is importance order
        for j in ordered:
            best, best_w = -1, -1.0
            for v, d in g.adj[nodes[j]].items():
                a = index[v]
                if placed[a]:
                    w = _number(d.get("weight", 1))
                    if w > best_w or (w == best_w and a < best):
                        best, best_w = a, w
            c = children[best]
            children[best] += 1
            out = pos[best] - centre
            base = math.atan2(out[1], out[0]) if (out != 0).any() else 0.0
            r = spacing * math.sqrt(c + 1.0)
            angle = base + c * _GOLDEN_ANGLE
            pos[j] = pos[best] + r * np.array([math.cos(angle), math.sin(angle)])
        placed[ordered] = True
        frontier = ordered
    return pos


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
