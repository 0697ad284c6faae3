"""Bounds on what one article adds to the graph: links grow with the square of its names.

An article that names n entities links every pair: n (n - 1) / 2 links, each with a copy of
its evidence sentences. A list-like article (a table of 2,000 names, a sentence naming 300
people) is not millions of meaningful co-mentions, and it made graph files of many GB. So:

- `cap_links`: in an article naming more than `MAX_LINKED_ENTITIES` entities, links come
  only from the `MAX_LINKED_ENTITIES` mentioned in most of its sentences (then the first
  mentioned). Every entity stays a node with that article in its `article_ids`; a note in
  skipped.csv ("links capped") says which article was capped, and why.
- `shorten_sentences`: an evidence sentence longer than `MAX_SENTENCE_CHARS` is kept as a
  window around the two names of its link ("… Ashraf Ghani met … Zalmay Khalilzad …").

The graph contract is unchanged: `sentences` is still a list of text per link.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

import networkx as nx

from .articles import unpack
from .records import Skipped
from .resolve import Resolution

#: Most entities of one article that are linked to each other (4,950 links at most).
MAX_LINKED_ENTITIES = 100
#: Longest evidence sentence kept whole, in characters; longer ones become a window.
MAX_SENTENCE_CHARS = 600
#: Characters kept on each side of a name in a window.
_CONTEXT = 100


def cap_links(resolution: Resolution, limit: int = MAX_LINKED_ENTITIES) -> tuple[Resolution, list[Skipped]]:
    """`resolution` with each article's linked entities cut to `limit`, and a note per article cut."""
    notes: list[Skipped] = []
    over = [k for k, members in enumerate(resolution.article_entities) if len(members) > limit]
    if not over:
        return resolution, notes
    article_entities = list(resolution.article_entities)  # copied only when some article is cut
    sentence_entities = list(resolution.sentence_entities)
    for k in over:
        members = article_entities[k]
        in_sentences: Counter[int] = Counter()
        for _, sent in sentence_entities[k]:
            in_sentences.update(sent)
        order = {e: i for i, e in enumerate(members)}
        keep = set(sorted(members, key=lambda e: (-in_sentences[e], order[e]))[:limit])
        article_entities[k] = tuple(e for e in members if e in keep)
        kept_sentences = []
        for s, sent in sentence_entities[k]:
            inside = tuple(e for e in sent if e in keep)
            if len(inside) >= 2:
                kept_sentences.append((s, inside))
        sentence_entities[k] = tuple(kept_sentences)
        article_id = resolution.article_ids[k]
        n = len(members)
        notes.append(
            Skipped(
                source=unpack(resolution.article_info[k]).get("source") or article_id,
                reason="links capped",
                detail=(
                    f"article '{article_id}' names {n:,} entities ({n * (n - 1) // 2:,} pairs, a list rather than "
                    f"co-mentions): links kept among the {limit} in most sentences; all {n:,} stay entities"
                ),
            )
        )
    return replace(resolution, article_entities=article_entities, sentence_entities=sentence_entities), notes


def shorten_sentences(g: nx.Graph, limit: int = MAX_SENTENCE_CHARS) -> None:
    """Replace, in place, each evidence sentence of `g` longer than `limit` by a window
    around the two names of its link (see `window`)."""
    names: dict[str, list[str]] = {}
    for u, v, d in g.edges(data=True):
        sentences = d.get("sentences")
        if not sentences or all(len(s) <= limit for s in sentences):
            continue
        for n in (u, v):
            if n not in names:
                names[n] = _names(g.nodes[n])
        d["sentences"] = [s if len(s) <= limit else window(s, names[u], names[v], limit) for s in sentences]


def _names(d: dict[str, Any]) -> list[str]:
    found = [str(d.get("label") or ""), *(str(a) for a in d.get("aliases") or ())]
    return sorted({x for x in found if x}, key=len, reverse=True)


def window(sentence: str, a: list[str], b: list[str], limit: int = MAX_SENTENCE_CHARS) -> str:
    """The parts of a long `sentence` around the first name of `a` and of `b` it holds.

    >>> s = "x " * 400 + "Ann met " + "y " * 400 + "Bob today. " + "z " * 400
    >>> w = window(s, ["Ann"], ["Bob"], 300)
    >>> len(w) < 500, w.count("…"), "Ann met" in w, "Bob today." in w
    (True, 3, True, True)
    """
    spans = [m for m in (_find(sentence, a), _find(sentence, b)) if m is not None]
    if not spans:
        return sentence[: limit - 1].rstrip() + "…"
    spans.sort()
    start, end = max(0, spans[0][0] - _CONTEXT), min(len(sentence), spans[-1][1] + _CONTEXT)
    if end - start <= limit:
        parts = [(start, end)]
    else:
        parts = [(max(0, s - _CONTEXT), min(len(sentence), e + _CONTEXT)) for s, e in spans]
    out = []
    for i, (s, e) in enumerate(parts):
        if s > 0 or i:
            out.append("…")
        out.append(sentence[s:e].strip())
    if parts[-1][1] < len(sentence):
        out.append("…")
    return "".join(out)


def _find(sentence: str, names: list[str]) -> tuple[int, int] | None:
    for name in names:
        m = re.search(re.escape(name), sentence)
        if m:
            return m.span()
    return None
