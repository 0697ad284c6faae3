"""KnowledgeGraph queries: lookup, neighbours, evidence, paths, smaller graphs, rankings.

Unit tests use the tiny graph of `kgraph._demo` (four hand-made articles resolved and linked by
the real stages) or graphs made by hand; the checks of issue 4 on the seeds use the real model.
"""

from __future__ import annotations

import doctest
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kgraph
from kgraph import (
    AmbiguousEntity,
    ConfigError,
    Entity,
    Evidence,
    KnowledgeGraph,
    OutputError,
    UnknownEntity,
    load,
)
from kgraph._demo import demo
from kgraph.query import metrics
from kgraph.records import AliasRow

ROOT = Path(__file__).resolve().parent.parent
KHALILZAD = "person:zalmay-khalilzad"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return demo()


def person(key: str, label: str, *, aliases: tuple[str, ...] = (), articles: int = 1, type: str = "person") -> tuple:
    ids = [f"a{i}" for i in range(articles)]
    return (
        key,
        {
            "label": label,
            "type": type,
            "aliases": [label, *aliases],
            "article_ids": ids,
            "article_count": articles,
            "mention_count": articles,
        },
    )


def hand_graph(*nodes: tuple, edges: tuple = ()) -> KnowledgeGraph:
    """A graph made by hand, with the attributes of the graph contract."""
    g = nx.Graph(article_count=3, articles={f"a{i}": {"title": f"Article {i}"} for i in range(3)})
    g.add_nodes_from(nodes)
    for u, v, w in edges:
        g.add_edge(
            u,
            v,
            weight=w,
            sentence_count=0,
            article_ids=[f"a{i}" for i in range(w)],
            sentences=[],
            sentence_article_ids=[],
        )
    return KnowledgeGraph(g)


# -- find ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "khalilzad",
        "KHALILZAD",
        "Zalmay Khalilzad",
        "zalmay khalilzad",
        "Zalmay Khalilzad’s",
        "Zalmay Khalilzad's",
        "  Zalmay   Khalilzad. ",
        "Special Representative Khalilzad",
        "Envoy Khalilzad",
        "Mr. Khalilzad",
        "person:zalmay-khalilzad",
        "Khalilzd",
        "Zalmay Khalilzadd",
        "Zalmai Khalilzad",
        "Khalilzad Zalmay",
    ],
)
def test_find_spellings_of_one_person(kg: KnowledgeGraph, name: str) -> None:
    assert kg.find(name).id == KHALILZAD


@pytest.mark.parametrize("name", ["U.S.", "US", "us", "the United States", "united states"])
def test_find_acronyms_and_leading_the(kg: KnowledgeGraph, name: str) -> None:
    assert kg.find(name).id == "place:united-states"


@pytest.mark.parametrize("name", ["Mevlüt Çavuşoğlu", "mevlut cavusoglu", "MEVLUT CAVUSOGLU", "Cavusoglu", "Çavuşoğlu"])
def test_find_ignores_accents_and_finds_a_lone_surname(kg: KnowledgeGraph, name: str) -> None:
    assert kg.find(name).label == "Mevlüt Çavuşoğlu"


def test_find_returns_the_entity_record(kg: KnowledgeGraph) -> None:
    e = kg.find("khalilzad")
    assert isinstance(e, Entity)
    assert e.label == "Zalmay Khalilzad" and e.type == "person"
    assert e.article_ids == ("a1", "a2", "a3") and e.article_count == 3
    assert "Special Representative Khalilzad" in e.aliases
    assert kg.find(e) == e  # a found entity can be passed back in


def test_unknown_name_suggests_the_closest(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as info:
        kg.find("Kabul City")
    msg = str(info.value)
    assert msg == "no entity named 'Kabul City'; closest: Kabul (place:kabul)"
    assert info.value.candidates == ["place:kabul"]
    assert isinstance(info.value, kgraph.KGraphError)


def test_unknown_name_without_close_names(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as info:
        kg.find("Xylophone Quartet")
    assert info.value.candidates == []
    assert "'Xylophone Quartet'" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["", "   ", "'s", "..."])
def test_empty_names_are_unknown(kg: KnowledgeGraph, name: str) -> None:
    with pytest.raises(UnknownEntity):
        kg.find(name)


@pytest.mark.parametrize(
    ("typed", "label"),
    [("Ankra", "Ankara"), ("Tailban", "Taliban"), ("Talibaan", "Taliban"), ("Ghanni", "Ashraf Ghani")],
)
def test_misspellings(kg: KnowledgeGraph, typed: str, label: str) -> None:
    assert kg.find(typed).label == label


def test_a_misspelling_keeps_the_first_letter_and_few_typos() -> None:
    g = hand_graph(
        person("place:austin", "Austin", type="place"),
        person("place:australia", "Australia", type="place"),
        person("person:osama-bin-laden", "Osama bin Laden", aliases=("Osama",)),
        person("person:dwight-eisenhower", "Dwight Eisenhower"),
    )
    assert g.find("Austn").id == g.find("Asutin").id == "place:austin"  # a letter missing; two swapped
    assert g.find("Dwight Eisenhauer").id == "person:dwight-eisenhower"  # two wrong letters in a long name
    # a wrong first letter; two typos in a seven-letter name; a wrong letter in a short name
    for name, closest in (
        ("Justin", "place:austin"),
        ("Austria", "place:australia"),
        ("Obama", "person:osama-bin-laden"),
    ):
        with pytest.raises(UnknownEntity) as info:
            g.find(name)
        assert info.value.candidates[0] == closest


def test_short_names_are_never_matched_fuzzily() -> None:
    g = hand_graph(person("place:iran", "Iran", type="place"))
    assert g.find("iran").id == "place:iran"
    for name in ("Iraq", "Irn"):
        with pytest.raises(UnknownEntity) as info:
            g.find(name)
        assert info.value.candidates == ["place:iran"]  # suggested, not chosen


def test_ambiguous_surname_lists_the_candidates_most_mentioned_first() -> None:
    g = hand_graph(
        person("person:john-smith", "John Smith", articles=1),
        person("person:kim-smith", "Kim Smith", articles=3),
        person("person:ann-lee", "Ann Lee"),
    )
    with pytest.raises(AmbiguousEntity) as info:
        g.find("Smith")
    assert info.value.candidates == ["person:kim-smith", "person:john-smith"]
    assert str(info.value).startswith("'Smith' matches 2 entities: Kim Smith (person:kim-smith), John Smith (")
    assert g.find("Lee").id == "person:ann-lee"


def test_ambiguous_alias_and_type_narrows_it() -> None:
    g = hand_graph(
        person("place:georgia", "Georgia", type="place", articles=2),
        person("person:georgia", "Georgia", type="person"),
    )
    with pytest.raises(AmbiguousEntity) as info:
        g.find("georgia")
    assert set(info.value.candidates) == {"place:georgia", "person:georgia"}
    assert g.find("Georgia", type="person").id == "person:georgia"
    with pytest.raises(ConfigError, match="unknown entity type 'animal'"):
        g.find("Georgia", type="animal")


def test_a_label_beats_an_alias_of_another_entity() -> None:
    g = hand_graph(
        person("place:washington", "Washington", type="place"),
        person("place:washington-dc", "Washington DC", type="place", aliases=("Washington",), articles=3),
        person("person:george-washington", "George Washington", aliases=("Washington",)),
    )
    assert g.find("washington").id == "place:washington"
    assert g.find("Washington DC").id == "place:washington-dc"
    assert g.find("Washington", type="person").id == "person:george-washington"
    shared_alias_only = hand_graph(
        person("place:washington-dc", "Washington DC", type="place", aliases=("Washington",)),
        person("person:george-washington", "George Washington", aliases=("Washington",)),
    )
    with pytest.raises(AmbiguousEntity) as info:
        shared_alias_only.find("Washington")
    assert sorted(info.value.candidates) == ["person:george-washington", "place:washington-dc"]


def test_fuzzy_tie_is_ambiguous() -> None:
    g = hand_graph(person("person:hanna-berg", "Hanna Berg"), person("person:hanne-berg", "Hanne Berg"))
    assert g.find("Hanne Berg").id == "person:hanne-berg"
    with pytest.raises(AmbiguousEntity) as info:
        g.find("Hanni Berg")
    assert sorted(info.value.candidates) == ["person:hanna-berg", "person:hanne-berg"]
    assert "is close to 2 entities" in str(info.value)


def test_a_full_name_beats_a_surname_in_fuzzy_matching() -> None:
    g = hand_graph(
        person("place:london", "London", type="place", articles=3), person("person:julie-london", "Julie London")
    )
    assert g.find("Londn").id == "place:london"
    assert g.find("London").id == "place:london"


def test_extra_node_attributes_do_not_matter() -> None:
    g = demo().graph
    for i, n in enumerate(g):
        g.nodes[n].update(x=float(i), y=-1.0, community=3)
    k = KnowledgeGraph(g)
    assert k.find("khalilzad").id == KHALILZAD
    assert k.neighbors("Khalilzad")[0].label == "Doha"


# -- neighbours, entities, edges ----------------------------------------------------------------
def test_neighbors_strongest_first(kg: KnowledgeGraph) -> None:
    rows = kg.neighbors("Khalilzad")
    assert [(r.label, r.weight, r.sentence_count) for r in rows] == [
        ("Doha", 2, 2),
        ("Taliban", 2, 2),
        ("Kabul", 2, 1),
        ("Ashraf Ghani", 1, 1),
        ("United States", 1, 0),
    ]


def test_neighbors_filters(kg: KnowledgeGraph) -> None:
    assert [r.label for r in kg.neighbors("Khalilzad", type="person")] == ["Ashraf Ghani"]
    assert [r.label for r in kg.neighbors("Khalilzad", min_weight=2)] == ["Doha", "Taliban", "Kabul"]
    assert [r.label for r in kg.neighbors("Khalilzad", limit=1)] == ["Doha"]
    assert kg.neighbors("Ankara", type="organization") == []


def test_entities_and_edges_are_plain_rows(kg: KnowledgeGraph) -> None:
    people = kg.entities(type="person")
    assert [e.label for e in people] == ["Zalmay Khalilzad", "Ashraf Ghani", "Mevlüt Çavuşoğlu"]
    assert len(kg.entities()) == kg.graph.number_of_nodes()
    edges = kg.edges()
    assert len(edges) == kg.graph.number_of_edges()
    assert [e.weight for e in edges] == sorted((e.weight for e in edges), reverse=True)
    strong = kg.edges(min_weight=2)
    assert {(e.source_label, e.target_label) for e in strong} == {
        ("Doha", "Taliban"),
        ("Doha", "Zalmay Khalilzad"),
        ("Taliban", "Zalmay Khalilzad"),
        ("Kabul", "Zalmay Khalilzad"),
    }
    row = strong[0].model_dump()
    assert set(row) == {
        "source",
        "target",
        "source_label",
        "target_label",
        "weight",
        "sentence_count",
        "article_ids",
        "first_seen",
        "last_seen",
        "unit",
        "expected",
        "lift",
        "npmi",
        "p_value",
        "q_value",
        "backbone",
    }
    json.dumps([e.model_dump(mode="json") for e in kg.entities()])  # plain data


# -- evidence and paths -------------------------------------------------------------------------
def test_evidence_groups_sentences_by_article(kg: KnowledgeGraph) -> None:
    ev = kg.evidence("Khalilzad", "Kabul")
    assert isinstance(ev, Evidence)
    assert (ev.a.id, ev.b.id, ev.weight, ev.sentence_count) == (KHALILZAD, "place:kabul", 2, 1)
    a1, a3 = ev.articles
    assert (a1.id, a1.title, a1.date, a1.url) == (
        "a1",
        "Envoy meets the Taliban in Doha",
        "2021-03-01",
        "https://example.org/a1",
    )
    assert a1.sentences == ()  # Khalilzad and Kabul are in different sentences of a1
    assert (a3.id, a3.date, a3.url) == ("a3", None, None)
    assert a3.sentences == ("In Kabul, Special Representative Khalilzad met President Ashraf Ghani.",)
    assert ev.sentences == list(a3.sentences)
    # 4 articles: tested by sentence; Khalilzad in 3 of the 4 sentences naming two entities, Kabul in 1
    assert (ev.unit, ev.expected) == ("sentence", 0.75)
    assert repr(ev) == "<Evidence Zalmay Khalilzad — Kabul: 2 articles, 1 sentence (0.8 expected; 1 kept)>"


def test_evidence_is_symmetric_and_empty_when_unlinked(kg: KnowledgeGraph) -> None:
    ab, ba = kg.evidence("Taliban", "Doha"), kg.evidence("Doha", "Taliban")
    assert [a.id for a in ab.articles] == [a.id for a in ba.articles] == ["a1", "a2"]
    none = kg.evidence("Ankara", "Doha")
    assert (none.weight, none.sentence_count, none.articles) == (0, 0, ())


@pytest.mark.parametrize("name", ["graph.json", "graph.graphml"])
def test_evidence_after_load(kg: KnowledgeGraph, tmp_path: Path, name: str) -> None:
    kg.save(tmp_path)
    loaded = load(tmp_path / name)
    for a, b in [("Khalilzad", "Kabul"), ("Taliban", "Doha"), ("Ashraf Ghani", "Kabul"), ("Ankara", "Doha")]:
        assert loaded.evidence(a, b) == kg.evidence(a, b)
    assert loaded.neighbors("Khalilzad") == kg.neighbors("Khalilzad")


def test_path_with_evidence_per_hop(kg: KnowledgeGraph) -> None:
    p = kg.path("Ashraf Ghani", "Doha")
    assert [e.label for e in p.entities] == ["Ashraf Ghani", "Zalmay Khalilzad", "Doha"]
    assert p.length == 2
    assert [(h.a.label, h.b.label, h.weight) for h in p.hops] == [
        ("Ashraf Ghani", "Zalmay Khalilzad", 1),
        ("Zalmay Khalilzad", "Doha", 2),
    ]
    assert p.hops[1].articles[0].sentences == ("Zalmay Khalilzad met the Taliban in Doha.",)
    assert repr(p) == "<EntityPath Ashraf Ghani → Zalmay Khalilzad → Doha (2 hops)>"
    assert kg.path("Ashraf Ghani", "Ankara") is None
    assert kg.path("Doha", "doha").length == 0


def test_path_fewest_hops_then_strongest_links() -> None:
    nodes = [person(f"person:{c}", c.upper()) for c in "abcde"]
    g = hand_graph(
        *nodes,
        edges=(
            ("person:a", "person:b", 1),
            ("person:b", "person:d", 1),
            ("person:a", "person:c", 3),
            ("person:c", "person:d", 3),
            ("person:d", "person:e", 1),
            ("person:a", "person:e", 1),
        ),
    )
    assert [e.id for e in g.path("A", "D").entities] == ["person:a", "person:c", "person:d"]
    assert [e.id for e in g.path("A", "E").entities] == ["person:a", "person:e"]  # one weak hop beats two strong


# -- smaller graphs -----------------------------------------------------------------------------
def test_ego_keeps_neighbours_and_their_articles(kg: KnowledgeGraph) -> None:
    small = kg.ego("Ashraf Ghani")
    assert set(small.graph) == {"person:ashraf-ghani", KHALILZAD, "place:kabul"}
    assert small.graph.number_of_edges() == 3
    assert sorted(small.graph.graph["articles"]) == ["a1", "a2", "a3"]
    assert small.graph.graph["article_count"] == 3
    assert small.graph.graph["inputs"] == ["demo"]
    assert "Ashraf Ghani" in small.graph.graph["selection"]
    assert small.evidence("Khalilzad", "Kabul") == kg.evidence("Khalilzad", "Kabul")
    two = kg.ego("Ashraf Ghani", radius=2)
    assert "place:doha" in two.graph and "place:ankara" not in two.graph
    assert set(kg.ego("Khalilzad", min_weight=2).graph) == {
        KHALILZAD,
        "place:doha",
        "organization:taliban",
        "place:kabul",
    }
    assert set(kg.ego("Doha", radius=0).graph) == {"place:doha"}


def test_ego_is_a_copy(kg: KnowledgeGraph) -> None:
    small = kg.ego("Kabul")
    small.graph.nodes["place:kabul"]["aliases"].append("Changed")
    small.graph.graph["articles"]["a1"]["title"] = "Changed"
    assert "Changed" not in kg.graph.nodes["place:kabul"]["aliases"]
    assert kg.graph.graph["articles"]["a1"]["title"] == "Envoy meets the Taliban in Doha"


def test_subgraph_saves_and_loads_like_the_whole(kg: KnowledgeGraph, tmp_path: Path) -> None:
    rows = [
        AliasRow(surface="Doha", entity_id="place:doha", entity_label="Doha", rule="exact", article_ids=("a1",)),
        AliasRow(surface="Kabul", entity_id="place:kabul", entity_label="Kabul", rule="exact", article_ids=("a1",)),
    ]
    whole = KnowledgeGraph(kg.graph, alias_rows=rows)
    small = whole.subgraph(["Taliban", "Doha", "Ankara"])
    assert repr(small) == "<KnowledgeGraph 3 entities, 1 edges, 3 articles>"
    assert [r.surface for r in small.alias_rows] == ["Doha"]
    written = small.save(tmp_path)
    assert {"json", "graphml", "html", "aliases"} <= set(written)
    for name in ("graph.json", "graph.graphml"):
        back = load(tmp_path / name)
        assert set(back.graph) == {"organization:taliban", "place:doha", "place:ankara"}
        assert back.evidence("Taliban", "Doha") == small.evidence("Taliban", "Doha")
        assert sorted(back.graph.graph["articles"]) == ["a1", "a2", "a4"]
        assert back.info().selection == small.info().selection


def test_unknown_names_in_smaller_graphs(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity):
        kg.subgraph(["Doha", "Atlantis"])
    with pytest.raises(ConfigError):
        kg.ego("Doha", radius=-1)


# -- rankings and communities -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("by", "first"),
    [
        ("articles", "Zalmay Khalilzad"),
        ("degree", "Zalmay Khalilzad"),
        ("weighted_degree", "Zalmay Khalilzad"),
        ("pagerank", "Zalmay Khalilzad"),
        ("betweenness", "Zalmay Khalilzad"),
    ],
)
def test_top_every_ranking(kg: KnowledgeGraph, by: str, first: str) -> None:
    rows = kg.top(3, by=by)
    assert [r.rank for r in rows] == [1, 2, 3]
    assert rows[0].label == first and all(r.by == by for r in rows)
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)


def test_top_values(kg: KnowledgeGraph) -> None:
    assert [(r.label, r.score) for r in kg.top(2, by="articles")] == [("Zalmay Khalilzad", 3.0), ("Taliban", 2.0)]
    wd = {r.label: r.score for r in kg.top(100, by="weighted_degree")}
    assert wd["Zalmay Khalilzad"] == 2 + 2 + 2 + 1 + 1
    assert wd["Ankara"] == 1
    assert [r.label for r in kg.top(5, type="person")] == ["Zalmay Khalilzad", "Ashraf Ghani", "Mevlüt Çavuşoğlu"]
    assert kg.top(0) == []


def test_top_rejects_unknown_rankings(kg: KnowledgeGraph) -> None:
    with pytest.raises(ConfigError, match="unknown ranking 'fame': choose one of articles, degree"):
        kg.top(by="fame")


def test_betweenness_treats_strong_links_as_short() -> None:
    # a square: a-b-c strong, c-d-a weak; the shortest a..c route runs through b, not d
    nodes = [person(f"person:{c}", c.upper()) for c in "abcd"]
    g = hand_graph(
        *nodes,
        edges=(
            ("person:a", "person:b", 5),
            ("person:b", "person:c", 5),
            ("person:c", "person:d", 1),
            ("person:d", "person:a", 1),
        ),
    )
    scores = {r.label: r.score for r in g.top(4, by="betweenness")}
    assert scores["B"] > scores["D"]


def test_betweenness_is_sampled_with_a_fixed_seed_on_large_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = nx.betweenness_centrality

    def spy(G, **kw):
        calls.append(kw)
        return real(G, **kw)

    monkeypatch.setattr(metrics, "BETWEENNESS_EXACT_MAX_NODES", 10)
    monkeypatch.setattr(metrics, "BETWEENNESS_SAMPLES", 5)
    monkeypatch.setattr(metrics.nx, "betweenness_centrality", spy)
    g = nx.connected_watts_strogatz_graph(30, 4, 0.3, seed=1)
    g = nx.relabel_nodes(g, {i: f"person:p{i:02d}" for i in g})
    nx.set_node_attributes(g, "person", "type")
    nx.set_edge_attributes(g, 1, "weight")
    first = [(r.id, r.score) for r in KnowledgeGraph(g).top(10, by="betweenness")]
    shuffled = nx.Graph()
    nodes = list(g.nodes(data=True))
    random.Random(3).shuffle(nodes)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(reversed(list(g.edges(data=True))))
    second = [(r.id, r.score) for r in KnowledgeGraph(shuffled).top(10, by="betweenness")]
    assert first == second
    assert calls[0]["k"] == 5 and calls[0]["seed"] == metrics.SEED
    assert KnowledgeGraph(nx.path_graph(["person:a", "person:b"])).top(by="betweenness")  # small: exact
    assert calls[-1]["k"] is None


def test_communities_split_two_groups() -> None:
    left = [f"person:l{i}" for i in range(5)]
    right = [f"place:r{i}" for i in range(4)]
    edges = [(a, b, 3) for grp in (left, right) for i, a in enumerate(grp) for b in grp[i + 1 :]]
    edges.append((left[0], right[0], 1))
    nodes = [person(n, n.split(":")[1].upper(), type=n.split(":")[0]) for n in left + right]
    nodes.append(person("person:alone", "Alone"))
    g = hand_graph(*nodes, edges=tuple(edges))
    groups = g.communities()
    assert [[e.id for e in c.entities] for c in groups] == [left, right]
    assert [c.size for c in groups] == [5, 4]
    assert groups[0].internal_weight == 3 * 10
    assert len(g.communities(min_size=1)) == 3  # the unlinked entity is a group of one
    assert repr(groups[0]) == "<Community 0: 5 entities: L0, L1, L2, L3, L4>"


def test_communities_are_deterministic(kg: KnowledgeGraph, tmp_path: Path) -> None:
    expected = [[e.id for e in c.entities] for c in kg.communities()]
    kg.save(tmp_path)
    for name in ("graph.json", "graph.graphml"):
        assert [[e.id for e in c.entities] for c in load(tmp_path / name).communities()] == expected
    reordered = nx.Graph()
    reordered.graph.update(kg.graph.graph)
    reordered.add_nodes_from(reversed(list(kg.graph.nodes(data=True))))
    reordered.add_edges_from(reversed(list(kg.graph.edges(data=True))))
    assert [[e.id for e in c.entities] for c in KnowledgeGraph(reordered).communities()] == expected
    # ... and in other processes, whatever their string hashing
    code = (
        "import json, sys, kgraph; kg = kgraph.load(sys.argv[1]); "
        "print(json.dumps([[e.id for e in c.entities] for c in kg.communities()]))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True, check=True
        )
        assert json.loads(done.stdout) == expected


# -- info, load, docs ---------------------------------------------------------------------------
def test_info(kg: KnowledgeGraph, tmp_path: Path) -> None:
    i = kg.info()
    assert (i.articles, i.entities, i.edges, i.components, i.largest_component, i.isolated) == (4, 8, 12, 2, 6, 0)
    assert i.by_type == {"organization": 1, "person": 3, "place": 4}
    assert i.source is None and i.inputs == ("demo",)
    kg.save(tmp_path)
    for name in ("graph.json", "graph.graphml"):
        back = load(tmp_path / name).info()
        assert back.source == str(tmp_path / name)
        assert back.model_dump(exclude={"source"}) == i.model_dump(exclude={"source"})


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="run 'kgraph build' first"):
        load(tmp_path)
    with pytest.raises(OutputError, match="no graph at '.*missing.json': run 'kgraph build' first"):
        load(tmp_path / "missing.json")
    (tmp_path / "graph.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot read graph"):
        load(tmp_path)


@pytest.mark.parametrize(
    "module",
    ["kgraph.query.knowledge", "kgraph.query.results", "kgraph.query.lookup", "kgraph.query.metrics", "kgraph._demo"],
)
def test_docstring_examples_run(module: str) -> None:
    mod = __import__(module, fromlist=["_"])
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted >= (20 if module == "kgraph.query.knowledge" else 0)


# -- issue 4's checks on the seeds, with the real model -------------------------------------------
@pytest.fixture(scope="module", params=["built", "graph.json", "graph.graphml"])
def seeds(
    request: pytest.FixtureRequest, seed_kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> KnowledgeGraph:
    if request.param == "built":
        return seed_kg
    folder = tmp_path_factory.mktemp("seed_outputs")
    seed_kg.save(folder)
    return load(folder / request.param)


@pytest.mark.model
def test_seeds_find_one_khalilzad(seeds: KnowledgeGraph) -> None:
    found = {seeds.find(name).id for name in ("khalilzad", "Zalmay Khalilzad’s", "zalmay khalilzad")}
    assert found == {KHALILZAD}
    assert seeds.find("U.S.").id == seeds.find("United States").id == seeds.find("America").id


@pytest.mark.model
def test_seeds_khalilzad_neighbours_start_with_taliban_and_doha(seeds: KnowledgeGraph) -> None:
    rows = seeds.neighbors("Khalilzad")
    weights = [r.weight for r in rows]
    assert weights == sorted(weights, reverse=True)
    leaders = [r for r in rows if r.weight == rows[0].weight]
    assert rows[0].weight == 5
    assert {"Taliban", "Doha"} <= {r.label for r in leaders}
    by_label = {r.label: r.weight for r in rows}
    assert by_label["Taliban"] == by_label["Doha"] == 5


@pytest.mark.model
def test_seeds_evidence_khalilzad_kabul(seeds: KnowledgeGraph) -> None:
    ev = seeds.evidence("Khalilzad", "Kabul")
    ids = [a.id for a in ev.articles]
    assert ids == ["000_ddb369d156b61e30", "001_b29daaf1fc701ae9", "002_f068c07213cd58e5", "004_d26698449e4e5510"]
    assert ev.weight == 4
    for art in ev.articles:
        assert art.sentences, art.id
        for s in art.sentences:
            assert "Kabul" in s and "Khalilzad" in s
    assert ev.articles[1].title == "US envoy to Afghanistan Zalmay Khalilzad meets Taliban before Istanbul conference"


@pytest.mark.model
def test_seeds_same_answers_from_every_format(seeds: KnowledgeGraph, seed_kg: KnowledgeGraph) -> None:
    assert seeds.neighbors("Khalilzad") == seed_kg.neighbors("Khalilzad")
    assert seeds.evidence("Khalilzad", "Kabul") == seed_kg.evidence("Khalilzad", "Kabul")
    assert seeds.top(10, by="pagerank") == seed_kg.top(10, by="pagerank")
    assert seeds.communities() == seed_kg.communities()
    assert seeds.path("Mevlut Cavusoglu", "Suhail Shaheen") == seed_kg.path("Mevlut Cavusoglu", "Suhail Shaheen")
    assert set(seeds.ego("Ashraf Ghani", min_weight=2).graph) == set(seed_kg.ego("Ashraf Ghani", min_weight=2).graph)
