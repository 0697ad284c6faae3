"""Name lookup for `KnowledgeGraph.find`: from what a user types to one entity id.

The steps, first hit wins (several entities at one step is ambiguous, never a guess):

1. an entity id as is ("person:zalmay-khalilzad");
2. the match key (`normalize.match_key`: case, accents, acronym dots, hyphens, punctuation
   and a leading "the" do not count) of a label, else of an alias: "Washington" is the
   entity labelled Washington even if "Washington" is also an alias of Washington DC;
3. the same after the clean-up extraction applies (`extract.clean_name`: outer punctuation,
   possessive "'s") and after titles in front of a name (`resolve.strip_titles`:
   "Special Representative Khalilzad");
4. a one-word name that is the last word of a person's name ("Cavusoglu");
5. a close misspelling, of a full name first, then of a surname: rapidfuzz's token-sort
   ratio of match keys at least `FUZZY_MIN_SCORE` ("Khalilzd", "Ukrane"), with no other
   entity within `FUZZY_TIE_MARGIN` points.

A name that matches nothing raises `UnknownEntity` naming the closest names (token-sort
ratio at least `SUGGEST_MIN_SCORE`); several matches raise `AmbiguousEntity`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx
from rapidfuzz import fuzz, process

from .errors import AmbiguousEntity, UnknownEntity
from .extract import clean_name
from .normalize import match_key
from .resolve import strip_titles

#: Least token-sort ratio (0-100) of two match keys for a misspelling to count as the name.
FUZZY_MIN_SCORE = 88.0
#: Two fuzzy candidates this close in score are a tie: the name is ambiguous.
FUZZY_TIE_MARGIN = 2.0
#: Shorter match keys are never matched fuzzily ("Iran" is not a misspelling of "Iraq").
FUZZY_MIN_LENGTH = 4
#: Least score for a name to be suggested when nothing matches, and how many are suggested.
SUGGEST_MIN_SCORE = 60.0
SUGGESTIONS = 3
#: How many candidates an error message names.
MESSAGE_CANDIDATES = 6


class NameIndex:
    """Every name of every entity of a graph, keyed for lookup."""

    def __init__(self, g: nx.Graph) -> None:
        self.graph = g
        self.labels: dict[str, set[str]] = {}
        self.keys: dict[str, set[str]] = {}
        self.surnames: dict[str, set[str]] = {}
        for n, d in g.nodes(data=True):
            label = str(d.get("label", n))
            self.labels.setdefault(match_key(label), set()).add(n)
            for name in [label, *(str(a) for a in d.get("aliases", []) or [])]:
                key = match_key(name)
                if not key:
                    continue
                self.keys.setdefault(key, set()).add(n)
                words = key.split()
                if d.get("type") == "person" and len(words) > 1:
                    self.surnames.setdefault(words[-1], set()).add(n)
        self._full = dict(sorted(self.keys.items()))
        self._surnames = dict(sorted(self.surnames.items()))

    def lookup(self, name: str, type: str | None = None) -> str:
        """The id of the one entity `name` refers to; raises UnknownEntity or AmbiguousEntity."""
        g = self.graph
        if name in g and (type is None or g.nodes[name].get("type") == type):
            return name

        def keep(ids: Iterable[str]) -> set[str]:
            return {i for i in ids if type is None or g.nodes[i].get("type") == type}

        cleaned = clean_name(name)
        forms = [name, cleaned, strip_titles(cleaned)[0]]
        keys = list(dict.fromkeys(k for k in (match_key(f) for f in forms) if k))
        for key in keys:
            for index in (self.labels, self.keys):  # an entity's own name before another's alias
                hits = keep(index.get(key, ()))
                if hits:
                    return self._one(name, hits)
        for key in keys:
            if " " not in key:
                hits = keep(self.surnames.get(key, ()))
                if hits:
                    return self._one(name, hits)
        scored: dict[str, float] = {}
        for choices in (self._full, self._surnames):  # a full name before a lone surname
            tier = self._fuzzy(keys, keep, choices)
            if tier and len(keys[0]) >= FUZZY_MIN_LENGTH:
                best = max(tier.values())
                if best >= FUZZY_MIN_SCORE:
                    close = {i for i, s in tier.items() if s >= best - FUZZY_TIE_MARGIN}
                    return self._one(name, close, fuzzy=True)
            for i, s in tier.items():
                scored[i] = max(s, scored.get(i, -1.0))
        suggestions = sorted(
            (i for i, s in scored.items() if s >= SUGGEST_MIN_SCORE), key=lambda i: (-scored[i], *self._rank(i))
        )[:SUGGESTIONS]
        where = f" of type {type}" if type else ""
        if not keys:
            raise UnknownEntity(f"no entity named {name!r}: give a name or an entity id", [])
        if suggestions:
            raise UnknownEntity(f"no entity{where} named {name!r}; closest: {self._describe(suggestions)}", suggestions)
        raise UnknownEntity(f"no entity{where} named {name!r}, and no name close to it", [])

    def _fuzzy(
        self, keys: list[str], keep: Callable[[Iterable[str]], set[str]], choices: dict[str, set[str]]
    ) -> dict[str, float]:
        """Best fuzzy score per entity among `choices`, over every form of the name."""
        scored: dict[str, float] = {}
        for key in keys:
            for choice, score, _ in process.extract(
                key, choices.keys(), scorer=fuzz.token_sort_ratio, score_cutoff=SUGGEST_MIN_SCORE, limit=50
            ):
                for i in keep(choices[choice]):
                    if score > scored.get(i, -1.0):
                        scored[i] = score
        return scored

    def _rank(self, node: str) -> tuple[int, str]:
        return (-int(self.graph.nodes[node].get("article_count", 0) or 0), node)

    def _describe(self, ids: list[str]) -> str:
        shown = [f"{self.graph.nodes[i].get('label', i)} ({i})" for i in ids[:MESSAGE_CANDIDATES]]
        more = f" and {len(ids) - MESSAGE_CANDIDATES} more" if len(ids) > MESSAGE_CANDIDATES else ""
        return ", ".join(shown) + more

    def _one(self, name: str, hits: set[str], *, fuzzy: bool = False) -> str:
        if len(hits) == 1:
            return next(iter(hits))
        ids = sorted(hits, key=self._rank)
        how = "is close to" if fuzzy else "matches"
        raise AmbiguousEntity(
            f"{name!r} {how} {len(ids)} entities: {self._describe(ids)}; give a fuller name, a type or an id", ids
        )
