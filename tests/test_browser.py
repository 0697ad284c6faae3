"""graph.html in a real browser (Debian's chromium through Playwright), with the network blocked.

Every page is opened from file:// in a fresh context whose requests to anything but a file
are aborted and recorded, and which records console errors, page errors, dialogs and CSP
violations. The page sets ``body[data-ready]`` once the graph is drawn and still.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import spacy

import kgraph
from kgraph.export.html import page_data, write_html

from .conftest import SEEDS

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A page opened from file:// with the network blocked, and everything it tried."""

    def __init__(
        self, browser: Any, path: Path, *, bypass_csp: bool = False, width: int = 1280, height: int = 800
    ) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
        self.context.route("**/*", self._route)
        page = self.page = self.context.new_page()
        page.set_default_timeout(15_000)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.add_init_script(RECORD_CSP)
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready]", state="attached")

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def drawn(self) -> dict[str, int]:
        """Nodes and edges vis draws, once the controls' last change is applied."""
        self.page.wait_for_selector("body:not([data-busy])", state="attached")
        return self.js("kgraph.drawn()")

    def view_ids(self) -> list[str]:
        self.page.wait_for_selector("body:not([data-busy])", state="attached")
        return self.js("kgraph.nodeView.getIds()")

    def count_text(self) -> str:
        self.page.wait_for_selector("body:not([data-busy])", state="attached")
        return self.page.text_content("#count") or ""

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where node `node_id` is on the screen."""
        x, y = self.js(
            """(id) => { const n = kgraph.network, p = n.canvasToDOM(n.getPositions([id])[id]);
                         const r = document.getElementById("graph").getBoundingClientRect();
                         return [r.left + p.x, r.top + p.y]; }""",
            node_id,
        )
        return x, y

    def hover_edge(self, a: str, b: str) -> tuple[float, float]:
        """Move the mouse onto the drawn edge a-b where its own tooltip shows; return the point.

        Points along the edge are tried in turn from the middle out: one can be under a
        node's label, which vis treats as the node.
        """
        points = self.js(
            """([a, b]) => { const n = kgraph.network, id = n.getConnectedEdges(a).find((e) => n.getConnectedEdges(b).includes(e));
                 const pa = n.canvasToDOM(n.getPositions([a])[a]), pb = n.canvasToDOM(n.getPositions([b])[b]);
                 const r = document.getElementById("graph").getBoundingClientRect(), out = [];
                 for (let i = 1; i < 40; i++) {
                   const t = 0.5 + (i % 2 ? 1 : -1) * Math.floor(i / 2) * 0.02;
                   const p = { x: pa.x + t * (pb.x - pa.x), y: pa.y + t * (pb.y - pa.y) };
                   if (n.getNodeAt(p) === undefined && n.getEdgeAt(p) === id) out.push([r.left + p.x, r.top + p.y]);
                 }
                 return out; }""",
            [a, b],
        )
        names = [self.js("(id) => kgraph.data.nodes.find((n) => n.id === id).label", x) for x in (a, b)]
        for x, y in points:
            self.page.mouse.move(x, y)
            self.page.wait_for_timeout(50)
            tip = self.page.text_content("#tip") or "" if self.page.is_visible("#tip") else ""
            # the tip of this edge, not of another drawn across the same point
            if "shared article" in tip and all(name in tip.split("shared article")[0] for name in names):
                return x, y
        raise AssertionError(f"edge {a} - {b} is hidden behind nodes and labels")

    def show_every_link(self) -> None:
        """Switch to shared articles, weight 1 and every entity, as a user wanting everything would."""
        self.page.select_option("#mode", "articles")
        self.page.focus("#weight")
        self.page.keyboard.press("Home")
        if self.page.is_checked("#unlinked"):
            self.page.click("#unlinked")
        self.page.wait_for_selector("body:not([data-busy])", state="attached")

    def empty_point(self) -> tuple[float, float]:
        """A point of the graph area with neither a node nor an edge under it."""
        point = self.js(
            """() => { const n = kgraph.network, r = document.getElementById("graph").getBoundingClientRect();
                 for (let y = r.height - 10; y > 10; y -= 23) for (let x = 10; x < r.width / 2; x += 29) {
                   const p = { x: x, y: y };
                   if (n.getNodeAt(p) === undefined && n.getEdgeAt(p) === undefined) return [r.left + x, r.top + y];
                 }
                 return null; }"""
        )
        assert point is not None
        return point[0], point[1]

    def assert_clean(self) -> None:
        """Nothing was loaded from outside the file, nothing failed, nothing popped up."""
        assert self.blocked == []
        assert all(u.startswith("file:") for u in self.requests), self.requests
        assert self.errors == []
        assert self.dialogs == []
        assert self.js("window.__csp") == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(path: Path, **kw: Any) -> Visit:
        v = Visit(browser, path, **kw)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.close()


# -- graphs --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_graph(blank_model_dir: Path) -> nx.Graph:
    """The seeds read with the rule-based pipeline: 11 entities, links of weight 1 to 5."""
    return kgraph.build([SEEDS], model=str(blank_model_dir), jobs=1).graph


@pytest.fixture(scope="module")
def seed_page(seed_graph: nx.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(seed_graph, tmp_path_factory.mktemp("page") / "graph.html")


def edges_from(seed_graph: nx.Graph, min_weight: int) -> int:
    return sum(1 for *_, w in seed_graph.edges(data="weight") if w >= min_weight)


def first_view(data: dict[str, Any]) -> tuple[set[str], int]:
    """The entities and the number of links the page opens on, worked out from its data: the
    backbone if it has one, else the links of weight `minWeight` or more; each entity draws its
    `linksPerNode` most significant (the data's order); entities without a link are hidden."""
    backbone = any(e["backbone"] for e in data["edges"])
    shown: dict[int, int] = {}
    kept = 0
    ids: set[str] = set()
    for e in data["edges"]:
        if not (e["backbone"] if backbone else e["weight"] >= data["minWeight"]):
            continue
        a, b = e["source"], e["target"]
        if shown.get(a, 0) >= data["linksPerNode"] or shown.get(b, 0) >= data["linksPerNode"]:
            continue
        shown[a] = shown.get(a, 0) + 1
        shown[b] = shown.get(b, 0) + 1
        kept += 1
        ids.update((data["nodes"][a]["id"], data["nodes"][b]["id"]))
    return ids, kept


# -- loading -------------------------------------------------------------------------------
def test_page_loads_offline_and_draws_its_first_view(visit, seed_graph, seed_page) -> None:
    v = visit(seed_page)
    data = page_data(seed_graph)
    ids, links = first_view(data)
    n = seed_graph.number_of_nodes()
    assert 0 < len(ids) < n  # entities left without a link are hidden
    assert v.drawn() == {"nodes": len(ids), "edges": links}
    assert set(v.view_ids()) == ids
    assert v.count_text().startswith(f"showing {len(ids)} of {n} entities · {links} link{'' if links == 1 else 's'}")
    legend = v.page.locator("#types label").all_text_contents()
    assert [t.split()[0] for t in legend] == ["person", "place", "organization"]
    v.show_every_link()
    assert v.drawn() == {"nodes": n, "edges": seed_graph.number_of_edges()}
    v.assert_clean()


def test_max_nodes_draws_the_most_important_part(visit, seed_graph, tmp_path) -> None:
    v = visit(write_html(seed_graph, tmp_path / "graph.html", max_nodes=4))
    assert v.count_text().startswith(f"showing {v.drawn()['nodes']} of {seed_graph.number_of_nodes()} entities")
    v.show_every_link()
    assert set(v.view_ids()) == {"place:doha", "organization:taliban", "place:united-states", "person:zalmay-khalilzad"}
    v.assert_clean()


def test_layout_settles_and_stops_moving(visit, seed_graph, tmp_path) -> None:
    g = seed_graph.copy()
    for _, d in g.nodes(data=True):  # without x/y attributes the browser lays the graph out
        d.pop("x", None), d.pop("y", None)
    v = visit(write_html(g, tmp_path / "graph.html"))
    assert v.js("kgraph.data.positioned") is False
    before = v.js("kgraph.network.getPositions()")
    v.page.wait_for_timeout(400)
    assert v.js("kgraph.network.getPositions()") == before
    assert v.js("kgraph.network.physics.options.enabled") is False
    v.assert_clean()


def test_given_positions_are_drawn_at_once(visit, seed_graph, tmp_path) -> None:
    g = seed_graph.copy()
    for i, n in enumerate(sorted(g)):
        g.nodes[n]["x"], g.nodes[n]["y"] = float(i % 4), float(i // 4)
    v = visit(write_html(g, tmp_path / "graph.html"))
    assert v.js("kgraph.data.positioned") is True
    assert v.js("kgraph.network.physics.options.enabled") is False
    v.show_every_link()
    expected = {n["id"]: (n["x"], n["y"]) for n in page_data(g)["nodes"]}
    drawn = v.js("kgraph.network.getPositions()")
    # on a grid 108 px apart no disc overlaps another, so none is moved
    assert {k: (p["x"], p["y"]) for k, p in drawn.items()} == {
        k: (round(x), round(y)) for k, (x, y) in expected.items()
    }
    v.assert_clean()


def test_a_1500_node_graph_draws(visit, tmp_path) -> None:
    rng = random.Random(5)
    g = nx.Graph()
    types = ["person", "place", "organization"]
    for i in range(1600):
        g.add_node(
            f"e{i}",
            label=f"Entity {i}",
            type=types[i % 3],
            article_count=1 + int(200 / (i + 1)),
            aliases=[f"E{i}"],
            article_ids=[f"a{i % 97}"],
            x=rng.uniform(-1, 1),
            y=rng.uniform(-1, 1),
        )
    for _ in range(6000):
        a, b = rng.sample(range(1600), 2)
        g.add_edge(f"e{a}", f"e{b}", weight=rng.choice([1, 1, 1, 2, 3]), article_ids=[f"a{a % 97}"])
    path = write_html(g, tmp_path / "graph.html", max_nodes=1500)
    ids, _ = first_view(page_data(g, max_nodes=1500))
    v = visit(path)
    assert v.drawn()["nodes"] == len(ids)
    assert v.count_text().startswith(f"showing {len(ids)} of 1600 entities")
    v.show_every_link()
    assert v.drawn()["nodes"] == 1500
    assert v.js("kgraph.data.positioned") is True
    v.assert_clean()


# -- controls ------------------------------------------------------------------------------
def test_search_by_alias_focuses_the_entity_and_its_neighbourhood(visit, seed_page) -> None:
    v = visit(seed_page)
    v.page.select_option("#mode", "articles")  # the shared-articles view, whatever the backbone holds
    v.page.wait_for_selector("body:not([data-busy])", state="attached")
    v.page.click("#unlinked")  # entities without a link drawn stay on screen
    v.page.keyboard.press("/")  # the search box's shortcut
    v.page.keyboard.type("special representative")
    first = v.page.locator("#results button").first
    assert first.text_content().startswith("Zalmay Khalilzad")
    v.page.keyboard.press("Enter")
    assert v.page.text_content("#info h2") == "Zalmay Khalilzad"
    assert "Special Representative Khalilzad" in v.page.text_content("#info")
    assert v.js("kgraph.network.getSelectedNodes()") == ["person:zalmay-khalilzad"]
    assert v.js("kgraph.highlighted()") == "person:zalmay-khalilzad"
    # neighbours keep their colour, the rest fade
    colour = "(id) => kgraph.network.body.nodes[id].options.color.background"  # what vis draws with
    near = set(v.js("kgraph.network.getConnectedNodes('person:zalmay-khalilzad')"))
    far = [x for x in v.view_ids() if x not in near and x != "person:zalmay-khalilzad"]
    assert far and "place:doha" in near
    assert v.js(colour, far[0]).startswith("rgba(200")
    assert v.js(colour, "place:doha") == "#4e79a7"
    # the lit entities' labels are drawn, the faded ones' not
    labelled = {b["id"] for b in v.js("kgraph.labelBoxes()")}
    assert "person:zalmay-khalilzad" in labelled and not labelled & set(far)
    v.page.mouse.click(*v.empty_point())
    assert not v.js(colour, far[0]).startswith("rgba(200") and v.js("kgraph.highlighted()") is None
    v.assert_clean()


def test_search_reveals_an_entity_whose_type_is_hidden(visit, seed_page) -> None:
    v = visit(seed_page)
    v.page.click("#types input[data-type=person]")
    assert "person:joe-biden" not in v.view_ids()
    v.page.fill("#search", "biden")
    v.page.press("#search", "Enter")
    assert v.page.is_checked("#types input[data-type=person]")
    assert "person:joe-biden" in v.view_ids()
    assert v.page.text_content("#info h2") == "Joe Biden"
    v.page.fill("#search", "no such entity")
    assert "No drawn entity matches" in v.page.text_content("#results")
    v.assert_clean()


def test_type_toggles_hide_and_show_entities_and_their_links(visit, seed_graph, seed_page) -> None:
    v = visit(seed_page)
    v.show_every_link()
    n = seed_graph.number_of_nodes()
    people = [x for x, t in seed_graph.nodes(data="type") if t == "person"]
    v.page.click("#types input[data-type=person]")
    assert v.drawn()["nodes"] == n - len(people)
    assert v.count_text().startswith(f"showing {n - len(people)} of {n} entities")
    drawn_edges = v.js("kgraph.edgeView.get().map((e) => [e.from, e.to])")
    assert drawn_edges and not [e for e in drawn_edges if set(e) & set(people)]
    v.page.click("#types input[data-type=person]")
    assert v.drawn()["nodes"] == n
    v.assert_clean()


def test_weight_control_and_hide_unlinked(visit, seed_graph, seed_page) -> None:
    v = visit(seed_page)
    v.page.select_option("#mode", "articles")
    top = max(w for *_, w in seed_graph.edges(data="weight"))
    v.page.fill("#search", "Taliban")
    v.page.press("#search", "Enter")
    v.page.focus("#weight")
    v.page.keyboard.press("End")
    assert v.page.text_content("#weight-value") == str(top)
    assert v.drawn()["edges"] == edges_from(seed_graph, top)
    assert f"links of weight ≥ {top}" in v.count_text()
    strongest = sum(1 for *_, w in seed_graph.edges("organization:taliban", data="weight") if w == top)
    assert f"Linked to ({strongest} of {seed_graph.degree('organization:taliban')} shown)" in v.page.text_content(
        "#info"
    )
    # hiding links hides the entities left without one
    strong = {x for a, b, w in seed_graph.edges(data="weight") if w == top for x in (a, b)}
    assert set(v.view_ids()) == strong
    v.page.click("#unlinked")  # show them again
    assert v.drawn() == {"nodes": seed_graph.number_of_nodes(), "edges": edges_from(seed_graph, top)}
    v.page.focus("#weight")
    v.page.keyboard.press("Home")
    assert v.drawn() == {"nodes": seed_graph.number_of_nodes(), "edges": seed_graph.number_of_edges()}
    v.page.click("#reset")
    assert v.page.is_checked("#unlinked")
    ids, links = first_view(page_data(seed_graph))
    assert v.drawn() == {"nodes": len(ids), "edges": links}
    v.assert_clean()


def test_hover_and_click_show_nodes_and_edges(visit, seed_graph, seed_page) -> None:
    v = visit(seed_page)
    v.page.select_option("#mode", "articles")  # the shared-articles view, whatever the backbone holds
    v.page.wait_for_selector("body:not([data-busy])", state="attached")
    v.page.mouse.move(*v.node_point("organization:taliban"))
    v.page.wait_for_selector("#tip:not([hidden])")
    assert v.page.text_content("#tip").startswith("Taliban organization · 5 articles")
    v.page.mouse.click(*v.node_point("organization:taliban"))
    assert v.page.text_content("#info h2") == "Taliban"
    assert "Doha · 5 articles" in v.page.text_content("#info")
    links = seed_graph.degree("organization:taliban")
    strong = v.js("kgraph.network.getConnectedEdges('organization:taliban').length")
    assert f"Linked to ({strong} of {links} shown)" in v.page.text_content("#info")
    v.page.keyboard.press("Escape")
    assert v.page.is_hidden("#info") and v.js("kgraph.highlighted()") is None
    strongest = sorted(tuple(sorted((a, b))) for a, b, w in seed_graph.edges(data="weight") if w == 5)
    assert ("organization:taliban", "place:doha") in strongest
    for a, b in strongest:  # the first of them not hidden behind labels in this layout
        try:
            point = v.hover_edge(a, b)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError("no edge of weight 5 can be hovered")
    v.page.wait_for_selector("#tip:not([hidden]) >> text=5 shared articles")
    v.page.mouse.click(*point)
    info = v.page.text_content("#info")
    edge = seed_graph.edges[a, b]
    assert "5 shared articles" in info and "article 1 of 5" in info
    assert edge["sentences"][0] in info
    title = seed_graph.graph["articles"][edge["article_ids"][0]].get("title")
    assert title and title in info
    v.page.mouse.click(*v.empty_point())
    assert v.page.is_hidden("#info")
    assert v.js("kgraph.highlighted()") is None
    v.assert_clean()


# -- safety --------------------------------------------------------------------------------
PWN = "window.__pwned=1"
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    f"<img src=x onerror={PWN}>",
    f"</script><script>{PWN};alert(1)</script>",
    f'"><svg onload={PWN}>',
    f"javascript:{PWN}",
    f'<a href="javascript:{PWN}">Click me</a>',
    '<iframe src="https://example.org/"></iframe>',
    "<img src=https://example.org/pixel.png>",
    "<style>@import url(https://example.org/x.css);</style>",
    f"<!--<script>{PWN}//-->",
]


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.Graph]:
    """A graph built by kgraph from articles whose names, titles and sentences are attacks.

    The resolver trims some punctuation off names, so the labels, aliases, one type and one id
    are then set to the raw payloads too: the page must hold even when an upstream stage does not.
    """
    folder = tmp_path_factory.mktemp("hostile")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    labels = ["PERSON", "GPE", "ORG"]
    ruler.add_patterns([{"label": labels[i % 3], "pattern": p} for i, p in enumerate(PAYLOADS)])
    nlp.to_disk(folder / "model")
    lines = []
    for i, p in enumerate(PAYLOADS):
        q = PAYLOADS[(i + 1) % len(PAYLOADS)]
        r = PAYLOADS[(i + 2) % len(PAYLOADS)]
        lines.append(
            json.dumps(
                {
                    "id": f"art{i}",
                    "title": f"{p} & {q}",
                    "url": f"javascript:{PWN}",
                    "text": f"{p} met {q} .\n{q} said {r} .",
                }
            )
        )
    (folder / "articles.jsonl").write_text("\n".join(lines), encoding="utf-8")
    g = kgraph.build([folder / "articles.jsonl"], model=str(folder / "model"), jobs=1).graph
    assert g.number_of_nodes() >= 8
    for (_n, d), p in zip(sorted(g.nodes(data=True)), PAYLOADS):
        d["label"] = p
        d["aliases"] = [p, *PAYLOADS]
    first = min(g)
    g.nodes[first]["type"] = PAYLOADS[0]
    g = nx.relabel_nodes(g, {first: PAYLOADS[3]})
    assert any(p in s for *_, ss in g.edges(data="sentences") for s in ss for p in PAYLOADS)
    return write_html(g, folder / "graph.html"), g


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_text_from_articles_never_runs(visit, hostile_page, bypass_csp: bool) -> None:
    path, g = hostile_page
    v = visit(path, bypass_csp=bypass_csp)
    assert v.drawn()["nodes"] == g.number_of_nodes()
    # search by (part of) a hostile name, and open it
    v.page.click("#search")
    v.page.keyboard.type("onerror")
    assert v.page.locator("#results button").count() > 0
    v.page.keyboard.press("Enter")
    v.page.wait_for_selector("#info:not([hidden])")
    assert v.page.text_content("#info h2") in PAYLOADS
    # click a node, hover and click an edge
    target = PAYLOADS[3]  # the node whose id is itself a payload
    v.js("kgraph.network.fit()")
    v.page.mouse.click(*v.node_point(target))
    assert v.page.text_content("#info h2") == g.nodes[target]["label"]
    assert PAYLOADS[0] in v.page.text_content("#info")  # aliases, shown as text
    a, b = max(g.edges(data=True), key=lambda e: (len(e[2]["sentences"]), e[2]["weight"]))[:2]
    v.page.mouse.click(*v.empty_point())
    v.show_every_link()
    point = v.hover_edge(a, b)
    v.page.wait_for_selector("#tip:not([hidden])")
    v.page.mouse.click(*point)
    info = v.page.text_content("#info")
    sentence = g.edges[a, b]["sentences"][0]
    assert " ".join(sentence.split()) in info
    # nothing ran, nothing was added to the page, nothing was requested
    assert v.js("window.__pwned") is None
    assert v.js("document.querySelectorAll('img, svg, iframe, object, embed, a, style').length") == 1  # our <style>
    assert v.js("document.scripts.length") == 3
    v.assert_clean()


def test_the_harness_sees_what_a_page_tries(visit, tmp_path) -> None:
    """The checks above are not vacuous: a page that reaches out or pops up is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<body data-ready><img src="https://example.org/x.png"><script>alert(1)</script></body>')
    v = visit(page)
    v.page.wait_for_load_state("load")
    assert v.blocked == ["https://example.org/x.png"]
    assert v.dialogs == ["1"]
    assert v.requests[0].startswith("file:")


def test_an_empty_graph_says_so(visit, tmp_path) -> None:
    v = visit(write_html(nx.Graph(), tmp_path / "graph.html"))
    assert "No entities to draw" in v.page.text_content("#status")
    assert v.count_text().startswith("showing 0 of 0 entities")
    v.assert_clean()


# -- time ------------------------------------------------------------------------------------
def test_the_time_range_changes_what_is_drawn(visit, blank_model_dir, tmp_path) -> None:
    from .test_time import jsonl

    kg = kgraph.build([jsonl(tmp_path / "in")], model=str(blank_model_dir), jobs=1)
    page = write_html(kg.graph, tmp_path / "graph.html")
    data = page_data(kg.graph)
    v = visit(page)
    assert v.page.is_visible("#time")
    assert [b for b in v.js("Array.from(document.querySelectorAll('#hist .bar')).map((b) => b.title)")] == [
        "2021-03: 2 articles",
        "2021-04: 0 articles",
        "2021-05: 2 articles",
    ]
    v.show_every_link()
    assert v.drawn()["edges"] == kg.graph.number_of_edges()
    v.page.focus("#from")
    v.page.keyboard.press("End")  # the range: May 2021 alone
    v.page.wait_for_selector("body:not([data-busy])", state="attached")
    assert v.page.text_content("#span") == "2021-05"
    may = [e for e in data["edges"] if any(m == 2 for m, _ in e["tm"])]
    new = [e for e in may if e["tm"][0][0] == 2]
    assert 0 < len(may) < kg.graph.number_of_edges()
    assert v.drawn()["edges"] == len(may)
    assert v.js("kgraph.newLinks()") == len(new) > 0
    assert v.count_text().endswith(f"· 2021-05 ({len(new)} new)")
    dashed = v.js("kgraph.edgeView.get().filter((e) => e.dashes).length")
    assert dashed == len(new)
    # a link's panel shows its articles month by month
    k = next(i for i, e in enumerate(data["edges"]) if len(e["tm"]) > 1)
    v.js(f"kgraph.showEdge({k})")
    bars = v.js("Array.from(document.querySelectorAll('#info .link-time .bar')).map((b) => b.title)")
    per = dict(data["edges"][k]["tm"])
    assert bars == [
        f"{m}: {per.get(i, 0)} article{'s' * (per.get(i, 0) != 1)}"
        for i, m in enumerate(["2021-03", "2021-04", "2021-05"])
    ]
    assert "first seen 2021-03" in v.page.text_content("#info .link-time")
    v.page.click("#reset")
    v.page.wait_for_selector("body:not([data-busy])", state="attached")
    assert v.page.text_content("#span") == "2021-03 – 2021-05"
    assert "new)" not in v.count_text()
    v.assert_clean()
