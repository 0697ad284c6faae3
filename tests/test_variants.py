"""In-article variants, junk and types on hand-made mentions (kgraph._variants, kgraph.places,
and the resolver passes that use them): each kind of error of issue 19, and what must not merge."""

from __future__ import annotations

import pytest

from kgraph.normalize import coordinated, noise_reason, state_of, without_trailing_title
from kgraph.places import name_shape, place_kind
from kgraph.resolve.variants import one_edit

from .test_resolve import art, resolve, rules_of


@pytest.mark.parametrize(
    ("a", "b"), [("kristin", "kristen"), ("untied", "united"), ("mauer", "maurer"), ("water", "waters")]
)
def test_one_edit(a: str, b: str) -> None:
    assert one_edit(a, b) and one_edit(b, a)


@pytest.mark.parametrize(("a", "b"), [("austria", "australia"), ("iran", "iran"), ("toyota", "toyoda ltd")])
def test_not_one_edit(a: str, b: str) -> None:
    assert not one_edit(a, b)


def test_typos_inside_one_article_join_the_commoner_spelling() -> None:
    ents, res = resolve(
        art(
            "a",
            ("Kristen Wilkins", "person"),
            ("Kristen Wilkins", "person"),
            ("Kristin Wilkins", "person"),
            ("Wilkins", "organization"),
            ("United Nations", "organization"),
            ("Untied Nations", "organization"),
            ("K.C. Maurer", "person"),
            ("Mauer", "person"),
        )
    )
    assert ents["Kristen Wilkins"].type == "person"
    assert set(ents["Kristen Wilkins"].aliases) == {"Kristen Wilkins", "Kristin Wilkins", "Wilkins"}
    assert "Untied Nations" in ents["United Nations"].aliases
    assert "Mauer" in ents["K.C. Maurer"].aliases
    assert rules_of(res)["Kristin Wilkins"] == {"one-letter variant of a name in the same article"}


def test_near_spellings_of_different_things_stay_apart() -> None:
    ents, _ = resolve(
        art("a", ("Iran", "place"), ("Iraq", "place"), ("Akio Toyoda", "person"), ("Toyota", "organization"))
    )
    assert {"Iran", "Iraq", "Akio Toyoda", "Toyota"} <= set(ents)


def test_acronym_of_initials_and_generic_head_words_join_their_name() -> None:
    ents, res = resolve(
        art(
            "a",
            ("University of Southern Indiana", "organization"),
            ("USI", "organization"),
            ("Church of Scientology", "organization"),
            ("Church", "organization"),
            ("Scientology", "organization"),
            ("New York Yankees", "organization"),
            ("Yankees", "organization"),
        )
    )
    assert "USI" in ents["University of Southern Indiana"].aliases
    assert {"Church", "Scientology"} <= set(ents["Church of Scientology"].aliases)
    assert "Yankees" in ents["New York Yankees"].aliases
    assert rules_of(res)["Church"] == {"generic word standing for the one longer name in the article"}


def test_generic_word_with_no_name_to_stand_for_is_dropped_with_a_reason() -> None:
    ents, res = resolve(art("a", ("Government", "organization"), ("West", "place"), ("Taliban", "organization")))
    assert set(ents) == {"Taliban"}
    assert rules_of(res)["Government"] == {"dropped (generic word, no name in the article it stands for)"}


def test_a_city_is_no_short_form_of_an_organization() -> None:
    ents, _ = resolve(art("a", ("Irving", "place"), ("Irving Police Department", "organization")))
    assert {"Irving", "Irving Police Department"} <= set(ents)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("STS-134", "dropped (code, model number or address)"),
        ("F-16s", "dropped (code, model number or address)"),
        ("3247 S. Kedzie Av", "dropped (code, model number or address)"),
        ("Post Office Box 7599", "dropped (code, model number or address)"),
        ("@POTUS", "dropped (social media handle or hashtag)"),
        ("GMT", "dropped (time zone)"),
    ],
)
def test_junk_with_digits_handles_and_time_zones(name: str, reason: str) -> None:
    assert noise_reason(name) == reason


@pytest.mark.parametrize("name", ["Studio 54", "Apple", "The Star", "Shell", "World Health Organisation"])
def test_real_names_are_not_junk(name: str) -> None:
    assert noise_reason(name) is None


def test_formal_names_titles_and_coordinations() -> None:
    assert state_of("State of Texas") == "Texas"
    assert state_of("Kingdom of Saudi Arabia") == "Saudi Arabia"
    assert state_of("Republic of Korea") is None
    assert without_trailing_title("State Department Spokesperson") == "State Department"
    assert without_trailing_title("Secretary of State") == "Secretary of State"
    assert coordinated("North and South Korea") == ("North Korea", "South Korea")
    ents, res = resolve(art("a", ("North and South Korea", "place"), ("South Korea", "place")))
    assert {"North Korea", "South Korea"} <= set(ents)


def test_gazetteer_and_name_shape() -> None:
    assert place_kind("Fla.") == place_kind("Florida") == "state"
    assert place_kind("Belgium") == "country"
    assert name_shape("Johnson Space Center") == name_shape("Museum of Flight") == "place"
    assert name_shape("Saudi Interior Ministry") == "organization"
    assert name_shape("Walker Evans") == ""


def test_type_comes_from_the_name_and_the_article_not_one_label() -> None:
    ents, res = resolve(
        art(
            "a",
            ("National Air and Space Museum", "organization"),
            ("Dries Mertens", "organization"),
            ("Mertens", "person"),
            ("Romelu Lukaku", "person"),
            ("Lukaku", "place"),
            ("Fla.", "organization"),
        )
    )
    assert ents["National Air and Space Museum"].type == "place"
    assert ents["Dries Mertens"].type == "person"
    assert "Lukaku" in ents["Romelu Lukaku"].aliases
    assert ents["Fla."].type == "place"


def test_a_city_name_joins_a_person_only_when_it_speaks() -> None:
    quiet, _ = resolve(art("a", ("Valeska Paris", "person"), ("Paris", "place")))
    assert "Paris" in quiet  # without a cue, the city stays a city
    ex = art("b", ("Valeska Paris", "person"), ("Paris", "place"))
    cued = ex.model_copy(update={"mentions": (ex.mentions[0], ex.mentions[1].model_copy(update={"person_cue": True}))})
    ents, _ = resolve(cued)
    assert "Paris" in ents["Valeska Paris"].aliases


def test_ordinary_plural_word_alone_is_not_a_person() -> None:
    ents, res = resolve(
        art("a", ("Photographs", "person"), ("Halt", "person")), lexicon=frozenset({"photograph", "halt"})
    )
    assert "Photographs" not in ents and "Halt" in ents


def with_unlabelled(ex, **names: tuple[int, ...]):
    return ex.model_copy(update={"unlabelled": dict(names)})


def test_a_name_ner_missed_is_found_where_the_corpus_names_it() -> None:
    a = art(
        "a",
        ("Adelaide", "place"),
        ("Hobart", "place"),
        ("Adelaide", "place"),
        ("Food Standards Australia", "organization"),
        ("Food Standards Australia", "organization"),
    )
    b = with_unlabelled(
        art("b", ("Canberra", "place"), ("Sydney", "place")), Adelaide=(0,), **{"Food Standards Australia": (0,)}
    )
    ents, res = resolve(a, b)
    assert ents["Adelaide"].article_ids == ("a", "b")
    assert ents["Food Standards Australia"].article_ids == ("a", "b")
    assert rules_of(res)["Adelaide"] >= {"untagged here, named so in another article (label consistency)"}


def test_label_consistency_brings_no_junk_back() -> None:
    a = art(
        "a", ("Education", "organization"), ("Education", "organization"), ("Walker", "person"), ("Walker", "person")
    )
    b = with_unlabelled(art("b", ("Canberra", "place"), ("Sydney", "place")), Education=(0,), Walker=(0,))
    ents, _ = resolve(a, b)
    assert ents["Education"].article_ids == ("a",)  # an ordinary capitalised word is never taken
    assert ents["Walker"].article_ids == ("a",)  # nor a family name alone


def test_a_website_stands_for_its_owner() -> None:
    ents, res = resolve(
        art(
            "a",
            ("Church of Scientology", "organization"),
            ("Scientology.org", "organization"),
            ("Scientology", "organization"),
        )
    )
    assert "Scientology.org" in ents["Church of Scientology"].aliases


def test_a_state_qualifying_a_place_is_not_the_city_of_its_name() -> None:
    a = art("a", ("Saratoga Springs", "place"), ("New York", "place"))
    a = a.model_copy(update={"mentions": (a.mentions[0], a.mentions[1].model_copy(update={"qualifies": True}))})
    b = art("b", ("United Nations", "organization"), ("New York", "place"))
    c = art("c", ("New York City", "place"), ("Brooklyn", "place"))
    ents, res = resolve(a, b, c)
    new_york = [e for e in res.entities if "New York" in e.aliases]
    assert len(new_york) == 2
    city = next(e for e in new_york if "New York City" in e.aliases)
    assert set(city.article_ids) == {"b", "c"}
    assert next(e for e in new_york if e is not city).article_ids == ("a",)


def test_short_forms_that_are_other_things_stay_apart() -> None:
    ents, _ = resolve(
        art(
            "a",
            ("California", "place"),
            ("Southern California", "place"),
            ("Pennsylvania", "place"),
            ("Pennsylvania Avenue", "place"),
            ("Bears", "organization"),
            ("Bears Stadium", "place"),
            ("Queensland", "place"),
            ("Queensland Cabinet", "organization"),
            ("Harvard", "organization"),
            ("Harvard University Press", "organization"),
        )
    )
    for short in ["California", "Pennsylvania", "Bears", "Queensland", "Harvard"]:
        assert short in ents, short


def test_two_letter_acronyms_and_first_names_are_not_variants() -> None:
    ents, _ = resolve(
        art(
            "a",
            ("Northwest Expressways", "organization"),
            ("NE", "organization"),
            ("Paul Richards", "person"),
            ("Richard", "person"),
            ("Richard", "person"),
            ("Richard", "person"),
        )
    )
    assert "NE" in ents and "Richard" in ents


@pytest.mark.parametrize("name", ["anti-Taliban", "pro-Castro", "trans-Atlantic", "Anti-Taliban"])
def test_words_made_from_names_are_not_names(name: str) -> None:
    assert noise_reason(name) == "dropped (a word made from a name: anti-Taliban, trans-Atlantic)"


@pytest.mark.parametrize("name", ["Post-Dispatch", "Trans-Tasman Trophy", "Anti-Defamation League"])
def test_names_with_such_prefixes_are_kept(name: str) -> None:
    assert noise_reason(name) is None


def test_typos_in_names_of_different_lengths_join_in_one_article() -> None:
    ents, _ = resolve(
        art(
            "a",
            ("Untied Nations", "organization"),
            ("United Nations", "organization"),
            ("United Nations", "organization"),
            ("Marianne Jorgensen Holt", "person"),
            ("Marianne Jorgensen Holt", "person"),
            ("Marianne Jorgenson Holt", "person"),
            ("Untied Kingdom", "place"),
        )
    )
    assert "Untied Nations" in ents["United Nations"].aliases
    assert "Marianne Jorgenson Holt" in ents["Marianne Jorgensen Holt"].aliases
    assert "Untied Kingdom" in ents  # two words differ: not a spelling of "United Nations"
