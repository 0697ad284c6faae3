"""One article resolved on its own, as a record the corpus step folds in, and as bytes.

`Resolver.resolve_article` turns an article's Extraction into an `ArticleResolution`: its
clusters after the in-article passes (each with the key it ended in and the rule that sent it
there), the keys and sentences the corpus step needs, what it dropped, the acronyms it defined,
the spans repair changed. Nothing in it depends on other articles, so the extraction cache keeps
it beside the Extraction (`kgraph.cache`) and a rebuild folds it in
(`Resolver.add_resolved`) without running the passes again.

`encode` and `decode` are its bytes: JSON without the article's id (every set of articles in
it is that one article; `decode` puts the current id back), so an entry found by text serves
a renamed file too.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from .cluster import Cluster
from .rules import Rule


@dataclass
class ArticleResolution:
    """One article's names resolved within the article: what the corpus step takes from it."""

    #: (final key, merge rule or "", cluster): each cluster of the article, targets first, and
    #: the key it ended in (itself, or the name it was linked to by `rule`)
    clusters: list[tuple[str, str, Cluster]]
    keys: list[str]  # the final keys, sorted: one per entity the article names
    sentences: list[tuple[int, tuple[int, ...]]]  # (sentence, indices into keys): 2+ entities
    sentence_text: dict[int, str]  # the text of those sentences (those the extraction kept)
    #: capitalised words NER did not tag: match key -> (as written, sentences)
    unlabelled: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (surface, rule)
    acronyms: list[tuple[str, str]] = field(default_factory=list)  # (acronym key, expansion key)
    repairs: list[tuple[str, str, str]] = field(default_factory=list)  # (key, surface, how its span was repaired)


#: The layout of `encode`'s bytes; entries of another layout are not read (the cache key
#: includes this module's code too).
FORMAT = 1
_SPECIAL = frozenset({"key", "articles", "rules", "alias"})
_FIELDS = tuple(f.name for f in dataclasses.fields(Cluster) if f.name not in _SPECIAL)
_RULES: dict[str, str] = {r.value: r for r in Rule}


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


_DEFAULTS = {f.name: _default(f) for f in dataclasses.fields(Cluster)}


def _plain(value: object) -> bool:
    """Whether JSON gives `value` back as it is (numbers, text, and dicts of them by text)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and type(v) in (int, float, str) for k, v in value.items())
    return type(value) in (int, float, str, bool)


def _cluster_out(c: Cluster, art: str) -> list[Any] | None:
    if c.articles != {art} or any(arts != {art} for arts in c.rules.values()):
        return None
    values = {}
    for name in _FIELDS:
        v = getattr(c, name)
        if v != _DEFAULTS[name]:
            if not _plain(v):
                return None
            values[name] = v
    return [c.key, [[s, str(r)] for s, r in c.rules], list(c.alias) if c.alias is not None else None, values]


def _cluster_in(raw: list[Any], art: str) -> Cluster:
    key, rules, alias, values = raw
    return Cluster(
        key=key,
        articles={art},
        rules={(s, _RULES.get(r, r)): {art} for s, r in rules},
        alias=(alias[0], alias[1], alias[2]) if alias is not None else None,
        **values,
    )


def encode(r: ArticleResolution, art: str) -> bytes | None:
    """The JSON of `r` without its article's id `art`; None if `r` holds something JSON would
    not give back as it is (then it is not kept)."""
    clusters = []
    for final, rule, c in r.clusters:
        out = _cluster_out(c, art)
        if out is None:
            return None
        clusters.append([final, str(rule), out])
    body = [
        FORMAT,
        clusters,
        r.keys,
        r.sentences,
        list(r.sentence_text.items()),
        [[k, v, sents] for k, (v, sents) in r.unlabelled.items()],
        [[s, str(rule)] for s, rule in r.dropped],
        r.acronyms,
        r.repairs,
    ]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def decode(data: bytes, art: str) -> ArticleResolution:
    """The ArticleResolution `encode` wrote, for the article `art`. Raises ValueError (or
    another exception of a malformed entry) when the bytes are not such a record."""
    body = json.loads(data.decode("utf-8", "surrogatepass"))
    if not isinstance(body, list) or len(body) != 9 or body[0] != FORMAT:
        raise ValueError("not a resolution record of this layout")
    _, clusters, keys, sentences, texts, unlabelled, dropped, acronyms, repairs = body
    return ArticleResolution(
        clusters=[(final, _RULES.get(rule, rule), _cluster_in(c, art)) for final, rule, c in clusters],
        keys=[str(k) for k in keys],
        sentences=[(int(s), tuple(locs)) for s, locs in sentences],
        sentence_text={int(s): str(t) for s, t in texts},
        unlabelled={k: (v, tuple(sents)) for k, v, sents in unlabelled},
        dropped=[(s, _RULES.get(rule, rule)) for s, rule in dropped],
        acronyms=[(a, e) for a, e in acronyms],
        repairs=[(k, s, how) for k, s, how in repairs],
    )
