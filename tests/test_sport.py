"""A country named as a side in a sports result is its national team, not the country (issue 19:
"same name, different things in different articles")."""

from __future__ import annotations

import pytest

from kgraph.aliases import alias_table
from kgraph.extract import extract
from kgraph.extract.sport import article_sport, result_sides
from kgraph.records import Article
from kgraph.resolve import Resolver

from .conftest import make_blank_nlp


def sides(text: str, *names: str) -> list[str]:
    """The names (each found once in `text`, in order) that `result_sides` calls sides."""
    spans = []
    at = 0
    for name in names:
        start = text.index(name, at)
        spans.append((start, start + len(name)))
        at = start + len(name)
    return sorted(names[i] for i in result_sides(text, spans))


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        (
            "Sweden defeated South Korea 1 – 0 in Nizhny Novgorod.",
            ("Sweden", "South Korea", "Nizhny Novgorod"),
            ["South Korea", "Sweden"],
        ),
        ("Group F — Sweden 1 – 0 Korea Republic", ("Sweden", "Korea Republic"), ["Korea Republic", "Sweden"]),
        ("Belgium defeated debutants Panama 3 – 0 in Sochi.", ("Belgium", "Panama", "Sochi"), ["Belgium", "Panama"]),
        ("Tunisia lost 1 – 2 to England at the Volgograd Arena.", ("Tunisia", "England"), ["England", "Tunisia"]),
        ("Brazil drew 2-2 with Switzerland.", ("Brazil", "Switzerland"), ["Brazil", "Switzerland"]),
        ("India's 3-1 win over Australia in Perth", ("India", "Australia", "Perth"), ["Australia", "India"]),
        ("It was a 2-0 victory over France.", ("France",), ["France"]),
        ("India beat Australia by six wickets in Delhi.", ("India", "Australia", "Delhi"), ["Australia", "India"]),
        ("Wales beat England by 12 points at Cardiff.", ("Wales", "England", "Cardiff"), ["England", "Wales"]),
        # spacing as written: line breaks inside the clause (the text is searched before it is tidied)
        ("Group F\nSweden 1 –\n\n0 Korea Republic", ("Sweden", "Korea Republic"), ["Korea Republic", "Sweden"]),
        ("India beat Australia by\n  six\twickets.", ("India", "Australia"), ["Australia", "India"]),
        # not a sports result: a poll, a vote, a date range, a number of years
        ("Trump leads Biden 48-45 in Florida, a poll shows.", ("Florida",), []),
        ("Texas voted 52-48 against the plan, unlike Ohio.", ("Texas", "Ohio"), []),
        ("Germany and France fought in 1914-18 and Britain joined.", ("Germany", "France", "Britain"), []),
        ("Sweden and Norway signed a 10-year deal.", ("Sweden", "Norway"), []),
    ],
)
def test_sides_of_a_result(text: str, names: tuple[str, ...], expected: list[str]) -> None:
    assert sides(text, *names) == expected


def test_the_sport_comes_from_the_article() -> None:
    assert article_sport("The FIFA World Cup match ended with a goal.") == "football"
    assert article_sport("Australia were 210 for 4 wickets at the end of the first innings.") == "cricket"
    assert article_sport("The coach said the match was tough; the final is on Sunday.") == "sport"
    assert article_sport("Trump leads Biden 48-45 in Florida, a poll shows.") == ""


MATCH = (
    "Sweden defeated South Korea 1 – 0 in the football World Cup.\n\n"
    "Korea's captain was booked. The match in Russia ended when Sweden scored from the penalty spot. "
    "Jan Berg met South Korea's coach after the game."
)
POLITICS = "South Korea and Sweden signed a trade deal in Seoul. Moon Jae-in welcomed it."
PATTERNS = [
    ("GPE", "Sweden"),
    ("GPE", "South Korea"),
    ("GPE", "Korea"),
    ("GPE", "Russia"),
    ("GPE", "Seoul"),
    ("PERSON", "Jan Berg"),
    ("PERSON", "Moon Jae-in"),
]


def test_a_match_report_links_the_teams_and_leaves_the_countries_alone() -> None:
    nlp = make_blank_nlp(PATTERNS)
    resolver = Resolver(alias_table())
    for ex in extract([Article(id="match", text=MATCH), Article(id="politics", text=POLITICS)], nlp):
        resolver.add(ex)
    res = resolver.finish()
    by_label = {e.label: e for e in res.entities}
    team = by_label["South Korea national football team"]
    assert team.type == "organization"
    assert team.article_ids == ("match",)
    assert {"South Korea", "Korea"} <= set(team.aliases)  # "Korea's captain": the one team ending so
    assert by_label["Sweden national football team"].article_ids == ("match",)
    # the countries of the trade story are the countries, and the match's host stays a place
    assert by_label["South Korea"].type == "place" and by_label["South Korea"].article_ids == ("politics",)
    assert by_label["Sweden"].article_ids == ("politics",)
    assert by_label["Russia"].type == "place" and by_label["Russia"].article_ids == ("match",)
    rules = {(r.surface, r.entity_label): r.rule for r in res.alias_rows if "match" in r.article_ids}
    assert rules[("South Korea", "South Korea national football team")].startswith("national team")


def test_a_city_in_a_score_line_is_left_alone() -> None:
    """A club is named after its city ("Chicago 3-2 Boston"): kgraph does not know which club."""
    nlp = make_blank_nlp([("GPE", "Chicago"), ("GPE", "Boston")])
    resolver = Resolver(alias_table())
    for ex in extract([Article(id="a", text="Chicago beat Boston 3-2 in the baseball game.")], nlp):
        resolver.add(ex)
    labels = {e.label: e.type for e in resolver.finish().entities}
    assert labels == {"Chicago": "place", "Boston": "place"}
