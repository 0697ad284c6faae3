"""kgraph.stats: the link statistics, checked against scipy and against numbers worked by hand."""

from __future__ import annotations

import json
from itertools import combinations
from math import comb

import networkx as nx
import numpy as np
import pytest
from scipy.stats import hypergeom
from typer.testing import CliRunner

from kgraph import ConfigError, KnowledgeGraph, load
from kgraph.cli import app
from kgraph.stats import EDGE_STATS, add_link_stats, backbone_mask, bh_qvalues, hypergeom_sf, link_stats, log_gamma


def test_tail_matches_scipy_on_every_small_case() -> None:
    """Every (k, marked, draws) for totals up to 12: the exact Fisher tail, as scipy computes it."""
    rows = [
        (k, K, n, N) for N in range(1, 13) for K in range(N + 1) for n in range(N + 1) for k in range(0, min(K, n) + 2)
    ]
    k, K, n, N = (np.array(c) for c in zip(*rows))
    np.testing.assert_allclose(hypergeom_sf(k, K, n, N), hypergeom.sf(k - 1, N, K, n), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize(
    ("k", "K", "n", "N"),
    [
        (60, 3000, 2000, 100_000),
        (75, 3000, 2000, 100_000),
        (120, 3000, 2000, 100_000),
        (19, 120, 104, 968),
        (21, 31, 22, 968),
    ],
)
def test_tail_matches_scipy_for_large_counts(k: int, K: int, n: int, N: int) -> None:
    """Near the mean (p about 0.5), in the tail and far out (p below 1e-20)."""
    assert hypergeom_sf([k], [K], [n], N)[0] == pytest.approx(hypergeom.sf(k - 1, N, K, n), rel=1e-9)


def test_log_gamma_matches_scipy_across_the_range_counts_take() -> None:
    from scipy.special import gammaln

    rng = np.random.default_rng(3)
    x = np.concatenate(
        [
            np.arange(1.0, 200_001.0),  # every count a table of log-factorials reads
            np.linspace(19.0, 21.0, 20_001),  # both sides of the switch to Stirling's series
            rng.uniform(0.5, 1e9, 100_000),
        ]
    )
    np.testing.assert_allclose(log_gamma(x), gammaln(x), rtol=1e-15, atol=0)  # a few units in the last place
    assert log_gamma(np.array([])).shape == (0,)


def test_the_statistics_do_not_import_scipy() -> None:
    """scipy.special took 0.1 to 0.2 s to import, after NER, in every build."""
    import subprocess
    import sys

    code = "import sys, kgraph.stats; print(any(m.split('.')[0] == 'scipy' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_tail_by_hand() -> None:
    # 10 articles, each entity in 3: P(3 shared) = 1 / C(10, 3); P(>= 1 shared) = 1 - C(7, 3) / C(10, 3)
    p = hypergeom_sf([3, 1, 0], [3, 3, 3], [3, 3, 3], 10)
    assert p.tolist() == pytest.approx([1 / comb(10, 3), 1 - comb(7, 3) / comb(10, 3), 1.0])


def test_tail_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="between 0 and the total"):
        hypergeom_sf([1], [11], [3], 10)


def test_benjamini_hochberg_by_hand() -> None:
    # sorted p: .01 .02 .03 .5 -> p*m/rank: .04 .04 .04 .5, then the running minimum from the top
    assert bh_qvalues([0.5, 0.03, 0.01, 0.02]).tolist() == pytest.approx([0.5, 0.04, 0.04, 0.04])
    assert bh_qvalues([0.9, 0.8]).tolist() == pytest.approx([0.9, 0.9])
    assert bh_qvalues([]).size == 0


def test_expected_lift_npmi_by_hand() -> None:
    # New York in 120 of 968 articles, United States in 104, together in 19
    s = link_stats(np.array([19, 4, 0]), np.array([120, 4, 5]), np.array([104, 4, 5]), 968)
    assert s["expected"][0] == pytest.approx(120 * 104 / 968)  # 12.9
    assert s["lift"][0] == pytest.approx(19 / (120 * 104 / 968))
    p_ab, p_a, p_b = 19 / 968, 120 / 968, 104 / 968
    assert s["npmi"][0] == pytest.approx(np.log(p_ab / (p_a * p_b)) / -np.log(p_ab))
    assert s["npmi"][1] == pytest.approx(np.log(968 / 4) / np.log(968 / 4)) == pytest.approx(1.0)  # always together
    assert s["npmi"][2] == -1.0 and s["lift"][2] == 0.0 and s["p_value"][2] == 1.0  # never together
    assert s["q_value"].tolist() == pytest.approx(bh_qvalues(s["p_value"]).tolist())


def test_backbone_keeps_each_entitys_best_candidates() -> None:
    """Links 0-1 .. 0-4 all significant with 2 articles: entity 0 keeps its 3 best, entity 4's
    only link stays through entity 4; a one-article link with no shared sentence is never shown first."""
    src = np.array([0, 0, 0, 0, 5])
    dst = np.array([1, 2, 3, 4, 6])
    w = np.array([2, 2, 2, 2, 1])
    s = np.array([0, 0, 0, 0, 0])
    q = np.array([0.001, 0.002, 0.003, 0.004, 0.0001])
    keep = backbone_mask(src, dst, w, s, q, q)
    assert keep.tolist() == [True, True, True, True, False]
    keep = backbone_mask(src, dst, w, s, q, q, best=1)
    assert keep.tolist() == [True, True, True, True, False]  # 1, 2, 3 and 4 each keep their one link
    s[4] = 1
    assert backbone_mask(src, dst, w, s, q, q, best=1)[4]


def _synthetic_corpus(seed: int = 3) -> tuple[nx.Graph, list[tuple[str, str]], list[str]]:
    """400 articles: 25 hubs named in 15-35 % of the articles at random, 60 stories of 4 entities
    told in 6-12 articles each (2-4 of the 4 per article, in one sentence half of the time),
    and 300 names seen once. Returns the graph, the story pairs and the hubs."""
    rng = np.random.default_rng(seed)
    n_articles = 400
    articles: list[set[str]] = [set() for _ in range(n_articles)]
    sentences: list[list[set[str]]] = [[] for _ in range(n_articles)]
    hubs = [f"hub{i}" for i in range(25)]
    for h in hubs:
        for a in np.flatnonzero(rng.random(n_articles) < rng.uniform(0.15, 0.35)):
            articles[a].add(h)
    story_pairs: list[tuple[str, str]] = []
    for s in range(60):
        cast = [f"s{s}e{j}" for j in range(4)]
        story_pairs.extend(combinations(cast, 2))
        for a in rng.choice(n_articles, size=rng.integers(6, 13), replace=False):
            members = set(rng.choice(cast, size=rng.integers(2, 5), replace=False).tolist())
            articles[a] |= members
            if rng.random() < 0.5:
                sentences[a].append(members)
    for i in range(300):
        articles[rng.integers(n_articles)].add(f"once{i}")
    g = nx.Graph(article_count=n_articles, articles={f"art{a}": {"title": f"Article {a}"} for a in range(n_articles)})
    for a, members in enumerate(articles):
        for m in members:
            if m not in g:
                g.add_node(m, label=m, type="person", aliases=[m], article_ids=[], article_count=0, mention_count=1)
            g.nodes[m]["article_ids"].append(f"art{a}")
            g.nodes[m]["article_count"] += 1
        for u, v in combinations(sorted(members), 2):
            if not g.has_edge(u, v):
                g.add_edge(u, v, weight=0, sentence_count=0, article_ids=[], sentences=[], sentence_article_ids=[])
            g.edges[u, v]["weight"] += 1
            g.edges[u, v]["article_ids"].append(f"art{a}")
        for sent in sentences[a]:
            for u, v in combinations(sorted(sent), 2):
                g.edges[u, v]["sentence_count"] += 1
    return g, story_pairs, hubs


def test_backbone_on_a_synthetic_corpus_keeps_story_lines_and_drops_hub_artefacts() -> None:
    g, story_pairs, hubs = _synthetic_corpus()
    add_link_stats(g)
    assert g.graph["link_stats"] == "article" and g.graph["link_stats_units"] == 400
    kept = [(u, v) for u, v, b in g.edges(data="backbone") if b]
    # the backbone is small...
    assert len(kept) <= 0.15 * g.number_of_edges()
    # ...keeps the story lines seen in 2+ articles...
    strong_story = [(u, v) for u, v in story_pairs if g.has_edge(u, v) and g.edges[u, v]["weight"] >= 2]
    assert sum(g.edges[e]["backbone"] for e in strong_story) >= 0.95 * len(strong_story)
    # ...drops the links hubs share by chance, however many articles they share...
    hub_links = [(u, v) for u, v in combinations(hubs, 2) if g.has_edge(u, v)]
    assert max(g.edges[e]["weight"] for e in hub_links) >= 10
    assert not any(g.edges[e]["backbone"] for e in hub_links)
    # ...and leaves every entity named twice or more with a link
    linked = {n for e in kept for n in e}
    recurring = [n for n, c in g.nodes(data="article_count") if c >= 2]
    assert len(linked & set(recurring)) >= 0.8 * len(recurring)


def test_small_corpus_is_tested_by_sentence() -> None:
    """5 articles: no article-level link can be significant, so sentences are the units."""
    g = nx.Graph(article_count=5)
    g.add_nodes_from(["a", "b", "c", "d", "e"], article_count=3)
    g.add_edge("a", "b", weight=3, sentence_count=3)
    g.add_edge("c", "d", weight=3, sentence_count=0)
    # 12 sentences name two or more entities: a+b 3 times, c+e 4 times, d+e 5 times
    groups = [(0, 1)] * 3 + [(2, 4)] * 4 + [(3, 4)] * 5
    add_link_stats(g, groups)
    assert g.graph["link_stats"] == "sentence" and g.graph["link_stats_units"] == 12
    ab, cd = g.edges["a", "b"], g.edges["c", "d"]
    # a and b each in 3 of 12 sentences, always together: 1 chance in C(12, 3)
    assert ab["p_value"] == pytest.approx(1 / comb(12, 3)) and ab["expected"] == pytest.approx(0.75)
    assert ab["backbone"]  # p < 0.05 and shared sentences: shown first
    # at the article level the same link could not reach p < 0.05: 3 of 5 articles each, 3 shared
    assert hypergeom_sf([3], [3], [3], 5)[0] == pytest.approx(0.1)
    assert cd["p_value"] == 1.0 and cd["npmi"] == -1.0 and cd["expected"] == round(20 / 12, 4)
    assert not cd["backbone"]
    assert set(EDGE_STATS) <= set(ab)


def test_large_corpus_is_tested_by_article_even_with_sentences() -> None:
    g, _, _ = _synthetic_corpus()
    add_link_stats(g, [(0, 1)])
    assert g.graph["link_stats"] == "article"


# -- the questions users ask -------------------------------------------------------------------
@pytest.fixture(scope="module")
def story_kg() -> KnowledgeGraph:
    g, _, _ = _synthetic_corpus()
    return KnowledgeGraph(add_link_stats(g))


def test_backbone_is_a_smaller_graph_that_saves_and_loads(story_kg: KnowledgeGraph, tmp_path) -> None:
    b = story_kg.backbone()
    g = story_kg.graph
    kept = {(u, v) for u, v, x in g.edges(data="backbone") if x}
    assert {tuple(sorted(e)) for e in b.graph.edges} == {tuple(sorted(e)) for e in kept}
    assert all(b.graph.degree(n) > 0 for n in b.graph)  # no entity without a link
    info = b.info()
    assert (
        info.selection == f"backbone: {len(kept)} of {g.number_of_edges()} links, {len(b.graph)} of {len(g)} entities"
    )
    b.save(tmp_path / "bb")
    for name in ("graph.json", "graph.graphml"):
        back = load(tmp_path / "bb" / name)
        assert back.graph.number_of_edges() == len(kept)
        e = back.edges(rank="significance")[0]
        assert e.backbone is True and e.q_value is not None and e.q_value < 0.05 and e.expected is not None
        assert back.info().backbone_edges == len(kept)


def test_edges_by_q_value_and_by_significance(story_kg: KnowledgeGraph) -> None:
    rows = story_kg.edges(max_q=0.05)
    assert rows and all(r.q_value is not None and r.q_value <= 0.05 for r in rows)
    assert len(rows) < len(story_kg.edges())
    ranked = story_kg.edges(rank="significance")
    assert [r.q_value for r in ranked] == sorted(r.q_value for r in ranked)
    assert len(story_kg.edges(backbone=True)) == story_kg.info().backbone_edges
    with pytest.raises(ConfigError, match="unknown order 'best': choose one of articles, significance"):
        story_kg.edges(rank="best")


def test_neighbors_by_significance_put_the_story_before_the_hubs(story_kg: KnowledgeGraph) -> None:
    """An entity of story 1 shares as many articles with a hub, by chance, as with its mates; ranked by significance,
    its story mates come first."""
    by_articles = story_kg.neighbors("s1e0")
    by_significance = story_kg.neighbors("s1e0", rank="significance")
    assert {n.id for n in by_articles} == {n.id for n in by_significance}
    mates = {n.id for n in by_significance if n.id.startswith("s1e")}
    assert {n.id for n in by_significance[: len(mates)]} == mates
    # by shared articles, a hub outranks a story mate (chance gives hubs many articles)
    place = {n.id: i for i, n in enumerate(by_articles)}
    last_mate = max(place[m] for m in mates)
    assert any(n.id.startswith("hub") for n in by_articles[:last_mate])
    top = by_significance[0]
    assert top.expected is not None and top.weight > 3 * top.expected


def test_evidence_says_what_chance_would_give(story_kg: KnowledgeGraph) -> None:
    ev = story_kg.evidence("hub0", "hub1")
    d = story_kg.graph.edges["hub0", "hub1"]
    k0, k1 = story_kg.graph.nodes["hub0"]["article_count"], story_kg.graph.nodes["hub1"]["article_count"]
    assert ev.unit == "article" and ev.expected == round(k0 * k1 / 400, 4) and ev.weight == d["weight"]
    assert f"{ev.weight} articles ({ev.expected:.1f} expected)" in repr(ev)


def test_a_graph_without_statistics_gets_them_without_being_changed() -> None:
    g, _, _ = _synthetic_corpus()
    kg = KnowledgeGraph(g)
    assert kg.neighbors("s0e0", rank="significance")[0].q_value is not None
    assert kg.backbone().graph.number_of_edges() > 0
    assert not any("q_value" in d for _, _, d in g.edges(data=True))
    assert kg.info().link_stats is None  # what the graph itself holds


def test_cli_lists_significant_links_and_evidence(story_kg: KnowledgeGraph, tmp_path) -> None:
    story_kg.save(tmp_path / "out")
    runner = CliRunner()
    res = runner.invoke(app, ["edges", "-g", str(tmp_path / "out"), "--backbone", "--json", "-n", "0"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == story_kg.info().backbone_edges and all(r["backbone"] for r in rows)
    res = runner.invoke(app, ["neighbors", "s0e0", "-g", str(tmp_path / "out"), "--rank", "significance"])
    assert res.exit_code == 0 and "expected articles" in res.stdout and "most significant first" in res.stdout
    ev = story_kg.evidence("hub0", "hub1")
    res = runner.invoke(app, ["evidence", "hub0", "hub1", "-g", str(tmp_path / "out")])
    assert f"{ev.weight} shared articles, {ev.expected:.1f} expected" in " ".join(res.stdout.split())
    res = runner.invoke(app, ["info", "-g", str(tmp_path / "out")])
    assert "by article (400 articles)" in res.stdout
    res = runner.invoke(app, ["neighbors", "s0e0", "-g", str(tmp_path / "out"), "--rank", "best"])
    assert res.exit_code == 1 and "unknown order 'best'" in res.stderr and "Traceback" not in res.output


def test_the_backbone_does_not_depend_on_the_order_of_nodes() -> None:
    """Ties in significance are broken by entity ids: a graph read back in another order (as
    graph.json sorts its nodes) gets the same backbone. Eight entities, every pair equally
    significant: which 3 links each keeps is decided by the ids alone."""
    names = [f"e{i}" for i in range(8)]

    def clique(order: list[str]) -> nx.Graph:
        g = nx.Graph(article_count=1000)
        g.add_nodes_from((n, {"article_count": 10}) for n in order)
        g.add_edges_from((u, v, {"weight": 2, "sentence_count": 1}) for u, v in combinations(order, 2))
        return add_link_stats(g)

    kept = lambda x: {frozenset(e) for e in x.edges if x.edges[e]["backbone"]}  # noqa: E731
    one, other = clique(names), clique(names[::-1])
    assert kept(one) == kept(other)
    assert 0 < len(kept(one)) < one.number_of_edges()
