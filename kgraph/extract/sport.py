"""Countries named as the sides of a sports result: "Sweden defeated South Korea 1 – 0".

In a match report a country's name stands for its national team, and the team is not the
country: linking Harry Kane to the England of a Brexit story is a false link. Extraction marks
the places named as a side in a result (`Mention.team`, the sport the article is about);
resolution then reads every mention of that country in the article as its national team
(`kgraph.resolve`, rule "national team").

The evidence is deliberately narrow: a score ("1 – 0", "3-2") beside two places, or beside
a result verb and a place, in an article that speaks of sport. A poll ("leads 48-45 in
Florida") or a vote ("the Senate voted 52-48") has no place on both sides of a result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

#: Words that name a sport, each with the sport it names, as in "the national football team".
_SPORTS = {
    "football": "football",
    "soccer": "football",
    "fifa": "football",
    "uefa": "football",
    "goalkeeper": "football",
    "striker": "football",
    "midfielder": "football",
    "cricket": "cricket",
    "wicket": "cricket",
    "wickets": "cricket",
    "innings": "cricket",
    "rugby": "rugby union",
    "basketball": "basketball",
    "hockey": "ice hockey",
    "volleyball": "volleyball",
    "handball": "handball",
    "baseball": "baseball",
    "netball": "netball",
}
#: Words that speak of a match without naming the sport.
_MATCH_WORDS = frozenset(
    "match matches game games goal goals scored scorer tournament cup league championship "
    "final semi-final quarter-final qualifier qualifiers friendly stadium coach referee penalty "
    "squad captain points fixture kick-off half-time olympics".split()
)
_WORD = re.compile(r"[a-z][a-z-]*")
_SPACES = re.compile(r"\s+")

_SCORE = r"(?<![\d.,/:])\d{1,3}\s?[–—−-]\s?\d{1,3}(?![\d.,/:%])"
_SIDE = r"<(\d+)>"
_VERB = (
    r"(?:beat|beats|beaten|defeated|defeats|defeat|edged|edges|thrashed|thrashes|routed|crushed|"
    r"overcame|hammered|stunned|upset|eliminated|trounced|drew|draws|tied|ties|lost|loses|won|wins|"
    r"faced|faces|played|plays|held)"
)
_FILLER = r"(?:[A-Za-z'’-]+\s+){0,2}?"  # "debutants", "defending champions"
_TO = r"(?:to|against|with|over|versus|vs\.?|v\.?)"
_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_MARGIN = r"(?:wickets?|runs?|innings|goals?|points?|tries|strokes?|shots?|frames?|sets?|games?)"
#: Result clauses, with the places already replaced by <index>.
_RESULTS = [
    re.compile(p)
    for p in (
        rf"{_SIDE}\s?[,:]?\s{_SCORE}\s{_SIDE}",  # Sweden 1 – 0 Korea Republic
        rf"{_SIDE}\s{_VERB}\s{_FILLER}{_SIDE},?\s(?:by\s)?{_SCORE}",  # Sweden defeated South Korea 1 – 0
        rf"{_SIDE}\s{_VERB}\s(?:by\s)?{_SCORE}\s{_TO}\s{_FILLER}{_SIDE}",  # Tunisia lost 1 – 2 to England
        rf"{_SIDE}['’]s\s{_SCORE}\s(?:win|victory|defeat|loss|draw)\s{_TO}\s{_FILLER}{_SIDE}",
        rf"{_SCORE}\s(?:win|victory|defeat|loss|draw)\s{_TO}\s{_FILLER}{_SIDE}",  # a 2-0 win over Panama
        rf"{_SIDE}\s{_VERB}\s{_FILLER}{_SIDE}\sby\s(?:\d+|{_NUMBER_WORDS}|an)\s{_MARGIN}",  # India beat Australia by six wickets
    )
]

#: What every result clause needs in the text as written (a score, or "by six wickets"),
#: looser than the clauses (any spacing): most articles have neither, and are not masked.
_MAYBE_RESULT = re.compile(rf"\d\s*[–—−-]\s*\d|\bby\s+(?:\d+|{_NUMBER_WORDS}|an)\s+{_MARGIN}")


def article_sport(text: str) -> str:
    """The sport an article is about ("football"), "sport" when it speaks of matches without
    naming one, or "" when it does not speak of sport.

    >>> article_sport("England beat Tunisia in the World Cup football match.")
    'football'
    >>> article_sport("The Senate voted 52-48 on the bill.")
    ''
    """
    words = Counter(_WORD.findall(text.lower()))
    sports: Counter[str] = Counter()
    for word, sport in _SPORTS.items():
        if words[word]:
            sports[sport] += words[word]
    if sports:
        return sports.most_common(1)[0][0]
    if sum(1 for w in _MATCH_WORDS if words[w]) >= 2:
        return "sport"
    return ""


def result_sides(text: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Which of `spans` (character offsets of place names, in text order) are named as a side
    in a sports result.

    >>> text = "Sweden defeated South Korea 1 – 0 in Nizhny Novgorod."
    >>> sorted(result_sides(text, [(0, 6), (16, 27), (37, 52)]))
    [0, 1]
    """
    if not spans or not _MAYBE_RESULT.search(text):
        return set()
    pieces: list[str] = []
    at = 0
    for i, (start, end) in enumerate(spans):
        if start < at:
            continue
        pieces.append(text[at:start])
        pieces.append(f"<{i}>")
        at = end
    pieces.append(text[at:])
    masked = _SPACES.sub(" ", "".join(pieces))
    sides: set[int] = set()
    for pattern in _RESULTS:
        for found in pattern.finditer(masked):
            sides.update(int(g) for g in found.groups() if g is not None)
    return sides
