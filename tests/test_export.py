from __future__ import annotations

import json

import networkx as nx
import pytest

import kgraph
from kgraph.errors import OutputError
from kgraph.export.csv import safe_cell
from kgraph.export.graphml import read_graphml, write_graphml
from kgraph.export.json import read_json, write_json

from .test_graph import graph_of
from .test_resolve import art


@pytest.fixture()
def small_graph() -> nx.Graph:
    g = graph_of(
        art("a", ("Taliban", "organization", 0), ("Doha", "place", 0), ("Zalmay Khalilzad", "person", 1)),
        art("b", ("Taliban", "organization", 0), ("Doha", "place", 0), ("Khalilzad", "person", 0)),
    )
    g.graph["articles"]["a"] = {"title": "A | title <with> markup", "url": "https://example.org/a"}
    return g


def test_json_round_trip_keeps_lists(tmp_path, small_graph) -> None:
    write_json(small_graph, tmp_path / "g.json")
    h = read_json(tmp_path / "g.json")
    assert nx.utils.graphs_equal(small_graph, h)
    assert h.nodes["person:zalmay-khalilzad"]["aliases"] == ["Khalilzad", "Zalmay Khalilzad"]
    assert h.graph["articles"]["a"]["title"] == "A | title <with> markup"


def test_graphml_round_trip(tmp_path, small_graph) -> None:
    write_graphml(small_graph, tmp_path / "g.graphml")
    h = read_graphml(tmp_path / "g.graphml")
    assert set(h.nodes) == set(small_graph.nodes)
    assert set(map(frozenset, h.edges)) == set(map(frozenset, small_graph.edges))
    for n, d in small_graph.nodes(data=True):
        assert h.nodes[n] == d
    e = h.edges["organization:taliban", "place:doha"]
    assert e["weight"] == 2 and e["article_ids"] == ["a", "b"]
    assert h.graph["articles"] == small_graph.graph["articles"]


def test_graphml_attribute_types_are_declared_once(tmp_path, small_graph) -> None:
    write_graphml(small_graph, tmp_path / "g.graphml")
    text = (tmp_path / "g.graphml").read_text()
    assert text.count('attr.name="weight"') == 1
    assert 'attr.name="aliases" attr.type="string"' in text


def test_save_writes_every_output_and_load_reads_them(tmp_path, small_graph) -> None:
    kg = kgraph.KnowledgeGraph(small_graph)
    written = kg.save(tmp_path / "out")
    assert {p.name for p in written.values()} == {
        "graph.json",
        "graph.graphml",
        "graph.gexf",
        "graph.html",
        "nodes.csv",
        "edges.csv",
    }
    for source in (tmp_path / "out", tmp_path / "out" / "graph.json", tmp_path / "out" / "graph.graphml"):
        again = kgraph.load(source)
        assert again.graph.number_of_nodes() == small_graph.number_of_nodes()
        assert again.graph.edges["organization:taliban", "place:doha"]["weight"] == 2
    assert not list((tmp_path / "out").glob(".kgraph-tmp-*"))


def test_load_of_nothing_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(OutputError, match="kgraph build"):
        kgraph.load(tmp_path)
    (tmp_path / "graph.json").write_text("{not json")
    with pytest.raises(OutputError, match="cannot read graph"):
        kgraph.load(tmp_path / "graph.json")


def test_html_is_self_contained_and_escapes_names(tmp_path) -> None:
    g = graph_of(art("a", ("<img src=x onerror=alert(1)>", "person"), ("</script><script>alert(2)</script>", "place")))
    kgraph.KnowledgeGraph(g).save(tmp_path)
    html = (tmp_path / "graph.html").read_text()
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    assert 'src="http' not in html and 'href="http' not in html
    data = html.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<img" in json.loads(data)["nodes"][0]["label"] or "<img" in json.loads(data)["nodes"][1]["label"]


@pytest.mark.parametrize(
    ("cell", "safe"), [("=1+1", "'=1+1"), ("+A", "'+A"), ("-2", "'-2"), ("@x", "'@x"), ("ok", "ok")]
)
def test_csv_cells_cannot_be_formulas(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe


@pytest.mark.parametrize("keys", ["text", "numbers"])
def test_json_writes_many_articles_a_chunk_at_a_time_with_the_same_text(
    tmp_path, small_graph, monkeypatch, keys
) -> None:
    """The graph's attributes (a million articles' metadata in a large corpus) are written in
    pieces: the file starts with the very text json gives them whole."""
    from kgraph.export import json as graph_json

    monkeypatch.setattr(graph_json, "_HEAD_CHUNK", 2)
    g = small_graph.copy()
    g.graph["articles"] = {f"a{i}": {"title": f'T\u00e9 {i} \ud800 "q"', "url": None} for i in range(7)}
    g.graph["few"] = {"x": [1, 2.5, None]}
    if keys == "numbers":
        g.graph[3] = "a key json turns into text"
    write_json(g, tmp_path / "g.json")
    encode = graph_json.without_lone_surrogates(json.JSONEncoder(ensure_ascii=False).encode)
    whole = encode({"directed": False, "multigraph": False, "graph": g.graph})
    text = (tmp_path / "g.json").read_text(encoding="utf-8")
    assert text.startswith(whole[:-1] + ', "nodes": [\n')
    assert read_json(tmp_path / "g.json").graph["articles"]["a6"]["title"] == 'T\u00e9 6 \ufffd "q"'


def test_graphml_writes_many_articles_a_chunk_at_a_time_with_the_same_text(tmp_path, small_graph, monkeypatch) -> None:
    """GraphML holds the articles' metadata as one JSON attribute of the graph: written in
    pieces, it is the text the whole attribute gives, escaped alike."""
    from kgraph.export import graphml

    g = small_graph.copy()
    titles = ["<b>&amp;</b>", "a\rb", "bell\x07", "line\u2028sep", "]]>", "lone \ud800", "é ü"]
    g.graph["articles"] = {f"a{i}": {"title": t, "url": None} for i, t in reversed(list(enumerate(titles)))}
    write_graphml(g, tmp_path / "whole.graphml")
    monkeypatch.setattr(graphml, "_GRAPH_CHUNK", 2)
    write_graphml(g, tmp_path / "chunks.graphml")
    assert (tmp_path / "chunks.graphml").read_bytes() == (tmp_path / "whole.graphml").read_bytes()
    back = read_graphml(tmp_path / "chunks.graphml").graph["articles"]
    assert list(back) == sorted(g.graph["articles"])  # the keys sorted, as JSON's sort_keys
    assert back["a0"]["title"] == "<b>&amp;</b>" and back["a1"]["title"] == "a\rb"


def test_json_has_one_sorted_node_or_edge_a_line(tmp_path, small_graph) -> None:
    write_json(small_graph, tmp_path / "g.json")
    lines = (tmp_path / "g.json").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + small_graph.number_of_nodes() + 1 + small_graph.number_of_edges() + 1
    node_lines = lines[1 : 1 + small_graph.number_of_nodes()]
    ids = [json.loads(line.rstrip(",").lstrip(","))["id"] for line in node_lines]
    assert ids == sorted(small_graph.nodes)
    data = json.loads("\n".join(lines))
    assert [(e["source"], e["target"]) for e in data["edges"]] == sorted(tuple(sorted(e)) for e in small_graph.edges)
    assert data["graph"]["articles"]["a"]["title"] == "A | title <with> markup"
