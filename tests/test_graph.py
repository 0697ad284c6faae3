from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kgraph.graph as graph_module
from kgraph.aliases import alias_table
from kgraph.graph import _edges_arrays, _edges_python, build_graph, summary
from kgraph.records import EntityType, Extraction
from kgraph.resolve import Resolution, Resolver

from .test_resolve import art


def graph_of(*extractions, **kw):
    r = Resolver(alias_table())
    for ex in extractions:
        r.add(ex)
    return build_graph(r.finish(), **kw)


def test_edge_weight_is_shared_articles_and_sentence_count_shared_sentences() -> None:
    g = graph_of(
        art(
            "a",
            ("Taliban", "organization", 0),
            ("Doha", "place", 0),
            ("Doha", "place", 1),
            ("Taliban", "organization", 1),
        ),
        art("b", ("Taliban", "organization", 0), ("Doha", "place", 3)),
        art("c", ("Kabul", "place", 0)),
    )
    e = g.edges["organization:taliban", "place:doha"]
    assert e["weight"] == 2
    assert e["sentence_count"] == 2
    assert e["article_ids"] == ["a", "b"]
    assert g.nodes["place:kabul"]["article_count"] == 1
    assert g.degree("place:kabul") == 0


def test_repeated_mentions_do_not_inflate_weight() -> None:
    g = graph_of(art("a", ("US", "place"), ("America", "place"), ("Doha", "place")))
    assert g.edges["place:united-states", "place:doha"]["weight"] == 1


def test_evidence_sentences_are_capped() -> None:
    exs = [art(f"a{i}", ("Taliban", "organization", 0), ("Doha", "place", 0)) for i in range(5)]
    g = graph_of(*exs, max_sentences=3)
    e = g.edges["organization:taliban", "place:doha"]
    assert e["sentence_count"] == 5
    assert e["sentences"] == ["Sentence 0 of a0.", "Sentence 0 of a1.", "Sentence 0 of a2."]
    assert e["sentence_article_ids"] == ["a0", "a1", "a2"]


def test_summary_counts_types() -> None:
    g = graph_of(art("a", ("Taliban", "organization"), ("Doha", "place"), ("Kabul", "place")))
    assert summary(g)["by_type"] == {"organization": 1, "place": 2}
    assert summary(g)["edges"] == 3


# -- pair counting in arrays, and evidence kept within bounds ---------------------------------
NAMES: list[tuple[str, EntityType]] = [
    ("Taliban", "organization"),
    ("NATO", "organization"),
    ("Doha", "place"),
    ("Kabul", "place"),
    ("US", "place"),
    ("America", "place"),  # merges with US: pairs of keys become one pair of entities
    ("Joe Biden", "person"),
    ("Biden", "person"),  # a short name: joins Joe Biden within an article or across the corpus
    ("Ashraf Ghani", "person"),
    ("Zalmay Khalilzad", "person"),
]

mention = st.tuples(st.sampled_from(NAMES), st.integers(min_value=0, max_value=4))
corpus = st.lists(st.lists(mention, max_size=8), min_size=1, max_size=25)


def extractions(articles: list[list[tuple[tuple[str, EntityType], int]]]) -> list[Extraction]:
    return [art(f"a{i}", *[(name, etype, s) for (name, etype), s in ms]) for i, ms in enumerate(articles)]


def resolution_of(exs: list[Extraction], **kw) -> Resolution:
    r = Resolver(alias_table(), **kw)
    for ex in exs:
        r.add(ex)
    return r.finish()


def edges(g) -> list:
    return list(g.edges(data=True))


@pytest.fixture()
def arrays_always(monkeypatch):
    """build_graph counts pairs in arrays whatever the graph's size."""
    monkeypatch.setattr(graph_module, "ARRAY_MIN_PAIRS", 0)
    monkeypatch.setattr(graph_module, "ARRAY_MIN_REPEAT", 0)
    monkeypatch.setattr(graph_module, "_PAIRS_AT_ONCE", 2)  # pairs made a few at a time


@pytest.mark.parametrize("at_once", [1, 2, 5, 1 << 17])
def test_pairs_come_group_after_group_in_the_order_of_combinations(monkeypatch, at_once) -> None:
    """However few pairs are made at a time (a bounded step keeps a million articles'
    temporary arrays small), each group's pairs come in its place, as `combinations` gives them."""
    monkeypatch.setattr(graph_module, "_PAIRS_AT_ONCE", at_once)
    groups = [(0, 1, 2), (4, 3), (), (2, 0, 1), (5,), (1, 4, 0, 3), (3, 5), (2, 1, 0)]
    codes, owner = graph_module._pairs(groups, 10)
    expected = [(k, min(a, b) * 10 + max(a, b)) for k, g in enumerate(groups) for a, b in combinations(g, 2)]
    assert list(zip(owner.tolist(), codes.tolist())) == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=corpus, max_sentences=st.integers(min_value=0, max_value=3))
def test_array_counting_gives_the_same_graph(arrays_always, articles, max_sentences) -> None:
    res = resolution_of(extractions(articles))
    # the same edges, attributes and insertion order, pair by pair ...
    assert list(_edges_arrays(res, max_sentences)) == list(_edges_python(res, max_sentences))
    # ... so the same graph, down to the order networkx gives nodes and edges in
    g = build_graph(res, max_sentences=max_sentences)  # arrays (see the fixture)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(graph_module, "ARRAY_MIN_PAIRS", 1 << 62)
        reference = build_graph(res, max_sentences=max_sentences)
    assert edges(g) == edges(reference)
    assert list(g.nodes(data=True)) == list(reference.nodes(data=True))


def test_array_counting_on_a_repetitive_corpus(arrays_always) -> None:
    exs = [
        art(
            f"a{i}",
            ("Taliban", "organization", 0),
            ("Doha", "place", 0),
            ("Kabul", "place", i % 3),
            ("NATO", "organization", 1),
        )
        for i in range(30)
    ]
    res = resolution_of(exs)
    g = build_graph(res, max_sentences=2)
    e = g.edges["organization:taliban", "place:doha"]
    assert e["weight"] == 30 and e["article_ids"] == [f"a{i}" for i in range(30)]
    assert e["sentence_count"] == 30
    assert e["sentences"] == ["Sentence 0 of a0.", "Sentence 0 of a1."]
    assert g.edges["place:kabul", "organization:nato"]["sentence_count"] == 10  # Kabul in sentence 1 of a1, a4, ...
    assert list(_edges_arrays(res, 2)) == list(_edges_python(res, 2))


def test_arrays_fall_back_to_python_when_pairs_rarely_repeat(monkeypatch) -> None:
    monkeypatch.setattr(graph_module, "ARRAY_MIN_PAIRS", 0)
    calls = []
    real = graph_module._edges_python
    monkeypatch.setattr(graph_module, "_edges_python", lambda *a: calls.append(1) or real(*a))
    build_graph(resolution_of([art("a", ("Taliban", "organization"), ("Doha", "place"))]))
    assert calls == [1]


@settings(max_examples=150, deadline=None)
@given(articles=corpus, max_sentences=st.integers(min_value=0, max_value=3))
def test_resolver_keeps_only_the_texts_evidence_can_use(articles, max_sentences) -> None:
    exs = extractions(articles)
    everything = resolution_of(exs)
    bounded = resolution_of(exs, max_sentences=max_sentences)
    g_all = build_graph(everything, max_sentences=max_sentences)
    g_bounded = build_graph(bounded, max_sentences=max_sentences)
    assert edges(g_bounded) == edges(g_all)
    kept = sum(len(t) for t in bounded.sentence_text)
    assert kept <= sum(len(t) for t in everything.sentence_text)


def test_resolver_keeps_max_sentences_texts_for_a_pair_seen_everywhere() -> None:
    exs = [art(f"a{i}", ("Taliban", "organization", 0), ("Doha", "place", 0)) for i in range(100)]
    res = resolution_of(exs, max_sentences=3)
    assert [t for texts in res.sentence_text for t in texts.values()] == [
        "Sentence 0 of a0.",
        "Sentence 0 of a1.",
        "Sentence 0 of a2.",
    ]
    assert sum(len(s) for s in res.sentence_entities) == 100  # every sentence still counts
    e = build_graph(res, max_sentences=3).edges["organization:taliban", "place:doha"]
    assert e["sentence_count"] == 100 and len(e["sentences"]) == 3


def test_one_order_of_importance_for_the_layout_the_page_and_the_answers() -> None:
    """Most articles, then most links, then id: the layout places entities in it, the page
    draws the first max_nodes, and the answers list entities in it (ties of top too)."""
    import kgraph
    import kgraph.layout
    from kgraph.export.html import select_nodes
    from kgraph.graph import importance_key, importance_order

    g = nx.Graph()
    for node, articles in (("place:a", 3), ("place:b", 1), ("place:c", 1), ("place:d", 1), ("place:e", 1)):
        g.add_node(node, label=node[-1].upper(), type="place", article_count=articles, mention_count=articles)
    g.add_edges_from([("place:c", "place:e"), ("place:c", "place:d")], weight=1)
    expected = ["place:a", "place:c", "place:d", "place:e", "place:b"]  # c: 2 links; d, e: 1; b: none
    assert sorted(g, key=lambda n: importance_key(g, n)) == expected
    assert sorted(g, key=importance_order(g).__getitem__) == expected
    assert kgraph.layout.importance_order is importance_order
    assert select_nodes(g, 4) == expected[:4]
    kg = kgraph.KnowledgeGraph(g)
    assert [e.id for e in kg.entities()] == expected
    assert [r.id for r in kg.top(5)] == expected  # by articles: the ties in the order of importance
