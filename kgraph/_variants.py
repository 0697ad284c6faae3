"""In-article passes that join the other spellings of one name: typos, plurals, acronyms made
of initials, a generic head word standing for the longer name it heads.

Each pass takes the article's clusters (match key -> Cluster) and the merges made so far
(key -> (target key, rule)), and adds merges; none undoes one. Each is small and tested on its
own (tests/test_variants.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .normalize import _word, name_words
from .places import is_known_place

# Rules, as aliases.csv shows them.
TYPO = "one-letter variant of a name in the same article"
PLURAL = "singular or plural of a name in the same article"
INITIALS = "acronym of a name in the same article (its initials)"
HEAD_WORD = "generic word standing for the one longer name in the article"
SHORT_FORM = "short form of an organization or place name in the same article"
GENERIC_DROPPED = "dropped (generic word, no name in the article it stands for)"

_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "in", "at", "&"})

Merges = dict[str, tuple[str, str]]


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
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1 :] == short:
            return True
    return False


def _follow(merged: Merges, key: str) -> str:
    seen = {key}
    while key in merged and merged[key][0] not in seen:
        key = merged[key][0]
        seen.add(key)
    return key


def _weight(locals_: dict, key: str) -> tuple[int, str]:
    return (locals_[key].mentions, key)


def link_typos(locals_: dict, merged: Merges, is_person: Callable[[str], bool]) -> None:
    """'Kristin Wilkins' and 'Kristen Wilkins', 'Untied Nations' and 'United Nations' in one
    article: names of the same number of words that differ in one word by one letter (the
    word at least 5 letters long: 'Iran'/'Iraq' stay apart) are one name; the rarer spelling
    joins the commoner. A one-word name that is one letter from the family name of a person in
    the article ('Mauer' for K.C. Maurer, 'Water' for Kathryn Waters) joins that person."""
    keys = sorted(k for k in locals_ if k not in merged)
    for i, a in enumerate(keys):
        wa = a.split()
        for b in keys[i + 1 :]:
            wb = b.split()
            if len(wa) != len(wb) or len(wa) < 2:
                continue
            diff = [(x, y) for x, y in zip(wa, wb) if x != y]
            if len(diff) != 1 or min(len(diff[0][0]), len(diff[0][1])) < 5 or not one_edit(*diff[0]):
                continue
            if is_person(a) != is_person(b):
                continue
            rare, common = sorted((a, b), key=lambda k: (locals_[k].alias is not None, *_weight(locals_, k)))
            if rare not in merged and locals_[rare].alias is None:
                merged[rare] = (common, TYPO)
    surnames: dict[str, set[str]] = {}
    for k in keys:
        if " " in k and is_person(k) and k not in merged:
            surnames.setdefault(k.split()[-1], set()).add(k)
    for k in keys:
        if " " in k or k in merged or len(k) < 5 or k in surnames:
            continue
        if not (is_person(k) or locals_[k].own.get("person") or locals_[k].cues):
            continue  # "Toyota" is no misspelt "Toyoda"
        cands = {full for last, fulls in surnames.items() if one_edit(k, last) for full in fulls}
        cands = {_follow(merged, c) for c in cands}
        if len(cands) == 1:
            merged[k] = (cands.pop(), TYPO)


def link_plurals(locals_: dict, merged: Merges) -> None:
    """'Oriole' and 'Orioles' in one article: the singular and plural of a one-word
    organization name are one name (the commoner form is kept)."""
    for k in sorted(locals_):
        if " " in k or k in merged or locals_[k].alias is not None:
            continue
        plural = k + "s"
        if plural in locals_ and plural not in merged and locals_[k].type() == locals_[plural].type() == "organization":
            rare, common = sorted((k, plural), key=lambda x: _weight(locals_, x))
            merged[rare] = (common, PLURAL)


def _initials(key: str, surface: str) -> str:
    words = [w for w in surface.replace("-", " ").split() if w[:1].isupper() and _word(w) not in _CONNECTORS]
    return "".join(w[0] for w in words).lower()


def link_initials(locals_: dict, merged: Merges) -> None:
    """'USI' after 'the University of Southern Indiana': an all-capitals name whose letters
    are the initials of the capitalised words of exactly one longer name in the article."""
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
        if " " in k or k in merged or loc.alias is not None or not 2 <= len(k) <= 6:
            continue
        if not any(f.replace(".", "").isupper() for f in loc.core):
            continue
        cands = {_follow(merged, c) for c in longer.get(k, set())} - {k}
        if len(cands) == 1:
            merged[k] = (cands.pop(), INITIALS)


def _is_short_form(short: str, long_: str) -> bool:
    """'scientology' of 'church of scientology', 'freedom' of 'freedom magazine', 'yankees'
    of 'new york yankees', 'gaza' of 'gaza strip': the long name is the short one plus head
    words, connectors or a place."""
    words = long_.split()
    if short not in words or len(words) < 2:
        return False
    nw = name_words()
    rest = [w for w in words if w != short]
    heads = nw.organization_heads | nw.facility_heads | nw.place_designators | _CONNECTORS
    if words[0] == short or words[-1] == short:
        return all(w in heads for w in rest) or words[-1] == short and len(rest) <= 2
    return False


def link_short_forms(locals_: dict, merged: Merges, is_person: Callable[[str], bool]) -> list[str]:
    """Generic words and short forms of organization and place names in one article.

    A generic word alone ('Church', 'Administration', 'North') stands for the one longer name
    of the article that contains it; with none, it is returned to be dropped. A one-word name
    that is a longer organization or place name less its head words ('Scientology' of 'Church of
    Scientology', 'Yankees' of 'New York Yankees') joins it when that name is the only one.
    """
    nw = name_words()
    multi = [k for k in locals_ if " " in k and not is_person(k)]
    dropped: list[str] = []
    for k in sorted(locals_):
        loc = locals_[k]
        if " " in k or k in merged or loc.alias is not None or is_person(k):
            continue
        generic = k in nw.generic_words and not any(f.isupper() for f in loc.core)
        if generic:
            cands = {_follow(merged, m) for m in multi if k in m.split()}
            rule = HEAD_WORD
        else:
            cands = {_follow(merged, m) for m in multi if _is_short_form(k, m)}
            if is_known_place(k):  # "Irving" is no short form of "Irving Police Department"
                cands = {c for c in cands if locals_[c].type() == "place"}
            rule = SHORT_FORM
        cands.discard(k)
        if len(cands) == 1:
            merged[k] = (cands.pop(), rule)
        elif generic:
            dropped.append(k)
    return dropped
