"""The passes that link names across articles, in the order `Resolver.finish` runs them.

Each pass reads the corpus's clusters and adds merges (or drops) to one `MergeSet`; a merge
folds the source cluster into the target's at once, so later passes see merged entities.
`CORPUS_PASSES` is the order; each pass is a plain function of a `CorpusLinks`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..normalize import common_surnames, looks_like_person_name, match_key, name_words, starts_with_given_name
from ..places import is_known_place, is_state_and_city
from .cluster import Cluster, Context, first_last
from .merges import MergeSet
from .rules import Rule

_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "la"})


@dataclass
class CorpusLinks:
    """The corpus while its entities are linked across articles."""

    clusters: dict[str, Cluster]
    by_article: dict[str, Sequence[str]]  # article id -> the keys of the entities it names
    acronyms: dict[str, set[str]]  # acronym key -> the expansion keys articles defined
    ordinary: Callable[[str], bool]
    merges: MergeSet = field(init=False)
    context: Context = field(init=False)
    notes: dict[str, str] = field(default_factory=dict)  # key -> why it was kept apart
    dropped: dict[str, str] = field(default_factory=dict)  # key -> why it was dropped
    by_ref: dict[str, set[str]] = field(default_factory=dict)  # family name -> full names (index_full_names)

    def __post_init__(self) -> None:
        # the callback holds the clusters, not `self`: a cycle through `self` kept every
        # cluster (and its sets of article ids) alive while the graph was built, as the
        # collector is paused then
        clusters = self.clusters
        self.merges = MergeSet(on_merge=lambda a, b, rule: clusters[b].absorb(clusters[a], rule))
        self.context = Context(self.by_article, self.clusters, self.merges.find)

    def roots(self) -> list[str]:
        """The keys still standing for an entity, sorted."""
        return [k for k in sorted(self.clusters) if k not in self.merges]


def link_defined_acronyms(links: CorpusLinks) -> None:
    """An acronym defined in some article joins its expansion everywhere, when the corpus
    defines it one way only."""
    clusters, find = links.clusters, links.merges.find
    for acronym, expansions in sorted(links.acronyms.items()):
        roots = {find(e) for e in expansions if e in clusters}
        if len(roots) == 1 and acronym in clusters and len({find(e) for e in expansions}) == 1:
            target = roots.pop()
            if clusters[find(acronym)].alias is None and clusters[target].alias is None:
                links.merges.merge(acronym, target, Rule.ACRONYM_CORPUS)


def link_city_of(links: CorpusLinks) -> None:
    """'New York' (not qualified as the state) and 'New York City': one place."""
    clusters, find = links.clusters, links.merges.find
    for key in links.roots():
        city = key + " city"
        if (
            is_state_and_city(key)
            and city in clusters
            and clusters[find(key)].type() == "place"
            and clusters[find(city)].type() == "place"
        ):
            links.merges.merge(key, city, Rule.CITY_OF)


def link_middle_names(links: CorpusLinks) -> None:
    """'Harry Truman' and 'Harry S. Truman': one person, when no other middle name fits and
    the two are mentioned with the same others."""
    clusters, find = links.clusters, links.merges.find
    by_ends: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
    for key in links.roots():
        c = clusters[key]
        if not c.is_full_person():
            continue
        for name in c.names:
            ends = first_last(name)
            if ends:
                by_ends[ends[:2]][key] = by_ends[ends[:2]].get(key, False) or ends[2]
    for group in by_ends.values():
        longer = {find(k) for k, middle in group.items() if middle}
        for key in (k for k, middle in group.items() if not middle):
            others = longer - {find(key)}
            if len(others) == 1 and links.context.shared(key, next(iter(others))):
                links.merges.merge(key, next(iter(others)), Rule.MIDDLE)


def index_full_names(links: CorpusLinks) -> None:
    """The full names of people, by the family names they can be shortened to (for the two
    passes after it)."""
    by_ref: dict[str, set[str]] = defaultdict(set)
    for key in links.roots():
        c = links.clusters[key]
        if (
            c.is_full_person()
            and not links.ordinary(c.key.split()[0])  # "Defends Ike": NER glued a word to a name
            and any(looks_like_person_name(n) for n in c.names)
        ):
            for ref in c.refs():
                if ref != key:
                    by_ref[ref].add(key)
    links.by_ref = dict(by_ref)


def link_titled_names(links: CorpusLinks) -> None:
    """Names behind titles that their article could not place ('Defence Lloyd Austin')."""
    clusters, find, by_ref = links.clusters, links.merges.find, links.by_ref
    for key in sorted(clusters):
        c = clusters[key]
        if not c.alt or key in links.merges:
            continue
        if c.alt in clusters and c.alt != key and clusters[find(c.alt)].type() == "person":
            links.merges.merge(key, c.alt, Rule.TITLE)
        elif c.alt_titled:  # a person title: the name behind it may be a family name
            cands = {find(k) for k in by_ref.get(c.alt, ())}
            if len(cands) == 1 and links.context.shared(key, next(iter(cands))):
                links.merges.merge(key, cands.pop(), Rule.TITLE)


def link_short_names(links: CorpusLinks) -> None:
    """A short name left alone joins a full name when the corpus has exactly one for it and
    the two are mentioned with the same others; otherwise aliases.csv says why not."""
    clusters, find, by_ref = links.clusters, links.merges.find, links.by_ref
    for key in sorted(clusters):
        c = clusters[key]
        if key in links.merges or c.alias is not None or c.first_ref or key not in by_ref or c.type() != "person":
            continue
        cands = {find(k) for k in by_ref[key]} - {find(key)}
        if len(cands) == 1:
            target = next(iter(cands))
            if links.context.shared(key, target):
                links.merges.merge(key, target, Rule.SHORT_CORPUS)
            elif _rare_family_name(key, c, links.ordinary) and any(
                starts_with_given_name(n) for n in clusters[target].names
            ):
                links.merges.merge(key, target, Rule.SHORT_CORPUS_RARE)
            else:
                links.notes[key] = f"short name kept apart (no shared context with {clusters[target].best()})"
        elif len(cands) > 1:
            names = " | ".join(sorted(clusters[k].best() for k in cands))
            links.notes[key] = f"ambiguous short name kept apart ({names})"


def _rare_family_name(key: str, c: Cluster, ordinary: Callable[[str], bool]) -> bool:
    """'Merkel' said alone, in an article that does not share a name with Angela Merkel's: a
    family name few people bear, that NER called a person's, is hers without more context
    (not 'Johnson', not a given name, a place or an ordinary word; and the full name must
    start with a given name)."""
    if " " in key or len(key) < 4 or ordinary(key) or is_known_place(key):
        return False
    if key in common_surnames() or key in name_words().given_names:
        return False
    return c.own.get("person", 0) > 0


def drop_ordinary_words(links: CorpusLinks) -> None:
    """A lone ordinary word seen once in the whole corpus ('Cease', 'Photographs'); a person
    may be called Halt, so a PERSON is dropped only when the word is a plural, an adverb or a
    past form ('Heavily', 'Surprised')."""
    for key in links.roots():
        c = links.clusters[key]
        if c.alias is not None or c.mentions != 1 or " " in key or c.titled or c.cues:
            continue
        form = next(iter(c.core))
        if not links.ordinary(key) or form.isupper() or is_known_place(form):
            continue
        if c.type() != "person" or _inflected(key, links.ordinary):
            links.merges.drop(key, Rule.COMMON_WORD)
            links.dropped[key] = Rule.COMMON_WORD


def drop_adjectives(links: CorpusLinks) -> None:
    """'Presidential', 'Biblical', 'Allied': an organization NER made of one adjective is no
    organization a reader could name (the noun it went with was left out)."""
    for key in links.roots():
        c = links.clusters[key]
        if c.alias is not None or " " in key or c.titled or c.type() != "organization":
            continue
        if not links.ordinary(key) or not key.endswith(_ADJECTIVE_ENDINGS):
            continue
        if any(f.isupper() for f in c.forms):
            continue
        links.merges.drop(key, Rule.ADJECTIVE)
        links.dropped[key] = Rule.ADJECTIVE


_ADJECTIVE_ENDINGS = ("al", "ic", "ical", "ern", "ied", "ive", "ous")


def _inflected(word: str, ordinary: Callable[[str], bool]) -> bool:
    """A plural of an ordinary word, an adverb in -ly or a past form in -ed: no one's name."""
    return (word.endswith("s") and ordinary(word[:-1])) or word.endswith(("ly", "ed"))


def drop_lone_first_names(links: CorpusLinks) -> None:
    """'William', 'James': a common first name, alone in one article with no full name it
    could join, mentioned at most twice, names nobody the reader can tell."""
    given = name_words().given_names
    for key in links.roots():
        c = links.clusters[key]
        if " " in key or key not in given or c.alias is not None or c.titled or c.type() != "person":
            continue
        if any(str(rule).startswith("ambiguous") for _, rule in c.rules):
            continue  # "Michael" next to Michael Jordan and Michael Phelps: kept apart, and says why
        if len(c.articles) == 1 and c.mentions <= 2:
            links.merges.drop(key, Rule.FIRST_NAME_ALONE)
            links.dropped[key] = Rule.FIRST_NAME_ALONE


CORPUS_PASSES: tuple[Callable[[CorpusLinks], None], ...] = (
    link_defined_acronyms,
    link_city_of,
    link_middle_names,
    index_full_names,
    link_titled_names,
    link_short_names,
    drop_ordinary_words,
    drop_adjectives,
    drop_lone_first_names,
)


def found_elsewhere(c: Cluster, key: str, ordinary: Callable[[str], bool]) -> bool:
    """Whether `key`, untagged in some article, is taken there for the entity `c` (corpus-level
    label consistency). It must be one of the entity's own names (not a short name linked to
    it), NER must have found the entity twice or more, and the name must be one that is
    rarely anything else: a name of two words or more that is not made of titles and generic
    words, or one word that is a well-known place ("Tasmania", "Adelaide") or an acronym
    ("FIFA"). Ordinary capitalised words ("Education", "Territory") and family names alone
    are never taken."""
    if c.mentions < 2 or len(key) < 4 or ordinary(key) or key not in {match_key(n) for n in c.names}:
        return False
    nw = name_words()
    words = key.split()
    if len(words) >= 2:
        return not all(w in nw.title_words or w in nw.generic_words or w in _CONNECTORS for w in words)
    if c.type() == "place":
        return is_known_place(key)
    return any(f.isupper() and match_key(f) == key for f in c.forms)
