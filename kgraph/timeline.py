"""Time in a graph: the dates of its links and entities, and the questions asked about time.

Dates come from the articles (`kgraph.dates` gives each article its date, or none). On a
graph whose corpus has at least one dated article, `add_dates` adds:

- to each edge with a dated article: ``dates`` (list, the date of each of its ``article_ids``,
  ``""`` for an undated one), ``first_seen`` and ``last_seen`` (``YYYY-MM-DD``);
- to each entity with a dated article: ``first_seen`` and ``last_seen``.

A graph of undated articles gets none of them, and its files are as before.

`KnowledgeGraph.between`, `timeline` and `new_links` are thin methods over this module; the
build keeps what `between` needs (`DatedExtractions`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from .articles import is_table
from .dates import canonical_date
from .errors import ConfigError
from .query.results import ArticleEvidence, TimelineMonth
from .records import Extraction

__all__ = [
    "DatedExtractions",
    "add_dates",
    "article_dates",
    "check_day",
    "dated_span",
    "months_between",
    "window_attrs",
    "window_name",
]


def article_dates(g: nx.Graph) -> dict[str, str]:
    """Article id -> date (``YYYY-MM-DD``) of every dated article in the graph's ``articles``."""
    arts = g.graph.get("articles") or {}
    if not is_table(arts):
        return {}
    out = {}
    for i, m in arts.items():
        d = m.get("date") if isinstance(m, dict) else None
        if isinstance(d, str) and len(d) == 10:
            out[str(i)] = d
    return out


def add_dates(g: nx.Graph) -> nx.Graph:
    """Add ``first_seen``/``last_seen`` to the entities and links of `g` that have a dated
    article, and ``dates`` to those links (see the module docstring); returns `g`.

    >>> g = nx.Graph(articles={"a1": {"date": "2021-03-15"}, "a2": {}, "a3": {"date": "2021-01-02"}})
    >>> g.add_node("x", article_ids=["a1", "a2", "a3"]); g.add_node("y", article_ids=["a1", "a2", "a3"])
    >>> g.add_edge("x", "y", article_ids=["a1", "a2", "a3"])
    >>> d = add_dates(g).edges["x", "y"]
    >>> d["dates"], d["first_seen"], d["last_seen"]
    (['2021-03-15', '', '2021-01-02'], '2021-01-02', '2021-03-15')
    """
    dates = article_dates(g)
    if not dates:
        return g
    for _, d in g.nodes(data=True):
        seen = [dates[i] for i in d.get("article_ids", None) or () if i in dates]
        if seen:
            d["first_seen"], d["last_seen"] = min(seen), max(seen)
    for _, _, d in g.edges(data=True):
        each = [dates.get(i, "") for i in d.get("article_ids", None) or ()]
        seen = [x for x in each if x]
        if seen:
            d["dates"] = each
            d["first_seen"], d["last_seen"] = min(seen), max(seen)
    return g


def dated_span(g: nx.Graph) -> tuple[int, str | None, str | None]:
    """(dated articles, first date, last date) of the graph's corpus."""
    dates = article_dates(g).values()
    return len(dates), min(dates, default=None), max(dates, default=None)


def check_day(value: str | None, what: str) -> str | None:
    """`value` if it is a day written ``YYYY-MM-DD`` (or None), else a `ConfigError` naming `what`."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10 or canonical_date(value) != value:
        raise ConfigError(f"{what} {value!r} is not a date: give YYYY-MM-DD, e.g. 2021-03-15")
    return value


def window_attrs(since: str | None, until: str | None) -> dict[str, str]:
    """The graph attributes that record a build's time window (none for no window)."""
    return {k: v for k, v in (("since", since), ("until", until)) if v is not None}


def window_name(since: str | None, until: str | None) -> str:
    """The window in words.

    >>> window_name("2021-01-01", None), window_name("2021-01-01", "2021-06-30")
    ('the time window (from 2021-01-01)', 'the time window (2021-01-01 to 2021-06-30)')
    """
    if since and until:
        return f"the time window ({since} to {until})"
    return f"the time window (from {since})" if since else f"the time window (until {until})"


def months_between(first: str, last: str) -> list[str]:
    """Every month (``YYYY-MM``) from the month of `first` to that of `last`.

    >>> months_between("2020-11-30", "2021-02-01")
    ['2020-11', '2020-12', '2021-01', '2021-02']
    """
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def by_month(articles: Iterable[ArticleEvidence]) -> tuple[list[TimelineMonth], list[ArticleEvidence]]:
    """Dated `articles` month by month (every month from the first to the last), and the undated."""
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date or "", a.id))
    undated = [a for a in articles if not a.date]
    if not dated:
        return [], undated
    groups: dict[str, list[ArticleEvidence]] = {
        m: [] for m in months_between(dated[0].date or "", dated[-1].date or "")
    }
    for a in dated:
        groups[(a.date or "")[:7]].append(a)
    return [TimelineMonth(month=m, articles=tuple(arts)) for m, arts in groups.items()], undated


def first_seen_since(d: dict[str, Any], since: str) -> bool:
    """True if the link with attributes `d` was first seen on or after `since`."""
    first = d.get("first_seen")
    return isinstance(first, str) and first >= since


class DatedExtractions:
    """What a build keeps so that `KnowledgeGraph.between` can build a window of it: the
    extraction of each dated article, in corpus order, compressed (about 2 kB an article)."""

    def __init__(self) -> None:
        self._items: list[tuple[str, bytes]] = []

    def __len__(self) -> int:
        return len(self._items)

    def add(self, extraction: Extraction) -> None:
        """Keep `extraction` if its article is dated."""
        date = extraction.article.date
        if date:
            self._items.append((date, zlib.compress(extraction.model_dump_json().encode("utf-8"), 1)))

    def window(self, since: str | None, until: str | None) -> Iterator[Extraction]:
        """The kept extractions of the articles dated within [since, until], in corpus order."""
        for date, blob in self._items:
            if (since is None or date >= since) and (until is None or date <= until):
                yield Extraction.model_validate_json(zlib.decompress(blob))
