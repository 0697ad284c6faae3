"""kgraph.layout draws the entities of one community together (the rest of its tests, on
determinism, components and the periphery, are in tests/test_gephi.py, beside the files that
carry the positions)."""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
import pytest

from kgraph import _runtime
from kgraph.export.html import page_data
from kgraph.layout import LayoutUnderway, add_layout, communities, layout


def planted(groups: int, size: int, p_in: float, p_out: float, *, hubs: int = 0, seed: int = 5) -> nx.Graph:
    """`groups` groups of `size` entities, linked inside a group with probability `p_in` and
    across with `p_out` (weights 1-4), and `hubs` entities linked to 30 % of everyone, as the
    few entities named in most news articles are; each entity's planted group in ``group``."""
    base = nx.planted_partition_graph(groups, size, p_in, p_out, seed=seed)
    rng = random.Random(seed)
    g = nx.Graph()
    for n in sorted(base):
        g.add_node(f"e{n:04d}", label=f"Entity {n}", type="person", article_count=rng.randint(1, 20), group=n // size)
    for u, v in sorted(base.edges):
        g.add_edge(f"e{u:04d}", f"e{v:04d}", weight=rng.randint(1, 4))
    members = sorted(g)
    for h in range(hubs):
        g.add_node(f"hub{h}", label=f"Hub {h}", type="place", article_count=200)
        g.add_edges_from((f"hub{h}", n, {"weight": 1}) for n in members if rng.random() < 0.3)
    return g


def distance_ratio(pos: Mapping[Hashable, tuple[float, float]], group: Mapping[Hashable, int]) -> float:
    """Mean distance between two members of one group over the mean between members of two groups."""
    ids = sorted(group)
    xy = np.array([pos[n] for n in ids])
    label = np.array([group[n] for n in ids])
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    same = label[:, None] == label[None, :]
    np.fill_diagonal(same, False)
    return float(dist[same].mean() / dist[label[:, None] != label[None, :]].mean())


def test_members_of_a_planted_community_sit_together() -> None:
    g = planted(6, 30, 0.3, 0.01, hubs=4)
    truth = {n: d["group"] for n, d in g.nodes(data=True) if "group" in d}
    found = communities(g)
    # the layout's communities are the planted groups (each hub joins one of them)
    by_found: dict[int, set[Hashable]] = {}
    for n in truth:
        by_found.setdefault(found[n], set()).add(n)
    assert sorted(map(sorted, by_found.values())) == sorted(sorted(n for n in truth if truth[n] == k) for k in range(6))
    pos = layout(g)
    # measured: 0.17 (0.23 before the layout knew communities)
    assert distance_ratio(pos, truth) < 0.5
    # every entity is nearer the middle of its own group than the middle of any other
    centre = {k: np.mean([pos[n] for n in truth if truth[n] == k], axis=0) for k in range(6)}
    for n, k in truth.items():
        nearest = min(centre, key=lambda c: math.dist(pos[n], centre[c]))
        assert nearest == k, n
    assert len(set(pos.values())) == len(pos)  # no two entities on one spot


def test_the_communities_it_finds_sit_together_on_a_sparse_graph() -> None:
    # groups of 100 with 5 links each inside and one outside: Louvain splits some of them,
    # and the groups it finds (the page's "colour by community") are the ones drawn together
    g = planted(4, 100, 0.05, 0.005)
    found = communities(g)
    assert len(set(found.values())) >= 4
    # measured: 0.41 (0.55 before the layout knew communities)
    assert distance_ratio(layout(g), found) < 0.5


def test_communities_cover_every_node_and_follow_the_layout() -> None:
    g = planted(5, 60, 0.2, 0.01)
    nx.add_path(g, ["p0", "p1", "p2"])  # a small part: one community of its own
    g.add_edge("p0", "e0000", weight=1)
    g.add_node("alone")
    found = communities(g)
    assert set(found) == set(g)
    assert found["alone"] not in {found[n] for n in g if n != "alone"}
    # with a core smaller than the component, every other entity takes the community of the
    # neighbour the layout puts it beside
    small = communities(g, core_size=100)
    assert set(small) == set(g) and len(set(small.values())) >= 3
    assert communities(g, core_size=100, nodes=["e0001", "e0299"]) == {n: small[n] for n in ("e0001", "e0299")}
    # the same communities whatever the insertion order
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(g.nodes(data=True), reverse=True))
    shuffled.add_edges_from(sorted(g.edges(data=True), reverse=True))
    assert communities(shuffled) == found and layout(shuffled) == layout(g)


def test_the_page_colours_by_the_communities_the_layout_draws_together() -> None:
    g = add_layout(planted(6, 30, 0.3, 0.01, hubs=4))
    data = page_data(g, max_nodes=100)
    found = communities(g)
    page = {n["id"]: n["community"] for n in data["nodes"]}
    # the same grouping, numbered by how many of each community are drawn, most first
    assert {frozenset(n for n in page if page[n] == k) for k in set(page.values())} == {
        frozenset(n for n in page if found[n] == k) for k in {found[n] for n in page}
    }
    sizes = [sum(1 for k in page.values() if k == c) for c in range(data["communities"])]
    assert sizes == sorted(sizes, reverse=True)
    drawn = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert distance_ratio(drawn, page) < 0.5


def test_the_page_reuses_the_communities_the_layout_found_and_gets_the_same() -> None:
    from kgraph import layout as layout_module

    g = planted(4, 30, 0.3, 0.01)
    layout_module._louvain.cache_clear()
    fresh = communities(g)
    layout_module._louvain.cache_clear()
    add_layout(g)
    assert layout_module._louvain.cache_info().misses >= 1
    hits = layout_module._louvain.cache_info().hits
    assert communities(g) == fresh  # the page asks again: Louvain is not run twice
    assert layout_module._louvain.cache_info().hits > hits
    g.add_edge("e0000", "e0100", weight=4)  # another graph: found anew
    misses = layout_module._louvain.cache_info().misses
    communities(g)
    assert layout_module._louvain.cache_info().misses > misses


def test_an_infinite_weight_leaves_every_position_finite_and_warns_nothing() -> None:
    """A hand-made graph may weigh a link inf: its pull stays finite (inf * 0 turned every
    position of the component into NaN, with a RuntimeWarning from numpy)."""
    import warnings

    g = nx.Graph()
    g.add_edge("a", "b", weight=math.inf)
    g.add_edge("b", "c", weight=1)
    g.add_edge("c", "a", weight=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pos = layout(g)
    assert all(math.isfinite(v) for xy in pos.values() for v in xy)
    assert pos == layout(g)


def _xy(g: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    return {n: (d["x"], d["y"]) for n, d in g.nodes(data=True)}


def test_a_layout_under_way_in_a_child_gives_the_positions_of_add_layout() -> None:
    g = planted(3, 40, 0.3, 0.02, hubs=2)
    expected = _xy(add_layout(g.copy()))
    underway = LayoutUnderway(g, fork=True)
    for _, _, d in g.edges(data=True):  # what a build adds meanwhile: attributes, not nodes or links
        d["p_value"] = 0.5
    assert _xy(underway.add_to(g)) == expected
    assert not [p for p in _runtime.children() if p.name == "kgraph-layout"]  # the child is gone


def test_the_child_lays_out_the_graph_as_it_was_when_it_started() -> None:
    g = planted(3, 40, 0.3, 0.02)
    before = _xy(add_layout(g.copy()))
    underway = LayoutUnderway(g, fork=True)
    for _, _, d in g.edges(data=True):  # a change the contract rules out: the child does not see it
        d["weight"] = 50
    assert _xy(underway.add_to(g)) == before != _xy(add_layout(g.copy()))


def test_the_page_gets_the_communities_a_layout_child_found_without_running_louvain_again(monkeypatch) -> None:
    from kgraph import layout as layout_module

    g = planted(4, 30, 0.3, 0.01)
    layout_module._louvain.cache_clear()
    expected = communities(g.copy())
    layout_module._louvain.cache_clear()  # nothing known here when the child starts
    LayoutUnderway(g, fork=True).add_to(g)

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("Louvain ran again in the main process")

    monkeypatch.setattr(nx.community, "louvain_communities", not_again)
    assert communities(g) == expected
    assert communities(g) == expected  # asked twice (the page of a selection, say): still known
    g.add_edge("e0000", "e0100", weight=4)  # another graph: its communities are not the child's
    with pytest.raises(AssertionError, match="ran again"):
        communities(g)


def test_a_layout_child_that_dies_is_made_up_for_here(monkeypatch) -> None:
    import os

    from kgraph import layout as layout_module

    g = planted(2, 30, 0.3, 0.05)
    expected = _xy(add_layout(g.copy()))
    parent = os.getpid()
    real = layout_module._positions

    def dies_in_the_child(h: nx.Graph) -> np.ndarray:
        if os.getpid() != parent:
            os._exit(9)  # as if killed for lack of memory
        return real(h)

    monkeypatch.setattr(layout_module, "_positions", dies_in_the_child)
    assert _xy(LayoutUnderway(g, fork=True).add_to(g)) == expected


def test_a_layout_given_up_stops_its_child() -> None:
    import os

    g = planted(4, 200, 0.2, 0.01)
    underway = LayoutUnderway(g, fork=True)
    (pid,) = [p.pid for p in _runtime.children() if p.name == "kgraph-layout"]
    underway.close()  # what the build does when a later stage fails
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_nodes_added_while_a_graph_is_laid_out_are_refused() -> None:
    g = planted(2, 20, 0.3, 0.05)
    underway = LayoutUnderway(g, fork=False)
    g.add_node("late")
    with pytest.raises(ValueError, match="nodes changed"):
        underway.add_to(g)


def _anchors_one_by_one(g: nx.Graph, nodes: list[Hashable], n_core: int) -> list[tuple[int, int]]:
    """The rule of `kgraph.layout._anchors`, step by step: breadth-first from the core, layer
    by layer in importance order, each node beside its strongest neighbour already placed
    (an earlier layer), ties to the more important one."""
    index = {v: i for i, v in enumerate(nodes)}
    placed = set(range(n_core))
    frontier, out = list(range(n_core)), []
    while frontier:
        layer = sorted({index[v] for i in frontier for v in g.adj[nodes[i]]} - placed - {j for j, _ in out})
        for j in layer:
            weights = {index[v]: float(d.get("weight", 1)) for v, d in g.adj[nodes[j]].items() if index[v] in placed}
            out.append((j, max(weights, key=lambda a: (weights[a], -a))))
        placed.update(layer)
        frontier = layer
    return out


@pytest.mark.parametrize("seed", range(6))
def test_each_node_outside_the_core_is_placed_beside_its_strongest_placed_neighbour(seed: int) -> None:
    from kgraph import layout as layout_module

    rng = random.Random(seed)
    g = nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=seed)
    for _, _, d in g.edges(data=True):
        if rng.random() < 0.9:  # ties on purpose (weights 1-3), and some links without a weight
            d["weight"] = rng.choice([1, 2, 3, 2.5])
    nodes = sorted(g, key=lambda n: (rng.random(), n))
    n_core = rng.choice([1, 5, 40])
    assert list(layout_module._anchors(g, nodes, n_core)) == _anchors_one_by_one(g, nodes, n_core)
