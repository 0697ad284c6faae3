"""graph.html without a browser: what is drawn, and that no text can become markup or script."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

import kgraph
from kgraph.errors import ConfigError
from kgraph.export.html import (
    MAX_SENTENCE_CHARS,
    _version_key,
    default_min_weight,
    page_data,
    render_html,
    select_nodes,
    write_html,
)
from kgraph.layout import importance_order

#: Text an article could carry to attack the reader of the page.
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "</SCRIPT ><script>window.__pwned=1</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "<!--<script>alert(1)//-->",
    '<a href="https://example.org/x">link</a>',
    "&lt;b&gt;entity&amp;",
    "\u2028line\u2029separators",
]


def hostile_graph() -> nx.Graph:
    """Every text field of the graph contract holds a payload."""
    g = nx.Graph()
    g.graph["articles"] = {f"a{i}": {"title": p, "url": "javascript:alert(1)"} for i, p in enumerate(PAYLOADS)}
    for i, p in enumerate(PAYLOADS):
        g.add_node(
            f"person:{p}",
            label=p,
            type="person",
            aliases=[p, f"alias {p}"],
            article_ids=[f"a{i}"],
            article_count=len(PAYLOADS) - i,
            mention_count=1,
        )
    for i, (a, b) in enumerate(itertools.pairwise(PAYLOADS)):
        g.add_edge(
            f"person:{a}",
            f"person:{b}",
            weight=1,
            sentence_count=1,
            article_ids=[f"a{i}"],
            sentences=[f"{a} met {b}."],
            sentence_article_ids=[f"a{i}"],
        )
    return g


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def graph_data(html: str) -> dict:
    return json.loads(html.split('id="graph-data">', 1)[1].split("</script>", 1)[0])


# -- what is drawn -------------------------------------------------------------------------
def test_selection_follows_the_one_order_of_importance() -> None:
    """Most articles, then most links, then id: the order the layout uses too."""
    g = nx.Graph()
    g.add_node("many", article_count=9)
    g.add_node("strong", article_count=2)
    g.add_node("weak", article_count=2)
    g.add_node("hub", article_count=1)
    g.add_edge("strong", "hub", weight=5)
    for i in range(3):
        g.add_node(f"leaf{i}", article_count=1)
        g.add_edge("weak", f"leaf{i}", weight=1)  # more links than "strong", though weaker in total
    assert select_nodes(g, 3) == ["many", "weak", "strong"]
    assert select_nodes(g, 4)[3] == "hub"  # one link, as the leaves, and first by id
    assert select_nodes(g, 7) == sorted(g, key=importance_order(g).__getitem__)
    with pytest.raises(ConfigError, match="at least 1"):
        select_nodes(g, 0)


def test_drawn_part_keeps_the_edges_among_the_drawn_entities_and_counts_everything() -> None:
    g = nx.Graph()
    for i in range(6):
        g.add_node(f"n{i}", label=f"N{i}", type="place", article_count=10 - i)
    g.add_edges_from([("n0", "n1"), ("n1", "n2"), ("n2", "n5"), ("n4", "n5")], weight=1)
    data = page_data(g, max_nodes=3)
    assert [n["id"] for n in data["nodes"]] == ["n0", "n1", "n2"]
    assert {(data["nodes"][e["source"]]["id"], data["nodes"][e["target"]]["id"]) for e in data["edges"]} == {
        ("n0", "n1"),
        ("n1", "n2"),
    }
    assert data["total"] == 6 and data["totalEdges"] == 4
    assert data["types"] == [{"name": "place", "key": "place", "color": "#4e79a7", "count": 3}]


def test_edges_carry_titles_sentences_and_weights() -> None:
    g = nx.Graph()
    g.graph["articles"] = {"a": {"title": "Envoy meets Taliban", "date": "2021-03-01"}}
    g.add_node("x", label="X", type="person", article_count=2, aliases=["X", "Mr X", "Xavier"], article_ids=["a", "b"])
    g.add_node("y", label="Y", type="place", article_count=2, article_ids=["a", "b"])
    g.add_edge(
        "x",
        "y",
        weight=2,
        sentence_count=1,
        article_ids=["a", "b"],
        sentences=["X went to Y. " * 100],
        sentence_article_ids=["b"],
    )
    data = page_data(g)
    x = data["nodes"][0]
    assert x["aliases"] == ["Mr X", "Xavier"]  # the label itself is not repeated
    edge = data["edges"][0]
    assert edge["weight"] == 2
    assert [data["articles"][d] for d in edge["docs"]] == [
        ["Envoy meets Taliban", "2021-03-01", "", ""],
        ["b", "", "", ""],
    ]
    ((sentence, doc),) = edge["sentences"]
    assert len(sentence) == MAX_SENTENCE_CHARS and sentence.endswith("…")
    assert data["articles"][doc][0] == "b"  # no title known: the article id stands in


def test_default_min_weight_keeps_the_first_view_readable() -> None:
    assert default_min_weight([1] * 50 + [2] * 5 + [3], budget=10) == 2
    assert default_min_weight([1] * 50 + [2] * 5 + [3], budget=3) == 3
    assert default_min_weight([1, 2], budget=10) == 1
    assert default_min_weight([], budget=10) == 1


def test_layout_attributes_are_used_only_when_every_drawn_node_has_them() -> None:
    g = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(g, {"a": 0.0, "b": 1.0, "c": 2.0}, "x")
    nx.set_node_attributes(g, {"a": 0.0, "b": 0.5, "c": -1.0}, "y")
    data = page_data(g)
    assert data["positioned"] is True
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert sorted(x for x, _ in pos.values())[1] == 0.0 and sorted(y for _, y in pos.values())[1] == 0.0  # centred
    assert pos["a"][0] < pos["b"][0] < pos["c"][0] and pos["c"][1] < pos["a"][1] < pos["b"][1]
    # the layout's units do not matter: only the shape does
    nx.set_node_attributes(g, {"a": 0.0, "b": 1000.0, "c": 2000.0}, "x")
    nx.set_node_attributes(g, {"a": 0.0, "b": 500.0, "c": -1000.0}, "y")
    assert {n["id"]: (n["x"], n["y"]) for n in page_data(g)["nodes"]} == pos
    del g.nodes["c"]["y"]
    data = page_data(g)
    assert data["positioned"] is False and "x" not in data["nodes"][0]
    g.nodes["c"]["y"] = float("nan")
    assert page_data(g)["positioned"] is False


def test_vis_network_version_order_is_numeric() -> None:
    assert max(["vis-9.10.0", "vis-9.9.1", "vis-9.1.2"], key=_version_key) == "vis-9.10.0"


# -- safety ----------------------------------------------------------------------------------
def test_no_text_from_the_graph_appears_as_markup() -> None:
    html = render_html(hostile_graph())
    for p in PAYLOADS:
        if "<" in p or ">" in p or "&" in p:
            assert p not in html, p
    tags = parse(html)
    names = [t for t, _ in tags.tags]
    template = parse(render_html(nx.Graph()))
    assert names == [t for t, _ in template.tags]  # the hostile graph adds no element at all
    assert names.count("script") == 3
    for _, attrs in tags.tags:
        assert not {"src", "href", "action", "formaction", "srcdoc"} & set(attrs)
        assert not [a for a in attrs if a.startswith("on")]


def test_the_data_comes_back_exactly_as_text() -> None:
    data = graph_data(render_html(hostile_graph()))
    assert [n["label"] for n in data["nodes"]] == PAYLOADS
    assert data["nodes"][0]["aliases"] == [f"alias {PAYLOADS[0]}"]
    assert sorted(a[0] for a in data["articles"]) == sorted(" ".join(p.split()) for p in PAYLOADS)  # one line each
    assert data["edges"][0]["sentences"][0][0] == f"{PAYLOADS[0]} met {PAYLOADS[1]}."


def test_the_page_is_written_as_a_stream_with_the_same_bytes_as_one_string(tmp_path, monkeypatch) -> None:
    """The page's long lists (articles, entities, links) are written a chunk at a time: the
    file is the template filled with the data encoded whole, escaped alike."""
    from kgraph.export import html as page

    monkeypatch.setattr(page, "_JSON_CHUNK", 2)  # the hostile graph's lists span several chunks
    g = hostile_graph()
    data = page_data(g)
    assert len(data["articles"]) > 2 and len(data["nodes"]) > 2 and len(data["edges"]) > 2
    vis, app, csp = page._scripts()
    whole_data = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    whole_data = whole_data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    parts = {"csp": csp, "vis": vis, "app": app, "data": whole_data}
    whole = page._PLACEHOLDER.sub(lambda m: parts[m.group(1)], page._asset("graph.html"))
    write_html(g, tmp_path / "graph.html")
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == whole == render_html(g)
    assert graph_data(whole) == json.loads(json.dumps(data))


@pytest.mark.parametrize(
    "text",
    [
        "plain title",
        " lead",
        "trail ",
        "two  spaces",
        "tab\there",
        "line\nbreak",
        "nbsp\xa0here",
        "ls\u2028x",
        "nel\x85x",
        "fs\x1cx",
        "ideographic\u3000x",
        "\t",
        "",
        "a \u200bb",
        "é ü",
    ],
)
def test_titles_are_put_on_one_line_and_tidy_ones_are_kept_as_they_are(text) -> None:
    from kgraph.export.html import _text

    got = _text(text, 200)
    assert got == " ".join(text.split())  # the rule: every run of white space one space, none at the ends
    if got == text:
        assert got is text  # not copied: a page of many articles holds each title once


def test_csp_allows_exactly_the_inline_scripts_and_no_address() -> None:
    html = render_html(hostile_graph())
    tags = parse(html)
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    executable = [
        s for (t, a), s in zip([x for x in tags.tags if x[0] == "script"], tags.scripts) if a.get("type") is None
    ]
    assert len(executable) == 2
    assert {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in executable} == hashes
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, flags=re.IGNORECASE)


def test_save_writes_the_page_and_max_nodes_reaches_it(tmp_path) -> None:
    g = nx.Graph()
    for i in range(20):
        g.add_node(f"place:{i}", label=f"P{i}", type="place", article_count=1)
    written = kgraph.KnowledgeGraph(g).save(tmp_path, max_nodes=7)
    data = graph_data(written["html"].read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 7 and data["total"] == 20
    write_html(g, tmp_path / "all.html", max_nodes=500)
    assert len(graph_data((tmp_path / "all.html").read_text(encoding="utf-8"))["nodes"]) == 20


def test_graph_from_the_cli_carries_max_nodes(tmp_path, blank_model_dir) -> None:
    from typer.testing import CliRunner

    from kgraph.cli import app

    from .conftest import SEEDS

    def build(*more: str) -> object:
        return CliRunner().invoke(
            app, ["build", str(SEEDS), "-o", str(tmp_path), "--model", str(blank_model_dir), "-j", "1", *more]
        )

    result = build("-q", "--max-nodes", "4")
    assert result.exit_code == 0, result.output
    data = graph_data((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 4 and data["total"] > 4
    again = build("--max-nodes", "5")  # another page is another build: the stamp knows the option
    assert again.exit_code == 0 and "up to date" not in again.output and "wrote" in again.output
    assert len(graph_data((tmp_path / "graph.html").read_text(encoding="utf-8"))["nodes"]) == 5
    assert "up to date" in build("--max-nodes", "5").output
    refused = build("--max-nodes", "0")
    assert refused.exit_code == 1
    assert refused.output.strip() == "error: --max-nodes must be at least 1, got 0: draw at least one entity"


def test_max_nodes_is_an_option_of_the_page_not_of_the_build(tmp_path) -> None:
    """The graph a build makes does not depend on how much of it the page draws: `max_nodes`
    goes to save, and build and BuildConfig refuse it in one line that says so."""
    assert "max_nodes" not in kgraph.BuildConfig.model_fields
    with pytest.raises(
        kgraph.ConfigError, match=r"^max_nodes is not a build option: .* kg\.save\(folder, max_nodes=500\)$"
    ):
        kgraph.build([tmp_path], max_nodes=500)
    g = nx.Graph()
    for i in range(10):
        g.add_node(f"place:{i}", label=f"P{i}", type="place", article_count=1)
    kg = kgraph.KnowledgeGraph(g)
    assert len(graph_data(kg.save(tmp_path / "a", max_nodes=3)["html"].read_text(encoding="utf-8"))["nodes"]) == 3
    with pytest.raises(kgraph.ConfigError, match="max_nodes must be at least 1, got 0"):
        kg.save(tmp_path / "b", max_nodes=0)


def test_vis_network_comes_from_the_installed_pyvis_without_importing_it(monkeypatch) -> None:
    import importlib.util
    import subprocess
    import sys

    import kgraph.export.html as html

    code = (
        "import sys; from kgraph.export.html import vis_network_js; js = vis_network_js(); "
        "print(len(js) > 100_000 and 'vis' in js, 'pyvis' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]  # read whole, and pyvis (which imports IPython) left unimported

    html.vis_network_js.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        with pytest.raises(kgraph.OutputError, match=r"cannot read vis-network .*: pip install 'pyvis>=0.3.2'"):
            html.vis_network_js()
    finally:
        html.vis_network_js.cache_clear()


def test_articles_carry_title_or_first_line_date_source_and_only_safe_urls() -> None:
    g = nx.Graph(article_count=2)
    g.graph["articles"] = {
        "a": {
            "title": "Envoy meets Taliban",
            "date": "2021-03-01",
            "source": "news.jsonl:3",
            "url": "javascript:alert(1)",
        },
        "b": {"lead": "KABUL — The envoy arrived on Monday.", "source": "b.txt", "url": "https://example.org/b"},
    }
    g.add_node("x", label="X", type="person", article_count=2, article_ids=["a", "b"])
    g.add_node("y", label="Y", type="place", article_count=2, article_ids=["a", "b"])
    g.add_edge("x", "y", weight=2, sentence_count=0, article_ids=["a", "b"])
    data = page_data(g)
    rows = [data["articles"][d] for d in data["edges"][0]["docs"]]
    assert rows == [
        ["Envoy meets Taliban", "2021-03-01", "news.jsonl:3", ""],  # a javascript: address is no link
        ["KABUL — The envoy arrived on Monday.", "", "b.txt", "https://example.org/b"],
    ]


def test_links_come_most_significant_first_with_their_statistics() -> None:
    """A graph without statistics (an older kgraph's) gets them for the page; the caller's is unchanged."""
    g = nx.Graph(article_count=100)
    for n, k in (("hub1", 60), ("hub2", 60), ("a", 5), ("b", 5)):
        g.add_node(n, label=n, type="place", article_count=k)
    g.add_edge("hub1", "hub2", weight=36, sentence_count=0)  # exactly what chance gives
    g.add_edge("a", "b", weight=5, sentence_count=2)  # always together
    data = page_data(g)
    first, second = data["edges"]
    names = [n["id"] for n in data["nodes"]]
    assert {names[first["source"]], names[first["target"]]} == {"a", "b"}
    assert first["backbone"] == 1 and second["backbone"] == 0
    assert first["expected"] == 0.25 and second["expected"] == 36.0
    assert first["q"] < 1e-6 < 0.5 < second["q"]
    assert not any("q_value" in d for *_, d in g.edges(data=True))


def test_an_article_without_a_title_is_named_by_its_first_line(tmp_path, blank_model_dir) -> None:
    """A JSONL article without a title (as in the bench corpus, where the page used to show ids
    such as lee-lee_background-28): the page and the evidence name it by its first line."""
    src = tmp_path / "news.jsonl"
    text = "\n  KABUL —  Khalilzad met the Taliban in Doha on Monday.\n\nThe Taliban left Doha."
    src.write_text(json.dumps({"id": "lee-28", "text": text}) + "\n", encoding="utf-8")
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    ev = kg.evidence("Taliban", "Doha")
    assert [(a.id, a.title, a.lead) for a in ev.articles] == [
        ("lee-28", None, "KABUL — Khalilzad met the Taliban in Doha on Monday.")
    ]
    data = page_data(kg.graph)
    assert data["articles"][data["edges"][0]["docs"][0]][0] == "KABUL — Khalilzad met the Taliban in Doha on Monday."
