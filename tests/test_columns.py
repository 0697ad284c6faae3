"""kgraph.export._columns: the writers turn edge attributes into text a column at a time, and
the text is exactly what the cell-by-cell encoders give (the loops below are the writers'
edge loops as they were before the columns, kept here as the reference).

Hostile values on purpose: 0.0 and -0.0 (equal, written apart), NaN, True and 1 (equal,
written apart), a str subclass whose str() is not its text, lists with separators, quotes,
backslashes, markup and control characters; columns missing on some edges, and columns
whose type changes from one chunk to the next (chunks of 3 edges here).
"""

from __future__ import annotations

import csv
import enum
import io
import json
import math
from operator import itemgetter
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kgraph.export import _columns, gexf, graphml, tables
from kgraph.export import json as json_export
from kgraph.export._columns import Column, EdgeTable, Joined
from kgraph.export._nmtoken import to_nmtoken
from kgraph.export._xml import column_kinds, encoder, join_list, number, plain_text, sorted_edges, text

from .test_hypothesis import NASTY, nasty_text


class Colour(str, enum.Enum):  # str() is "Colour.RED", the text is "red"
    RED = "red"


simple_text = st.text(alphabet="abcdé -", max_size=8)
item = st.one_of(simple_text, nasty_text, st.sampled_from([*NASTY, "a|b", "a\\b", 'say "hi"', "", Colour.RED]))
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.sampled_from([0.0, -0.0, 1.0, 0.5, math.nan, math.inf, -math.inf, 0, 1, True, False]),
    st.floats(allow_nan=True, allow_infinity=True),
    simple_text,
    nasty_text,
    st.just(Colour.RED),
)
a_list = st.one_of(
    st.lists(simple_text, max_size=4),
    st.lists(item, max_size=4),
    st.lists(st.one_of(item, st.integers(0, 3)), max_size=3),
    st.lists(simple_text, max_size=3).map(tuple),
)
#: A column: of one kind of value mostly, as in a real graph, or of anything.
column = st.one_of(
    st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, math.nan]), max_size=12),
    st.lists(st.integers(-(2**40), 2**40) | st.none(), max_size=12),
    st.lists(st.booleans() | st.sampled_from([0, 1]), max_size=12),
    st.lists(a_list | st.none(), max_size=12),
    st.lists(st.lists(simple_text, max_size=3), max_size=12),
    st.lists(scalar | a_list, max_size=12),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_columns, "CHUNK", 3)
    monkeypatch.setattr(_columns, "CHUNK_ITEMS", 4)  # edges whose lists hold more come in smaller chunks


def test_a_chunk_holds_few_list_items_unless_one_edge_alone_has_more() -> None:
    """A link named in a million articles is turned into text with few others, not with
    `CHUNK` - 1 of them: each chunk's lists hold at most `CHUNK_ITEMS` items together."""
    g = nx.Graph()
    for (u, v), n in zip(["ab", "bc", "cd", "de", "ef", "fg"], [1, 5, 2, 2, 9, 1]):
        g.add_edge(u, v, weight=n, article_ids=[f"x{i}" for i in range(n)])
    table = EdgeTable(g)
    assert [(u, v) for u, v, _ in table.edges] == [
        ("a", "b"),
        ("b", "c"),
        ("c", "d"),
        ("d", "e"),
        ("e", "f"),
        ("f", "g"),
    ]
    assert table.spans == [(0, 1), (1, 2), (2, 4), (4, 5), (5, 6)]
    assert [len(chunk) for chunk, _ in table.chunks()] == [1, 1, 2, 1, 1]
    _columns.CHUNK_ITEMS = 100  # (the fixture puts it back)
    assert EdgeTable(g).spans == [(0, 3), (3, 6)]  # then `CHUNK` edges a chunk
    g.add_edge("g", "h", weight=1, article_ids=7)  # not a list on every edge: counted edge by edge
    assert EdgeTable(g).spans == [(0, 3), (3, 6), (6, 7)]


@SETTINGS
@given(st.lists(column, min_size=1, max_size=4))
def test_a_column_gives_the_text_of_each_value_chunk_after_chunk(chunks: list[list[object]]) -> None:
    joined = " | "
    for kind in ("boolean", "int", "double", "string", "list", "json"):
        encode = encoder(kind, lambda v: join_list(v, joined), text)
        lists = kind == "list"  # the writers give the shortcut to list columns only
        col = Column(
            encode,
            missing="-",
            joined=Joined("", joined, "", "") if lists else None,
            plain=(
                lambda items: "|" not in "".join(items) and "\\" not in "".join(items) and all(map(plain_text, items))
            )
            if lists
            else None,
        )
        for values in chunks:  # one Column over several chunks: what it remembers must stay right
            try:
                expected = ["-" if v is None else encode(v) for v in values]
            except (TypeError, ValueError, OverflowError):
                continue  # a value this kind cannot hold (a writer's column never has one)
            assert col.cells(values) == expected


def _graph(columns: dict[str, list[object]]) -> nx.Graph:
    g = nx.Graph()
    size = max(map(len, columns.values()), default=0)
    g.add_nodes_from(f"n{i}" for i in range(size + 1))
    for i in range(size):
        attrs = {name: values[i] for name, values in columns.items() if i < len(values) and values[i] is not None}
        g.add_edge(f"n{i}", f"n{i + 1}", **attrs)
        g.add_edge(f"n{i}", "hub", weight=i)
    return g


graphs = st.dictionaries(
    st.sampled_from(["weight", "article_ids", "sentences", "p_value", "backbone", "note", "count"]), column, max_size=5
).map(_graph)
FILE_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _graphml_edges(g: nx.Graph) -> str:
    """The <edge> elements as graph.graphml wrote them edge by edge."""
    kinds = column_kinds(d for _, _, d in g.edges(data=True))
    node_keys = {k: k for k in column_kinds(d for _, d in g.nodes(data=True))} | dict.fromkeys(
        ("x", "y", "size", "r", "g", "b")
    )
    keys = {k: to_nmtoken(f"edge_{k}" if k in node_keys else k) for k in kinds}
    cols = graphml._columns(keys, kinds)
    ids = {n: graphml.attr(i) for n, i in graphml._node_ids(g).items()}
    return "".join(
        f'    <edge id="e{i}" source="{ids[a]}" target="{ids[b]}">\n{graphml._data("      ", d, cols)}    </edge>\n'
        for i, (a, b, d) in enumerate(sorted_edges(g))
    )


def _gexf_edges(g: nx.Graph) -> str:
    """The <edge> elements as graph.gexf wrote them edge by edge."""
    times = gexf._Times.of(g)
    cols = gexf._columns(column_kinds((d for _, _, d in g.edges(data=True)), skip=("weight",)))
    ids = {n: gexf.attr(i) for n, i in gexf._node_ids(g).items()}
    out = []
    for i, (a, b, d) in enumerate(sorted_edges(g)):
        weight = d.get("weight")
        extra = (
            f' weight="{number(weight)}"' if isinstance(weight, (int, float)) and not isinstance(weight, bool) else ""
        )
        out.append(f'      <edge id="{i}" source="{ids[a]}" target="{ids[b]}"{extra}>\n')
        out.append(gexf._values(d, cols))
        if times:
            out.append(times.spells(d.get("article_ids")))
        out.append("      </edge>\n")
    return "".join(out)


def _json_edges(g: nx.Graph) -> str:
    """The edge lines of graph.json as they were written edge by edge."""
    encode = json_export.without_lone_surrogates(json.JSONEncoder(ensure_ascii=False).encode)
    edges = sorted(((u, v, d) if u <= v else (v, u, d) for u, v, d in g.edges(data=True)), key=itemgetter(0, 1))
    lines = (f"{',' if i else ''}{encode({**d, 'source': u, 'target': v})}\n" for i, (u, v, d) in enumerate(edges))
    return '], "edges": [\n' + "".join(lines) + "]}\n"


def _edge_csv_rows(g: nx.Graph) -> list[list[str]]:
    """The rows of edges.csv as they were made edge by edge."""
    kinds = column_kinds(d for _, _, d in g.edges(data=True))
    header = tables._header(tables.EDGE_COLUMNS, kinds, 2)
    adj = g.adj
    return list(tables._rows(((a, b) for a, b, _ in sorted_edges(g)), lambda k: adj[k[0]][k[1]], header[2:], kinds))


FORMULAS = ["=SUM(A1)", "x\ud800y", "-2", "+1", "@x", "  =x", "\tx", "", " ", "a\n=b"]
ESCAPES = ["a|b", "a,b", '"q"', "a\\b", 'say "hi"', "AT&T", "x\ny", "\x85", "<b>", "plain"]


@FILE_SETTINGS
@given(graphs)
@example(_graph({"article_ids": [[e] for e in ESCAPES], "sentences": [["ok", e] for e in ESCAPES]}))
@example(_graph({"article_ids": [[e, "ok"] for e in FORMULAS], "sentences": [["ok", e] for e in FORMULAS]}))
@example(_graph({"p_value": [0.5, -0.0, 0.0, math.nan, 0.5, -0.0], "backbone": [True, False, 1, 0, True, 1.0]}))
@example(_graph({"note": ['a"b', "c\\d", "\x01", "\ud800", "\u2028", "é"], "count": [1, 2, None, 3, 4, 5]}))
def test_the_writers_edges_are_the_text_they_were_edge_by_edge(tmp_path: Path, g: nx.Graph) -> None:
    table = EdgeTable(g)
    assert table.kinds == column_kinds(d for _, _, d in g.edges(data=True))
    try:
        expected = (_graphml_edges(g), _gexf_edges(g), _edge_csv_rows(g), _json_edges(g))
    except (TypeError, ValueError, OverflowError):
        return  # a graph no writer can write (a nested value json cannot encode...)
    for shared in (None, table):
        json_export.write_json(g, tmp_path / "g.json", table=shared)
        assert (tmp_path / "g.json").read_text(encoding="utf-8").endswith(expected[3])
    graphml.write_graphml(g, tmp_path / "g.graphml", table=table)
    assert expected[0] in (tmp_path / "g.graphml").read_text(encoding="utf-8")
    gexf.write_gexf(g, tmp_path / "g.gexf", table=table)
    assert expected[1] in (tmp_path / "g.gexf").read_text(encoding="utf-8")
    _, rows = tables.edge_rows(g, table=table)
    assert list(rows) == expected[2]
    kept, _columns.KEPT_CELLS = _columns.KEPT_CELLS, 0  # a table too large to keep its columns
    try:  # reads them again: the same rows
        _, rows = tables.edge_rows(g, table=EdgeTable(g))
        assert list(rows) == expected[2]
    finally:
        _columns.KEPT_CELLS = kept
    tables.write_edges_csv(g, tmp_path / "edges.csv", table=table)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(expected[2])
    assert (tmp_path / "edges.csv").read_bytes().decode("utf-8").endswith(buffer.getvalue())


def test_json_edges_with_their_own_order_of_attributes_or_a_source_attribute(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_edge("a", "b", weight=1, note="x")
    g.add_edge("b", "c", note="y", weight=2)  # another order: that chunk is written edge by edge
    g.add_edge("c", "d", source="mine", weight=3)
    g.add_edge("d", "e")
    json_export.write_json(g, tmp_path / "g.json")
    assert (tmp_path / "g.json").read_text(encoding="utf-8").endswith(_json_edges(g))
    numbered = nx.convert_node_labels_to_integers(g, ordering="sorted")  # not str: its own order
    numbered.add_edge(9, 10, weight=1)
    json_export.write_json(numbered, tmp_path / "n.json", table=EdgeTable(numbered))
    assert (tmp_path / "n.json").read_text(encoding="utf-8").endswith(_json_edges(numbered))
    for chunk in (1, 2):
        _columns.CHUNK = chunk  # (the fixture puts it back)
        json_export.write_json(g, tmp_path / "g.json")
        assert (tmp_path / "g.json").read_text(encoding="utf-8").endswith(_json_edges(g))


def test_a_dated_graph_gets_the_same_spells(tmp_path: Path) -> None:
    g = _graph({"article_ids": [["a"], ["a", "b"], [], ["c"], ["b", "c", "d"]], "weight": [1, 2, 0, 1, 3]})
    g.graph["articles"] = {
        "a": {"date": "2020-01-02"},
        "b": {"date": "2020-01-03"},
        "c": {"date": "2021-05-01"},
        "d": {},
    }
    assert gexf._Times.of(g) is not None
    gexf.write_gexf(g, tmp_path / "g.gexf")
    written = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert _gexf_edges(g) in written and '<spell timestamp="2021-05-01"/>' in written
