"""In-article passes that join the other spellings of one name: typos, plurals, acronyms made
of initials, a generic head word standing for the longer name it heads.

Each pass takes the article's `ArticleLinks` (its clusters and the merges made so far) and
adds merges; none undoes one. Each is small and tested on its own (tests/test_variants.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..normalize import _word, name_words
from ..places import is_known_place
from .rules import Rule

if TYPE_CHECKING:
    from .article import ArticleLinks
    from .cluster import Cluster

_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "in", "at", "&"})


def one_edit(a: str, b: str) -> bool:
    """Whether two different words are one substitution, insertion, deletion or swap of two
    neighbouring letters apart.

    >>> one_edit("kristin", "kristen"), one_edit("untied", "united"), one_edit("mauer", "maurer")
    (True, True, True)
    >>> one_edit("austria", "australia"), one_edit("iran", "iran")
    (False, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _near(a: str, b: str) -> bool:
    """One edit apart, or two for names of eight letters or more ('Bauchtman', 'Buchtmann')."""
    if one_edit(a, b):
        return True
    if min(len(a), len(b)) < 8 or abs(len(a) - len(b)) > 2 or a[0] != b[0]:
        return False
    return any(one_edit(a[:i] + a[i + 1 :], b) or one_edit(a, b[:i] + b[i + 1 :]) for i in range(min(len(a), len(b))))


def _weight(locals_: dict[str, Cluster], key: str) -> tuple[int, str]:
    return (locals_[key].mentions, key)


def _spellings(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of names of two words or more, as many words each, that differ in one word of 5
    letters or more by one letter; in the order of the names (a merge depends on those made
    before it). Only names of as many words are compared."""
    by_length: dict[int, list[tuple[str, list[str]]]] = {}
    for k in keys:
        words = k.split()
        if len(words) >= 2:
            by_length.setdefault(len(words), []).append((k, words))
    pairs: list[tuple[str, str]] = []
    for group in by_length.values():
        for i, (a, wa) in enumerate(group):
            for b, wb in group[i + 1 :]:
                diff = [(x, y) for x, y in zip(wa, wb) if x != y]
                if len(diff) == 1 and min(len(diff[0][0]), len(diff[0][1])) >= 5 and one_edit(*diff[0]):
                    pairs.append((a, b))
    return sorted(pairs)


def link_typos(links: ArticleLinks) -> None:
    """'Kristin Wilkins' and 'Kristen Wilkins', 'Untied Nations' and 'United Nations' in one
    article: names of the same number of words that differ in one word by one letter (the
    word at least 5 letters long: 'Iran'/'Iraq' stay apart) are one name; the rarer spelling
    joins the commoner. A one-word name that is one letter from the family name of a person in
    the article ('Mauer' for K.C. Maurer, 'Water' for Kathryn Waters) joins that person."""
    locals_, merged = links.clusters, links.merges
    is_person = links.is_person
    keys = sorted(k for k in locals_ if k not in merged)
    for a, b in _spellings(keys):
        if is_person(a) != is_person(b):
            continue
        rare, common = sorted((a, b), key=lambda k: (locals_[k].alias is not None, *_weight(locals_, k)))
        if rare not in merged and locals_[rare].alias is None:
            merged.merge(rare, common, Rule.TYPO)
    surnames: dict[str, set[str]] = {}
    for k in keys:
        if " " in k and is_person(k) and k not in merged:
            surnames.setdefault(k.split()[-1], set()).add(k)
    for k in keys:
        if " " in k or k in merged or len(k) < 5 or k in surnames:
            continue
        if not (is_person(k) or locals_[k].own.get("person") or locals_[k].cues):
            continue  # "Toyota" is no misspelt "Toyoda"
        if k in name_words().given_names:
            continue  # "Richard" is a first name, not a misspelt "Richards"
        cands = {full for last, fulls in surnames.items() if _near(k, last) for full in fulls}
        cands = {merged.find(c) for c in cands}
        if len(cands) == 1:
            merged.merge(k, cands.pop(), Rule.TYPO)


def link_plurals(links: ArticleLinks) -> None:
    """'Oriole' and 'Orioles' in one article: the singular and plural of a one-word
    organization name are one name (the commoner form is kept)."""
    locals_, merged = links.clusters, links.merges
    for k in sorted(locals_):
        if " " in k or k in merged or locals_[k].alias is not None:
            continue
        plural = k + "s"
        if plural in locals_ and plural not in merged and locals_[k].type() == locals_[plural].type() == "organization":
            rare, common = sorted((k, plural), key=lambda x: _weight(locals_, x))
            merged.merge(rare, common, Rule.PLURAL)


def _initials(key: str, surface: str) -> str:
    words = [w for w in surface.replace("-", " ").split() if w[:1].isupper() and _word(w) not in _CONNECTORS]
    return "".join(w[0] for w in words).lower()


def link_initials(links: ArticleLinks) -> None:
    """'USI' after 'the University of Southern Indiana': an all-capitals name of three to six
    letters that are the initials of the capitalised words of exactly one longer name in the
    article (two letters are too often something else: 'NE', 'D.C.')."""
    locals_, merged = links.clusters, links.merges
    longer: dict[str, set[str]] = {}
    for k, loc in locals_.items():
        if " " not in k:
            continue
        for surface in loc.core:
            ini = _initials(k, surface)
            if len(ini) >= 2:
                longer.setdefault(ini, set()).add(k)
    for k in sorted(locals_):
        loc = locals_[k]
        if " " in k or k in merged or loc.alias is not None or not 3 <= len(k) <= 6:
            continue
        if not any(f.replace(".", "").isupper() for f in loc.core):
            continue
        cands = {merged.find(c) for c in longer.get(k, set())} - {k}
        if len(cands) == 1:
            merged.merge(k, cands.pop(), Rule.INITIALS)


#: Words in front of a place that make another place of it: "Southern California", "East Timor".
_DIRECTIONS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "inner",
        "outer",
        "new",
        "old",
        "trans",
        "anti",
        "pro",
    }
)
#: What may follow a well-known place in a longer name of the same place: "Gaza Strip".
_SAME_PLACE = frozenset({"strip", "province", "region", "territory", "island", "islands", "state", "of", "the"})


def _is_short_form(short: str, long_: str, place: bool = False) -> bool:
    """'scientology' of 'church of scientology', 'freedom' of 'freedom magazine', 'yankees'
    of 'new york yankees', 'gaza' of 'gaza strip': the long name is the short one plus one
    head word and connectors, or a team's or paper's home before it. A well-known place
    (`place`) is the short form only of a longer name of the same place ('Gaza Strip', not
    'Pennsylvania Avenue' or 'Queensland Cabinet').

    >>> _is_short_form("times", "los angeles times"), _is_short_form("california", "southern california")
    (True, False)
    """
    words = long_.split()
    if short not in words or len(words) < 2 or short not in (words[0], words[-1]):
        return False
    nw = name_words()
    rest = [w for w in words if w != short]
    if place:
        return all(w in _SAME_PLACE for w in rest)
    heads = [w for w in rest if w in nw.organization_heads]
    if len(heads) == 1 and all(w in heads or w in _CONNECTORS for w in rest):
        return True  # "Church of Scientology", "Freedom Magazine"; not "Harvard University Press", "Bears Stadium"
    return words[-1] == short and len(rest) <= 2 and not (len(rest) == 1 and rest[0] in _DIRECTIONS)


def _heads(word: str, long_: str) -> bool:
    """Whether `word` is the head of the name `long_`: the word before 'of' ('Church of
    Scientology'), else its last word ('Israeli Government'), not a modifier ('State' in
    'Milledgeville State Hospital', 'East' in 'East River Drive')."""
    words = long_.split()
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1] == word
    return words[-1] == word


def link_short_forms(links: ArticleLinks) -> list[str]:
    """Generic words and short forms of organization and place names in one article.

    A generic word alone ('Church', 'Administration', 'North') stands for the one longer name
    of the article that contains it; with none, it is returned to be dropped. A one-word name
    that is a longer organization or place name less its head words ('Scientology' of 'Church of
    Scientology', 'Yankees' of 'New York Yankees') joins it when that name is the only one.
    """
    locals_, merged = links.clusters, links.merges

    def is_person(k: str) -> bool:
        return locals_[k].type() == "person"

    nw = name_words()
    multi = [k for k in locals_ if " " in k and not is_person(k)]
    _link_tails(links, multi)
    dropped: list[str] = []
    for k in sorted(locals_):
        loc = locals_[k]
        if " " in k or k in merged or loc.alias is not None or is_person(k):
            continue
        generic = k in nw.generic_words and not any(f.isupper() for f in loc.core)
        if generic:
            cands = {merged.find(m) for m in multi if _heads(k, m)}
            rule = Rule.HEAD_WORD
        else:
            # "Irving" is no short form of "Irving Police Department", nor "Queensland" (only
            # ever a place here) of "Queensland Cabinet"
            place = is_known_place(k) or loc.type() == "place" and not loc.own.get("organization")
            cands = {
                merged.find(m)
                for m in multi
                if _is_short_form(k, m, place) and (not place or locals_[m].type() == "place") and _plain(locals_[m])
            }
            rule = Rule.SHORT_FORM
        cands.discard(k)
        if len(cands) == 1:
            merged.merge(k, cands.pop(), rule)
        elif generic:
            dropped.append(k)
    return dropped


def _link_tails(links: ArticleLinks, multi: list[str]) -> None:
    """'Udvar-Hazy Center' after 'Steven F. Udvar-Hazy Center': a name of two words or more,
    ending in a head word, that ends exactly one longer name of the article (by at most three
    words more) is its short form."""
    locals_, merged = links.clusters, links.merges
    nw = name_words()
    heads = nw.organization_heads | nw.facility_heads
    for k in sorted(multi):
        words = k.split()
        if k in merged or locals_[k].alias is not None or words[-1] not in heads:
            continue
        cands = {merged.find(m) for m in multi if m != k and m.endswith(" " + k) and len(m.split()) - len(words) <= 3}
        cands.discard(k)
        if len(cands) == 1:
            merged.merge(k, cands.pop(), Rule.SHORT_FORM)


def _plain(loc: Cluster) -> bool:
    """A longer name that is one name: no comma in it ('Troup, Pierce' is a list)."""
    return not any("," in form for form in loc.core)
