"""Opening the graph in Gephi: graph.graphml and graph.gexf import cleanly, look right at once,
and read back (networkx, igraph) as the graph that was written — even from hostile articles."""

from __future__ import annotations

import doctest
import importlib.util
import json
import math
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import igraph
import networkx as nx
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import kgraph
import kgraph.export._xml
import kgraph.export.gexf
import kgraph.layout
from kgraph.errors import OutputError
from kgraph.export._xml import xml_safe
from kgraph.export.gexf import read_gexf, write_gexf
from kgraph.export.graphml import read_graphml, write_graphml
from kgraph.export.style import TYPE_COLORS
from kgraph.layout import SCALE, add_layout, layout

from .conftest import ROOT
from .test_graph import graph_of
from .test_resolve import art

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"
CONTROL = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r")

#: Names full of what breaks XML and Gephi, as an entity_ruler tags them.
HOSTILE_PATTERNS = [
    ("PERSON", "Zalmay Khalilzad"),
    ("ORG", "AT&T"),
    ("ORG", "<Acme> Corp"),
    ("PERSON", "محمد عباس"),
    ("GPE", "ירושלים"),
    ("ORG", "Rocket 🚀 Labs"),
    ("PERSON", 'Dwayne "The Rock" Johnson'),
    ("ORG", "Fish & Chips ]]> Ltd"),
    ("GPE", "Doha"),
    ("PERSON", "O'Brien | Smith"),
    ("PERSON", "Back\\slash Bob"),
]
HOSTILE_ARTICLES = {
    "a": "Talks\x07 in Doha <b>&amp;</b>\n\nZalmay Khalilzad met AT&T and <Acme> Corp in Doha.\x01\x02 "
    "Rocket 🚀 Labs said ]]> nothing.",
    "b": f'عنوان ירושלים\x1b\n\nمحمد عباس visited ירושלים with Dwayne "The Rock" Johnson.{CONTROL} '
    "Fish & Chips ]]> Ltd paid Back\\slash Bob.",
    "c": "O'Brien | Smith and Zalmay Khalilzad flew to Doha \U0001f600 with AT&T.\x0b\x0c "
    'Dwayne "The Rock" Johnson agreed with Back\\slash Bob.',
}
HOSTILE_JSONL = {
    "id": "j1\x01<x>",
    "title": 'T\x00itle & <x> "q" ]]> \u202eevil\u202c',
    "text": "Rocket 🚀 Labs and <Acme> Corp in Doha.\x00 محمد عباس and Zalmay Khalilzad and ירושלים.",
}


# -- helpers ------------------------------------------------------------------------------------
def gephi_lint() -> ModuleType:
    """shared/tools/gephi_lint.py, found beside the checkout (or beside one of its parents)."""
    for folder in (ROOT, *ROOT.parents):
        path = folder / "shared" / "tools" / "gephi_lint.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location("gephi_lint", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    pytest.fail(
        f"gephi_lint.py not found: expected shared/tools/gephi_lint.py beside {ROOT} "
        "(CI checks out shared/ next to the repository)"
    )


def blocking_problems(path: Path) -> list[str]:
    lint = gephi_lint()
    return [p for p in lint.lint(path) if p.startswith(lint.BLOCKING)]


def as_xml(value: Any) -> Any:
    """What an XML file can hold of `value`: every string without XML-forbidden characters."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [as_xml(v) for v in value]
    if isinstance(value, dict):
        return {as_xml(k): as_xml(v) for k, v in value.items()}
    return value


def node_table(g: nx.Graph, *, xml: bool = False) -> dict[str, dict[str, Any]]:
    conv = as_xml if xml else (lambda v: v)
    return {conv(str(n)): conv(dict(d)) for n, d in g.nodes(data=True)}


def edge_table(g: nx.Graph, *, xml: bool = False) -> dict[frozenset[str], dict[str, Any]]:
    conv = as_xml if xml else (lambda v: v)
    return {frozenset((conv(str(a)), conv(str(b)))): conv(dict(d)) for a, b, d in g.edges(data=True)}


def gephi_string_array(value: str) -> list[str | None]:
    """Parse a liststring value the way Gephi's graphstore does (ArraysParser.parseArray):
    brackets, commas and blanks between values are skipped, a quoted literal runs to its
    closing quote with backslash escapes, an unquoted value runs to a comma or a bracket."""
    if value.lower() == "<empty>":
        return []
    out: list[str | None] = []
    i, text = 0, value + " "
    while i < len(text):
        c = text[i]
        if c in "[]() \t\r\n,":
            i += 1
        elif c in "\"'":
            buf, escaped, i = [], False, i + 1
            while i < len(text):
                ch = text[i]
                i += 1
                if ch == c and not escaped:
                    break
                if ch == "\\" and not escaped:
                    escaped = True
                    continue
                escaped = False
                buf.append(ch)
            out.append("".join(buf))
        else:
            j = i
            while j < len(text) and text[j] not in ",)]":
                j += 1
            item = text[i:j].strip()
            out.append(None if item == "null" else item)
            i = j + 1 if j < len(text) and text[j] == "," else j
    return out


# -- the graph built from hostile articles --------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[kgraph.KnowledgeGraph, Path]:
    root = tmp_path_factory.mktemp("hostile")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": label, "pattern": p} for label, p in HOSTILE_PATTERNS])
    nlp.to_disk(root / "model")
    articles = root / "articles"
    articles.mkdir()
    for name, body in HOSTILE_ARTICLES.items():
        (articles / f"{name}.txt").write_text(body, encoding="utf-8")
    (articles / "more.jsonl").write_text(json.dumps(HOSTILE_JSONL) + "\n", encoding="utf-8")
    kg = kgraph.build([articles], model=str(root / "model"), jobs=1)
    kg.save(root / "out")
    return kg, root / "out"


def test_hostile_graph_really_holds_hostile_text(hostile) -> None:
    kg, _ = hostile
    labels = {d["label"] for _, d in kg.graph.nodes(data=True)}
    assert {"AT&T", "محمد عباس", "ירושלים", "Rocket 🚀 Labs", 'Dwayne "The Rock" Johnson', "O'Brien | Smith"} <= labels
    sentences = [s for _, _, d in kg.graph.edges(data=True) for s in d["sentences"]]
    assert any("\x01" in s for s in sentences) and any("]]>" in s for s in sentences)
    assert any("\x00" in a.get("title", "") for a in kg.graph.graph["articles"].values())


def test_both_files_are_well_formed_and_gephi_lint_finds_nothing_blocking(hostile) -> None:
    _, out = hostile
    for name in ("graph.graphml", "graph.gexf"):
        etree.parse(str(out / name))  # raises on ill-formed XML
    assert blocking_problems(out / "graph.graphml") == []


def test_graphml_loads_back_as_the_graph_json_holds(hostile) -> None:
    kg, out = hostile
    from_json = kgraph.load(out / "graph.json").graph
    from_graphml = kgraph.load(out / "graph.graphml").graph
    assert node_table(from_json) == node_table(kg.graph)
    # GraphML cannot hold control characters: they are dropped, everything else is kept
    assert node_table(from_graphml) == node_table(kg.graph, xml=True)
    assert edge_table(from_graphml) == edge_table(kg.graph, xml=True)
    # graph attributes travel as JSON, which escapes even control characters
    assert from_graphml.graph == from_json.graph == kg.graph.graph


def test_graphml_read_by_igraph_matches_the_graph(hostile) -> None:
    kg, out = hostile
    ig = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    g = kg.graph
    assert (ig.vcount(), ig.ecount()) == (g.number_of_nodes(), g.number_of_edges())
    for v in ig.vs:
        d = g.nodes[v["id"]]
        assert v["label"] == xml_safe(d["label"])
        assert v["type"] == d["type"]
        assert v["article_count"] == d["article_count"] and v["mention_count"] == d["mention_count"]
        assert (v["x"], v["y"]) == (d["x"], d["y"])
        assert v["aliases"] == " | ".join(a.replace("\\", "\\\\").replace("|", "\\|") for a in as_xml(d["aliases"]))
    for e in ig.es:
        a, b = ig.vs[e.source]["id"], ig.vs[e.target]["id"]
        d = g.edges[a, b]
        assert e["weight"] == d["weight"] and e["sentence_count"] == d["sentence_count"]
    assert ig["article_count"] == g.graph["article_count"]


def test_gexf_reads_back_with_networkx_as_the_graph(hostile) -> None:
    kg, out = hostile
    again = read_gexf(out / "graph.gexf")
    assert node_table(again) == node_table(kg.graph, xml=True)
    assert edge_table(again) == edge_table(kg.graph, xml=True)


def test_gexf_lists_parse_as_gephi_parses_them(hostile) -> None:
    kg, out = hostile
    root = etree.parse(str(out / "graph.gexf")).getroot()
    types = {(a.getparent().get("class"), a.get("id")): a.get("type") for a in root.iter(GEXF + "attribute")}
    assert types[("node", "aliases")] == types[("edge", "sentences")] == "liststring"
    for node in root.iter(GEXF + "node"):
        values = {v.get("for"): v.get("value") for v in node.iter(GEXF + "attvalue")}
        assert gephi_string_array(values["aliases"]) == as_xml(kg.graph.nodes[node.get("id")]["aliases"])
    for edge in root.iter(GEXF + "edge"):
        values = {v.get("for"): v.get("value") for v in edge.iter(GEXF + "attvalue")}
        d = kg.graph.edges[edge.get("source"), edge.get("target")]
        assert gephi_string_array(values["sentences"]) == as_xml(d["sentences"])


# -- what Gephi shows ----------------------------------------------------------------------------
def test_graphml_keys_map_to_gephi_properties(hostile) -> None:
    kg, out = hostile
    root = etree.parse(str(out / "graph.graphml")).getroot()
    keys = [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(GRAPHML + "key")]
    declared = {(scope, name): typ for scope, name, typ in keys}
    assert len(declared) == len(keys) == len({k.get("id") for k in root.iter(GRAPHML + "key")})  # one type each
    assert {declared[("node", p)] for p in ("r", "g", "b")} == {"int"}
    assert {declared[("node", p)] for p in ("x", "y", "size")} == {"double"}
    assert declared[("node", "label")] == "string" and declared[("edge", "weight")] == "int"
    edge_ids = [e.get("id") for e in root.iter(GRAPHML + "edge")]
    node_ids = [n.get("id") for n in root.iter(GRAPHML + "node")]
    assert len(set(edge_ids)) == len(edge_ids) == kg.graph.number_of_edges()
    assert len(set(node_ids)) == len(node_ids) == kg.graph.number_of_nodes()


def _graphml_node_values(path: Path) -> dict[str, dict[str, str]]:
    root = etree.parse(str(path)).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iter(GRAPHML + "key") if k.get("for") == "node"}
    return {
        n.get("id"): {names[d.get("key")]: d.text or "" for d in n.iter(GRAPHML + "data")}
        for n in root.iter(GRAPHML + "node")
    }


def test_colour_is_the_type_colour_and_size_grows_with_articles(hostile) -> None:
    kg, out = hostile
    values = _graphml_node_values(out / "graph.graphml")
    gexf = etree.parse(str(out / "graph.gexf")).getroot()
    for node in gexf.iter(GEXF + "node"):
        v = values[node.get("id")]
        d = kg.graph.nodes[node.get("id")]
        expected = TYPE_COLORS[d["type"]]
        assert "#{:02x}{:02x}{:02x}".format(int(v["r"]), int(v["g"]), int(v["b"])) == expected
        color, position, size = node.find(VIZ + "color"), node.find(VIZ + "position"), node.find(VIZ + "size")
        assert "#{:02x}{:02x}{:02x}".format(*(int(color.get(c)) for c in "rgb")) == expected
        assert (
            (float(position.get("x")), float(position.get("y"))) == (d["x"], d["y"]) == (float(v["x"]), float(v["y"]))
        )
        assert float(size.get("value")) == float(v["size"])
    by_count = sorted((kg.graph.nodes[n]["article_count"], float(v["size"])) for n, v in values.items())
    assert [s for _, s in by_count] == sorted(s for _, s in by_count)
    assert by_count[0][1] < by_count[-1][1]


def test_style_is_added_for_gephi_only(tmp_path) -> None:
    g = graph_of(art("a", ("Taliban", "organization"), ("Doha", "place")))
    before = node_table(g)
    write_graphml(g, tmp_path / "g.graphml")
    write_gexf(g, tmp_path / "g.gexf")
    assert node_table(g) == before  # the caller's graph is untouched
    values = _graphml_node_values(tmp_path / "g.graphml")
    assert all({"x", "y", "size", "r", "g", "b"} <= set(v) for v in values.values())
    # a graph without positions gets a layout in the file, and gives back what it had
    assert node_table(read_graphml(tmp_path / "g.graphml")) == before


def test_save_writes_gexf_beside_the_others(tmp_path) -> None:
    g = graph_of(art("a", ("Taliban", "organization"), ("Doha", "place")))
    written = kgraph.KnowledgeGraph(g).save(tmp_path)
    assert written["gexf"] == tmp_path / "graph.gexf"
    assert read_gexf(written["gexf"]).number_of_edges() == 1
    assert not list(tmp_path.glob(".kgraph-tmp-*"))


def test_a_failed_write_leaves_the_old_file(tmp_path) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    g = graph_of(art("a", ("Taliban", "organization"), ("Doha", "place")))
    for write, name in ((write_graphml, "g.graphml"), (write_gexf, "g.gexf")):
        write(g, tmp_path / name)
        old = (tmp_path / name).read_bytes()
        bad = g.copy()
        bad.nodes["place:doha"]["label"] = Unprintable()
        with pytest.raises(RuntimeError):
            write(bad, tmp_path / name)
        assert (tmp_path / name).read_bytes() == old
    assert not list(tmp_path.glob(".kgraph-tmp-*"))


def test_node_ids_that_collide_in_xml_are_a_clear_error(tmp_path) -> None:
    g = nx.Graph()
    g.add_nodes_from(["a\x01", "a"])
    for write in (write_graphml, write_gexf):
        with pytest.raises(OutputError, match="unique"):
            write(g, tmp_path / "g.xml")


def test_mixed_value_types_get_one_declared_type(tmp_path) -> None:
    g = nx.Graph()
    g.add_node("a", score=1, note="x", flag=True)
    g.add_node("b", score=2.5, note=3, flag=False)
    write_graphml(g, tmp_path / "g.graphml")
    assert blocking_problems(tmp_path / "g.graphml") == []
    again = read_graphml(tmp_path / "g.graphml")
    assert again.nodes["a"]["score"] == 1.0 and again.nodes["b"]["score"] == 2.5
    assert again.nodes["b"]["note"] == "3" and again.nodes["b"]["flag"] is False


def test_graphml_from_before_the_encoding_note_still_reads(tmp_path) -> None:
    (tmp_path / "old.graphml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="d0" for="node" attr.name="aliases" attr.type="string"/>'
        '<key id="d1" for="graph" attr.name="inputs" attr.type="string"/>'
        '<graph edgedefault="undirected"><data key="d1">["seeds"]</data>'
        '<node id="n"><data key="d0">A | B</data></node></graph></graphml>',
        encoding="utf-8",
    )
    g = read_graphml(tmp_path / "old.graphml")
    assert g.nodes["n"]["aliases"] == ["A", "B"] and g.graph["inputs"] == ["seeds"]


_hostile_text = st.lists(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from([*CONTROL, *"<>&\"'|\\\r\n\t", "]]>", "\ufffe", "\ud800"])),
    max_size=30,
).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# (a list holding just one empty string is written as an empty list: not generated)
@given(
    label=_hostile_text,
    aliases=st.lists(_hostile_text, max_size=4).filter(lambda xs: [xml_safe(x) for x in xs] != [""]),
    sentence=_hostile_text.filter(lambda x: xml_safe(x) != ""),
)
def test_any_text_gives_files_that_parse_and_round_trip(tmp_path, label, aliases, sentence) -> None:
    g = nx.Graph(articles={"a": {"title": label}})
    g.add_node("person:x", label=label, type="person", aliases=aliases, article_ids=["a"], article_count=1)
    g.add_node("place:y", label="Y", type="place", aliases=[], article_ids=["a"], article_count=1)
    g.add_edge("person:x", "place:y", weight=1, sentences=[sentence], article_ids=["a"], sentence_article_ids=["a"])
    write_graphml(g, tmp_path / "g.graphml")
    write_gexf(g, tmp_path / "g.gexf")
    assert blocking_problems(tmp_path / "g.graphml") == []
    for h in (read_graphml(tmp_path / "g.graphml"), read_gexf(tmp_path / "g.gexf")):
        assert {k: v for k, v in h.nodes["person:x"].items() if k not in ("x", "y")} == as_xml(g.nodes["person:x"])
        assert h.edges["person:x", "place:y"] == as_xml(g.edges["person:x", "place:y"])
    assert read_graphml(tmp_path / "g.graphml").graph == g.graph


# -- layout --------------------------------------------------------------------------------------
def test_build_lays_the_graph_out(hostile) -> None:
    kg, _ = hostile
    for _, d in kg.graph.nodes(data=True):
        assert isinstance(d["x"], float) and isinstance(d["y"], float)
        assert abs(d["x"]) <= SCALE and abs(d["y"]) <= SCALE


def _clustered_graph() -> nx.Graph:
    """Two dense groups joined by one edge, a few pairs, and isolated nodes."""
    g = nx.Graph()
    for group in ("a", "b"):
        members = [f"{group}{i:02d}" for i in range(25)]
        for i, u in enumerate(members):
            g.add_node(u, article_count=25 - i)
            for v in members[i + 1 : i + 4]:
                g.add_edge(u, v, weight=3)
    g.add_edge("a00", "b00", weight=1)
    for i in range(5):
        g.add_edge(f"pair{i}-1", f"pair{i}-2", weight=1)
    g.add_nodes_from(f"alone{i:02d}" for i in range(40))
    return g


def test_layout_is_deterministic_whatever_the_insertion_order() -> None:
    g = _clustered_graph()
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(g.nodes(data=True), reverse=True))
    shuffled.add_edges_from(sorted(g.edges(data=True), reverse=True))
    assert layout(g) == layout(g) == layout(shuffled)
    assert layout(g, seed=1) != layout(g, seed=2)


def test_layout_spreads_isolated_nodes_and_separates_components() -> None:
    g = _clustered_graph()
    pos = layout(g)
    points = list(pos.values())
    assert len(set(points)) == len(points)  # no two nodes on one spot
    assert max(abs(c) for p in points for c in p) == pytest.approx(SCALE)
    alone = [pos[n] for n in g if n.startswith("alone")]
    closest = min(math.dist(p, q) for i, p in enumerate(alone) for q in alone[i + 1 :])
    assert closest > SCALE / 100
    # the connected part is in the middle, the isolated nodes around it
    main = [pos[n] for n in g if n[0] in "ab" and n[1].isdigit()]
    centre = [sum(c) / len(main) for c in zip(*main)]
    reach = max(math.dist(p, centre) for p in main)
    assert all(math.dist(p, centre) > reach for p in alone)


def test_layout_keeps_linked_nodes_closer_than_unlinked_ones() -> None:
    g = _clustered_graph()
    pos = layout(g)
    linked = [math.dist(pos[a], pos[b]) for a, b in g.edges if a[0] == b[0] and a[0] in "ab"]
    across = [math.dist(pos[f"a{i:02d}"], pos[f"b{j:02d}"]) for i in range(10, 25) for j in range(10, 25)]
    assert sorted(linked)[len(linked) // 2] < sorted(across)[len(across) // 2] / 2


def test_layout_of_a_component_larger_than_its_core_places_every_node() -> None:
    g = nx.barabasi_albert_graph(400, 2, seed=3)
    g = nx.relabel_nodes(g, {n: f"n{n:03d}" for n in g})
    pos = layout(g, core_size=50, iterations=60)
    assert len(pos) == 400 and len(set(pos.values())) == 400
    assert all(math.isfinite(c) and abs(c) <= SCALE for p in pos.values() for c in p)
    # nodes placed around their strongest neighbour stay near it
    hub_gap = [math.dist(pos[n], pos[max(g[n], key=lambda m: g.degree(m))]) for n in g if g.degree(n) == 2]
    assert sorted(hub_gap)[len(hub_gap) // 2] < SCALE / 4


def test_many_small_components_do_not_overlap() -> None:
    g = nx.Graph()
    for i in range(120):
        size = 3 + i % 5
        nx.add_cycle(g, [f"c{i:03d}-{j}" for j in range(size)])
    pos = layout(g)
    discs = []
    for component in nx.connected_components(g):
        points = [pos[n] for n in component]
        centre = tuple(sum(c) / len(points) for c in zip(*points))
        discs.append((centre, max(math.dist(p, centre) for p in points)))
        assert len(set(points)) == len(points)
    for i, (c1, r1) in enumerate(discs):
        for c2, r2 in discs[i + 1 :]:
            assert math.dist(c1, c2) > r1 + r2


def test_add_layout_stores_float_x_and_y() -> None:
    g = add_layout(nx.Graph([("a", "b")]))
    assert all(isinstance(d["x"], float) and isinstance(d["y"], float) for _, d in g.nodes(data=True))
    assert layout(nx.Graph()) == {}


def test_module_examples_run() -> None:
    for module in (kgraph.layout, kgraph.export._xml, kgraph.export.gexf):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_files_list_nodes_and_edges_in_sorted_order(tmp_path) -> None:
    g = _clustered_graph()
    write_graphml(g, tmp_path / "g.graphml")
    root = etree.parse(str(tmp_path / "g.graphml")).getroot()
    ids = [n.get("id") for n in root.iter(GRAPHML + "node")]
    assert ids == sorted(ids)
    assert Counter(e.get("id") for e in root.iter(GRAPHML + "edge")).most_common(1)[0][1] == 1
