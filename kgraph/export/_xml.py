"""What the Gephi exporters (GraphML, GEXF) share: XML escaping, column types, node styles.

Format quirks stay here and in the exporters: the graph itself holds neither colours nor sizes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from ..layout import has_layout, layout
from .html import TYPE_COLORS

#: Grey for entity types without a colour of their own.
OTHER_COLOR = "#9c9c9c"
#: Node sizes (Gephi units) for the least and the most mentioned entity.
MIN_SIZE, MAX_SIZE = 8.0, 48.0

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}

Kind = Literal["boolean", "int", "long", "double", "string", "list", "json"]


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (control characters, lone surrogates).

    >>> xml_safe("a\\x00b\\x1bc\\td")
    'abc\\td'
    """
    return _XML_FORBIDDEN.sub("", text)


def _replace(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def text(value: str) -> str:
    """`value` as XML element content: safe characters, markup escaped, \\r kept as a reference.

    >>> text("a < b & ]]> \\x07")
    'a &lt; b &amp; ]]&gt; '
    """
    return _TEXT_SPECIAL.sub(_replace, xml_safe(value))


def attr(value: str) -> str:
    """`value` as an XML attribute value (to go between double quotes); whitespace survives."""
    return _ATTR_SPECIAL.sub(_replace, xml_safe(value))


def number(value: float | int) -> str:
    """A number as text every reader parses back exactly (``repr`` of the float or int)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return repr(value)


def _kind_of(value: Any) -> Kind:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if -(2**31) <= value < 2**31 else "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "json"
    return "string"


def _unify(kinds: set[Kind]) -> Kind:
    """One type for a column whose values have `kinds`: numbers widen, anything else is a string."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= {"int", "long"}:
        return "long"
    if kinds <= {"int", "long", "double"}:
        return "double"
    return "string"


def column_kinds(rows: Iterable[Mapping[str, Any]], skip: Iterable[str] = ()) -> dict[str, Kind]:
    """The one type of each attribute over all `rows` (None values are ignored), sorted by name.

    >>> column_kinds([{"n": 1, "w": 1, "s": "a"}, {"n": 2, "w": 0.5, "s": 3}])
    {'n': 'int', 's': 'string', 'w': 'double'}
    """
    seen: dict[str, set[Kind]] = {}
    skipped = set(skip)
    for row in rows:
        for k, v in row.items():
            if v is not None and k not in skipped:
                seen.setdefault(k, set()).add(_kind_of(v))
    return {k: _unify(seen[k]) for k in sorted(seen)}


def plain(value: Any, kind: Kind, sep: str) -> str | None:
    """`value` as the text of a column of `kind` (None: leave the value out); lists joined by `sep`."""
    if value is None:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("int", "long", "double"):
        return number(float(value) if kind == "double" else int(value))
    if kind == "list":
        return sep.join(xml_safe(str(v)).replace(sep, SEP_STANDIN) for v in value)
    if kind == "json" or isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


#: What a list item's own separator becomes in a joined list (" | " -> " ¦ ").
SEP_STANDIN = " ¦ "


@dataclass(frozen=True)
class NodeStyle:
    """How Gephi draws a node: position, size and colour."""

    x: float
    y: float
    size: float
    r: int
    g: int
    b: int


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def node_styles(g: nx.Graph) -> dict[Hashable, NodeStyle]:
    """Position (the node's x/y, or a fresh `layout` when the graph has none), a size that
    grows with the square root of the article count, and the colour of the entity type."""
    if has_layout(g):
        pos = {n: (float(d["x"]), float(d["y"])) for n, d in g.nodes(data=True)}
    else:
        pos = layout(g)
    counts = {n: _count(d.get("article_count")) for n, d in g.nodes(data=True)}
    top = max(counts.values(), default=0.0) or 1.0
    styles = {}
    for n, d in g.nodes(data=True):
        r, gr, b = _rgb(TYPE_COLORS.get(str(d.get("type")), OTHER_COLOR))
        size = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(counts[n] / top), 2)
        styles[n] = NodeStyle(pos[n][0], pos[n][1], size, r, gr, b)
    return styles


def _count(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 0.0


def sorted_nodes(g: nx.Graph) -> list[Hashable]:
    """Nodes in the order the files list them: by id."""
    return sorted(g.nodes, key=str)


def sorted_edges(g: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """Edges in the order the files list them: by (smaller id, larger id)."""
    ends = [(a, b) if str(a) <= str(b) else (b, a) for a, b in g.edges]
    return sorted(ends, key=lambda e: (str(e[0]), str(e[1])))
