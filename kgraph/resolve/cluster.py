"""The pieces resolution works with.

A `Part` is what one mention says about an entity; a `Cluster` is one entity while resolution
is under way (in one article, then across the corpus): its names, its type votes, the rule that
brought each surface form in. `Context` tells whether two entities are mentioned with the same
others; `PersonNames` which people an article names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..normalize import (
    first_name,
    is_capitalised,
    looks_like_person_name,
    match_key,
    name_tokens,
    name_words,
    split_titles,
    starts_with_given_name,
    surname_refs,
    tidy,
    without_company_suffix,
)
from ..places import name_shape
from ..records import EntityType, Mention
from .rules import LINK_RULES, Rule


@dataclass
class Part:
    """What one mention (or one part of it) says about an entity."""

    surface: str
    core: str
    etype: EntityType
    rule: str = Rule.EXACT
    key: str = ""  # when the match key is not the core's ("Apple Inc." has the key of "Apple")
    alias: tuple[str, EntityType, str] | None = None
    titled: bool = False
    evidence: bool = False  # starts with a given name
    first_ref: str = ""  # "Prince Mohammed": the first name it stands for
    alt: str = ""  # a name behind titles, to try at the corpus step
    alt_titled: bool = False
    royal: bool = False  # had a title used with first names ("Crown Prince"), or a "bin"
    cue: bool = False  # a speaking verb or a personal title next to the mention ("Paris said")
    shape: str = ""  # the type the name itself says ("... Museum", "Fla."), or ""


def part_key(part: Part) -> str:
    """The match key of the entity a part names: its alias's, its own key, or its core's."""
    return match_key(part.alias[0]) if part.alias else part.key or match_key(part.core)


@dataclass
class Cluster:
    """One entity, inside an article and then across the corpus."""

    key: str
    forms: dict[str, int] = field(default_factory=dict)  # surface -> mentions
    core: dict[str, int] = field(default_factory=dict)  # name after clean-up -> mentions
    names: dict[str, int] = field(default_factory=dict)  # its own names (not linked short names)
    own: dict[str, float] = field(default_factory=dict)  # type -> votes of its own names
    linked: dict[str, float] = field(default_factory=dict)  # type -> votes of short names linked to it
    titled: int = 0
    evidence: int = 0
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    alias: tuple[str, EntityType, str] | None = None
    rules: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (surface, rule) -> articles
    first_ref: str = ""
    alt: str = ""
    alt_titled: int = 0
    royal: int = 0
    cues: int = 0
    shapes: dict[str, float] = field(default_factory=dict)  # type -> mentions whose name says it

    def add(self, part: Part, art: str) -> None:
        self.__dict__.pop("_type", None)  # the votes change
        _count(self.forms, part.surface)
        _count(self.core, part.core)
        _count(self.names, part.core)
        _count(self.own, part.etype)
        self.titled += int(part.titled)
        self.evidence += int(part.evidence)
        self.mentions += 1
        self.articles.add(art)
        if self.alias is None:
            self.alias = part.alias
        self.first_ref = self.first_ref or part.first_ref
        self.alt = self.alt or part.alt
        self.alt_titled += int(part.alt_titled)
        self.royal += int(part.royal)
        self.cues += int(part.cue)
        if part.shape:
            _count(self.shapes, part.shape)
        self.rules.setdefault((part.surface, part.rule), set()).add(art)

    def absorb(self, other: Cluster, rule: str | None = None) -> None:
        """Take in `other`; `rule` (if any) says why, and replaces its plain rules."""
        self.__dict__.pop("_type", None)  # the votes change
        _add_counts(self.forms, other.forms)
        _add_counts(self.core, other.core)
        if rule is None or rule == Rule.MIDDLE:
            _add_counts(self.names, other.names)
        if rule in LINK_RULES:
            # a family name NER took for a place or an organization ("Scholz" as GPE) is a person's
            for n in other.own.values():
                _count(self.linked, "person", n)
        else:
            _add_counts(self.own, other.own)
        _add_counts(self.linked, other.linked)
        self.titled += other.titled + (other.alt_titled if rule == Rule.TITLE else 0)
        if rule is None:  # the same name from another article
            self.alt = self.alt or other.alt
            self.alt_titled += other.alt_titled
            self.first_ref = self.first_ref or other.first_ref
        self.evidence += other.evidence
        self.cues += other.cues
        if rule not in LINK_RULES:
            _add_counts(self.shapes, other.shapes)
        self.royal += other.royal
        self.mentions += other.mentions
        self.articles |= other.articles
        if self.alias is None:
            self.alias = other.alias
        for (surface, r), arts in other.rules.items():
            if rule is not None:
                r = rule if r in (Rule.EXACT, Rule.NORMALISED) or r.startswith("ambiguous") else f"{r}; {rule}"
            self.rules.setdefault((surface, r), set()).update(arts)

    def type(self) -> EntityType:
        """The type its votes give (kept until `add` or `absorb` changes them: resolution asks
        tens of times per cluster)."""
        known: EntityType | None = self.__dict__.get("_type")
        if known is None:
            known = self.alias[1] if self.alias is not None else _decide_type(self.votes(), " " not in self.key)
            self.__dict__["_type"] = known
        return known

    def votes(self) -> TypeVotes:
        evidence = min(self.evidence, len(self.articles))
        return TypeVotes(self.own, self.linked, self.titled, evidence, self.cues, self.shapes)

    def type_reason(self) -> str | None:
        """Why the entity has its type, when that is not simply what NER said most often
        (for aliases.csv): 'type place (its name says place 3x; NER: organization 3x)'."""
        if self.alias is not None:
            return None
        chosen = self.type()
        ner = max(sorted(self.own), key=lambda t: self.own[t]) if self.own else None
        if ner == chosen and len(self.own) == 1:
            return None
        v = self.votes()
        said = ["NER: " + ", ".join(f"{t} {n:g}x" for t, n in sorted(v.own.items()))] if v.own else []
        said += [f"its name says {t} {n:g}x" for t, n in sorted(v.shapes.items())]
        said += [f"short names linked to it {n:g}x" for n in [sum(v.linked.values())] if n]
        said += [f"behind a person title {v.titled}x"] if v.titled else []
        said += [f"starts with a given name in {v.evidence} article(s)"] if v.evidence else []
        said += [f"next to a speaking verb {v.cues}x"] if v.cues else []
        return f"type {chosen} ({'; '.join(said)})"

    def is_full_person(self, lenient: bool = False) -> bool:
        """A person's full name (two words or more), which short names can join. `lenient`
        also takes a name that starts with a given name whatever NER called it (used within
        one article: "Denzel Washington" tagged ORG, then "Washington")."""
        if self.first_ref or " " not in self.key:
            return False
        if self.alias is not None:
            return self.alias[1] == "person"
        return self.type() == "person" or (lenient and self.evidence > 0)

    def refs(self) -> set[str]:
        out: set[str] = set()
        for name in self.names:
            out |= surname_refs(name)
        return out

    def first_names(self) -> set[str]:
        return {first_name(f) for f in self.names} - {""}

    def best(self) -> str:
        """The label: see `best_label`."""
        return best_label(self)


def _count(counts: dict, key: str, n: float = 1) -> None:
    counts[key] = counts.get(key, 0) + n


def _add_counts(counts: dict, other: dict) -> None:
    for key, n in other.items():
        counts[key] = counts.get(key, 0) + n


@dataclass(frozen=True)
class TypeVotes:
    """What an entity's mentions say about its type."""

    own: dict[str, float]  # NER labels of its own names
    linked: dict[str, float]  # NER labels of short names linked to it
    titled: int  # mentions behind a person title
    evidence: int  # articles where a name starts with a given name
    cues: int = 0  # mentions next to a speaking verb or a personal title
    shapes: dict[str, float] = field(default_factory=dict)  # what the names themselves say


def _decide_type(v: TypeVotes, single: bool) -> EntityType:
    """The type most mentions give: a title counts twice for a person, a linked short name
    half, a name that starts with a given name once per article, a speaking verb half; a name
    whose own words say what it is ("... Museum", "Florida") counts one and a half per mention.
    Ties go to the place for one-word names ("Jordan") and to the person for longer ones."""
    shapes = v.shapes
    person = (
        v.own.get("person", 0)
        + 0.5 * v.linked.get("person", 0)
        + 2 * v.titled
        + v.evidence
        + 0.5 * v.cues
        + 1.5 * shapes.get("person", 0)
    )
    org = v.own.get("organization", 0) + 0.5 * v.linked.get("organization", 0) + 1.5 * shapes.get("organization", 0)
    place = v.own.get("place", 0) + 0.5 * v.linked.get("place", 0) + 1.5 * shapes.get("place", 0)
    if single:
        return "place" if place >= org and place >= person else "organization" if org >= person else "person"
    return "person" if person >= org and person >= place else "organization" if org >= place else "place"


class Context:
    """Which entities each entity is mentioned with: two names of one person share some."""

    def __init__(
        self, by_article: dict[str, Sequence[str]], clusters: dict[str, Cluster], find: Callable[[str], str]
    ) -> None:
        self.by_article = by_article  # article id -> the keys of the entities it names
        self.clusters = clusters
        self.find = find
        # an entity in more than this many articles says little (the country of the news desk)
        self.informative = max(3, len(by_article) // 10)

    def _around(self, root: str) -> set[str]:
        out: set[str] = set()
        for art in self.clusters[root].articles:
            out.update(self.find(k) for k in self.by_article.get(art, ()))
        return out

    def shared(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        both = (self._around(ra) & self._around(rb)) - {ra, rb}
        return any(k in self.clusters and len(self.clusters[k].articles) <= self.informative for k in both)


@dataclass
class PersonNames:
    """The names of people in one article: full names, and everything that can refer to one."""

    full: set[str]  # match keys of full names ("ned price")
    refs: set[str]  # full names, their family names, one-word PERSON names

    def __contains__(self, key: str) -> bool:
        return key in self.refs


def article_person_refs(mentions: Iterable[Mention]) -> PersonNames:
    """The people an article names: PERSON names and names that start with a given name,
    with titles off, and the family names of the full ones."""
    full: set[str] = set()
    refs: set[str] = set()
    mentions = list(mentions)
    # family names used alone for a person: "Mertens said", "Mertens" tagged PERSON
    alone = {match_key(m.name) for m in mentions if (m.label == "PERSON" or m.person_cue) and " " not in m.name}
    for m in mentions:
        core = split_titles(tidy(m.name)).core
        if m.label != "PERSON" and not _person_by_evidence(core, m, alone):
            continue
        key = match_key(core)
        refs.add(key)
        if " " in key:
            full.add(key)
            refs.update(surname_refs(core))
    refs.discard("")
    return PersonNames(full, refs)


def _person_by_evidence(core: str, m: Mention, alone: set[str]) -> bool:
    """A name NER did not call a person that the article shows is one: it starts with a given
    name, or its last word is used alone for a person in the same article ("Dries Mertens" ORG,
    then "Mertens" PERSON)."""
    if m.type != "place" and starts_with_given_name(core):
        return True
    words = core.split()
    return (
        2 <= len(words) <= 3 and match_key(words[-1]) in alone and looks_like_person_name(core) and not name_shape(core)
    )


def first_last(name: str) -> tuple[str, str, bool] | None:
    """(first name, family name, has a middle part) of a plain Western-order full name;
    None for names with particles ("bin", "de") or family name first."""
    nw = name_words()
    toks = name_tokens(name)
    if len(toks) < 2 or any(t.lower() in nw.surname_particles | nw.patronymic_particles for t in toks[1:-1]):
        return None
    first, last = match_key(toks[0]), match_key(toks[-1])
    if not first or not last or first in nw.family_name_first or len(first) == 1:
        return None
    return first, last, len(toks) > 2


def only_suffix_after(core: str) -> bool:
    """'Abdullah II', 'Elizabeth II': one name and a regnal number."""
    words = core.split()
    return len(words) == 2 and words[1].strip(".").upper() in {"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}


def split_person(name: str, people: PersonNames) -> tuple[str, str] | None:
    """'High Council for National Reconciliation Abdullah Abdullah' -> (organization, person),
    when the last words are a person named in the article, or a given name and a family name
    after an organization's name."""
    nw = name_words()
    words = name.split()
    for n in (3, 2):
        if len(words) < n + 1:
            continue
        head, tail = words[:-n], words[-n:]
        if head[-1].lower() in ("of", "for", "and", "&", "the", "de") or not all(is_capitalised(w) for w in tail):
            continue
        person = " ".join(tail)
        if match_key(tail[-1]) in nw.non_person_heads:
            continue
        if match_key(person) in people.full:
            return " ".join(head), person
        if starts_with_given_name(person) and any(match_key(w) in nw.non_person_heads for w in head):
            return " ".join(head), person
    return None


def best_label(c: Cluster) -> str:
    """The best-written of an entity's own names (or its alias group's name)."""
    if c.alias is not None:
        return c.alias[0]
    own = dict(c.names) or dict(c.core)
    if len(own) == 1:  # most entities: nothing to choose from
        return next(iter(own))

    def score(name: str) -> tuple[int, int, int, int, int, str]:
        letters = [ch for ch in name if ch.isalpha()]
        caps = bool(letters) and all(ch.isupper() for ch in letters)
        return (
            sum(ord(ch) > 127 for ch in name),  # the accented spelling is the better-written one
            own[name],
            int(not caps or len(letters) <= 5),
            int(without_company_suffix(name) == name),  # "Microsoft" over "Microsoft Corp"
            len(name),
            name,
        )

    return max(own, key=score)
