"""graph.html: one self-contained page to explore the graph offline.

The page is the template ``kgraph/data/graph.html`` with three things put in:

- the vis-network library, read from the installed pyvis package (pyvis's own HTML
  generator is not used: it loads from CDNs and writes some text unescaped);
- the page's script, ``kgraph/data/graph.js``;
- the graph data, as JSON in a ``<script type="application/json">`` element with ``<``,
  ``>`` and ``&`` escaped, so no text from an article can end the element.

The script only ever puts data into the page with ``textContent``, and the page's
Content-Security-Policy allows exactly these two scripts (by hash) and no address at all:
even markup that got in could neither run nor load anything.

Large graphs: the page draws the ``max_nodes`` most important entities (most articles,
then strongest links) and the links among them, and says "showing N of M entities".
Nodes are placed at their ``x``/``y`` attributes when every drawn node has both;
otherwise the browser lays them out and stops moving once the layout settles.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("person:a", label="<b>A</b>", type="person", article_count=2)
>>> g.add_node("place:b", label="B", type="place", article_count=1)
>>> g.add_edge("person:a", "place:b", weight=1)
>>> html = render_html(g)
>>> "<b>A</b>" in html, "\\\\u003cb\\\\u003eA" in html
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .._coerce import as_float, as_int
from ..config import DEFAULT_MAX_NODES  # the default of save(max_nodes=) / --max-nodes
from ..errors import ConfigError, OutputError
from ..graph import importance_order
from ..layout import communities as layout_communities
from ..stats import add_link_stats
from ..timeline import months_between
from ._atomic import write_pieces
from .style import COMMUNITY_COLORS, TYPE_COLORS, type_color

#: The first view shows at most this many links per drawn entity (the weight control shows more).
LINKS_PER_NODE = 4
#: When the browser lays the graph out, the strongest links pull: at most this many per entity,
#: or LAYOUT_LINKS_MIN in all (small graphs use every link; big ones stay fast).
LAYOUT_LINKS_PER_NODE = 6
LAYOUT_LINKS_MIN = 2000
#: Evidence carried per drawn entity and link; the JSON and GraphML keep everything. A link
#: carries every article id and every kept sentence (`kgraph build --max-sentences`) up to
#: these bounds, so its panel can page through all of them.
MAX_ALIASES = 40
MAX_DOCS = 10
MAX_EDGE_DOCS = 500
MAX_EDGE_SENTENCES = 50
MAX_SENTENCE_CHARS = 400
MAX_TITLE_CHARS = 200
#: Links drawn per entity at most, most significant first; the panel's "+N more" shows the rest.
LINKS_SHOWN_PER_NODE = 50
#: Drawn positions fill a square of about this many pixels per node on a side.
_PX_PER_NODE = 70.0

_PLACEHOLDER = re.compile(r"/\*KGRAPH:(\w+)\*/")


# -- assets -------------------------------------------------------------------------------
def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name))


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network library (standalone, minified), read from the installed pyvis package.

    The package is found, not imported: importing pyvis imports IPython (a third of a second).
    """
    try:
        spec = importlib.util.find_spec("pyvis")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("No module named 'pyvis'")
        lib = Path(next(iter(spec.submodule_search_locations)), "lib")
        versions = sorted((p.name for p in lib.iterdir() if p.name.startswith("vis-")), key=_version_key)
        return (lib / versions[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError, IndexError) as e:
        raise OutputError(f"cannot read vis-network from the pyvis package ({e}): pip install 'pyvis>=0.3.2'") from None


def _asset(name: str) -> str:
    # one name a call: Traversable.joinpath takes several only from Python 3.11
    return resources.files("kgraph").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _inline_script(js: str) -> str:
    """`js` made safe to sit between <script> and </script> (it cannot close the element)."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _escape_markup(text: str) -> str:
    """JSON that cannot end its <script> element or open markup: <, > and & are escaped."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


#: Items of a list the page's data encodes at once when it writes the page as a stream.
_JSON_CHUNK = 4096


def _script_json_pieces(data: Mapping[str, Any]) -> Iterator[str]:
    """`data` as compact JSON that cannot end its <script> element or open markup (<, > and
    & escaped), in pieces: each long list of `data` (the page's articles, nodes, links) a
    chunk of items at a time, so a page of a million articles is never one string.

    >>> print("".join(_script_json_pieces({"a": [1, 2, "<b>"], "b": {"c": None}})))
    {"a":[1,2,"\\u003cb\\u003e"],"b":{"c":null}}
    """
    yield "{"
    for i, (key, value) in enumerate(data.items()):
        yield ("," if i else "") + _escape_markup(_compact_json(key)) + ":"
        if isinstance(value, (list, _ArticleRows)) and len(value) > _JSON_CHUNK:
            yield "["
            for start in range(0, len(value), _JSON_CHUNK):
                part = _compact_json(value[start : start + _JSON_CHUNK])[1:-1]
                yield ("," if start else "") + _escape_markup(part)
            yield "]"
        elif isinstance(value, _ArticleRows):
            yield _escape_markup(_compact_json(value[:]))
        else:
            yield _escape_markup(_compact_json(value))
    yield "}"


# -- what is drawn ------------------------------------------------------------------------
def select_nodes(g: nx.Graph, max_nodes: int = DEFAULT_MAX_NODES) -> list[str]:
    """The `max_nodes` most important entities (`kgraph.graph.importance_order`: most articles,
    then most links, then by id), most important first.

    >>> g = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1})])
    >>> select_nodes(g, 2)
    ['b', 'a']
    """
    if max_nodes < 1:
        raise ConfigError(f"max_nodes must be at least 1, got {max_nodes}: draw at least one entity")
    rank = importance_order(g)
    return sorted(g.nodes, key=rank.__getitem__)[:max_nodes]


def default_min_weight(weights: Iterable[int], budget: int) -> int:
    """The smallest minimum weight that leaves at most `budget` links (1 if all fit).

    >>> default_min_weight([1, 1, 1, 2, 3], 2)
    2
    >>> default_min_weight([1, 1], 5)
    1
    """
    counts: dict[int, int] = {}
    for w in weights:
        counts[w] = counts.get(w, 0) + 1
    shown = sum(counts.values())
    for w in sorted(counts):
        if shown <= budget:
            return max(w, 1)
        shown -= counts[w]
    return max(counts, default=1)


#: White space `_text` changes: at either end, two in a row, or other than a plain space.
_UNTIDY_SPACE = re.compile(r"^\s|\s$|\s\s|[^\S ]")


def _text(value: Any, limit: int) -> str:
    """`value` as text on one line, white space runs made one space, cut at `limit`
    characters. A text that is already so is returned as it is, not copied (a page of a
    million articles holds each title once).

    >>> _text(" a\\t b\\n\\nc ", 10), _text("a b", 2)
    ('a b c', 'a…')
    """
    text = str(value)
    if _UNTIDY_SPACE.search(text):
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):  # a GraphML reader may hand a joined string back
        return [v for v in value.split(" | ") if v]
    return list(value)


def _positions(g: nx.Graph, keep: list[str]) -> dict[str, tuple[float, float]] | None:
    """Pixel positions from the `x`/`y` node attributes, if every drawn node has both.

    The drawn part is centred and scaled so that it fills a square of about
    `_PX_PER_NODE` pixels per node on a side, whatever units the layout used.
    """
    raw: dict[str, tuple[float, float]] = {}
    for n in keep:
        d = g.nodes[n]
        try:
            x, y = float(d["x"]), float(d["y"])
        except (KeyError, TypeError, ValueError):
            return None
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        raw[n] = (x, y)
    if not raw:
        return None
    xs = sorted(p[0] for p in raw.values())
    ys = sorted(p[1] for p in raw.values())
    cx, cy = xs[len(xs) // 2], ys[len(ys) // 2]
    dist = sorted(math.hypot(x - cx, y - cy) for x, y in raw.values())
    spread = dist[min(len(dist) - 1, int(0.9 * len(dist)))] or dist[-1] or 1.0
    radius = _PX_PER_NODE * math.sqrt(len(raw)) / 2 + 100
    scale = radius / spread
    return {n: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for n, (x, y) in raw.items()}


def safe_url(value: Any) -> str:
    """`value` if it is an http(s) address, else "": only such addresses become links.

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url(" HTTP://x.org ")
    ('https://example.org/a?b=1', '', 'HTTP://x.org')
    """
    text = str(value or "").strip()
    return text if re.match(r"(?i)https?://[^\s]", text) and not re.search(r"[\x00-\x1f\x7f]", text) else ""


def _significance(d: Mapping[str, Any]) -> tuple[float, float, int, int]:
    q, p = as_float(d.get("q_value")), as_float(d.get("p_value"))
    return (
        2.0 if q is None else q,
        2.0 if p is None else p,
        -as_int(d.get("weight"), 1),
        -as_int(d.get("sentence_count")),
    )


def _round(x: float | None, digits: int = 3) -> float | None:
    """`x` to `digits` significant digits (q-values span hundreds of orders of magnitude)."""
    return None if x is None else float(f"{x:.{digits}g}")


def _with_stats(g: nx.Graph) -> nx.Graph:
    """`g` if it holds the link statistics (a build's graph says so in ``link_stats``), else a
    copy with them: a graph from an older kgraph, or made by hand."""
    if g.graph.get("link_stats") or not g.number_of_edges():
        return g
    if all("q_value" in d for _, _, d in g.edges(data=True)):
        return g
    return add_link_stats(nx.Graph(g))


def _drawn_edges(g: nx.Graph, index: Mapping[str, int]) -> list[tuple[str, str, dict[str, Any]]]:
    """The links among the drawn entities (`index`), most significant first (the page's order).

    Read from the drawn entities' own adjacency: a networkx subgraph view would walk every
    link of the graph."""
    adj = g.adj
    rows = [(u, v, d) for u, i in index.items() for v, d in adj[u].items() if index.get(v, -1) > i]
    return sorted(rows, key=lambda e: (_significance(e[2]), index[e[0]] + index[e[1]]))


def first_view(g: nx.Graph, *, max_nodes: int = DEFAULT_MAX_NODES) -> tuple[int, int, str]:
    """What the page opens on: (entities shown, links shown, "significant links" or "shared
    articles"), as graph.js works it out: the backbone among the drawn entities if it has a
    link, else the links of the default min. weight; each entity draws its
    `LINKS_SHOWN_PER_NODE` most significant; entities left without a link are hidden."""
    g = _with_stats(g)
    keep = select_nodes(g, max_nodes)
    index = {n: i for i, n in enumerate(keep)}
    rows = _drawn_edges(g, index)
    backbone = [r for r in rows if r[2].get("backbone") in (True, 1, "true", "True")]
    if backbone:
        passing, mode = backbone, "significant links"
    else:
        weights = [max(as_int(d.get("weight"), 1), 1) for *_, d in rows]
        floor = default_min_weight(weights, LINKS_PER_NODE * max(len(keep), 1))
        passing, mode = [r for r, w in zip(rows, weights) if w >= floor], "shared articles"
    shown: dict[str, int] = {}
    links = 0
    for a, b, _ in passing:
        if shown.get(a, 0) >= LINKS_SHOWN_PER_NODE or shown.get(b, 0) >= LINKS_SHOWN_PER_NODE:
            continue
        shown[a] = shown.get(a, 0) + 1
        shown[b] = shown.get(b, 0) + 1
        links += 1
    return len(shown), links, mode


class _ArticleRows:
    """The page's `articles`: [title, date, source, url] of each article it refers to, in
    the order first referred to. It keeps their ids and makes the rows from the graph's
    `articles` when sliced (``rows[start:stop]``): the page, written as a stream, asks a chunk at a time, so a
    page of a million articles never holds their texts at once (the graph's table keeps each
    article as one str, `kgraph.articles`)."""

    def __init__(self, meta: Mapping[str, Any]) -> None:
        self._meta = meta
        self._ids: list[str] = []
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: Any) -> int:
        """The index of the article `article_id` in the list, added if it is not in it."""
        key = str(article_id)
        at = self._index.get(key)
        if at is None:
            at = self._index[key] = len(self._ids)
            self._ids.append(key)
        return at

    def __getitem__(self, part: slice) -> list[list[str]]:
        """The rows of the articles in `part`."""
        meta, rows = self._meta, []
        for key in self._ids[part]:
            info = meta.get(key) or {}
            rows.append(
                [
                    _text(info.get("title") or info.get("lead") or key, MAX_TITLE_CHARS),
                    str(info.get("date") or ""),
                    _text(info.get("source") or "", MAX_TITLE_CHARS),
                    safe_url(info.get("url")),
                ]
            )
        return rows


def page_data(g: nx.Graph, *, max_nodes: int = DEFAULT_MAX_NODES) -> dict[str, Any]:
    """What the page draws: the selected entities, the links among them and their evidence.

    Entities and articles are referred to by their index in the `nodes` and `articles` lists;
    nodes come most important first, links most significant first.
    """
    data = _page_data(g, max_nodes)
    data["articles"] = data["articles"][:]
    return data


def _page_data(g: nx.Graph, max_nodes: int) -> dict[str, Any]:
    """`page_data`, its `articles` an `_ArticleRows` (made a chunk at a time as it is written)."""
    g = _with_stats(g)
    keep = select_nodes(g, max_nodes)
    index = {n: i for i, n in enumerate(keep)}
    meta: Mapping[str, Any] = g.graph.get("articles") or {}
    articles = _ArticleRows(meta)
    doc = articles.add

    positions = _positions(g, keep)
    rows = _drawn_edges(g, index)
    community = _communities(g, keep)
    nodes: list[dict[str, Any]] = []
    type_counts: dict[str, int] = {}
    for n in keep:
        d = g.nodes[n]
        label = str(d.get("label") or n)
        etype = str(d.get("type") or "")
        type_counts[etype] = type_counts.get(etype, 0) + 1
        aliases = [str(a) for a in dict.fromkeys(_list(d.get("aliases"))) if str(a) != label]
        node: dict[str, Any] = {
            "id": str(n),
            "label": label,
            "type": etype,
            "articles": as_int(d.get("article_count"), len(_list(d.get("article_ids")))),
            "mentions": as_int(d.get("mention_count")),
            "links": g.degree(n),
            "community": community.get(n, 0),
            "aliases": aliases[:MAX_ALIASES],  # most frequent first (graph contract order)
            "docs": [doc(a) for a in _list(d.get("article_ids"))[:MAX_DOCS]],
        }
        if positions is not None:
            node["x"], node["y"] = positions[n]
        nodes.append(node)
    months, month_index, counts, undated = _time_axis(meta)
    edges: list[dict[str, Any]] = []
    for a, b, d in rows:
        sentences = _list(d.get("sentences"))[:MAX_EDGE_SENTENCES]
        sentence_docs = _list(d.get("sentence_article_ids"))
        q = as_float(d.get("q_value"))
        edges.append(
            {
                "source": index[a],
                "target": index[b],
                "weight": max(as_int(d.get("weight"), 1), 1),
                "sentenceCount": as_int(d.get("sentence_count")),
                "q": _round(q) if q is not None else None,
                "p": _round(as_float(d.get("p_value"))),
                "expected": as_float(d.get("expected")),
                "backbone": 1 if d.get("backbone") in (True, 1, "true", "True") else 0,
                "docs": [doc(x) for x in _list(d.get("article_ids"))[:MAX_EDGE_DOCS]],
                "tm": _edge_months(d, month_index),
                "sentences": [
                    [_text(s, MAX_SENTENCE_CHARS), doc(sentence_docs[i]) if i < len(sentence_docs) else -1]
                    for i, s in enumerate(sentences)
                ],
            }
        )
    types = [t for t in TYPE_COLORS if t in type_counts] + sorted(t for t in type_counts if t not in TYPE_COLORS)
    unit = g.graph.get("link_stats")
    return {
        "total": g.number_of_nodes(),
        "totalEdges": g.number_of_edges(),
        "types": [{"name": t or "unknown", "key": t, "color": type_color(t), "count": type_counts[t]} for t in types],
        "communityColors": list(COMMUNITY_COLORS),
        "communities": len(set(community.values())),
        "nodes": nodes,
        "edges": edges,
        "articles": articles,
        "statsUnit": unit if unit in ("article", "sentence") else "article",
        "linksPerNode": LINKS_SHOWN_PER_NODE,
        "minWeight": default_min_weight((e["weight"] for e in edges), LINKS_PER_NODE * max(len(nodes), 1)),
        "layoutMinWeight": default_min_weight(
            (e["weight"] for e in edges), max(LAYOUT_LINKS_MIN, LAYOUT_LINKS_PER_NODE * len(nodes))
        ),
        "positioned": positions is not None,
        "time": {"months": months, "counts": counts, "undated": undated} if months else None,
    }


def _communities(g: nx.Graph, keep: list[str]) -> dict[str, int]:
    """The community of each drawn entity: the groups the layout draws together
    (`kgraph.layout.communities`), numbered by how many of them are drawn, most first."""
    found = layout_communities(g, nodes=keep)
    members: dict[int, list[int]] = {}
    for i, n in enumerate(keep):
        members.setdefault(found[n], []).append(i)
    order = sorted(members.values(), key=lambda m: (-len(m), m[0]))
    return {keep[i]: k for k, m in enumerate(order) for i in m}


def _time_axis(meta: Mapping[str, Any]) -> tuple[list[str], dict[str, int], list[int], int]:
    """The months from the first dated article to the last (``YYYY-MM``), their index, the
    articles of each, and the number of undated articles."""
    days = [str(m.get("date")) for m in meta.values() if isinstance(m, Mapping) and m.get("date")]
    if not days:
        return [], {}, [], 0
    months = months_between(min(days), max(days))
    index = {m: i for i, m in enumerate(months)}
    counts = [0] * len(months)
    for day in days:
        counts[index[day[:7]]] += 1
    return months, index, counts, len(meta) - len(days)


def _edge_months(d: Mapping[str, Any], month_index: Mapping[str, int]) -> list[list[int]]:
    """[month index, articles] for each month in which the link has a dated article, in order."""
    found: dict[int, int] = {}
    for day in _list(d.get("dates")):
        i = month_index.get(str(day)[:7]) if day else None
        if i is not None:
            found[i] = found.get(i, 0) + 1
    return [[i, n] for i, n in sorted(found.items())]


# -- the page -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _scripts() -> tuple[str, str, str]:
    """The two inline scripts and the Content-Security-Policy that allows exactly them."""
    vis = _inline_script(vis_network_js())
    app = _inline_script(_asset("graph.js"))
    csp = (
        f"default-src 'none'; script-src {_sha256(vis)} {_sha256(app)}; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'"
    )
    return vis, app, csp


def render_html(g: nx.Graph, *, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The page for `g` as one string."""
    return "".join(_page_pieces(g, max_nodes))


def _page_pieces(g: nx.Graph, max_nodes: int) -> Iterator[str]:
    """The page for `g`, piece after piece: the template with its placeholders filled in."""
    vis, app, csp = _scripts()
    data = _page_data(g, max_nodes)
    template = _asset("graph.html")
    at = 0
    for m in _PLACEHOLDER.finditer(template):
        yield template[at : m.start()]
        name = m.group(1)
        if name == "data":
            yield from _script_json_pieces(data)
        else:
            yield {"csp": csp, "vis": vis, "app": app}[name]
        at = m.end()
    yield template[at:]


def write_html(g: nx.Graph, path: str | os.PathLike[str], *, max_nodes: int = DEFAULT_MAX_NODES) -> Path:
    """Write the page for `g` to `path`, atomically: as a stream (`render_html` is the same
    text as one string)."""
    write_pieces(path, _page_pieces(g, max_nodes))
    return Path(path)
