"""Graph files that kgraph did not write, or that were damaged: read with defaults, or
refused in one line (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import kgraph
from kgraph._demo import demo
from kgraph.cli import app
from kgraph.query.check import MAX_TEXT_CHARS

runner = CliRunner()


def demo_json(tmp_path: Path) -> dict:
    demo().save(tmp_path / "demo", jobs=1)
    return json.loads((tmp_path / "demo" / "graph.json").read_text())


def info(path: Path):
    return runner.invoke(app, ["info", "--graph", str(path)])


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot read graph"), result.output
    for f in fragments:
        assert f in lines[0], lines[0]


def test_a_plain_networkx_graphml_is_queryable(tmp_path) -> None:
    g = nx.Graph()
    g.add_edge("Alice", "Bob", weight=2)
    g.add_edge("Bob", "person:carol")
    nx.write_graphml(g, tmp_path / "plain.graphml")
    kg = kgraph.load(tmp_path / "plain.graphml")
    assert [(n.label, n.weight) for n in kg.neighbors("Bob")] == [("Alice", 2), ("person:carol", 1)]
    assert kg.find("person:carol").type == "person"  # from its id prefix
    assert kg.find("Alice").type == "organization"  # no type at all: the default, with a warning
    result = info(tmp_path / "plain.graphml")
    assert result.exit_code == 0 and "3 (2 organization, 1 person)" in result.output


def test_a_plain_networkx_json_with_integer_ids_is_queryable(tmp_path) -> None:
    data = nx.node_link_data(nx.path_graph(3), edges="edges")
    (tmp_path / "graph.json").write_text(json.dumps(data))
    kg = kgraph.load(tmp_path / "graph.json")
    assert sorted(kg.graph.nodes) == ["0", "1", "2"]
    assert [n.id for n in kg.neighbors("1")] == ["0", "2"]


def _mutations():
    def directed(d):
        d["directed"] = True

    def multi(d):
        d["multigraph"] = True
        d["edges"].append(dict(d["edges"][0]))

    def weight_inf(d):
        d["edges"][0]["weight"] = float("inf")

    def weight_zero(d):
        d["edges"][0]["weight"] = 0

    def aliases_number(d):
        d["nodes"][0]["aliases"] = 7

    def article_ids_dict(d):
        d["nodes"][0]["article_ids"] = {"a": 1}

    def sentences_nested(d):
        d["edges"][0]["sentences"] = [["a"]]

    def list_id(d):
        d["nodes"][0]["id"] = ["x"]

    def clashing_ids(d):
        d["nodes"].append({"id": 1})
        d["nodes"].append({"id": "1"})

    def articles_list(d):
        d["graph"]["articles"] = ["a1"]

    def label_dict(d):
        d["nodes"][0]["label"] = {"x": 1}

    def type_number(d):
        d["nodes"][0]["type"] = 3

    def count_text(d):
        d["nodes"][0]["article_count"] = "many"

    def no_nodes(d):
        del d["nodes"]

    return {
        "directed": (directed, "directed"),
        "parallel": (multi, "parallel links"),
        "weight Infinity": (weight_inf, "'weight' is inf"),
        "weight 0": (weight_zero, "'weight' is 0"),
        "aliases a number": (aliases_number, "'aliases' is a int"),
        "article_ids a dict": (article_ids_dict, "'article_ids' is a dict"),
        "sentences nested": (sentences_nested, "an item of 'sentences' is a list"),
        "list node id": (list_id, "cannot read graph"),
        "ids 1 and '1'": (clashing_ids, "clash"),
        "articles a list": (articles_list, "'articles' is a list"),
        "label a dict": (label_dict, "'label' is a dict"),
        "type a number": (type_number, "'type' is a int"),
        "count text": (count_text, "'article_count' is 'many'"),
        "no nodes": (no_nodes, "cannot read graph"),
    }


@pytest.mark.parametrize("name", list(_mutations()))
def test_a_damaged_graph_json_is_refused_in_one_line(tmp_path, name) -> None:
    mutate, fragment = _mutations()[name]
    data = demo_json(tmp_path)
    mutate(data)
    (tmp_path / "graph.json").write_text(json.dumps(data))
    one_line_error(info(tmp_path / "graph.json"), fragment)
    with pytest.raises(kgraph.OutputError):
        kgraph.load(tmp_path / "graph.json")


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "[]", "null", '{"nodes": 3, "edges": []}', "{", '"just text"', "\x00\x01"],
    ids=["nested 100,000 deep", "a list", "null", "nodes a number", "truncated", "a string", "binary"],
)
def test_json_that_is_no_graph_is_refused_in_one_line(tmp_path, text) -> None:
    (tmp_path / "graph.json").write_text(text)
    one_line_error(info(tmp_path / "graph.json"))


@pytest.mark.parametrize("encoding", ['{"json": 1}', "[]", '{"list": {"node": 5}}', "{bad"])
def test_a_malformed_kgraph_encoding_in_graphml_is_one_line_or_read(tmp_path, encoding) -> None:
    demo().save(tmp_path / "demo", jobs=1)
    text = (tmp_path / "demo" / "graph.graphml").read_text()
    start = text.index('<data key="graph_kgraph_encoding">') if '<data key="graph_kgraph_encoding">' in text else -1
    assert start != -1
    end = text.index("</data>", start)
    from xml.sax.saxutils import escape

    text = text[:start] + f'<data key="graph_kgraph_encoding">{escape(encoding)}' + text[end:]
    (tmp_path / "graph.graphml").write_text(text)
    result = info(tmp_path / "graph.graphml")
    if result.exit_code == 0:
        assert "entities" in result.output
    else:
        one_line_error(result)


def test_a_huge_label_is_cut_on_load(tmp_path) -> None:
    data = demo_json(tmp_path)
    data["nodes"][0]["label"] = "A" * 2_000_000
    (tmp_path / "graph.json").write_text(json.dumps(data))
    kg = kgraph.load(tmp_path / "graph.json")
    label = kg.graph.nodes[data["nodes"][0]["id"]]["label"]
    assert len(label) == MAX_TEXT_CHARS and label.endswith("…")
    assert runner.invoke(app, ["top", "-n", "3", "--graph", str(tmp_path / "graph.json")]).exit_code == 0


def test_graphml_with_an_external_entity_does_not_read_the_file(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    (tmp_path / "graph.graphml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE graphml [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="label" for="node" attr.name="label" attr.type="string"/>'
        '<graph edgedefault="undirected"><node id="a"><data key="label">&xxe;</data></node></graph></graphml>'
    )
    try:
        kg = kgraph.load(tmp_path / "graph.graphml")
    except kgraph.OutputError as e:
        assert "\n" not in str(e) and "TOP-SECRET" not in str(e)
        return
    assert "TOP-SECRET" not in json.dumps(dict(kg.graph.nodes(data=True)))


def test_graphml_billion_laughs_is_refused_in_one_line(tmp_path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    (tmp_path / "graph.graphml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE graphml [{entities}]>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="label" for="node" attr.name="label" attr.type="string"/>'
        '<graph edgedefault="undirected"><node id="a"><data key="label">&lol9;</data></node></graph></graphml>'
    )
    one_line_error(info(tmp_path / "graph.graphml"))
