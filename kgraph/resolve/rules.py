"""Every rule resolution applies, by name: what aliases.csv says about each surface form."""

from __future__ import annotations

from enum import Enum


class Rule(str, Enum):
    """Why a surface form joined an entity, or was dropped, or kept apart (aliases.csv `rule`)."""

    # a name on its own
    EXACT = "exact"
    NORMALISED = "normalised (case, accents, punctuation)"
    TITLE = "title removed"
    COMPANY = "company suffix removed"
    PLACE_WORD = "place word removed"
    GOVERNMENT = "government of a place"
    FORMAL_PLACE = "formal name of a country or state"
    WEBSITE = "website of the name (its owner)"
    COORDINATION = "one of two places named at once (North and South Korea)"
    STATE_SENSE = "the state, not the city (it qualifies a place before it)"
    STATE_ABBREVIATION = "abbreviation of a US state (Fla.)"
    SPLIT = "split from an organization name"
    NATIONAL_TEAM = "national team (the country is a side in a sports result in the article)"
    BUILTIN = "built-in alias"
    USER = "user alias"
    # inside one article
    SHORT_ARTICLE = "short name (same article)"
    FIRST_ARTICLE = "first name (same article)"
    INNER_NAME = "a word of the one full name in the article that has it (same article)"
    ORG_SHORT = "shorter organization name (same article)"
    ACRONYM_ARTICLE = "acronym (defined in the article)"
    TYPO = "one-letter variant of a name in the same article"
    PLURAL = "singular or plural of a name in the same article"
    INITIALS = "acronym of a name in the same article (its initials)"
    HEAD_WORD = "generic word standing for the one longer name in the article"
    SHORT_FORM = "short form of an organization or place name in the same article"
    # across the corpus
    ACRONYM_CORPUS = "acronym (defined in another article)"
    SHORT_CORPUS = "short name (only candidate in the corpus)"
    SHORT_CORPUS_RARE = "rare family name (the one person of that name in the corpus)"
    MIDDLE = "same first and family name (middle name or initial added)"
    CITY_OF = "the city of that name (X City)"
    FOUND_ELSEWHERE = "untagged here, named so in another article (label consistency)"
    # dropped
    COMMON_WORD = "dropped (ordinary word, seen once)"
    ADJECTIVE = "dropped (an adjective, not an organization's name)"
    FIRST_NAME_ALONE = "dropped (a first name alone, no full name to join)"
    TITLE_FRONT = "dropped (front of a title)"
    GENERIC_DROPPED = "dropped (generic word, no name in the article it stands for)"
    IDEOLOGY = "dropped (a belief or its followers, not an entity)"
    IGNORED = "ignored (alias file)"

    def __str__(self) -> str:
        return self.value

    def __hash__(self) -> int:  # hashes as its text, so "exact" and Rule.EXACT are one key
        return str.__hash__(self)

    def __format__(self, spec: str) -> str:
        return self.value.__format__(spec)


#: Rules that link a short name to a full one: the short name's NER labels count as votes
#: for a person ("Scholz" tagged GPE is Olaf Scholz's family name).
LINK_RULES = frozenset(
    {Rule.SHORT_ARTICLE, Rule.FIRST_ARTICLE, Rule.INNER_NAME, Rule.SHORT_CORPUS, Rule.SHORT_CORPUS_RARE, Rule.TITLE}
)
