"""Name lookup for `KnowledgeGraph.find`: from what a user types to one entity id.

The steps, first hit wins (several entities at one step is ambiguous, never a guess):

1. an entity id as is ("person:zalmay-khalilzad");
2. the match key (`normalize.match_key`: case, accents, acronym dots, hyphens, punctuation
   and a leading "the" do not count) of a label, else of an alias: "Washington" is the
   entity labelled Washington even if "Washington" is also an alias of Washington DC;
3. the same after the clean-up extraction applies (`normalize.clean_name`: outer punctuation,
   possessive "'s") and after titles in front of a name (`normalize.strip_titles`:
   "Special Representative Khalilzad");
4. a one-word name that is the last word of a person's name ("Cavusoglu");
5. a misspelling of a label, else of an alias, else of a surname, first letter right and
   words in any order: in a name of `FUZZY_MIN_LENGTH` to `FUZZY_TWO_TYPOS_LENGTH` - 1
   letters, one letter missing, extra, or swapped with the next ("Khalilzd", "Ankra",
   "Britian"; a wrong letter is not enough: "Obama" is not "Osama"); in a longer name, up to
   two typos of any kind ("Eisenhauer"). The entity with the fewest typos wins; a tie is
   ambiguous.

A name that matches nothing raises `UnknownEntity` naming the closest names (token-sort
ratio at least `SUGGEST_MIN_SCORE`); several matches raise `AmbiguousEntity`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from ..errors import AmbiguousEntity, UnknownEntity
from ..graph import importance_key
from ..normalize import clean_name, match_key, strip_titles

#: Names with fewer letters are never matched as misspellings ("Iraq" is not "Iran"); names
#: with at least `FUZZY_TWO_TYPOS_LENGTH` letters may have two typos of any kind.
FUZZY_MIN_LENGTH = 5
FUZZY_TWO_TYPOS_LENGTH = 9
#: Least score for a name to be suggested when nothing matches, and how many are suggested.
SUGGEST_MIN_SCORE = 60.0
SUGGESTIONS = 3
#: How many candidates an error message names.
MESSAGE_CANDIDATES = 6


def typos_allowed(key: str) -> int:
    """How many typos a misspelling of `key` may have: none in a short name.

    >>> typos_allowed("iran"), typos_allowed("kabol"), typos_allowed("khalilzad")
    (0, 1, 2)
    """
    letters = len(key.replace(" ", ""))
    return 0 if letters < FUZZY_MIN_LENGTH else 1 if letters < FUZZY_TWO_TYPOS_LENGTH else 2


def _substitution(a: str, b: str) -> bool:
    """Whether two names one typo apart differ by a wrong letter ("obama", "osama"), rather
    than a letter missing, extra or swapped."""
    return len(a) == len(b) and sorted(a) != sorted(b)


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _by_sorted_words(index: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, ids in index.items():
        out.setdefault(_sorted_words(key), set()).update(ids)
    return out


class NameIndex:
    """Every name of every entity of a graph, keyed for lookup."""

    def __init__(self, g: nx.Graph) -> None:
        self.graph = g
        self.labels: dict[str, set[str]] = {}
        self.keys: dict[str, set[str]] = {}
        self.surnames: dict[str, set[str]] = {}
        for n, d in g.nodes(data=True):
            label = str(d.get("label", n))
            if match_key(label):
                self.labels.setdefault(match_key(label), set()).add(n)
            for name in [label, *(str(a) for a in d.get("aliases", []) or [])]:
                key = match_key(name)
                if not key:
                    continue
                self.keys.setdefault(key, set()).add(n)
                words = key.split()
                if d.get("type") == "person" and len(words) > 1:
                    self.surnames.setdefault(words[-1], set()).add(n)
        self._tiers = tuple((index, _by_sorted_words(index)) for index in (self.labels, self.keys, self.surnames))

    def lookup(self, name: str, type: str | None = None) -> str:
        """The id of the one entity `name` refers to; raises UnknownEntity or AmbiguousEntity."""
        g = self.graph
        if name in g and (type is None or g.nodes[name].get("type") == type):
            return name

        def keep(ids: Iterable[str]) -> set[str]:
            return {i for i in ids if type is None or g.nodes[i].get("type") == type}

        cleaned = clean_name(name)
        keys = list(dict.fromkeys(k for k in (match_key(name), match_key(cleaned)) if k))
        found = self._named(keys, keep)
        if found is None:  # only now the titles (and names.yaml, which lists them): most names end above
            untitled = match_key(strip_titles(cleaned)[0])
            if untitled and untitled not in keys:
                keys.append(untitled)
                found = self._named([untitled], keep)
        if found is not None:
            return self._one(name, found)
        if not keys:
            raise UnknownEntity(f"no entity named {name!r}: give a name or an entity id", [])
        for key in keys:
            if " " not in key:
                hits = keep(self.surnames.get(key, ()))
                if hits:
                    return self._one(name, hits)
        for tier in self._tiers:  # a label, then an alias, then a lone surname
            typos = self._misspelled(keys, keep, tier)
            if typos:
                fewest = min(typos.values())
                return self._one(name, {i for i, t in typos.items() if t == fewest}, fuzzy=True)
        suggestions = self._closest(keys, keep)
        where = f" of type {type}" if type else ""
        if suggestions:
            raise UnknownEntity(f"no entity{where} named {name!r}; closest: {self._describe(suggestions)}", suggestions)
        raise UnknownEntity(f"no entity{where} named {name!r}, and no name close to it", [])

    def _named(self, keys: list[str], keep: Callable[[Iterable[str]], set[str]]) -> set[str] | None:
        """The entities labelled with the first of `keys` that names any, else those with it as
        an alias; None if no key names one."""
        for key in keys:
            for index in (self.labels, self.keys):  # an entity's own name before another's alias
                hits = keep(index.get(key, ()))
                if hits:
                    return hits
        return None

    def _misspelled(
        self, keys: list[str], keep: Callable[[Iterable[str]], set[str]], tier: tuple[dict[str, set[str]], ...]
    ) -> dict[str, int]:
        """Entities with a name a few typos away from a form of the query: id -> fewest typos."""
        from rapidfuzz import process  # only for a name that matched nothing as typed
        from rapidfuzz.distance import OSA

        found: dict[str, int] = {}
        for key in keys:
            allowed = typos_allowed(key)
            if not allowed:
                continue
            for form, choices in zip((key, _sorted_words(key)), tier):
                for choice, typos, _ in process.extract(
                    form, choices.keys(), scorer=OSA.distance, score_cutoff=allowed, limit=None
                ):
                    if choice[:1] != form[:1] or (allowed == 1 and _substitution(form, choice)):
                        continue
                    for i in keep(choices[choice]):
                        found[i] = min(int(typos), found.get(i, allowed))
        return found

    def _closest(self, keys: list[str], keep: Callable[[Iterable[str]], set[str]]) -> list[str]:
        """The ids of the entities whose names look most like the query, to suggest."""
        from rapidfuzz import fuzz, process

        scored: dict[str, float] = {}
        for key in keys:
            for choices in (self.keys, self.surnames):
                for choice, score, _ in process.extract(
                    key, choices.keys(), scorer=fuzz.token_sort_ratio, score_cutoff=SUGGEST_MIN_SCORE, limit=20
                ):
                    for i in keep(choices[choice]):
                        scored[i] = max(score, scored.get(i, 0.0))
        return sorted(scored, key=lambda i: (-scored[i], *self._rank(i)))[:SUGGESTIONS]

    def _rank(self, node: str) -> tuple[float, int, str]:
        return importance_key(self.graph, node)

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
