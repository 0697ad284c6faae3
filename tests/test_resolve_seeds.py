"""Resolution on the bundled seeds with the real model: the checks of the resolution issue.

Nodes are found by the names they go by (label or alias), never by a hard-coded id.
"""

from __future__ import annotations

import pytest

from kgraph.normalize import match_key

pytestmark = pytest.mark.model


def nodes_named(kg, *names: str) -> list[str]:
    """The ids of the nodes whose label or aliases include any of `names` (any case/accents)."""
    keys = {match_key(n) for n in names}
    return sorted(n for n, d in kg.graph.nodes(data=True) if keys & {match_key(x) for x in [d["label"], *d["aliases"]]})


def one_node(kg, *names: str) -> dict:
    """The one node that goes by `names`; and every mention of those names went to it."""
    found = nodes_named(kg, *names)
    assert len(found) == 1, f"{names}: {found}"
    for name in names:
        ids = {r.entity_id for r in kg.alias_rows if match_key(r.surface) == match_key(name)}
        assert ids <= {found[0]}, f"{name} also became {ids - {found[0]}}"
    return kg.graph.nodes[found[0]]


@pytest.mark.parametrize(
    ("names", "etype"),
    [
        (("Zalmay Khalilzad", "Khalilzad", "Special Representative Khalilzad"), "person"),
        (("United States", "US", "U.S.", "America"), "place"),
        (("US State Department", "State Department"), "organization"),
        (("NATO", "Nato"), "organization"),
        (("al-Qaeda", "Al Qaeda"), "organization"),
        (("Joe Biden", "Biden"), "person"),
        (("Donald Trump", "Trump"), "person"),
        (("Lloyd Austin", "Austin", "Defence Lloyd Austin"), "person"),
        (("Ned Price", "Price"), "person"),
        (("Mohammad Naeem", "Naeem"), "person"),
        (("Hulusi Akar", "Akar"), "person"),
        (("Javid Faisal", "Faisal"), "person"),
    ],
)
def test_one_node_per_entity(seed_kg, names: tuple[str, ...], etype: str) -> None:
    node = one_node(seed_kg, *names)
    assert node["type"] == etype
    assert match_key(node["label"]) == match_key(names[0])


def test_khalilzad_is_a_person_in_all_five_articles(seed_kg) -> None:
    node = one_node(seed_kg, "Zalmay Khalilzad")
    assert node["type"] == "person"
    assert node["article_count"] == 5


def test_ghani_and_baradar_are_two_people(seed_kg) -> None:
    ghani = nodes_named(seed_kg, "Ashraf Ghani")
    baradar = nodes_named(seed_kg, "Abdul Ghani Baradar")
    assert len(ghani) == len(baradar) == 1 and ghani != baradar


def test_edge_weights(seed_kg) -> None:
    g = seed_kg.graph
    khalilzad = nodes_named(seed_kg, "Zalmay Khalilzad")[0]
    weights = {g.nodes[n]["label"]: d["weight"] for _, n, d in g.edges(khalilzad, data=True)}
    assert weights["Taliban"] == 5
    assert weights["Doha"] == 5
    assert weights["Kabul"] == 4


def test_noise_and_glued_names_are_gone(seed_kg) -> None:
    labels = {d["label"] for _, d in seed_kg.graph.nodes(data=True)}
    for junk in ("Cease", "Defense", "A THIRD PARTY", "Defence Lloyd Austin", "Khost province"):
        assert junk not in labels
    assert one_node(seed_kg, "Abdullah Abdullah")["type"] == "person"
    assert one_node(seed_kg, "Twitter")["type"] == "organization"
    rules = {r.surface: r.rule for r in seed_kg.alias_rows}
    assert rules["Cease"] == "dropped (ordinary word, seen once)"
    assert rules["Price"] == "short name (same article)"
