from __future__ import annotations

import pytest

from kgraph.aliases import alias_table
from kgraph.normalize import match_key
from kgraph.records import ArticleMeta, EntityType, Extraction, Mention
from kgraph.resolve import Resolver, is_noise, strip_titles

LABELS = {"person": "PERSON", "place": "GPE", "organization": "ORG"}


def art(article_id: str, *names: tuple[str, EntityType] | tuple[str, EntityType, int], acronyms=None) -> Extraction:
    """An extraction from (name, type[, sentence]) tuples, as NER would give it."""
    mentions = []
    for i, item in enumerate(names):
        name, etype = item[0], item[1]
        sentence = item[2] if len(item) > 2 else 0
        mentions.append(
            Mention(
                article_id=article_id, text=name, name=name, label=LABELS[etype], type=etype,
                sentence=sentence, start=i, end=i + 1,
            )
        )
    sentences = {m.sentence: f"Sentence {m.sentence} of {article_id}." for m in mentions}
    return Extraction(
        article=ArticleMeta(id=article_id), mentions=tuple(mentions), sentences=sentences, acronyms=acronyms or {}
    )


def resolve(*extractions: Extraction):
    r = Resolver(alias_table())
    for ex in extractions:
        r.add(ex)
    res = r.finish()
    return {e.label: e for e in res.entities}, res


@pytest.mark.parametrize("variant", ["US", "U.S.", "United States", "the United States", "America", "USA"])
def test_builtin_aliases_merge_the_united_states(variant: str) -> None:
    ents, _ = resolve(art("a", ("United States", "place")), art("b", (variant, "place")))
    assert list(ents) == ["United States"]
    assert ents["United States"].article_ids == ("a", "b")


def test_short_name_joins_the_full_name_in_the_same_article() -> None:
    ents, _ = resolve(art("a", ("Mohammad Naeem", "person"), ("Naeem", "person"), ("Ned Price", "person"), ("Price", "organization")))
    assert set(ents) == {"Mohammad Naeem", "Ned Price"}
    assert ents["Ned Price"].type == "person"
    assert ents["Ned Price"].mention_count == 2


def test_short_name_across_articles_only_with_one_candidate() -> None:
    ents, _ = resolve(art("a", ("Joe Biden", "person")), art("b", ("Biden", "person")))
    assert set(ents) == {"Joe Biden"}
    ents, _ = resolve(
        art("a", ("Joe Biden", "person")), art("b", ("Hunter Biden", "person")), art("c", ("Biden", "person"))
    )
    assert set(ents) == {"Joe Biden", "Hunter Biden", "Biden"}  # ambiguous: no guess


def test_people_sharing_a_word_stay_apart() -> None:
    ents, _ = resolve(
        art("a", ("Ashraf Ghani", "person"), ("Abdul Ghani Baradar", "person")),
        art("b", ("Abdullah Abdullah", "person"), ("Abdul Rashid Dostum", "person")),
    )
    assert set(ents) == {"Ashraf Ghani", "Abdul Ghani Baradar", "Abdullah Abdullah", "Abdul Rashid Dostum"}


def test_title_is_evidence_for_a_person() -> None:
    ents, _ = resolve(
        art("a", ("Zalmay Khalilzad", "person"), ("Special Representative Khalilzad", "organization")),
        art("b", ("Special Representative Khalilzad", "organization"), ("Khalilzad", "organization")),
    )
    assert set(ents) == {"Zalmay Khalilzad"}
    assert ents["Zalmay Khalilzad"].type == "person"


def test_acronym_defined_in_one_article_merges_everywhere() -> None:
    ents, _ = resolve(
        art("a", ("Competition and Markets Authority", "organization"), ("CMA", "organization"),
            acronyms={"CMA": "Competition and Markets Authority"}),
        art("b", ("CMA", "organization")),
    )
    assert set(ents) == {"Competition and Markets Authority"}
    assert ents["Competition and Markets Authority"].article_ids == ("a", "b")


def test_alias_rows_say_why() -> None:
    _, res = resolve(art("a", ("Ned Price", "person"), ("Price", "organization"), ("A THIRD PARTY", "organization")))
    rules = {r.surface: r.rule for r in res.alias_rows}
    assert rules["Price"] == "short name (same article)"
    assert rules["A THIRD PARTY"] == "dropped (noise)"


def test_sentence_cooccurrence_is_per_entity() -> None:
    _, res = resolve(art("a", ("Kabul", "place", 0), ("Doha", "place", 0), ("Doha", "place", 1), ("Taliban", "organization", 2)))
    assert len(res.sentence_entities[0]) == 1


@pytest.mark.parametrize(
    ("name", "core", "person"),
    [
        ("Special Representative Khalilzad", "Khalilzad", True),
        ("Mr Price", "Price", True),
        ("Marshal Abdul Rashid Dostum", "Abdul Rashid Dostum", True),
        ("Defence Lloyd Austin", "Lloyd Austin", False),
        ("Secretary of State Antony Blinken", "Antony Blinken", True),
        ("Taliban", "Taliban", False),
    ],
)
def test_strip_titles(name: str, core: str, person: bool) -> None:
    assert strip_titles(name) == (core, person)


@pytest.mark.parametrize("name", ["A THIRD PARTY", "An official", "THIS IMAGE HAS BEEN SUPPLIED"])
def test_noise(name: str) -> None:
    assert is_noise(name)


@pytest.mark.parametrize("name", ["Taliban", "NATO", "Bank of America", "UNITED NATIONS"])
def test_not_noise(name: str) -> None:
    assert not is_noise(name)


def test_match_key_ignores_accents_and_case() -> None:
    assert match_key("Mevlüt Çavuşoğlu") == match_key("mevlut cavusoglu")
