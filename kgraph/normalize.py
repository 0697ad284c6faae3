"""Name normalisation shared by resolution and lookup: match keys, slugs, titles."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, without accents: 'Mevlüt Çavuşoğlu' -> 'mevlut cavusoglu'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


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
