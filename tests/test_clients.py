"""The output files opened in the clients users load them into: graphology-gexf and
graphology-graphml (the parsers of Gephi Lite, run with node), on the seeds' graph and on a
graph built from hostile articles. Counts, ids, colours, numbers and text come out as written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

import kgraph
from kgraph.export.gexf import write_gexf
from kgraph.export.graphml import write_graphml
from kgraph.export.html import TYPE_COLORS

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
            d = g.nodes[kgraph_id(n["key"], a)]
            assert gephi_lite_accepts(a["color"]), f"{fmt}: Gephi Lite drops the colour {a['color']!r}"
            assert rgb_of(a["color"]) == TYPE_COLORS[d["type"]]
            assert a["label"] == as_xml(d["label"])
            for number in ("article_count", "mention_count", "size", "x", "y"):
                assert type(a[number]) in (int, float), f"{fmt}: {number} is {a[number]!r}, not a number"
            assert (a["x"], a["y"], a["article_count"]) == (d["x"], d["y"], d["article_count"])
        for e in seen["edges"]:
            a = e["attributes"]
            d = g.edges[kgraph_id(e["source"], {}), kgraph_id(e["target"], {})]
            assert type(a["weight"]) in (int, float) and a["weight"] == d["weight"]
            assert type(a["sentence_count"]) is int and a["sentence_count"] == d["sentence_count"]


def kgraph_id(key: str, attributes: dict[str, Any]) -> str:
    return key


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
        d = kg.graph.nodes[kgraph_id(n["key"], n["attributes"])]
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
