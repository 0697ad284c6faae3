"""What the Gephi exporters (GraphML, GEXF) share: XML escaping, column types, the order of
nodes and edges. (How nodes are drawn, their colours, sizes and positions, is
`kgraph.export.style`.)

Format quirks stay here and in the exporters.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any, Literal

import networkx as nx

from ..articles import ArticleTable, json_default

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# U+0085 and U+2028 are line ends to XML 1.1 and to the xmldom parser of Node's graphology
# (a newline in text, a space in an attribute): written as character references they stay themselves.
_TEXT_SPECIAL = re.compile("[&<>\r\x85\u2028]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t\x85\u2028]')
# one search that finds either kind, for the common case of text that needs no change
_TEXT_ANY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff&<>\r\x85\u2028]")
_ATTR_ANY = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff&<>"\r\n\t\x85\u2028]')

Kind = Literal["boolean", "int", "long", "double", "string", "list", "json"]

# the ASCII characters text (and an attribute) may hold as they are: deleting them from an
# ASCII text's bytes leaves nothing when it needs no change (many times faster than a search)
_TEXT_ASCII = bytes(c for c in range(0x20, 0x80) if chr(c) not in "&<>") + b"\t\n"
_ATTR_ASCII = bytes(c for c in range(0x20, 0x80) if chr(c) not in '&<>"')


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (control characters, lone surrogates).

    >>> xml_safe("a\\x00b\\x1bc\\td")
    'abc\\td'
    """
    return _XML_FORBIDDEN.sub("", text)


def text(value: str) -> str:
    """`value` as XML element content: safe characters, markup escaped, \\r, U+0085 and U+2028
    kept as references.

    >>> text("a < b & ]]> \\x07")
    'a &lt; b &amp; ]]&gt; '
    """
    if value.isascii() and not value.encode("ascii").translate(None, _TEXT_ASCII) or not _TEXT_ANY.search(value):
        return value
    if _XML_FORBIDDEN.search(value):
        value = _XML_FORBIDDEN.sub("", value)
    if _TEXT_SPECIAL.search(value):
        value = (
            value.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\r", "&#13;")
            .replace("\x85", "&#133;")
            .replace("\u2028", "&#8232;")
        )
    return value


def plain_text(value: str) -> bool:
    """Whether `text` leaves `value` as it is (nothing to drop, nothing to escape).

    >>> plain_text("Ned Price, 2 p.m."), plain_text("AT&T")
    (True, False)
    """
    return value.isascii() and not value.encode("ascii").translate(None, _TEXT_ASCII) or not _TEXT_ANY.search(value)


def plain_attr(value: str) -> bool:
    """Whether `attr` leaves `value` as it is.

    >>> plain_attr("Ned Price"), plain_attr('say "hi"'), plain_attr("a\\nb")
    (True, False, False)
    """
    return value.isascii() and not value.encode("ascii").translate(None, _ATTR_ASCII) or not _ATTR_ANY.search(value)


def attr(value: str) -> str:
    """`value` as an XML attribute value (to go between double quotes); whitespace survives.

    >>> attr('say "hi"\\n & go')
    'say &quot;hi&quot;&#10; &amp; go'
    """
    if value.isascii() and not value.encode("ascii").translate(None, _ATTR_ASCII) or not _ATTR_ANY.search(value):
        return value
    if _XML_FORBIDDEN.search(value):
        value = _XML_FORBIDDEN.sub("", value)
    if _ATTR_SPECIAL.search(value):
        value = (
            value.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("\r", "&#13;")
            .replace("\n", "&#10;")
            .replace("\t", "&#9;")
            .replace("\x85", "&#133;")
            .replace("\u2028", "&#8232;")
        )
    return value


def number(value: float) -> str:
    """A number as text every reader parses back exactly (``repr`` of the float or int)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return repr(value)


def _kind_of_type(t: type) -> Kind | None:
    """The column kind for values of type `t` (None for None); ints are checked for range later."""
    if t is type(None):
        return None
    if issubclass(t, bool) or t.__name__ == "bool_":
        return "boolean"
    if issubclass(t, numbers.Integral):
        return "int"
    if issubclass(t, numbers.Real):
        return "double"
    if issubclass(t, (list, tuple)):
        return "list"
    if issubclass(t, (dict, ArticleTable)):
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

    >>> column_kinds([{"n": 1, "w": 1, "s": "a", "big": 1}, {"n": 2, "w": 0.5, "s": 3, "big": 2**40}])
    {'big': 'long', 'n': 'int', 's': 'string', 'w': 'double'}
    """
    rows = rows if isinstance(rows, list) else list(rows)
    types: dict[str, set[type]] = {}
    for row in rows:
        for k, v in row.items():
            found = types.get(k)
            if found is None:
                types[k] = {type(v)}
            elif type(v) not in found:
                found.add(type(v))
    return kinds_of(types, lambda k: (row.get(k) for row in rows), skip)


def kinds_of(
    types: Mapping[str, set[type]], values: Callable[[str], Iterable[Any]], skip: Iterable[str] = ()
) -> dict[str, Kind]:
    """`column_kinds` from the types found in each column (`types`) and, for the columns of
    whole numbers, their values (`values(name)`, None for a row without one)."""
    skipped = set(skip)
    kinds: dict[str, Kind] = {}
    for k in sorted(types):
        found_kinds = {kind for t in types[k] if (kind := _kind_of_type(t)) is not None}
        if k not in skipped and found_kinds:
            kinds[k] = _unify(found_kinds)
    for k in [k for k, kind in kinds.items() if kind == "int"]:
        if any(not -(2**31) <= v < 2**31 for v in values(k) if v is not None):
            kinds[k] = "long"
    return kinds


def encoder(kind: Kind, list_format: Callable[[Any], str], escape: Callable[[str], str]) -> Callable[[Any], str]:
    """The function that turns a value of a column of `kind` into its escaped text: lists
    formatted by `list_format`, nested values as JSON, text escaped by `escape`, which numbers
    and booleans never need (their text is digits, '.', 'e', '-', 'NaN', 'INF', 'true', 'false').

    Each is one flat function: it runs once for every cell of a file.

    >>> encode = encoder("list", "; ".join, text)
    >>> encode(["AT&T", "Ford"]), encoder("double", str, text)(2), encoder("string", str, text)({"a": 1})
    ('AT&amp;T; Ford', '2.0', '{"a": 1}')
    """
    if kind == "boolean":
        return lambda v: "true" if v else "false"
    if kind in ("int", "long"):
        return lambda v: str(int(v))
    if kind == "double":
        return lambda v: number(float(v))
    if kind == "list":
        return lambda v: escape(list_format(v))
    if kind == "json":
        return lambda v: escape(to_json(v))
    return lambda v: escape(to_json(v) if isinstance(v, (list, tuple, dict)) else str(v))


def to_json(value: Any) -> str:
    r"""`value` as JSON that XML can hold whole: forbidden characters become \u escapes.

    >>> print(to_json({"title": "a\x00b"}))
    {"title": "a\u0000b"}
    """
    return _XML_FORBIDDEN.sub(_json_escape, json.dumps(value, ensure_ascii=False, sort_keys=True, default=json_default))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def join_list(items: Iterable[Any], sep: str) -> str:
    r"""Items joined by `sep`, reversibly: a backslash or pipe inside an item gets a backslash.

    >>> print(join_list(["AT&T", "O'Brien | Smith", "C:\\temp"], " | "))
    AT&T | O'Brien \| Smith | C:\\temp
    >>> split_list(join_list(["AT&T", "O'Brien | Smith", "C:\\temp"], " | "), " | ")
    ['AT&T', "O'Brien | Smith", 'C:\\temp']
    """
    items = list(map(str, items))
    joined = sep.join(items)
    if "\\" not in joined and joined.count("|") == sep.count("|") * max(len(items) - 1, 0):
        return joined  # nothing to escape (the common case)
    return sep.join(v.replace("\\", "\\\\").replace("|", "\\|") for v in items)


def split_list(joined: str, sep: str) -> list[str]:
    """The items of a `join_list` string (an empty string is an empty list)."""
    if not joined:
        return []
    if "\\" not in joined:
        return joined.split(sep)
    items, current, i = [], [], 0
    while i < len(joined):
        ch = joined[i]
        if ch == "\\" and i + 1 < len(joined):
            current.append(joined[i + 1])
            i += 2
        elif joined.startswith(sep, i):
            items.append("".join(current))
            current = []
            i += len(sep)
        else:
            current.append(ch)
            i += 1
    items.append("".join(current))
    return items


def sorted_nodes(g: nx.Graph) -> list[Hashable]:
    """Nodes in the order the files list them: by id."""
    return sorted(g.nodes, key=str)


def sorted_edges(g: nx.Graph) -> Iterator[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Edges in the order the files list them, (smaller id, larger id, data), sorted."""
    for a in sorted_nodes(g):
        key = str(a)
        nbrs = g.adj[a]
        for b in sorted((b for b in nbrs if str(b) > key or (b == a)), key=str):
            yield a, b, nbrs[b]
