"""The table of a graph's articles: one packed str an article, read and written as a dict of dicts."""

from __future__ import annotations

import copy
import json
import pickle

import networkx as nx

from kgraph.articles import SEP, ArticleTable, json_default, pack, pack_meta, unpack
from kgraph.records import ArticleMeta
from kgraph.timeline import article_dates

ENTRY = {"title": "Envoy meets the Taliban", "date": "2021-03-01", "url": "https://example.org/a1", "source": "a.txt"}


def test_an_entry_comes_back_as_it_was_given_in_the_order_of_the_fields() -> None:
    packed = pack({"title": "Envoy meets the Taliban", "source": "a.txt"})
    assert isinstance(packed, str)
    assert list(unpack(packed).items()) == [("title", "Envoy meets the Taliban"), ("source", "a.txt")]
    assert unpack(pack(ENTRY)) == ENTRY
    assert unpack(pack({})) == {}


def test_what_one_string_cannot_hold_is_kept_as_a_dict() -> None:
    for entry in (
        {"title": f"a{SEP}b"},  # the separator in a field
        {"title": "x", "note": "y"},  # a key that is not a field
        {"title": "x", "url": ""},  # an empty field (one string would drop it)
        {"title": 3},  # not text
        {"source": "a.txt", "title": "x"},  # another order
    ):
        assert pack(entry) == entry and unpack(pack(entry)) == entry


def test_an_articles_metadata_is_packed_as_its_info() -> None:
    meta = ArticleMeta(id="a1", title="Talks", url="https://example.org/1", source="feed.jsonl:3")
    assert unpack(pack_meta(meta)) == meta.info()
    odd = ArticleMeta(id="a2", title=f"one{SEP}two", source="x")
    assert pack_meta(odd) == odd.info() == {"title": f"one{SEP}two", "source": "x"}


def test_the_table_reads_as_a_dict_of_dicts() -> None:
    t = ArticleTable([("a1", ENTRY), ("a2", {"source": "b.txt"})])
    assert len(t) == 2 and "a1" in t and "a3" not in t and list(t) == ["a1", "a2"]
    assert t["a1"] == ENTRY and t.get("a3") is None
    assert dict(t.items()) == {"a1": ENTRY, "a2": {"source": "b.txt"}}
    assert t == {"a1": ENTRY, "a2": {"source": "b.txt"}}
    assert isinstance(t["a1"], dict)


def test_changes_to_an_articles_dict_are_kept_by_the_table() -> None:
    t = ArticleTable([("a1", ENTRY)])
    t["a1"]["title"] = "Talks in [link=https://x.test]Ankara[/link]"
    assert t["a1"]["title"] == "Talks in [link=https://x.test]Ankara[/link]"
    del t["a1"]["url"]
    t["a1"].update(site="example.org")
    assert t["a1"] == {
        "title": "Talks in [link=https://x.test]Ankara[/link]",
        "date": "2021-03-01",
        "site": "example.org",
        "source": "a.txt",
    }
    assert t["a1"].pop("site") == "example.org" and "site" not in t["a1"]
    t["a1"].setdefault("lead", "First line")
    assert t["a1"]["lead"] == "First line"
    t["a1"]["title"] = f"with {SEP} in it"  # then kept as a dict
    assert t["a1"]["title"] == f"with {SEP} in it"
    t["a2"] = {"title": "New"}
    del t["a1"]
    assert t == {"a2": {"title": "New"}}


def test_a_copy_or_a_pickle_of_an_entry_is_a_plain_dict_and_leaves_the_table_alone() -> None:
    t = ArticleTable([("a1", ENTRY)])
    for made in (copy.copy(t["a1"]), copy.deepcopy(t["a1"]), pickle.loads(pickle.dumps(t["a1"]))):
        assert type(made) is dict and made == ENTRY
        made["title"] = "changed"
    assert t["a1"] == ENTRY
    back = pickle.loads(pickle.dumps(t))
    assert type(back) is ArticleTable and back == t
    clone = copy.deepcopy(t)
    clone["a1"]["title"] = "changed"
    assert t["a1"] == ENTRY


def test_json_writes_the_table_as_the_dict_it_stands_for() -> None:
    t = ArticleTable([("a1", ENTRY), ("a2", {})])
    text = json.dumps({"articles": t}, default=json_default, sort_keys=True)
    assert json.loads(text) == {"articles": {"a1": ENTRY, "a2": {}}}


def test_readers_of_a_graph_take_the_table_as_they_take_a_dict() -> None:
    g = nx.Graph(articles=ArticleTable([("a1", ENTRY), ("a2", {"source": "b.txt"})]))
    assert article_dates(g) == {"a1": "2021-03-01"}


def test_every_file_of_a_graph_is_the_same_with_the_table_as_with_a_dict(tmp_path, monkeypatch) -> None:
    from kgraph.export import graphml as graphml_module
    from kgraph.export import json as json_module
    from kgraph.export.gexf import write_gexf
    from kgraph.export.graphml import write_graphml
    from kgraph.export.html import write_html
    from kgraph.export.json import write_json

    # the writers' chunked paths too: a table longer than a chunk
    monkeypatch.setattr(json_module, "_HEAD_CHUNK", 2)
    monkeypatch.setattr(graphml_module, "_GRAPH_CHUNK", 2)
    entries = [
        ("a1", ENTRY),
        ("a2", {"title": f"odd{SEP}title <b>&</b>", "source": "b.txt"}),
        ("a3", {"lead": "First line", "url": "javascript:alert(1)", "source": "c.txt"}),
    ]
    files = {}
    for name, articles in (("table", ArticleTable(entries)), ("dict", {k: dict(v) for k, v in entries})):
        g = nx.Graph(articles=articles, article_count=3)
        g.add_node("person:a", label="A", type="person", article_ids=["a1", "a2", "a3"], article_count=3)
        g.add_node("place:b", label="B", type="place", article_ids=["a1", "a3"], article_count=2)
        g.add_edge(
            "person:a",
            "place:b",
            weight=2,
            article_ids=["a1", "a3"],
            sentences=["A in B."],
            sentence_article_ids=["a3"],
        )
        folder = tmp_path / name
        folder.mkdir()
        for write, file in (
            (write_json, "graph.json"),
            (write_graphml, "graph.graphml"),
            (write_gexf, "graph.gexf"),
            (write_html, "graph.html"),
        ):
            write(g, folder / file)
            files.setdefault(file, []).append((folder / file).read_bytes())
    for file, (with_table, with_dict) in files.items():
        assert with_table == with_dict, file
    assert b"odd\\u001ftitle" in files["graph.json"][0]
