"""The passes that link names inside one article, in the order `Resolver.add` runs them.

Each pass reads the article's clusters (match key -> Cluster) and adds merges to the article's
`MergeSet`; none undoes a merge, none changes a cluster but `redirect_titles` (which folds a
titled name into its person before the others look) and `note_ambiguous` (which says in
aliases.csv why a short name stayed apart).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..normalize import looks_like_person_name, match_key, name_words, starts_with_given_name
from ..places import is_known_place
from .cluster import Cluster
from .merges import MergeSet
from .rules import Rule


@dataclass
class ArticleLinks:
    """One article while its names are linked: its clusters and the merges made so far."""

    clusters: dict[str, Cluster]
    ordinary: Callable[[str], bool]  # an ordinary English word (no person's name starts with one)
    merges: MergeSet = field(default_factory=MergeSet)

    def is_person(self, key: str) -> bool:
        loc = self.clusters[key]
        return loc.is_full_person(lenient=True) or loc.type() == "person"


def redirect_titles(clusters: dict[str, Cluster]) -> dict[str, str]:
    """'Special Representative Khalilzad' (ORG) and 'Khalilzad' in one article: the titled
    name is folded into the person it names, before any other pass looks. Returns the
    redirected keys (key -> the key that took it in); they leave `clusters`."""
    redirect: dict[str, str] = {}
    for key in sorted(clusters):
        loc = clusters[key]
        target = loc.alt
        if not target or target == key or target not in clusters or target in redirect or clusters[target].alias:
            continue
        if loc.alt_titled or clusters[target].type() == "person":
            loc.alt = ""
            clusters[target].absorb(loc, Rule.TITLE)
            redirect[key] = target
    for key in redirect:
        del clusters[key]
    return redirect


@dataclass
class _People:
    """The full names of people in an article, by family name and by first name, and by the
    words that end them or stand inside them (looked up once per short name: scanning every
    full name for each was a tenth of resolving an article)."""

    full: frozenset[str]
    by_ref: dict[str, set[str]]
    by_first: dict[str, set[str]]
    #: "lula da silva" -> {"luiz inacio lula da silva"}: the words after one of a full name's
    #: spaces, of full names that start with a given name
    by_tail: dict[str, set[str]]
    #: "lula" -> {"luiz inacio lula da silva"}: a word neither first nor last in a full name
    by_inner: dict[str, set[str]]


def _people(links: ArticleLinks) -> _People:
    given = name_words().given_names
    clusters = links.clusters
    full = [
        k
        for k, loc in clusters.items()
        if loc.is_full_person(lenient=True) and (k.split()[0] in given or not links.ordinary(k.split()[0]))
    ]
    by_ref: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    by_tail: dict[str, set[str]] = defaultdict(set)
    by_inner: dict[str, set[str]] = defaultdict(set)
    for k in full:
        for ref in clusters[k].refs():
            if ref != k:
                by_ref[ref].add(k)
        for first in clusters[k].first_names():
            by_first[first].add(k)
        if k.split()[0] in given:
            at = k.find(" ")
            while at >= 0:
                by_tail[k[at + 1 :]].add(k)
                at = k.find(" ", at + 1)
        for word in k.split()[1:-1]:
            by_inner[word].add(k)
    return _People(frozenset(full), by_ref, by_first, by_tail, by_inner)


def link_short_names(links: ArticleLinks) -> None:
    """Short names that fit exactly one full name of the article: a family name ('Naeem'),
    a first name ('Hillary'), a first name behind a royal title ('Prince Mohammed')."""
    people = _people(links)
    clusters, merges = links.clusters, links.merges
    for key in sorted(clusters, key=lambda k: (-len(k.split()), k)):
        loc = clusters[key]
        if loc.alias is not None or key in merges:
            continue
        cands, rule = _short_name_candidates(links, people, key)
        cands = {merges.find(c) for c in cands} - {key}
        if len(cands) == 1:
            merges.merge(key, cands.pop(), rule)
        elif len(cands) > 1:
            note_ambiguous(loc, [clusters[c].best() for c in cands])


def _short_name_candidates(links: ArticleLinks, people: _People, key: str) -> tuple[set[str], Rule]:
    loc = links.clusters[key]
    if loc.first_ref:  # "Prince Mohammed": a full name with such a title, or with "bin"
        return {c for c in people.by_first.get(loc.first_ref, set()) if links.clusters[c].royal}, Rule.FIRST_ARTICLE
    given = name_words().given_names
    cands = people.by_ref.get(key, set()) - {key}
    if not cands and key in people.full:  # "Lula da Silva" after "Luiz Inácio Lula da Silva"
        cands = set(people.by_tail.get(key, ()))
    if loc.type() == "place":
        # "Scholz", "Lukaku" tagged GPE join the person; "Paris" (a city) only when it speaks
        cands = {c for c in cands if _place_may_be_person(links, key, c)}
    if not cands and " " not in key and loc.type() != "person" and not loc.titled and _may_be_first_name(links, key):
        # "Retno" (ORG) after "Retno Marsudi", "Prabowo" (GPE) after "Prabowo Subianto": a
        # first name used alone, as in many name cultures, that NER took for something else
        firsts = {c for c in people.by_first.get(key, set()) if links.clusters[c].type() == "person"}
        if firsts:
            return firsts, Rule.FIRST_ARTICLE
    if cands or key in people.full or " " in key or loc.type() != "person" or loc.titled:
        return cands, Rule.SHORT_ARTICLE
    # "Hillary" for Hillary Clinton: a given name, or a one-word PERSON name and a full
    # name that is clearly a person's
    firsts = {
        c
        for c in people.by_first.get(key, set())
        if any(looks_like_person_name(n) for n in links.clusters[c].names)
        and (key in given or loc.own.get("person") and not links.ordinary(key) and links.clusters[c].type() == "person")
    }
    if firsts:
        return firsts, Rule.FIRST_ARTICLE
    # "Lula" for Luiz Inácio Lula da Silva: a word inside the one full name that has it
    return {c for c in people.by_inner.get(key, ()) if links.clusters[c].type() == "person"}, Rule.INNER_NAME


def _may_be_first_name(links: ArticleLinks, key: str) -> bool:
    """A one-word name that is no known place and no ordinary word."""
    return key.isalpha() and not is_known_place(key) and not links.ordinary(key)


def _place_may_be_person(links: ArticleLinks, key: str, full: str) -> bool:
    loc, target = links.clusters[key], links.clusters[full]
    if any(starts_with_given_name(n) for n in target.names):
        return True
    return bool(loc.cues or not is_known_place(key)) and target.type() == "person"


def note_ambiguous(loc: Cluster, names: list[str]) -> None:
    """Say in aliases.csv that a short name fits several full names and stayed apart."""
    note = f"ambiguous short name kept apart (same article: {' | '.join(sorted(names))})"
    for surface, r in list(loc.rules):
        if r in (Rule.EXACT, Rule.NORMALISED, Rule.TITLE):
            loc.rules[(surface, note)] = loc.rules.pop((surface, r))


def link_org_short(links: ArticleLinks) -> None:
    """'National Security Council' after 'Afghan National Security Council': what the longer
    name adds is where it is from (a place of the article, or an acronym like 'UN')."""
    clusters, merges = links.clusters, links.merges
    places = [k for k, loc in clusters.items() if loc.type() == "place"]
    orgs = [k for k, loc in clusters.items() if " " in k and k not in merges and loc.type() == "organization"]
    for key in orgs:
        longer = [k for k in orgs if k != key and k.endswith(" " + key)]
        if len(longer) == 1 and clusters[key].alias is None and _from_somewhere(longer[0][: -len(key) - 1], places):
            merges.merge(key, longer[0], Rule.ORG_SHORT)
    # "Samsung" after "Samsung Electronics": what the longer name adds is the line of business
    tails = name_words().company_tails
    for key, loc in clusters.items():
        if key in merges or loc.alias is not None or loc.type() != "organization":
            continue
        longer = [k for k in orgs if k.startswith(key + " ") and all(w in tails for w in k[len(key) + 1 :].split())]
        if len(longer) == 1:
            merges.merge(key, longer[0], Rule.ORG_SHORT)


def _from_somewhere(prefix: str, places: list[str]) -> bool:
    """Whether the words in front of an organization's name say where it is from: a place
    named in the article or its adjective ("Afghan", "Australian"), or an acronym ("US", "UN").

    >>> _from_somewhere("afghan", ["afghanistan", "doha"]), _from_somewhere("presbyterian", ["england"])
    (True, False)
    """
    words = prefix.split()
    if len(words) > 2:
        return False
    if len(words) == 1 and len(prefix) <= 3:
        return True  # US, UN, EU
    stem = prefix[: max(4, len(prefix) - 3)]
    return any(p == prefix or p.startswith(stem) for p in places)


def link_defined_acronyms(
    links: ArticleLinks, acronyms: dict[str, str], surface_key: dict[str, str]
) -> list[tuple[str, str]]:
    """'Competition and Markets Authority (CMA)': an acronym defined in the article joins its
    expansion there. Returns every (acronym key, expansion key) for the corpus step."""
    clusters, merges = links.clusters, links.merges
    found: list[tuple[str, str]] = []
    for acronym, expansion in acronyms.items():
        a = match_key(acronym)
        e = merges.find(surface_key.get(match_key(expansion), match_key(expansion)))
        if not a or not e or a == e:
            continue
        found.append((a, e))
        if a in clusters and e in clusters and a not in merges and clusters[a].alias is clusters[e].alias is None:
            merges.merge(a, e, Rule.ACRONYM_ARTICLE)
    return found
