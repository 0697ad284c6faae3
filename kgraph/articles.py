"""The table of a graph's articles (``g.graph["articles"]``): article id -> what the graph
keeps of the article (`kgraph.records.ArticleMeta.info`: title, date, url, site, source, ...).

A graph keeps every article, so at a million articles this table is most of what a build
holds. A dict of strings an article takes about 500 bytes for a short article: the dict
(184 bytes) and a str object a field (49 bytes each before its text). `ArticleTable` keeps
one str an article instead, its fields joined by a separator (`pack`), and gives each
article back as a new dict (`unpack`) when asked. It is a `MutableMapping`: reading code
sees what it saw before (``table[id]["title"]``, ``table.items()``, ``len``, ``in``), and
writing works as on a dict of dicts (``table[id]["title"] = ...``, ``table[id] = {...}``,
``del table[id]``): each dict it gives writes its changes back. What differs: the dict an
article is given is made anew on each access, and the table is not a `dict`.

A graph read from its files holds a plain dict: every reader accepts either (`is_table`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, TypeGuard

from .records import ArticleMeta

#: The fields an article's entry may hold, in the order `ArticleMeta.info` gives them.
FIELDS: tuple[str, ...] = tuple(f for f in ArticleMeta.model_fields if f != "id")

#: Joins the fields of a packed entry: the unit separator, which text almost never holds (an
#: entry with it in a field is kept as a dict).
SEP = "\x1f"

#: An article's entry as stored: its fields packed into one str, or a dict (see `pack`).
Packed = str | dict[str, str]


def pack(info: Mapping[str, Any]) -> Packed:
    """`info` (an entry of `FIELDS` to str) as stored: one str, or a copy of the dict when it
    holds what one str cannot (a field that is not in `FIELDS`, empty, not a str or holding
    `SEP`, or its fields in another order than `FIELDS`).

    >>> pack({"title": "Talks", "source": "a.txt"})
    'Talks\\x1f\\x1f\\x1f\\x1f\\x1fa.txt\\x1f'
    >>> unpack(pack({"title": "Talks", "source": "a.txt"}))
    {'title': 'Talks', 'source': 'a.txt'}
    >>> pack({"title": "a\\x1fb"})
    {'title': 'a\\x1fb'}
    """
    values = [info.get(f) or "" for f in FIELDS]
    if list(info) != [f for f, v in zip(FIELDS, values) if v] or any(type(v) is not str or SEP in v for v in values):
        return dict(info)  # one str would lose what it holds, or the order of its keys
    return SEP.join(values)


def pack_meta(meta: ArticleMeta) -> Packed:
    """`pack(meta.info())`, without making the dict."""
    values = meta.__dict__
    parts = [values[f] or "" for f in FIELDS]
    if any(SEP in v for v in parts):
        return meta.info()
    return SEP.join(parts)


def unpack(entry: Packed) -> dict[str, str]:
    """The entry `pack` stored, as a new dict: its fields in order, without the empty ones."""
    if isinstance(entry, str):
        return {f: v for f, v in zip(FIELDS, entry.split(SEP)) if v}
    return dict(entry)


class _Entry(dict[str, str]):
    """An article's dict given by an `ArticleTable`: a plain dict whose changes are written
    back to the table; a copy of it (or a pickle) is a plain dict."""

    __slots__ = ("_table", "_key")
    _table: ArticleTable
    _key: str

    def _store(self) -> None:
        self._table._rows[self._key] = pack(self)

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key, value)
        self._store()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._store()

    def __ior__(self, other: Any) -> _Entry:  # type: ignore[override,misc]
        super().__ior__(other)
        self._store()
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._store()

    def setdefault(self, key: str, default: Any = None) -> Any:
        value = super().setdefault(key, default)
        self._store()
        return value

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._store()
        return value

    def popitem(self) -> tuple[str, str]:
        item = super().popitem()
        self._store()
        return item

    def clear(self) -> None:
        super().clear()
        self._store()

    def __reduce__(self) -> tuple[type, tuple[dict[str, str]]]:
        return dict, (dict(self),)

    def __copy__(self) -> dict[str, str]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, str]:
        return dict(self)


class ArticleTable(MutableMapping[str, dict[str, str]]):
    """Article id -> the dict of what the graph keeps of it (see the module docstring).

    >>> t = ArticleTable([("a1", {"title": "Talks", "url": "https://example.org/1"}), ("a2", {})])
    >>> t["a1"], len(t), "a2" in t, list(t)
    ({'title': 'Talks', 'url': 'https://example.org/1'}, 2, True, ['a1', 'a2'])
    >>> t["a2"]["title"] = "Peace"
    >>> t == {"a1": {"title": "Talks", "url": "https://example.org/1"}, "a2": {"title": "Peace"}}
    True
    """

    __slots__ = ("_rows",)

    def __init__(self, rows: Iterable[tuple[str, Packed | Mapping[str, Any]]] = ()) -> None:
        self._rows: dict[str, Packed] = {k: v if isinstance(v, str) else pack(v) for k, v in rows}

    def __getitem__(self, key: str) -> dict[str, str]:
        entry = _Entry(unpack(self._rows[key]))
        entry._table, entry._key = self, key
        return entry

    def __setitem__(self, key: str, value: Mapping[str, Any]) -> None:
        self._rows[key] = pack(value)

    def __delitem__(self, key: str) -> None:
        del self._rows[key]

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"ArticleTable(<{len(self._rows)} articles>)"

    def __getstate__(self) -> dict[str, Packed]:
        return self._rows

    def __setstate__(self, rows: dict[str, Packed]) -> None:
        self._rows = rows


def is_table(value: object) -> TypeGuard[Mapping[str, Any]]:
    """Whether `value` can be a graph's ``articles``: an `ArticleTable` or a dict."""
    return isinstance(value, (ArticleTable, dict))


def json_default(value: object) -> dict[str, dict[str, str]]:
    """The json module's `default`: an `ArticleTable` as the dict it stands for.

    >>> import json
    >>> json.dumps({"articles": ArticleTable([("a1", {"title": "Talks"})])}, default=json_default)
    '{"articles": {"a1": {"title": "Talks"}}}'
    """
    if isinstance(value, ArticleTable):
        return dict(value.items())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
