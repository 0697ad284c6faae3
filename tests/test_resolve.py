"""The resolver on hand-made mentions: what merges, what stays apart, and why (aliases.csv)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.aliases import AliasFile, AliasGroup, alias_table
from kgraph.records import ArticleMeta, Extraction, Mention
from kgraph.resolve import Resolver

LABELS = {"person": "PERSON", "place": "GPE", "organization": "ORG"}
#: A small stand-in for the model's word list (normalize.common_words).
LEXICON = frozenset({"cease", "defend", "calm", "halt", "heavily", "surprised", "presidential", "pacific"})


def art(article_id: str, *names: tuple, acronyms=None) -> Extraction:
    """An extraction from (name, type[, sentence[, label]]) tuples, as NER would give it.
    Mentions follow each other with one space between them."""
    mentions = []
    pos = 0
    for item in names:
        name, etype = item[0], item[1]
        sentence = item[2] if len(item) > 2 else 0
        label = item[3] if len(item) > 3 else LABELS[etype]
        mentions.append(
            Mention(
                article_id=article_id,
                text=name,
                name=name,
                label=label,
                type=etype,
                sentence=sentence,
                start=pos,
                end=pos + len(name),
            )
        )
        pos += len(name) + 1
    sentences = {m.sentence: f"Sentence {m.sentence} of {article_id}." for m in mentions}
    return Extraction(
        article=ArticleMeta(id=article_id), mentions=tuple(mentions), sentences=sentences, acronyms=acronyms or {}
    )


def resolve(*extractions: Extraction, lexicon=LEXICON, aliases=None):
    r = Resolver(aliases or alias_table(), lexicon=lexicon)
    for ex in extractions:
        r.add(ex)
    res = r.finish()
    return {e.label: e for e in res.entities}, res


def rules_of(res) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in res.alias_rows:
        out.setdefault(row.surface, set()).add(row.rule)
    return out


def entity_of(res, surface: str, article: str) -> str:
    """The label of the entity `surface` became in `article` ('' if dropped)."""
    hits = {r.entity_label for r in res.alias_rows if r.surface == surface and article in r.article_ids}
    assert len(hits) == 1, (surface, article, hits)
    return hits.pop()


# -- aliases -----------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["US", "U.S.", "United States", "the United States", "America", "USA"])
def test_builtin_aliases_merge_the_united_states(variant: str) -> None:
    ents, _ = resolve(art("a", ("United States", "place")), art("b", (variant, "place")))
    assert list(ents) == ["United States"]
    assert ents["United States"].article_ids == ("a", "b")


@pytest.mark.parametrize(("a", "b"), [("UK", "Britain"), ("EU", "European Union"), ("UN", "U.N."), ("Nato", "NATO")])
def test_builtin_aliases(a: str, b: str) -> None:
    ents, _ = resolve(art("x", (a, "organization")), art("y", (b, "organization")))
    assert len(ents) == 1


def test_ambiguous_names_are_not_builtin_aliases() -> None:
    ents, _ = resolve(art("a", ("Congress", "organization")), art("b", ("US Congress", "organization")))
    assert set(ents) == {"Congress", "US Congress"}  # India and Mexico have a Congress too


# -- short names -------------------------------------------------------------------------
def test_short_name_joins_the_full_name_in_the_same_article() -> None:
    ents, res = resolve(
        art("a", ("Mohammad Naeem", "person"), ("Naeem", "person"), ("Ned Price", "person"), ("Price", "organization"))
    )
    assert set(ents) == {"Mohammad Naeem", "Ned Price"}
    assert ents["Ned Price"].type == "person"
    assert ents["Ned Price"].mention_count == 2
    assert rules_of(res)["Price"] == {"short name (same article)"}


def test_short_name_across_articles_needs_one_candidate_and_shared_context() -> None:
    ents, res = resolve(
        art("a", ("Joe Biden", "person"), ("Kabul", "place")), art("b", ("Biden", "person"), ("Kabul", "place"))
    )
    assert set(ents) == {"Joe Biden", "Kabul"}
    assert rules_of(res)["Biden"] == {"short name (only candidate in the corpus)"}
    # nothing in common around them: a common family name is not guessed...
    ents, res = resolve(
        art("a", ("Boris Johnson", "person"), ("Kabul", "place")), art("b", ("Johnson", "person"), ("Lagos", "place"))
    )
    assert "Johnson" in ents
    assert any("no shared context with Boris Johnson" in r for r in rules_of(res)["Johnson"])
    # ...a rare one that NER called a person's is the one person of that name
    ents, res = resolve(
        art("a", ("Joe Biden", "person"), ("Kabul", "place")), art("b", ("Biden", "person"), ("Lagos", "place"))
    )
    assert "Biden" not in ents and ents["Joe Biden"].article_ids == ("a", "b")
    assert rules_of(res)["Biden"] == {"rare family name (the one person of that name in the corpus)"}
    # but not when the full name does not start with a given name ("Gorky Studio")
    ents, res = resolve(
        art("a", ("Gorky Bidenova", "person"), ("Kabul", "place")), art("b", ("Bidenova", "person"), ("Lagos", "place"))
    )
    assert "Bidenova" in ents


def test_people_sharing_a_surname_stay_apart_and_the_short_name_is_not_guessed() -> None:
    ents, res = resolve(
        art(
            "a", ("Hillary Clinton", "person"), ("Bill Clinton", "person"), ("Clinton", "person"), ("Arkansas", "place")
        ),
        art("b", ("Clinton", "person"), ("Arkansas", "place")),
        art("c", ("Hillary Clinton", "person"), ("Clinton", "person")),
    )
    assert {"Hillary Clinton", "Bill Clinton", "Clinton"} <= set(ents)
    assert entity_of(res, "Clinton", "c") == "Hillary Clinton"  # one Clinton in that article
    assert entity_of(res, "Clinton", "a") == "Clinton"
    assert entity_of(res, "Clinton", "b") == "Clinton"
    assert any(r.startswith("ambiguous short name kept apart") for r in rules_of(res)["Clinton"])


def test_people_sharing_a_first_name_stay_apart() -> None:
    ents, _ = resolve(
        art("a", ("Michael Jordan", "person"), ("Michael Phelps", "person"), ("Michael", "person")),
        art("b", ("Hillary Clinton", "person"), ("Hillary", "person")),
    )
    assert {"Michael Jordan", "Michael Phelps", "Michael", "Hillary Clinton"} == set(ents)
    assert ents["Hillary Clinton"].mention_count == 2  # a given name fits one full name


def test_people_sharing_a_word_stay_apart() -> None:
    ents, _ = resolve(
        art("a", ("Ashraf Ghani", "person"), ("Abdul Ghani Baradar", "person"), ("Ghani", "person")),
        art("b", ("Abdullah Abdullah", "person"), ("Abdul Rashid Dostum", "person")),
    )
    assert set(ents) == {"Ashraf Ghani", "Abdul Ghani Baradar", "Abdullah Abdullah", "Abdul Rashid Dostum"}
    assert ents["Ashraf Ghani"].mention_count == 2  # "Ghani" is his family name, not Baradar's


def test_family_name_first() -> None:
    ents, res = resolve(
        art(
            "a",
            ("Xi Jinping", "person"),
            ("Xi", "person"),
            ("Li Qiang", "person"),
            ("Li", "person"),
            ("China", "place"),
        ),
        art(
            "b",
            ("Li Keqiang", "person"),
            ("Li Qiang", "person"),
            ("Li", "person"),
            ("Xi", "person"),
            ("China", "place"),
        ),
    )
    assert {"Xi Jinping", "Li Qiang", "Li Keqiang", "Li"} == set(ents) - {"China"}
    assert entity_of(res, "Li", "a") == "Li Qiang"
    assert entity_of(res, "Li", "b") == "Li"  # two Lis in that article
    assert entity_of(res, "Xi", "b") == "Xi Jinping"  # one Xi in the corpus


def test_arabic_names_with_bin() -> None:
    ents, res = resolve(
        art(
            "a",
            ("King Salman", "person"),
            ("Crown Prince Mohammed bin Salman", "person"),
            ("Prince Mohammed", "person"),
            ("Salman", "person"),
        ),
        art("b", ("Mohammed bin Salman", "person"), ("Bashar al-Assad", "person"), ("Assad", "person")),
    )
    assert {"King Salman", "Mohammed bin Salman", "Salman", "Bashar al-Assad"} == set(ents)
    assert entity_of(res, "Prince Mohammed", "a") == "Mohammed bin Salman"
    assert entity_of(res, "King Salman", "a") == "King Salman"  # his father
    assert ents["Mohammed bin Salman"].article_ids == ("a", "b")
    assert ents["Bashar al-Assad"].mention_count == 2


def test_a_surname_ner_took_for_a_place_joins_the_person_but_a_city_stays_a_city() -> None:
    ents, res = resolve(
        art("a", ("Olaf Scholz", "person"), ("Scholz", "place"), ("Berlin", "place")),
        art("b", ("Denzel Washington", "organization"), ("Washington", "place"), ("Broadway", "place")),
        art("c", ("Washington", "place"), ("Maryland", "place")),
    )
    assert entity_of(res, "Scholz", "a") == "Olaf Scholz"
    assert ents["Olaf Scholz"].type == "person"
    assert entity_of(res, "Washington", "b") == "Denzel Washington"
    assert ents["Denzel Washington"].type == "person"  # a given name, and a family name used alone
    assert entity_of(res, "Washington", "c") == "Washington"
    assert ents["Washington"].type == "place"
    # a "person" NER made of a place's name does not take the place in
    ents, res = resolve(art("d", ("Soccer Australia", "person"), ("Australia", "place")))
    assert entity_of(res, "Australia", "d") == "Australia"


def test_a_singer_named_like_a_city_is_not_the_city() -> None:
    # "Whitney" is a given name (the census list), so "Houston" (GPE) in her story is her
    ents, res = resolve(
        art("a", ("Whitney Houston", "person"), ("Houston", "place"), ("Newark", "place")),
        art("b", ("Houston", "place"), ("Texas", "place")),
    )
    assert entity_of(res, "Houston", "a") == "Whitney Houston"
    assert entity_of(res, "Houston", "b") == "Houston"
    assert ents["Whitney Houston"].type == "person"
    assert ents["Houston"].type == "place"


def test_a_capital_ner_took_for_a_person_is_a_place_unless_a_person_bears_its_name() -> None:
    ents, res = resolve(
        art("a", ("Moscow", "place"), ("Kyiv", "person"), ("Zelensky", "person")),
        art("b", ("Paris Hilton", "person"), ("Paris", "person"), ("Los Angeles", "place")),
    )
    assert ents["Kyiv"].type == "place"
    assert entity_of(res, "Paris", "b") == "Paris Hilton"
    assert ents["Paris Hilton"].type == "person"
    # a speaking verb next to it keeps NER's person ("Paris said")
    cue = art("c", ("Paris", "person"), ("Nicky Hilton", "person"))
    cue = cue.model_copy(
        update={"mentions": (cue.mentions[0].model_copy(update={"person_cue": True}), cue.mentions[1])}
    )
    ents, _ = resolve(cue)
    assert ents["Paris"].type == "person"


def test_state_abbreviations_and_spaced_initials_join_the_full_names() -> None:
    ents, res = resolve(
        art("a", ("Miami", "place"), ("Fla.", "place")),
        art("b", ("Florida", "place"), ("U. S", "place"), ("Orlando", "place")),
        art(
            "c", ("United States", "place"), ("Burger King", "organization"), ("Department of Justice", "organization")
        ),
    )
    assert entity_of(res, "Fla.", "a") == "Florida"
    assert ents["Florida"].article_count == 2
    assert entity_of(res, "U. S", "b") == "United States"
    # a title word that ends an organization's name is part of it
    assert entity_of(res, "Burger King", "c") == "Burger King"
    assert entity_of(res, "Department of Justice", "c") == "US Department of Justice"
    # "Mass" as NER's organization is not Massachusetts
    ents, res = resolve(art("d", ("Mass", "organization"), ("Vatican", "place")))
    assert entity_of(res, "Mass", "d") == "Mass"


def test_an_indefinite_article_before_a_name_is_cut_not_the_name_dropped() -> None:
    ents, res = resolve(
        art("a", ("a World Health Organisation recommendation", "organization"), ("Geneva", "place")),
        art("b", ("A THIRD PARTY", "organization"), ("Geneva", "place")),
    )
    assert entity_of(res, "a World Health Organisation recommendation", "a") == "World Health Organization"
    assert rules_of(res)["A THIRD PARTY"] == {"dropped (indefinite or possessive phrase)"}


def test_a_place_named_like_a_person_is_not_linked_across_articles() -> None:
    ents, _ = resolve(
        art("a", ("Michael Jordan", "person"), ("Chicago", "place")),
        art(
            "b",
            ("Jordan", "place"),
            ("Jordan", "place"),
            ("Amman", "place"),
            ("Jordan", "person"),
            ("Chicago", "place"),
        ),
    )
    assert ents["Jordan"].type == "place"
    assert ents["Michael Jordan"].mention_count == 1


def test_middle_initials() -> None:
    ents, _ = resolve(
        art("a", ("Harry S. Truman", "person"), ("Missouri", "place")),
        art("b", ("Harry Truman", "person"), ("Missouri", "place")),
        art("c", ("Truman", "person"), ("Missouri", "place")),
        art("d", ("George W. Bush", "person"), ("George H. W. Bush", "person"), ("George Bush", "person")),
    )
    assert ents["Harry S. Truman"].article_ids == ("a", "b", "c")
    # which George Bush? no guess (initials written apart are closed up: "H.W.")
    assert {"George W. Bush", "George H.W. Bush", "George Bush"} <= set(ents)


# -- titles and types --------------------------------------------------------------------
def test_title_is_evidence_for_a_person() -> None:
    ents, res = resolve(
        art(
            "a", ("Zalmay Khalilzad", "person"), ("Special Representative Khalilzad", "organization"), ("Doha", "place")
        ),
        art(
            "b", ("Special Representative Khalilzad", "organization"), ("Khalilzad", "organization"), ("Doha", "place")
        ),
    )
    assert set(ents) == {"Zalmay Khalilzad", "Doha"}
    assert ents["Zalmay Khalilzad"].type == "person"
    assert ents["Zalmay Khalilzad"].article_ids == ("a", "b")
    assert "title removed; short name (same article)" in rules_of(res)["Special Representative Khalilzad"]


def test_a_name_glued_to_a_title_joins_the_person() -> None:
    ents, res = resolve(
        art("a", ("Lloyd Austin", "person"), ("Austin", "person"), ("Pentagon", "organization")),
        art("b", ("Defence Lloyd Austin", "organization"), ("Hulusi Akar", "person"), ("Pentagon", "organization")),
        art("c", ("Defense", "organization"), ("Austin", "person"), ("Pentagon", "organization")),
    )
    assert ents["Lloyd Austin"].article_ids == ("a", "b", "c")
    assert ents["Lloyd Austin"].type == "person"
    assert rules_of(res)["Defense"] == {"dropped (front of a title)"}


def test_a_department_alone_is_kept() -> None:
    ents, _ = resolve(art("a", ("Defence", "organization"), ("Canberra", "place")))
    assert "Defence" in ents  # "Defence said ...": no title follows


def test_titles_are_not_stripped_from_organizations() -> None:
    ents, _ = resolve(
        art(
            "a",
            ("General Motors", "organization"),
            ("General Assembly", "organization"),
            ("Queen Elizabeth Hospital", "place"),
        )
    )
    assert set(ents) == {"General Motors", "General Assembly", "Queen Elizabeth Hospital"}


def test_an_organization_that_swallowed_a_person_is_split() -> None:
    ents, res = resolve(
        art("a", ("High Council for National Reconciliation Abdullah Abdullah", "organization"), ("Kabul", "place"))
    )
    assert ents["Abdullah Abdullah"].type == "person"
    assert ents["High Council for National Reconciliation"].type == "organization"
    assert rules_of(res)["High Council for National Reconciliation Abdullah Abdullah"] == {
        "split from an organization name"
    }
    ents, _ = resolve(art("b", ("George Washington Memorial Parkway", "organization")))
    assert set(ents) == {"George Washington Memorial Parkway"}


def test_type_is_the_majority() -> None:
    ents, _ = resolve(
        art("a", ("Taliban", "organization"), ("Taliban", "person")),
        art("b", ("Taliban", "organization")),
    )
    assert ents["Taliban"].type == "organization"


# -- organizations, places, acronyms -----------------------------------------------------
def test_company_suffixes() -> None:
    ents, res = resolve(
        art("a", ("Apple Inc.", "organization"), ("Apple", "organization"), ("Apple", "organization")),
        art("b", ("Microsoft Corp", "organization"), ("Apple", "organization"), ("BYD Co Ltd", "organization")),
        art("c", ("Microsoft", "organization"), ("BYD", "organization")),
    )
    assert set(ents) == {"Apple", "Microsoft", "BYD"}
    assert ents["Apple"].article_ids == ("a", "b")
    assert ents["BYD"].aliases == ("BYD", "BYD Co Ltd")
    assert rules_of(res)["Apple Inc."] == {"company suffix removed"}


def test_place_words_and_governments() -> None:
    ents, res = resolve(
        art("a", ("Kandahar province", "place"), ("Government of Kenya", "organization")),
        art("b", ("Kandahar", "place"), ("Kenya", "place")),
    )
    assert set(ents) == {"Kandahar", "Kenya"}
    assert ents["Kenya"].type == "place"
    assert rules_of(res)["Government of Kenya"] == {"government of a place"}


def test_acronym_defined_in_one_article_merges_everywhere() -> None:
    ents, res = resolve(
        art(
            "a",
            ("Competition and Markets Authority", "organization"),
            ("CMA", "organization"),
            acronyms={"CMA": "Competition and Markets Authority"},
        ),
        art("b", ("CMA", "organization")),
    )
    assert set(ents) == {"Competition and Markets Authority"}
    assert ents["Competition and Markets Authority"].article_ids == ("a", "b")
    assert rules_of(res)["CMA"] == {"acronym (defined in the article)", "acronym (defined in another article)"}


def test_acronym_inside_the_span() -> None:
    ents, _ = resolve(art("a", ("National Electoral Institute (INE", "organization"), ("INE", "organization")))
    assert set(ents) == {"National Electoral Institute"}


def test_acronym_defined_two_ways_is_not_merged_elsewhere() -> None:
    ents, _ = resolve(
        art(
            "a",
            ("Communist Party of India", "organization"),
            ("CPI", "organization"),
            acronyms={"CPI": "Communist Party of India"},
        ),
        art(
            "b",
            ("Consumer Price Index", "organization"),
            ("CPI", "organization"),
            acronyms={"CPI": "Consumer Price Index"},
        ),
        art("c", ("CPI", "organization")),
    )
    assert set(ents) == {"Communist Party of India", "Consumer Price Index", "CPI"}
    assert ents["CPI"].article_ids == ("c",)


def test_shorter_organization_name_in_the_same_article() -> None:
    ents, _ = resolve(
        art(
            "a",
            ("Afghan National Security Council", "organization"),
            ("National Security Council", "organization"),
            ("Afghanistan", "place"),
        ),
        art("b", ("National Security Council", "organization")),
        art("c", ("Presbyterian Church of England", "organization"), ("Church of England", "organization")),
    )
    assert ents["Afghan National Security Council"].article_ids == ("a",)
    assert ents["National Security Council"].article_ids == ("b",)  # another country's, perhaps
    assert ents["Church of England"].article_ids == ("c",)  # another church: not where it is from


# -- accents and labels ------------------------------------------------------------------
def test_accents_match_and_the_label_keeps_them() -> None:
    ents, _ = resolve(
        art("a", ("Mevlut Cavusoglu", "person"), ("Cavusoglu", "organization")),
        art("b", ("Mevlüt Çavuşoğlu", "person"), ("Çavuşoğlu", "place")),
        art("c", ("Mevlut Cavusoglu", "person")),
    )
    assert list(ents) == ["Mevlüt Çavuşoğlu"]
    assert ents["Mevlüt Çavuşoğlu"].mention_count == 5


# -- noise -------------------------------------------------------------------------------
def test_noise_is_dropped_and_listed() -> None:
    ents, res = resolve(
        art(
            "a",
            ("A THIRD PARTY", "organization"),
            ("Press Office/Handout", "organization"),
            ("Taliban", "organization"),
        )
    )
    assert set(ents) == {"Taliban"}
    rules = rules_of(res)
    assert rules["A THIRD PARTY"] == {"dropped (indefinite or possessive phrase)"}
    assert rules["Press Office/Handout"] == {"dropped (photo credit)"}
    assert all(r.entity_id == "" for r in res.alias_rows if r.surface == "A THIRD PARTY")


def test_an_ordinary_word_seen_once_is_dropped() -> None:
    extraction = art(
        "a", ("Cease", "organization"), ("Calm", "organization"), ("Calm", "organization"), ("Halt", "person")
    )
    ents, res = resolve(extraction)
    assert "Cease" not in ents
    assert rules_of(res)["Cease"] == {"dropped (ordinary word, seen once)"}
    assert "Calm" in ents  # twice: NER saw a name twice
    assert "Halt" in ents  # a PERSON may well be called that
    # but not an adverb or a past form, whatever NER said
    ents, _ = resolve(art("b", ("Heavily", "person"), ("Surprised", "person"), ("Kabul", "place")))
    assert set(ents) == {"Kabul"}
    # an organization of one adjective, however often; a place keeps its name ("Pacific")
    ents, res = resolve(
        art("c", ("Presidential", "organization"), ("Pacific", "place"), ("Kabul", "place")),
        art("d", ("Presidential", "organization"), ("Pacific", "place"), ("Kabul", "place")),
    )
    assert set(ents) == {"Pacific", "Kabul"}
    assert rules_of(res)["Presidential"] == {"dropped (an adjective, not an organization's name)"}
    ents, _ = resolve(extraction, lexicon=())  # no word list (a blank model): nothing is dropped
    assert "Cease" in ents


# -- user aliases ------------------------------------------------------------------------
def user_table(**data) -> object:
    table = alias_table()
    table.add(AliasFile.model_validate(data), "user")
    return table


def test_user_group_keeps_a_short_name_apart() -> None:
    table = user_table(groups=[{"name": "Price", "type": "organization"}])
    ents, res = resolve(art("a", ("Ned Price", "person"), ("Price", "organization")), aliases=table)
    assert set(ents) == {"Ned Price", "Price"}
    assert ents["Price"].type == "organization"
    assert rules_of(res)["Price"] == {"user alias"}


def test_user_group_forces_a_merge_and_ignores() -> None:
    table = user_table(
        groups=[AliasGroup(name="Joe Biden", type="person", variants=["The Big Guy", "POTUS"]).model_dump()],
        ignore=["Taliban"],
    )
    ents, res = resolve(
        art("a", ("Joe Biden", "person"), ("POTUS", "organization"), ("Taliban", "organization")),
        art("b", ("The Big Guy", "person")),
        aliases=table,
    )
    assert set(ents) == {"Joe Biden"}
    assert ents["Joe Biden"].article_ids == ("a", "b")
    assert rules_of(res)["Taliban"] == {"ignored (alias file)"}


def test_user_group_overrides_a_builtin_one() -> None:
    table = user_table(groups=[{"name": "America", "type": "place", "variants": ["the Americas"]}])
    ents, _ = resolve(art("a", ("America", "place"), ("US", "place")), aliases=table)
    assert set(ents) == {"America", "United States"}


# -- what resolution keeps ---------------------------------------------------------------
def test_sentence_cooccurrence_is_per_entity() -> None:
    _, res = resolve(
        art("a", ("Kabul", "place", 0), ("Doha", "place", 0), ("Doha", "place", 1), ("Taliban", "organization", 2))
    )
    assert len(res.sentence_entities[0]) == 1


def test_types_filter() -> None:
    r = Resolver(alias_table(), types=["person"])
    r.add(art("a", ("Joe Biden", "person"), ("Kabul", "place")))
    res = r.finish()
    assert [e.label for e in res.entities] == ["Joe Biden"]


_NAMES = st.sampled_from(
    [
        "Joe Biden",
        "Biden",
        "Hillary Clinton",
        "Bill Clinton",
        "Clinton",
        "US",
        "America",
        "Xi Jinping",
        "Xi",
        "Taliban",
        "A THIRD PARTY",
        "Kabul",
        "Washington",
        "Denzel Washington",
        "Mr Biden",
        "Apple Inc.",
        "Apple",
    ]
)
_MENTION = st.tuples(_NAMES, st.sampled_from(["person", "place", "organization"]), st.integers(0, 3))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_MENTION, max_size=8), min_size=1, max_size=4))
def test_every_mention_is_accounted_for(articles: list[list[tuple]]) -> None:
    """Whatever the input: each surface form in each article lands in exactly one entity or is
    dropped, entity ids are unique, and each entity's articles are the ones that name it."""
    extractions = [art(f"a{i}", *mentions) for i, mentions in enumerate(articles)]
    ents, res = resolve(*extractions)
    ids = [e.id for e in res.entities]
    assert len(ids) == len(set(ids))
    by_id = {e.id: e for e in res.entities}
    for ex in extractions:
        for m in ex.mentions:
            rows = [r for r in res.alias_rows if r.surface == m.name and ex.article.id in r.article_ids]
            assert rows, m.name
            for r in rows:
                assert r.entity_id == "" or ex.article.id in by_id[r.entity_id].article_ids
    assert sum(e.mention_count for e in res.entities) <= sum(len(ex.mentions) for ex in extractions)


def test_names_in_scripts_without_case() -> None:
    ents, res = resolve(
        art("a", ("محمد عباس", "person"), ("عباس", "person"), ("ירושלים", "place"), ("习近平", "person"))
    )
    assert set(ents) == {"محمد عباس", "ירושלים", "习近平"}
    assert rules_of(res)["عباس"] == {"short name (same article)"}


def test_a_first_name_ner_took_for_a_place_or_organization_joins_the_one_person() -> None:
    """Many name cultures use the first name alone ("Prabowo", "Retno"); NER often tags it a
    place or an organization. It joins the one person of the article whose name it starts,
    unless it is a known place or an ordinary word."""
    _, res = resolve(
        art(
            "a",
            ("Prabowo Subianto", "person"),
            ("Prabowo", "place"),
            ("Retno Marsudi", "person"),
            ("Retno", "organization"),
        ),
        art(
            "b", ("Jordan Peterson", "person"), ("Jordan", "place"), ("Calm Smith", "person"), ("Calm", "organization")
        ),
    )
    assert entity_of(res, "Prabowo", "a") == "Prabowo Subianto"
    assert entity_of(res, "Retno", "a") == "Retno Marsudi"
    assert "first name (same article)" in rules_of(res)["Retno"]
    assert entity_of(res, "Jordan", "b") == "Jordan"  # a country
    assert entity_of(res, "Calm", "b") != "Calm Smith"  # an ordinary word (dropped)


def test_a_word_inside_the_one_full_name_and_a_company_without_its_line_of_business_join() -> None:
    _, res = resolve(
        art("a", ("Luiz Inácio Lula da Silva", "person"), ("Lula", "person"), ("Javier Milei", "person")),
        art(
            "b",
            ("Samsung Electronics", "organization"),
            ("Samsung", "organization"),
            ("Toyota Motor", "organization"),
            ("Toyota Group", "organization"),
            ("Toyota", "organization"),
        ),
        art(
            "c",
            ("Samsung", "organization"),
            ("Lula", "person"),
            ("Ana Lula Silva", "person"),
            ("Jose Lula Costa", "person"),
        ),
    )
    assert entity_of(res, "Lula", "a") == "Luiz Inácio Lula da Silva"
    assert entity_of(res, "Samsung", "b") == "Samsung Electronics"
    assert entity_of(res, "Toyota", "b") == "Toyota"  # two lines of business: no guess
    assert entity_of(res, "Samsung", "c") == "Samsung"  # no longer name in that article
    assert entity_of(res, "Lula", "c") not in {"Ana Lula Silva", "Jose Lula Costa"}  # two candidates


@pytest.mark.parametrize("name", ["Manchester Royal Infirmary", "Johns Hopkins Hospital", "Kew Gardens"])
def test_a_hospital_or_gardens_is_a_place_whatever_ner_said(name: str) -> None:
    ents, _ = resolve(art("a", (name, "person")))
    assert ents[name].type == "place"


def test_what_the_resolver_keeps_per_article_is_compact_and_handed_over_once() -> None:
    # a million short articles kept a list, two dicts and fresh copies of the same small
    # tuples and words each (about 1 kB an article); now tuples, their repeated parts shared
    r = Resolver(lexicon=LEXICON)
    for i in range(3):
        ex = art(f"a{i}", ("Ashraf Ghani", "person"), ("Doha", "place"))
        r.add(ex.model_copy(update={"unlabelled": {"Monday": (0,)}}))
    first, *others = r._records
    assert type(first.keys) is type(first.sentences) is type(first.sentence_text) is tuple
    assert first.unlabelled == (("monday", "Monday", (0,)),)
    assert all(o.unlabelled is first.unlabelled and o.sentences is first.sentences for o in others)
    res = r.finish()
    assert res.article_ids == ["a0", "a1", "a2"] and not r._records and not r._clusters
    with pytest.raises(RuntimeError, match="finished"):
        r.finish()


def test_finish_lets_the_clusters_go_with_the_collector_paused() -> None:
    # the graph is built with the collector paused: a reference cycle through the corpus's
    # links kept every cluster, and its sets of article ids, alive until the build's end
    import gc
    import weakref

    r = Resolver(lexicon=LEXICON)
    for i in range(3):
        r.add(art(f"a{i}", ("Ashraf Ghani", "person"), ("Ghani", "person"), ("Doha", "place")))
    cluster = weakref.ref(r._clusters["ashraf ghani"])
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        res = r.finish()
        assert cluster() is None
    finally:
        if was_enabled:
            gc.enable()
    assert [e.label for e in res.entities] == ["Ashraf Ghani", "Doha"]


def test_a_clusters_type_follows_the_mentions_it_takes_in() -> None:
    from kgraph.resolve.cluster import Cluster, Part

    c = Cluster(key="jordan")
    c.add(Part("Jordan", "Jordan", "place"), "a")
    assert c.type() == "place"
    for article in "bc":
        c.add(Part("Jordan", "Jordan", "person"), article)
    assert c.type() == "person"
    other = Cluster(key="jordan")
    for article in "def":
        other.add(Part("Jordan", "Jordan", "organization"), article)
    c.absorb(other)
    assert c.type() == "organization"
