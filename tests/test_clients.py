"""The output files opened in the clients users load them into: graphology-gexf and
graphology-graphml (the parsers of Gephi Lite, run with node), graphology's Graph.from,
cytoscape.js and d3-force for the JSON exports, pandas and the csv module for the tables, on
the seeds' graph and on a graph built from hostile articles. Counts, ids, colours, numbers
and text come out as written."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

import kgraph
import kgraph.export.json
from kgraph.cli import app
from kgraph.export._nmtoken import NAME_CHARS, from_nmtoken, to_nmtoken
from kgraph.export._xml import split_list
from kgraph.export.gexf import write_gexf
from kgraph.export.graphml import write_graphml
from kgraph.export.style import TYPE_COLORS
from kgraph.export.tables import write_edges_csv, write_nodes_csv

from ._hostile import build_hostile
from .conftest import ROOT, SEEDS
from .test_gephi import as_xml

JS = ROOT / "tests" / "js"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def open_in_js(fmt: str, path: Path) -> dict[str, Any]:
    """What the JavaScript client of `fmt` sees in `path` (tests/js/open_graph.js)."""
    node = shutil.which("node")
    assert node, "node is not installed: install Node.js 18 or later"
    assert (JS / "node_modules" / "graphology").is_dir(), "the JavaScript clients are missing: npm ci --prefix tests/js"
    done = subprocess.run(
        [node, str(JS / "open_graph.js"), fmt, str(path)], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert done.returncode == 0, f"{fmt} client failed on {path.name}: {done.stderr.strip()}"
    return json.loads(done.stdout)


def gephi_lite_accepts(color: str) -> bool:
    """Gephi Lite's colour check (its isValidColor): #rgb or #rrggbb, rgb(r,g,b), or
    rgba(r,g,b,a) with a one-digit alpha; a colour it rejects is dropped and drawn grey."""
    return bool(
        re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", color)
        or re.fullmatch(r"rgb\((\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3})\)", color)
        or re.fullmatch(r"rgba\((\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*\d\)", color)
    )


def rgb_of(color: str) -> str:
    """'#rrggbb' of a CSS colour in one of the forms `gephi_lite_accepts`."""
    if color.startswith("#"):
        return color.lower()
    r, g, b = (int(v) for v in re.findall(r"\d+", color)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[kgraph.KnowledgeGraph, Path]:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory, blank_model_dir: Path) -> tuple[kgraph.KnowledgeGraph, Path]:
    kg = kgraph.build([SEEDS], model=str(blank_model_dir), jobs=1)
    out = tmp_path_factory.mktemp("seeds") / "out"
    kg.save(out)
    return kg, out


@pytest.fixture(params=["seeds", "hostile"])
def built(request: pytest.FixtureRequest) -> tuple[kgraph.KnowledgeGraph, Path]:
    return request.getfixturevalue(request.param)


# -- Gephi Lite's parsers -------------------------------------------------------------------------
def check_gephi_lite_view(kg: kgraph.KnowledgeGraph, out: Path) -> None:
    g = kg.graph
    for fmt in ("gexf", "graphml"):
        seen = open_in_js(fmt, out / f"graph.{fmt}")
        assert (seen["order"], seen["size"]) == (g.number_of_nodes(), g.number_of_edges()), fmt
        assert seen["type"] == "undirected"
        assert len({n["key"] for n in seen["nodes"]}) == g.number_of_nodes()
        for n in seen["nodes"]:
            a = n["attributes"]
            d = g.nodes[kgraph_id(n["key"], fmt)]
            assert gephi_lite_accepts(a["color"]), f"{fmt}: Gephi Lite drops the colour {a['color']!r}"
            assert rgb_of(a["color"]) == TYPE_COLORS[d["type"]]
            assert a["label"] == as_xml(d["label"])
            for number in ("article_count", "mention_count", "size", "x", "y"):
                assert type(a[number]) in (int, float), f"{fmt}: {number} is {a[number]!r}, not a number"
            assert (a["x"], a["y"], a["article_count"]) == (d["x"], d["y"], d["article_count"])
        for e in seen["edges"]:
            a = e["attributes"]
            d = g.edges[kgraph_id(e["source"], fmt), kgraph_id(e["target"], fmt)]
            assert type(a["weight"]) in (int, float) and a["weight"] == d["weight"]
            assert type(a["sentence_count"]) is int and a["sentence_count"] == d["sentence_count"]


def kgraph_id(key: str, fmt: str) -> str:
    """The graph's id of a node key a client saw (GraphML ids are escaped to be NMTOKENs)."""
    return from_nmtoken(key) if fmt == "graphml" else key


def test_gephi_lite_parsers_open_both_files_as_written(built) -> None:
    check_gephi_lite_view(*built)


@pytest.mark.model
def test_gephi_lite_parsers_open_the_seed_graph_of_the_real_model(seed_kg, tmp_path) -> None:
    seed_kg.save(tmp_path)
    check_gephi_lite_view(seed_kg, tmp_path)


def test_gexf_lists_come_out_of_graphology_as_lists(hostile) -> None:
    kg, out = hostile
    seen = open_in_js("gexf", out / "graph.gexf")
    for n in seen["nodes"]:
        d = kg.graph.nodes[n["key"]]
        assert n["attributes"]["aliases"] == as_xml(d["aliases"])
        assert n["attributes"]["article_ids"] == as_xml(d["article_ids"])
    for e in seen["edges"]:
        d = kg.graph.edges[e["source"], e["target"]]
        assert e["attributes"]["sentences"] == as_xml(d["sentences"])


def test_graphml_text_comes_out_of_graphology_as_an_xml_parser_reads_it(hostile) -> None:
    _, out = hostile
    seen = open_in_js("graphml", out / "graph.graphml")
    root = etree.parse(str(out / "graph.graphml")).getroot()
    keys = {k.get("id"): (k.get("attr.name"), k.get("attr.type")) for k in root.iter(GRAPHML + "key")}
    graph = root.find(GRAPHML + "graph")
    for d in graph.findall(GRAPHML + "data"):
        name, typ = keys[d.get("key")]
        if typ == "string":
            assert seen["attributes"][name] == (d.text or "")
    assert "Line\u2028separator\x85next line" in seen["attributes"]["articles"]
    by_key = {n["key"]: n["attributes"] for n in seen["nodes"]}
    for node in graph.iter(GRAPHML + "node"):
        for d in node.iter(GRAPHML + "data"):
            name, typ = keys[d.get("key")]
            if typ == "string":
                assert by_key[node.get("id")][name] == (d.text or ""), name


def test_line_ends_of_xml_1_1_stay_themselves_in_xmldom(tmp_path) -> None:
    # xmldom, the parser of graphology in Node, reads a literal U+0085 or U+2028 as a line end
    g = nx.Graph()
    g.add_node("person:a", label="Line\u2028sep\x85NEL\u2029para", type="person", article_count=1)
    g.add_node("place:b", label="B", type="place", article_count=1)
    g.add_edge("person:a", "place:b", weight=1, sentences=["one\u2028two", "three\x85four"])
    write_gexf(g, tmp_path / "g.gexf")
    write_graphml(g, tmp_path / "g.graphml")
    for fmt in ("gexf", "graphml"):
        seen = open_in_js(fmt, tmp_path / f"g.{fmt}")
        labels = {n["key"]: n["attributes"]["label"] for n in seen["nodes"]}
        assert labels["person:a"] == "Line\u2028sep\x85NEL\u2029para", fmt
        sentences = seen["edges"][0]["attributes"]["sentences"]
        assert sentences in (["one\u2028two", "three\x85four"], "one\u2028two | three\x85four"), fmt


# -- JSON for the JavaScript world ------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphology", "cytoscape", "d3"])
def test_js_exports_load_in_their_clients_as_the_graph(built, fmt, tmp_path) -> None:
    kg, _ = built
    g = kg.graph
    seen = open_in_js(fmt, kg.export(tmp_path / f"g.{fmt}.json", format=fmt))
    assert (seen["order"], seen["size"]) == (g.number_of_nodes(), g.number_of_edges())
    assert {n["key"] for n in seen["nodes"]} == {str(n) for n in g}
    assert {frozenset((e["source"], e["target"])) for e in seen["edges"]} == {frozenset(e) for e in g.edges}
    for n in seen["nodes"]:
        a, d = n["attributes"], g.nodes[n["key"]]
        assert (a["label"], a["aliases"], a["article_ids"]) == (d["label"], d["aliases"], d["article_ids"])
        assert type(a["article_count"]) is int and a["article_count"] == d["article_count"]
        assert a["entity_type" if fmt == "graphology" else "type"] == d["type"]
        if fmt == "d3":
            assert a["group"] == d["type"]
            continue
        assert gephi_lite_accepts(a["color"]) and a["color"] == TYPE_COLORS[d["type"]]
        position = n["position"] if fmt == "cytoscape" else a
        assert (position["x"], position["y"]) == (d["x"], d["y"])
        assert type(a["size"]) in (int, float) and a["size"] > 0
    for e in seen["edges"]:
        a, d = e["attributes"], g.edges[e["source"], e["target"]]
        assert a["value" if fmt == "d3" else "weight"] == d["weight"]
        if fmt != "d3":
            assert (a["sentences"], a["article_ids"]) == (d["sentences"], d["article_ids"])


def test_graphology_export_has_no_node_type_for_sigma(hostile, tmp_path) -> None:
    # sigma.js takes a node's `type` for the name of the program that draws it
    kg, _ = hostile
    data = json.loads(kg.export(tmp_path / "g.json", format="graphology").read_text(encoding="utf-8"))
    assert data["options"]["type"] == "undirected"
    assert all("type" not in n["attributes"] for n in data["nodes"])


def test_d3_export_reads_back_with_networkx(hostile, tmp_path) -> None:
    kg, _ = hostile
    data = json.loads(kg.export(tmp_path / "g.json", format="d3").read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, **kgraph.export.json._edges_named("links", nx.node_link_graph))
    assert back.number_of_edges() == kg.graph.number_of_edges()
    assert all(back.nodes[n]["aliases"] == d["aliases"] for n, d in kg.graph.nodes(data=True))


def test_export_command_writes_beside_the_graph_and_names_bad_formats(hostile) -> None:
    _, out = hostile
    runner = CliRunner()
    done = runner.invoke(app, ["export", "--format", "cytoscape", "--graph", str(out)])
    assert done.exit_code == 0, done.output
    assert (out / "graph.cytoscape.json").is_file() and f"wrote {out / 'graph.cytoscape.json'}" in done.output
    done = runner.invoke(app, ["export", "--format", "sigma", "--graph", str(out)])
    assert done.exit_code == 1
    assert done.output.strip() == "error: unknown format 'sigma': choose one of graphology, cytoscape, d3"


# -- the tables: pandas, spreadsheets, Neo4j LOAD CSV ------------------------------------------------
def cell_text(cell: str) -> str:
    """A cell as written, without the quote that keeps a spreadsheet from running it."""
    quoted = cell.startswith("'") and cell[1:].lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")
    return cell[1:] if quoted else cell


def test_nodes_and_edges_csv_load_in_pandas_as_the_graph(built) -> None:
    kg, out = built
    g = kg.graph
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False, encoding="utf-8")
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False, encoding="utf-8")
    assert list(nodes.columns[:5]) == ["id", "label", "type", "article_count", "mention_count"]
    assert list(edges.columns[:4]) == ["source", "target", "weight", "sentence_count"]
    assert len(nodes) == g.number_of_nodes() and nodes["id"].is_unique and set(nodes["id"]) == set(g)
    assert len(edges) == g.number_of_edges()
    assert {frozenset(p) for p in zip(edges["source"], edges["target"])} == {frozenset(e) for e in g.edges}
    assert str(nodes["article_count"].dtype) == "int64" and str(edges["weight"].dtype) == "int64"
    assert str(nodes["x"].dtype) == "float64" and (nodes["x"] < 0).any()  # negative numbers stay numbers
    for row in nodes.itertuples(index=False):
        d = g.nodes[row.id]
        assert cell_text(row.label) == d["label"].replace("\ud800", "\ufffd")
        assert split_list(cell_text(row.aliases), " | ") == d["aliases"]
        assert (row.article_count, row.x, row.y) == (d["article_count"], d["x"], d["y"])
    for row in edges.itertuples(index=False):
        d = g.edges[row.source, row.target]
        assert row.weight == d["weight"]
        assert split_list(cell_text(row.article_ids), " | ") == d["article_ids"]
        assert split_list(cell_text(row.sentences), " | ") == d["sentences"]


def test_no_csv_cell_runs_as_a_formula(hostile) -> None:
    _, out = hostile
    for name in ("nodes.csv", "edges.csv", "aliases.csv"):
        with open(out / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        cells = [c for row in rows[1:] for c in row]
        if name != "edges.csv":  # the hostile name is there, quoted
            assert any(c.startswith("'=SUM(A1)") for c in cells), name
        for c in cells:
            assert not c.lstrip(" ").startswith(("=", "+", "@", "\t", "\r", "\n")), (name, c)
            assert not c.startswith("-") or float(c) < 0, (name, c)  # only numbers start with '-'


def test_aliases_csv_article_ids_split_back_even_when_an_id_holds_the_separator(hostile) -> None:
    kg, out = hostile
    with open(out / "aliases.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(kg.alias_rows)
    for row, alias in zip(rows, kg.alias_rows, strict=True):
        assert split_list(row["article_ids"], " | ") == list(alias.article_ids)
    assert any("x | y" in alias.article_ids for alias in kg.alias_rows)


# -- GraphML ids against the schema ---------------------------------------------------------------
#: The part of the GraphML schema that types ids and references to them (xs:NMTOKEN).
GRAPHML_ID_SCHEMA = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:g="http://graphml.graphdrawing.org/xmlns" targetNamespace="http://graphml.graphdrawing.org/xmlns"
    elementFormDefault="qualified">
  <xs:element name="data"><xs:complexType mixed="true">
    <xs:attribute name="key" type="xs:NMTOKEN" use="required"/>
  </xs:complexType></xs:element>
  <xs:element name="graphml"><xs:complexType><xs:sequence>
    <xs:element name="key" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
      <xs:attribute name="id" type="xs:NMTOKEN" use="required"/>
      <xs:attribute name="for" type="xs:NMTOKEN"/>
      <xs:anyAttribute namespace="##local" processContents="skip"/>
    </xs:complexType></xs:element>
    <xs:element name="graph"><xs:complexType><xs:sequence>
      <xs:element ref="g:data" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="node" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
        <xs:sequence><xs:element ref="g:data" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
        <xs:attribute name="id" type="xs:NMTOKEN" use="required"/>
      </xs:complexType></xs:element>
      <xs:element name="edge" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
        <xs:sequence><xs:element ref="g:data" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
        <xs:attribute name="id" type="xs:NMTOKEN"/>
        <xs:attribute name="source" type="xs:NMTOKEN" use="required"/>
        <xs:attribute name="target" type="xs:NMTOKEN" use="required"/>
      </xs:complexType></xs:element>
    </xs:sequence>
    <xs:attribute name="id" type="xs:NMTOKEN"/>
    <xs:attribute name="edgedefault" type="xs:NMTOKEN"/>
    </xs:complexType></xs:element>
  </xs:sequence><xs:anyAttribute namespace="##other" processContents="skip"/></xs:complexType></xs:element>
</xs:schema>"""


def test_graphml_ids_are_nmtokens_and_read_back_as_the_entity_ids(hostile, tmp_path) -> None:
    kg, out = hostile
    schema = etree.XMLSchema(etree.XML(GRAPHML_ID_SCHEMA))
    assert {"person:ኃይለ-ሥላሴ", "organization:𠀋𠀌-holdings"} <= set(kg.graph)  # ids in rare scripts
    doc = etree.parse(str(out / "graph.graphml"))
    assert schema.validate(doc), schema.error_log.last_error
    # the same file with the ids as they are fails: the check can fail
    g = nx.Graph([("person:ኃይለ-ሥላሴ", "a b")])
    nx.write_graphml(g, tmp_path / "plain.graphml")
    assert not schema.validate(etree.parse(str(tmp_path / "plain.graphml")))
    # kgraph gives the ids back; a key with a space in its name is escaped too
    assert set(kgraph.load(out / "graph.graphml").graph) == set(kg.graph)
    g.nodes["a b"]["odd name"] = 1
    write_graphml(g, tmp_path / "g.graphml")
    assert schema.validate(etree.parse(str(tmp_path / "g.graphml"))), schema.error_log.last_error
    assert kgraph.load(tmp_path / "g.graphml").graph.nodes["a b"]["odd name"] == 1


def test_name_characters_are_those_libxml2_accepts_in_an_nmtoken() -> None:
    schema = etree.XMLSchema(
        etree.XML(
            b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="n"><xs:complexType>'
            b'<xs:attribute name="id" type="xs:NMTOKEN"/></xs:complexType></xs:element></xs:schema>'
        )
    )
    name_char = re.compile("[" + NAME_CHARS + "]")
    for code in [*range(0x20, 0xD800), *range(0xE000, 0xFFFE), 0x10000, 0x20000, 0x1F680]:
        c = chr(code)
        doc = etree.XML(f'<n id="a{html.escape(c, quote=True)}b"/>'.encode())
        assert bool(name_char.fullmatch(c)) == schema.validate(doc), f"U+{code:04X}"


# -- invariants, for any text --------------------------------------------------------------------
ANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Text a spreadsheet user could have typed (a leading ' is the spreadsheet's own text marker).
unquoted = st.text(st.characters(exclude_categories=("Cs",))).filter(lambda s: not s.lstrip(" ").startswith("'"))


@ANY
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1))
def test_any_id_becomes_an_nmtoken_and_back(text: str) -> None:
    token = to_nmtoken(text)
    assert re.fullmatch("[" + NAME_CHARS + "]+", token)
    assert from_nmtoken(token) == text


@ANY
# (list items are never empty in a kgraph graph: [""] and [] are both an empty cell, as in GraphML)
@given(unquoted.filter(bool), st.lists(unquoted.filter(bool), max_size=4), st.lists(unquoted.filter(bool), max_size=3))
def test_any_text_reads_back_from_the_tables(label: str, aliases: list[str], sentences: list[str]) -> None:
    g = nx.Graph()
    g.add_node("person:a", label=label, type="person", aliases=aliases, article_count=1, x=-1.5, y=2.0)
    g.add_node("place:b", label="B", type="place", aliases=[], article_count=2, x=0.0, y=0.0)
    g.add_edge("person:a", "place:b", weight=1, sentences=sentences, article_ids=["x | y", "z"])
    with tempfile.TemporaryDirectory() as d:
        with open(write_nodes_csv(g, Path(d) / "n.csv"), encoding="utf-8", newline="") as fh:
            nodes = {row["id"]: row for row in csv.DictReader(fh)}
        with open(write_edges_csv(g, Path(d) / "e.csv"), encoding="utf-8", newline="") as fh:
            (edge,) = list(csv.DictReader(fh))
    a = nodes["person:a"]
    assert cell_text(a["label"]) == label and split_list(cell_text(a["aliases"]), " | ") == aliases
    assert (float(a["x"]), int(a["article_count"])) == (-1.5, 1)
    assert split_list(cell_text(edge["sentences"]), " | ") == sentences
    assert split_list(edge["article_ids"], " | ") == ["x | y", "z"]
    for cell in [*a.values(), *edge.values()]:
        assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r", "\n")), cell
