from __future__ import annotations

from kgraph.aliases import alias_table
from kgraph.graph import build_graph, summary
from kgraph.resolve import Resolver

from .test_resolve import art


def graph_of(*extractions, **kw):
    r = Resolver(alias_table())
    for ex in extractions:
        r.add(ex)
    return build_graph(r.finish(), **kw)


def test_edge_weight_is_shared_articles_and_sentence_count_shared_sentences() -> None:
    g = graph_of(
        art("a", ("Taliban", "organization", 0), ("Doha", "place", 0), ("Doha", "place", 1), ("Taliban", "organization", 1)),
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
