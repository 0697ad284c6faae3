"""Name normalisation shared by resolution and lookup: match keys, slugs, and the shape of a name.

Everything here looks at one name on its own (no corpus, no model): its match key, the titles
in front of it, the family name it can be shortened to, whether it is noise. What the words
mean (titles, particles, given names, company suffixes) is data: kgraph/data/names.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ._regex import LazyPattern

_NON_WORD = LazyPattern(r"[^\w]+")
_SPACES = LazyPattern(r"\s+")
_QUOTES = "\"'“”‘’«»`´"
_EDGE_PUNCT = _QUOTES + ".,;:!?()[]{}<>*_|/\\-–—•·#~^"
_LEADING_THE = LazyPattern(r"^(?:the)\s+", re.IGNORECASE)
_POSSESSIVE = LazyPattern(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_INITIALS_END = LazyPattern(r"(?:^|[\s(])(?:[^\W\d_]\.){2,}$")
_HYPHENS = LazyPattern(r"[-\u2010\u2011\u2012\u2013]")
#: "National Electoral Institute (INE" and "Competition and Markets Authority (CMA)".
_ACRONYM_INSIDE = LazyPattern(r"^(?P<name>.*?[^\s(])\s*\(\s*(?P<acronym>[A-Z][A-Za-z0-9&.\-]{1,11})\s*\)?\s*$")
_WORDS_ONLY = LazyPattern(r"^[\w\s'’.-]+$")
_DETERMINERS = frozenset(
    ["a", "an", "this", "that", "these", "those", "our", "their", "his", "her", "its", "my", "your"]
)
_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "to", "in"})
_DERIVED = LazyPattern(r"^(?:(?:anti|pro|trans|non|post|pre|neo|pan|ex)-\S|(?:Anti|Pro|Non)-\S+$)")
#: "STS-134", "F-16s", "B-52", "A380": a code or model number, not a name.
_CODE = LazyPattern(r"^[A-Z]{1,5}-?\d+[A-Za-z]{0,2}$")
#: "3247 S. Kedzie Av", "Post Office Box 7599": an address.
_ADDRESS = LazyPattern(r"^\d+\s+\S|\bBox\s+\d+")
_TIME_ZONES = frozenset(
    {
        "GMT",
        "UTC",
        "EST",
        "EDT",
        "CST",
        "CDT",
        "MST",
        "MDT",
        "PST",
        "PDT",
        "CET",
        "CEST",
        "BST",
        "IST",
        "JST",
        "AEST",
        "AEDT",
    }
)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, without accents: 'Mevlüt Çavuşoğlu' -> 'mevlut cavusoglu'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


@lru_cache(maxsize=1 << 16)
def match_key(name: str) -> str:
    """The key two spellings of one name share: case, accents, acronym dots, hyphens and
    punctuation do not count, nor does a leading 'the'.

    >>> match_key("U.S.") == match_key("US") == match_key("us")
    True
    >>> match_key("al-Qaeda") == match_key("Al Qaeda")
    True
    """
    text = fold(name).replace("’", "'")
    text = text.replace("&", " and ")
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)  # u.s.a -> usa
    text = text.replace("'", "")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    text = _SPACES.sub(" ", text).strip()
    while text.startswith("the "):  # all of them, so that a key is its own key
        text = text[4:]
    return text


def slug(text: str) -> str:
    """A readable id fragment: 'Zalmay Khalilzad' -> 'zalmay-khalilzad' (letters of any script kept)."""
    out = _NON_WORD.sub("-", fold(text)).replace("_", "-").strip("-")
    return re.sub("-{2,}", "-", out) or "x"


@dataclass(frozen=True)
class NameWords:
    """The word lists of kgraph/data/names.yaml, folded to match keys."""

    person_titles: frozenset[str]
    first_name_titles: frozenset[str]
    title_modifiers: frozenset[str]
    portfolio_words: frozenset[str]
    generational_suffixes: frozenset[str]
    surname_particles: frozenset[str]
    patronymic_particles: frozenset[str]
    family_name_first: frozenset[str]
    given_names: frozenset[str]
    company_suffixes: frozenset[str]
    place_designators: frozenset[str]
    credit_words: frozenset[str]
    non_person_heads: frozenset[str]
    facility_heads: frozenset[str]
    organization_heads: frozenset[str]
    generic_words: frozenset[str]
    company_tails: frozenset[str]

    @property
    def title_words(self) -> frozenset[str]:
        return self.person_titles | self.title_modifiers | self.portfolio_words


@lru_cache(maxsize=1)
def name_words() -> NameWords:
    """The name word lists shipped with kgraph (read once)."""
    import yaml  # 15 ms: looking most names up in a saved graph needs no word list

    text = resources.files("kgraph").joinpath("data/names.yaml").read_text(encoding="utf-8")
    # libyaml's loader where PyYAML has it: the pure-Python one takes 80 ms, a third of a query
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader)
    data["given_names"] = [*data["given_names"], *_word_list("given_names.txt")]
    return NameWords(**{k: frozenset(_word(w) for w in v) for k, v in data.items()})


def _word_list(name: str) -> list[str]:
    """The words of a one-word-a-line file in kgraph/data ('#' starts a comment)."""
    text = resources.files("kgraph").joinpath(f"data/{name}").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [w for w in lines if w]


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    """Family names borne by many people ('johnson'): alone they say little about who is meant.

    >>> "johnson" in common_surnames(), "khalilzad" in common_surnames()
    (True, False)
    """
    return frozenset(_word_list("common_surnames.txt"))


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> str:
    """A token as the word lists hold it: folded, without outer dots ('Mr.' -> 'mr', 'U.S.' -> 'us')."""
    return fold(token).strip(".,;:'’\"()").replace(".", "")


def split_acronym(name: str) -> tuple[str, str | None]:
    """'National Electoral Institute (INE' -> ('National Electoral Institute', 'INE') when the
    acronym fits the name's initials; otherwise (name, None).

    >>> split_acronym("Competition and Markets Authority (CMA)")
    ('Competition and Markets Authority', 'CMA')
    >>> split_acronym("National Electoral Institute (INE")
    ('National Electoral Institute', 'INE')
    >>> split_acronym("Apple (US)")
    ('Apple (US)', None)
    """
    m = _ACRONYM_INSIDE.match(name)
    if not m:
        return name, None
    head, acronym = m.group("name").strip(), m.group("acronym")
    return (head, acronym) if acronym_fits(acronym, head) else (name, None)


def acronym_fits(acronym: str, expansion: str) -> bool:
    """Whether `acronym` is made of the initials of `expansion`'s capitalised words.

    >>> acronym_fits("CMA", "Competition and Markets Authority"), acronym_fits("UN", "Taliban")
    (True, False)
    """
    letters = "".join(ch for ch in acronym if ch.isalpha()).upper()
    if sum(ch.isupper() for ch in acronym if ch.isalpha()) < 2:
        return False
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_][\w'’-]*", expansion) if w[0].isupper()).upper()
    # a translated name keeps its letters in another order: INE, Instituto Nacional Electoral
    return bool(letters) and (initials.startswith(letters) or sorted(initials) == sorted(letters))


def is_capitalised(word: str) -> bool:
    """Whether a word starts like a name: a capital, or a letter of a script without case.

    >>> is_capitalised("Kabul"), is_capitalised("محمد"), is_capitalised("kabul"), is_capitalised("1999")
    (True, True, False, False)
    """
    first = word[:1]
    return first.isupper() or (first.isalpha() and not first.islower())


#: Initials written with spaces between them ("U. S.", "J. R. R."): the space goes.
_SPACED_INITIALS = LazyPattern(r"(?<![\w.])([A-Z])\. (?=[A-Z](?:\.|$| ))")


@lru_cache(maxsize=1 << 14)
def tidy(name: str) -> str:
    """Spacing, initials written apart ('U. S' -> 'U.S'), and lower-case function words left
    dangling at the end of a span ('Othello on').

    >>> tidy("U. S"), tidy("J. R. R. Tolkien"), tidy("John F. Kennedy"), tidy("Othello on")
    ('U.S', 'J.R.R. Tolkien', 'John F. Kennedy', 'Othello')
    """
    words = _SPACED_INITIALS.sub(r"\1.", _SPACES.sub(" ", name).strip()).split(" ")
    while len(words) > 1 and words[-1] in _CONNECTORS:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=1 << 14)
def clean_name(text: str) -> str:
    """Basic clean-up of an entity span: spaces, outer punctuation, leading 'the', possessive.

    >>> clean_name("the United States' ")
    'United States'
    >>> clean_name("Zalmay Khalilzad’s")
    'Zalmay Khalilzad'
    """
    name = _SPACES.sub(" ", text).strip()
    for _ in range(3):
        before = name
        dotted = _INITIALS_END.search(name)
        name = name.strip(_EDGE_PUNCT + " ")
        if dotted and not name.endswith("."):
            name += "."  # keep the dot of "U.S." and "Washington, D.C."
        name = _LEADING_THE.sub("", name)
        name = _POSSESSIVE.sub("", name)
        if name == before:
            break
    return name


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words, imported when a build first needs them: looking a name up
    in a saved graph uses this module but must not import spaCy."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=1 << 14)  # asked once per mention: the same names recur in article after article
def noise_reason(name: str, label: str = "") -> str | None:
    """Why a span NER tagged is not the name of a person, place or organization (None if it
    may be one). Rules that hold beyond any one corpus:

    >>> noise_reason("A THIRD PARTY"), noise_reason("Taliban")
    ('dropped (indefinite or possessive phrase)', None)
    >>> noise_reason("National Reconciliation Press Office/Handout")
    'dropped (photo credit)'
    >>> noise_reason("K"), noise_reason("X.")
    ('dropped (a single letter)', 'dropped (a single letter)')
    >>> noise_reason("Secretary of State", "ORG"), noise_reason("Major", "PERSON")
    ('dropped (title word, not a name)', None)
    """
    words = name.split()
    if not words or not any(ch.isalpha() for ch in name):
        return "dropped (no letters)"
    if sum(ch.isalpha() for ch in name) == 1:
        return "dropped (a single letter)"
    if any(ch.islower() for ch in name) and not any(ch.isupper() for ch in name) and _WORDS_ONLY.match(name):
        return "dropped (not capitalised)"  # (scripts without case, like Arabic, are never this)
    nw = name_words()
    if "/" in name and any(_word(w) in nw.credit_words for part in name.split("/") for w in part.split()[:1]):
        return "dropped (photo credit)"
    if name[0] in "@#":
        return "dropped (social media handle or hashtag)"
    if _DERIVED.match(name):
        return "dropped (a word made from a name: anti-Taliban, trans-Atlantic)"
    if _CODE.match(name) or _ADDRESS.search(name):
        return "dropped (code, model number or address)"
    if name.upper() in _TIME_ZONES:
        return "dropped (time zone)"
    first = fold(words[0])
    if len(words) >= 2 and first in _DETERMINERS:
        return "dropped (indefinite or possessive phrase)"
    letters = [ch for ch in name if ch.isalpha()]
    if len(words) >= 2 and all(ch.isupper() for ch in letters):
        stop_words = _stop_words()
        stop = sum(fold(w) in stop_words for w in words)
        if first in stop_words or stop * 2 >= len(words):
            return "dropped (all-caps caption)"
    if (
        label != "PERSON"
        and all(_word(w) in nw.title_words or fold(w) in _CONNECTORS for w in words)
        and any(_word(w) in nw.person_titles for w in words)  # "Secretary of State", "Coach"
    ):
        return "dropped (title word, not a name)"
    return None


def without_trailing_title(name: str) -> str:
    """'State Department Spokesperson' -> 'State Department', 'NASA Administrator' -> 'NASA':
    a job title after an organization's name is not part of it. A title that is the object of
    the name ('Department of Justice') or a word that only ever comes before a name ('Burger
    King', 'Notre Dame') stays.

    >>> without_trailing_title("Bank of England Governor"), without_trailing_title("Taliban")
    ('Bank of England', 'Taliban')
    >>> without_trailing_title("Department of Justice"), without_trailing_title("Burger King")
    ('Department of Justice', 'Burger King')
    """
    nw = name_words()
    words = name.split()
    n = len(words)
    while n > 1 and _trails(_word(words[n - 1]), nw):
        n -= 1
    if n == len(words) or not any(_word(w) not in nw.title_words and fold(w) not in _CONNECTORS for w in words[:n]):
        return name
    if fold(words[n - 1]) in _CONNECTORS:
        return name
    return " ".join(words[:n])


#: Titles that come before a name, never after an organization's as a job ("Burger King").
_PREFIX_ONLY_TITLES = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady king queen prince princess emperor empress sheikh sheikha shaikh "
    "emir amir sultan pope father rev reverend justice marshal".split()
)


def _trails(word: str, nw: NameWords) -> bool:
    return (word in nw.person_titles or word in nw.title_modifiers) and word not in _PREFIX_ONLY_TITLES


_COORDINATED = LazyPattern(
    r"^(?P<a>North|South|East|West|Upper|Lower)\s+(?:and|&)\s+(?P<b>North|South|East|West|Upper|Lower)\s+(?P<rest>\S.*)$"
)


def coordinated(name: str) -> tuple[str, str] | None:
    """'North and South Korea' -> ('North Korea', 'South Korea'): two places named at once.

    >>> coordinated("North and South Korea"), coordinated("Bosnia and Herzegovina")
    (('North Korea', 'South Korea'), None)
    """
    m = _COORDINATED.match(name)
    if not m:
        return None
    return f"{m.group('a')} {m.group('rest')}", f"{m.group('b')} {m.group('rest')}"


def is_portfolio(name: str) -> bool:
    """Whether `name` is only a minister's field ('Defense', 'Foreign Affairs'): a name of its
    own ('Defence said...') unless it is the front of a title ('Defense Secretary Lloyd Austin').
    """
    nw = name_words()
    return all(_word(w) in nw.portfolio_words or fold(w) in _CONNECTORS for w in name.split())


def is_noise(name: str) -> bool:
    """Whether `noise_reason` drops `name`.

    >>> is_noise("A THIRD PARTY"), is_noise("An official"), is_noise("Taliban")
    (True, True, False)
    """
    return noise_reason(name) is not None


@dataclass(frozen=True)
class Titled:
    """A name with the titles in front of it taken apart: see `split_titles`."""

    core: str  # the name after its titles ("Khalilzad")
    titles: tuple[str, ...]  # the words taken off ("Special", "Representative")
    person_title: bool  # a person title (not only a modifier like "Defence") was among them
    first_name_title: bool  # the last title is used with a first name ("King", "Prince")


@lru_cache(maxsize=1 << 14)
def split_titles(name: str) -> Titled:
    """Take titles and job words off the front of a name.

    The title is the last title word among the first words of the name; what comes before it
    (modifiers, a nationality, an institution: "US Secretary of Defence", "Bank of England
    Governor") goes with it.

    >>> split_titles("Special Representative Khalilzad").core
    'Khalilzad'
    >>> split_titles("South African President Cyril Ramaphosa").core
    'Cyril Ramaphosa'
    >>> split_titles("Defence Lloyd Austin")
    Titled(core='Lloyd Austin', titles=('Defence',), person_title=False, first_name_title=False)
    >>> split_titles("General Motors").core, split_titles("Dean Rusk").core
    ('General Motors', 'Dean Rusk')
    """
    words = name.split()
    nw = name_words()
    keys = [_word(w) for w in words]
    cut, person = 0, False
    if not keys or keys[0] in nw.given_names:  # "Dean Rusk", "Major Garrett": a name, not a title
        return Titled(name, (), False, False)
    # the last person title among the first words, with only titles, modifiers, connectors
    # or capitalised words (a nationality, an institution) before it
    for t in range(min(len(words) - 1, 7)):
        if keys[t] in nw.person_titles and all(
            k in nw.title_words or k in _CONNECTORS or w[:1].isupper() for k, w in zip(keys[:t], words[:t])
        ):
            cut, person = t + 1, True
    if not person:  # only a minister's field or a modifier: "Defence Lloyd Austin"
        while cut < len(words) - 1 and (keys[cut] in nw.title_modifiers or keys[cut] in nw.portfolio_words):
            cut += 1
    crossed = False  # "Secretary of State X", "King of Morocco"
    if cut:
        while cut < len(words) - 1 and (keys[cut] in nw.title_words or keys[cut] in _CONNECTORS):
            crossed = crossed or keys[cut] in _CONNECTORS
            cut += 1
    if cut == 0 or not is_capitalised(words[cut]):
        return Titled(name, (), False, False)
    rest = words[cut:]
    if all(_word(w) in nw.generational_suffixes for w in rest):
        return Titled(name, (), False, False)
    if len(rest) == 1 and (crossed or _word(rest[0]) in nw.title_words):
        return Titled(name, (), False, False)  # "King of Morocco", "Lord Home": no name after the title
    if _word(rest[-1]) in nw.non_person_heads:
        return Titled(name, (), False, False)  # "Queen Elizabeth Hospital", "King James Version"
    last_title = next((w for w, k in zip(reversed(words[:cut]), reversed(keys[:cut])) if k in nw.person_titles), "")
    return Titled(" ".join(rest), tuple(words[:cut]), person, _word(last_title) in nw.first_name_titles)


def strip_titles(name: str) -> tuple[str, bool]:
    """Split titles off the front of a name: ('Khalilzad', True) for 'Special Representative
    Khalilzad'. The bool says whether a person title (not only a modifier) was removed."""
    t = split_titles(name)
    return t.core, t.person_title


def name_tokens(name: str) -> list[str]:
    """The words of a person's name without generational suffixes ('Jr.', 'III')."""
    nw = name_words()
    toks = name.split()
    while len(toks) > 1 and _word(toks[-1]) in nw.generational_suffixes:
        toks.pop()
    return toks


@lru_cache(maxsize=1 << 14)
def surname_refs(name: str) -> frozenset[str]:
    """The match keys a full name can be shortened to in news copy: its family name.

    >>> sorted(surname_refs("Bashar al-Assad"))
    ['al assad', 'assad']
    >>> sorted(surname_refs("Mohammed bin Salman"))   # Salman is his father
    ['bin salman']
    >>> sorted(surname_refs("Xi Jinping"))            # family name first
    ['jinping', 'xi']
    >>> sorted(surname_refs("Andrés Manuel López Obrador"))
    ['lopez obrador', 'obrador']
    >>> sorted(surname_refs("Helen Tamiris-Daniel"))
    ['tamiris daniel']
    """
    nw = name_words()
    toks = name_tokens(name)
    if len(toks) < 2 or _word(toks[0]) in nw.first_name_titles:
        return frozenset()
    last = toks[-1]
    refs = {match_key(last)}
    parts = [p for p in _HYPHENS.split(last) if p]
    if len(parts) == 2 and _word(parts[0]) in nw.surname_particles:
        refs.add(match_key(parts[1]))  # al-Assad -> Assad
    i = len(toks) - 2
    while i >= 1 and _word(toks[i]) in nw.surname_particles:
        i -= 1
    if i < len(toks) - 2:
        refs.add(match_key(" ".join(toks[i + 1 :])))  # de Gaulle, Al Thani, von der Leyen
    if len(toks) >= 3 and _word(toks[-2]) in nw.patronymic_particles:
        refs = {match_key(" ".join(toks[-2:]))}  # bin Salman, never Salman alone
    elif len(toks) >= 4 and i == len(toks) - 2:
        refs.add(match_key(" ".join(toks[-2:])))  # López Obrador: two family names
    if len(toks) <= 3 and _word(toks[0]) in nw.family_name_first and match_key(toks[0]):
        refs.add(match_key(toks[0]))
    refs.discard("")
    return frozenset(refs)


def first_name(name: str) -> str:
    """The match key of a full name's first word ('' for a one-word name)."""
    toks = name_tokens(name)
    return match_key(toks[0]) if len(toks) >= 2 else ""


@lru_cache(maxsize=1 << 14)
@lru_cache(maxsize=1 << 14)
def looks_like_person_name(name: str) -> bool:
    """Whether a name of 2-5 words could be a person's full name: capitalised words (or family
    name particles), no word that ends the name of a thing ('Lectures', 'Hospital'), no comma
    or digit, and not ending in an initial.

    >>> looks_like_person_name("Abdul Ghani Baradar"), looks_like_person_name("Godkin Lectures")
    (True, False)
    """
    nw = name_words()
    toks = name_tokens(name)
    if not 2 <= len(toks) <= 5 or any(ch.isdigit() or ch == "," for ch in name):
        return False
    if any(_word(t) in nw.non_person_heads for t in toks[1:]) or len(_word(toks[-1])) < 2:
        return False
    return all(is_capitalised(t) or _word(t) in nw.surname_particles | nw.patronymic_particles for t in toks)


@lru_cache(maxsize=1 << 14)
def starts_with_given_name(name: str) -> bool:
    """Whether a name of 2-4 words that could be a person's starts with a common given name.

    >>> starts_with_given_name("Lloyd Austin"), starts_with_given_name("Bank of England")
    (True, False)
    """
    toks = name_tokens(name)
    return len(toks) <= 4 and looks_like_person_name(name) and _word(toks[0]) in name_words().given_names


def without_company_suffix(name: str) -> str:
    """'Apple Inc.' -> 'Apple', 'BYD Co Ltd' -> 'BYD', 'Dillon, Read & Co' -> 'Dillon, Read'
    (a name that is only a suffix is kept).

    >>> without_company_suffix("Blyth & Company"), without_company_suffix("Blue Skies, Brown Studies")
    ('Blyth', 'Blue Skies, Brown Studies')
    """
    nw = name_words()
    words = name.split()
    n = len(words)
    while n > 1 and _word(words[n - 1]) in nw.company_suffixes:
        n -= 1
    if n == len(words):
        return name
    while n > 1 and words[n - 1] in ("&", "and"):
        n -= 1
    return " ".join(words[:n]).rstrip(" ,")


def without_lowercase_tail(name: str) -> str:
    """'Yonhap news agency' -> 'Yonhap': lower-case words after a capitalised name describe it
    (NER took them in); particles inside a name ('Ludwig van Beethoven') are not at its end.

    >>> without_lowercase_tail("Yonhap news agency"), without_lowercase_tail("la Repubblica")
    ('Yonhap', 'la Repubblica')
    """
    words = name.split()
    n = len(words)
    particles = name_words().surname_particles | name_words().patronymic_particles
    keep = particles | {"party"}  # "Communist party", "Democratic party": a party's name
    while n > 1 and words[n - 1].isalpha() and words[n - 1].islower() and words[n - 1] not in keep:
        n -= 1
    if n == len(words) or not is_capitalised(words[n - 1]):
        return name
    return " ".join(words[:n])


def without_indefinite_article(name: str) -> str:
    """'a World Health Organisation' -> 'World Health Organisation': NER took in the article
    before a name (an all-caps 'A THIRD PARTY' is a phrase, and stays as it is).

    >>> without_indefinite_article("a World Health Organisation"), without_indefinite_article("A THIRD PARTY")
    ('World Health Organisation', 'A THIRD PARTY')
    """
    first, _, rest = name.partition(" ")
    if first in ("a", "an") and rest[:1].isupper() and not rest.isupper():
        return rest
    return name


def is_ideology(name: str, others: Iterable[str] = ()) -> bool:
    """'Islamophobia', 'Zionism', and 'Scientologist' next to 'Scientology': a belief, a fear or
    a follower, not a person, place or organization.

    >>> is_ideology("Islamophobia"), is_ideology("Scientologist", ["Scientology"]), is_ideology("Baptist")
    (True, True, False)
    """
    if " " in name or not name.isalpha():
        return False
    low = name.lower()
    if low.endswith(("phobia", "ism")) and len(low) > 6:
        return True
    if low.endswith(("ist", "ists")):
        stem = low[: low.rindex("ist")]
        return len(stem) >= 4 and any(o.lower().startswith(stem) and o.lower() != low for o in others)
    return False


_WEBSITE = LazyPattern(
    r"^(?P<name>[A-Za-z][\w-]*)\.(?:com|org|net|gov|edu|info|co\.uk|org\.uk|com\.au)$", re.IGNORECASE
)


def website_of(name: str) -> str | None:
    """'Scientology.org' -> 'Scientology', 'CNN.com' -> 'CNN': a site stands for its owner.

    >>> website_of("Scientology.org"), website_of("Gawker.com"), website_of("St. Louis")
    ('Scientology', 'Gawker', None)
    """
    m = _WEBSITE.match(name)
    return m.group("name") if m else None


def without_place_word(name: str) -> str:
    """'Khost province' -> 'Khost': a lower-case designator after a place is not its name."""
    nw = name_words()
    words = name.split()
    if len(words) >= 2 and words[-1].islower() and _word(words[-1]) in nw.place_designators:
        return " ".join(words[:-1])
    return name


_GOVERNMENT_OF = LazyPattern(r"^(?:the\s+)?government\s+of\s+(?:the\s+)?(?P<place>[A-Z].*)$", re.IGNORECASE)


_STATE_OF = LazyPattern(
    r"^(?:the\s+)?(?:state|province|commonwealth|kingdom|republic)\s+of\s+(?P<place>[A-Z].*)$", re.IGNORECASE
)


def government_of(name: str) -> str | None:
    """'Government of Uzbekistan' -> 'Uzbekistan' (the country acting through its government)."""
    m = _GOVERNMENT_OF.match(name)
    if m and m.group("place")[:1].isupper():
        return m.group("place")
    return None


def state_of(name: str) -> str | None:
    """'State of Texas' -> 'Texas', 'Kingdom of Saudi Arabia' -> 'Saudi Arabia': the formal
    name of a country or US state. ('Republic of Korea' is not 'Korea': only names the
    gazetteer knows as a country or state are shortened.)"""
    from .places import is_region

    m = _STATE_OF.match(name)
    if m and is_region(m.group("place")):
        return m.group("place")
    return None


def common_words(model: str | Path) -> frozenset[str]:
    """English words that are verbs, adjectives or adverbs, from the lemmatizer tables of an
    installed spaCy pipeline (a package name or a path); empty if it has none.

    Resolution uses them to tell a capitalised ordinary word ("Cease") from a name. Nouns are
    left out: the tables list many proper nouns among them (Washington, Clinton).
    """
    return _common_words(str(model))


@lru_cache(maxsize=4)
def _common_words(model: str) -> frozenset[str]:
    import spacy
    from spacy.lookups import Lookups

    path = Path(model)
    if not path.exists():
        try:
            path = spacy.util.get_package_path(model)
        except Exception:  # not an installed package: no word list
            return frozenset()
    found = sorted(path.glob("**/lemmatizer/lookups/lookups.bin"))
    if not found:
        return frozenset()
    try:
        lookups = Lookups().from_disk(found[0].parent)
        index = lookups.get_table("lemma_index")
        words: set[str] = set()
        for pos in ("verb", "adj", "adv"):
            if pos in index:
                words.update(w for w in index[pos] if w.isalpha())
    except Exception:  # an unreadable or different table: resolution works without it
        return frozenset()
    return frozenset(words)
